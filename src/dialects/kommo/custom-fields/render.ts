/** Field definitions and groups in Kommo's read model. */
import type { FastifyRequest } from 'fastify';
import type { FieldDefinition, StageRef } from '../../../core/fields/model.js';
import type { GroupWithFields } from '../../../core/fields/service.js';
import { baseUrl } from '../links.js';
import type { KommoJson } from '../records/render.js';

function stages(refs: readonly StageRef[]): KommoJson[] {
  return refs.map((ref) => ({ status_id: ref.statusId, pipeline_id: ref.pipelineId }));
}

/**
 * Keys and their order follow the object Kommo returns. `nested`, `search_in` and `settings` are
 * shown only where they mean something (a category, a linked entity, a field with settings), since
 * the observed objects of other types do not carry them.
 */
export function renderDefinition(request: FastifyRequest, definition: FieldDefinition, requestId?: string): KommoJson {
  const { maxLength, maxValues, wholeNumbers, userIds } = definition.settings;
  const settings = {
    ...(maxLength !== undefined ? { max_length: maxLength } : {}),
    ...(maxValues !== undefined ? { max_values: maxValues } : {}),
    ...(wholeNumbers !== undefined ? { whole_numbers: wholeNumbers } : {}),
    ...(userIds !== undefined ? { user_ids: userIds } : {}),
  };
  return {
    id: definition.id,
    name: definition.name,
    type: definition.type,
    account_id: request.principal?.accountId,
    code: definition.code,
    sort: definition.sort,
    is_api_only: definition.isApiOnly,
    enums: definition.enums?.map((option) => ({
      id: option.id,
      value: option.value,
      sort: option.sort,
      ...(option.code !== null ? { code: option.code } : {}),
    })) ?? null,
    group_id: definition.groupId,
    required_statuses: stages(definition.requiredStatuses),
    is_deletable: definition.isDeletable && !definition.isPredefined,
    is_predefined: definition.isPredefined,
    entity_type: definition.entityType,
    tracking_callback: definition.trackingCallback,
    remind: definition.remind,
    triggers: [],
    currency: definition.currency,
    hidden_statuses: stages(definition.hiddenStatuses),
    chained_lists:
      definition.chainedLists?.map((level) => ({
        catalog_id: level.catalogId,
        parent_catalog_id: level.parentCatalogId,
        title: level.title,
      })) ?? null,
    ...(definition.type === 'category'
      ? { nested: (definition.nested ?? []).map((option) => ({ id: option.id, parent_id: option.parentId, value: option.value, sort: option.sort })) }
      : {}),
    ...(definition.type === 'linked_entity' ? { search_in: definition.searchIn } : {}),
    ...(Object.keys(settings).length > 0 ? { settings } : {}),
    ...(requestId !== undefined ? { request_id: requestId } : {}),
    _links: { self: { href: `${baseUrl(request)}/api/v4/${definition.entityType}/custom_fields/${definition.id}` } },
  };
}

export function renderGroup(request: FastifyRequest, group: GroupWithFields, requestId?: string): KommoJson {
  return {
    id: group.id,
    name: group.name,
    is_predefined: group.isPredefined,
    type: 'custom_field_group',
    fields: group.fieldIds,
    entity_type: group.entityType,
    sort: group.sort,
    ...(requestId !== undefined ? { request_id: requestId } : {}),
    _links: { self: { href: `${baseUrl(request)}/api/v4/${group.entityType}/custom_fields/groups/${group.id}` } },
  };
}
