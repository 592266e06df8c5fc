/**
 * Fields that must hold a value.
 *
 * `isRequired`:
 * - a record being created must hold a value for every required field of its entity type;
 * - an update may not clear a required field it names;
 * - an update that does not name a required field passes even when the stored record lacks it
 *   (Bitrix24's rule), so records created before the field became required stay editable.
 *
 * `requiredStatuses` (stage gates) belong to lead stages, so they are checked when a lead enters a
 * stage, never when a contact or company is written:
 * - a lead field gated on the stage must hold a value on the lead (its values after the patch);
 * - a contact field gated on the stage must hold a value on at least one contact linked to the lead,
 *   so a lead without contacts cannot pass such a gate;
 * - a company field gated on the stage must hold a value on the lead's company, so a lead without a
 *   company cannot pass such a gate.
 * Only the stage being entered is checked: a lead already in a stage keeps it when a gate is added.
 */
import { errorItem, type ErrorItem } from '../errors.js';
import type { FieldCatalog } from './catalog.js';
import type { EntityType, FieldDefinition, FieldValue, StageRef } from './model.js';
import type { PatchedEntry } from './values.js';

function describe(definition: FieldDefinition): string {
  return `"${definition.name}" (id ${definition.id})`;
}

function holdsValue(values: readonly FieldValue[], fieldId: number): boolean {
  return values.some((value) => value.field_id === fieldId && value.values.length > 0);
}

/** One `Required` error per required field of `entityType` that the new record leaves empty. */
export function requiredOnCreate(
  catalog: FieldCatalog,
  entityType: EntityType,
  values: readonly FieldValue[],
  path = 'custom_fields_values',
): ErrorItem[] {
  return catalog
    .forEntity(entityType)
    .filter((definition) => definition.isRequired && !holdsValue(values, definition.id))
    .map((definition) => errorItem('Required', path, `Field ${describe(definition)} is required`));
}

/** One `Required` error per entry of an accepted update that clears a required field. */
export function requiredOnUpdate(
  catalog: FieldCatalog,
  entries: readonly PatchedEntry[],
  basePath = 'custom_fields_values',
): ErrorItem[] {
  return entries.flatMap((entry) => {
    const definition = catalog.get(entry.fieldId);
    return definition?.isRequired && entry.values === null
      ? [errorItem('Required', `${basePath}.${entry.index}.values`, `Field ${describe(definition)} is required`)]
      : [];
  });
}

export interface StageGateInput {
  catalog: FieldCatalog;
  /** The stage the lead is entering. */
  stage: StageRef;
  /** The lead's values with the current patch applied. */
  lead: readonly FieldValue[];
  /** The values of each contact linked to the lead. */
  contacts: readonly (readonly FieldValue[])[];
  /** The values of the lead's company, or null when it has none. */
  company: readonly FieldValue[] | null;
  /** Where the errors point: the request key that moves the lead. */
  path?: string;
}

const GATED_ENTITIES = ['leads', 'contacts', 'companies'] as const;
type GatedEntity = (typeof GATED_ENTITIES)[number];

const HOLDER: Record<GatedEntity, string> = {
  leads: 'the lead',
  contacts: 'a linked contact',
  companies: 'the linked company',
};

/** One `RequiredForStage` error per field gated on the stage that the lead and its links leave empty. */
export function requiredForStage(input: StageGateInput): ErrorItem[] {
  const { catalog, stage, lead, contacts, company, path = 'status_id' } = input;
  const filledOn: Record<GatedEntity, (fieldId: number) => boolean> = {
    leads: (fieldId) => holdsValue(lead, fieldId),
    contacts: (fieldId) => contacts.some((contact) => holdsValue(contact, fieldId)),
    companies: (fieldId) => company !== null && holdsValue(company, fieldId),
  };
  return GATED_ENTITIES.flatMap((entityType) =>
    catalog
      .forEntity(entityType)
      .filter((definition) => gatesStage(definition, stage) && !filledOn[entityType](definition.id))
      .map((definition) =>
        errorItem(
          'RequiredForStage',
          path,
          `Field ${describe(definition)} must be filled on ${HOLDER[entityType]} to enter stage ${stage.statusId} of pipeline ${stage.pipelineId}`,
        ),
      ),
  );
}

function gatesStage(definition: FieldDefinition, stage: StageRef): boolean {
  return definition.requiredStatuses.some(
    (gate) => gate.pipelineId === stage.pipelineId && gate.statusId === stage.statusId,
  );
}
