import type { FastifyRequest } from 'fastify';
import type { EntityType, FieldDefinition, FieldValue } from '../../../core/fields/model.js';
import type { CrmRecord, Link } from '../../../core/records/model.js';
import type { RecordPage } from '../../../core/records/read.js';
import { baseUrl } from '../links.js';

export type KommoJson = Record<string, unknown>;

export interface RenderOptions {
  with: ReadonlySet<string>;
}

/** The records of a page in Kommo's read model, with `_embedded` as the `with` parameter asks. */
export function renderRecords(request: FastifyRequest, page: RecordPage, options: RenderOptions): KommoJson[] {
  // Looked up once per page rather than once per record: a page holds up to 250.
  const base = baseUrl(request);
  const definitions = new Map(page.definitions.map((definition) => [definition.id, definition]));
  const linksByRecord = new Map<number, Link[]>();
  for (const link of page.links) linksByRecord.set(link.entityId, [...(linksByRecord.get(link.entityId) ?? []), link]);
  return page.records.map((record) => renderRecord(request, { base, definitions, links: linksByRecord.get(record.id) ?? [] }, page, record, options));
}

interface RecordContext {
  base: string;
  definitions: ReadonlyMap<number, FieldDefinition>;
  links: readonly Link[];
}

function renderRecord(request: FastifyRequest, context: RecordContext, page: RecordPage, record: CrmRecord, options: RenderOptions): KommoJson {
  const { base, definitions, links } = context;
  const embedded: KommoJson = {
    tags: (page.tags.get(record.id) ?? []).map((tag) => ({ id: tag.id, name: tag.name, color: tag.color })),
  };
  const linked = (type: EntityType, extra: (link: Link) => KommoJson = () => ({})) =>
    links
      .filter((link) => link.toEntityType === type)
      .map((link) => ({ id: link.toEntityId, ...extra(link), _links: { self: { href: `${base}/api/v4/${type}/${link.toEntityId}` } } }));

  const customFieldsValues = renderValues(record.customFields, definitions);
  const accountId = request.principal?.accountId;
  const self = { self: { href: `${base}/api/v4/${record.entityType}/${record.id}` } };
  switch (record.entityType) {
    case 'leads': {
      embedded.companies = linked('companies');
      if (options.with.has('contacts')) embedded.contacts = linked('contacts', (link) => ({ is_main: link.metadata.isMain ?? false }));
      if (options.with.has('loss_reason')) {
        const reason = page.lossReasons.find((candidate) => candidate.id === record.lossReasonId);
        embedded.loss_reason = reason
          ? [{ id: reason.id, name: reason.name, sort: reason.sort, created_at: reason.createdAt, updated_at: reason.updatedAt, _links: { self: { href: `${base}/api/v4/leads/loss_reasons/${reason.id}` } } }]
          : [];
      }
      if (options.with.has('catalog_elements')) embedded.catalog_elements = [];
      if (options.with.has('source')) embedded.source = null;
      return {
        id: record.id,
        name: record.name,
        price: record.price ?? 0,
        responsible_user_id: record.responsibleUserId,
        group_id: record.groupId,
        status_id: record.statusId,
        pipeline_id: record.pipelineId,
        loss_reason_id: record.lossReasonId,
        ...(options.with.has('source_id') ? { source_id: record.sourceId } : {}),
        created_by: record.createdBy,
        updated_by: record.updatedBy,
        created_at: record.createdAt,
        updated_at: record.updatedAt,
        closed_at: record.closedAt,
        closest_task_at: record.closestTaskAt,
        is_deleted: record.isDeleted,
        custom_fields_values: customFieldsValues,
        score: record.score,
        account_id: accountId,
        labor_cost: record.laborCost,
        is_price_computed: false,
        ...(options.with.has('is_price_modified_by_robot') ? { is_price_modified_by_robot: record.isPriceModifiedByRobot } : {}),
        _links: self,
        _embedded: embedded,
      };
    }
    case 'contacts':
      embedded.companies = linked('companies');
      if (options.with.has('leads')) embedded.leads = linked('leads');
      if (options.with.has('catalog_elements')) embedded.catalog_elements = [];
      return {
        id: record.id,
        name: record.name,
        first_name: record.firstName ?? '',
        last_name: record.lastName ?? '',
        responsible_user_id: record.responsibleUserId,
        group_id: record.groupId,
        created_by: record.createdBy,
        updated_by: record.updatedBy,
        created_at: record.createdAt,
        updated_at: record.updatedAt,
        closest_task_at: record.closestTaskAt,
        is_deleted: record.isDeleted,
        is_unsorted: false,
        custom_fields_values: customFieldsValues,
        account_id: accountId,
        _links: self,
        _embedded: embedded,
      };
    default:
      if (options.with.has('contacts')) embedded.contacts = linked('contacts');
      if (options.with.has('leads')) embedded.leads = linked('leads');
      if (options.with.has('catalog_elements')) embedded.catalog_elements = [];
      return {
        id: record.id,
        name: record.name,
        responsible_user_id: record.responsibleUserId,
        group_id: record.groupId,
        created_by: record.createdBy,
        updated_by: record.updatedBy,
        created_at: record.createdAt,
        updated_at: record.updatedAt,
        closest_task_at: record.closestTaskAt,
        is_deleted: record.isDeleted,
        custom_fields_values: customFieldsValues,
        account_id: accountId,
        _links: self,
        _embedded: embedded,
      };
  }
}

/** `custom_fields_values` in the read shape: field metadata beside the values, null when nothing is filled. */
export function renderValues(values: readonly FieldValue[], definitions: ReadonlyMap<number, FieldDefinition>): KommoJson[] | null {
  const rendered: KommoJson[] = [];
  for (const value of values) {
    const definition = definitions.get(value.field_id);
    if (definition) rendered.push({ field_id: value.field_id, field_name: definition.name, field_code: definition.code, field_type: definition.type, values: value.values });
  }
  return rendered.length > 0 ? rendered : null;
}
