/**
 * Validating field definitions on create and applying changes to them.
 *
 * A patch is merged over the stored definition and the result is validated as a whole, so the
 * rules are written once for both create and update. Error paths use the snake_case wire names.
 *
 * Removed options: an option left out of `enums` (or `nested`) is deleted, and `patchDefinition`
 * returns its id in `removedEnumIds`. Stored value items pointing at it are dropped from the
 * records (`dropRemovedEnums`); the caller records each such drop as a value change, like any
 * other write, so history shows why a value disappeared.
 */
import { errorItem, type ErrorItem } from '../errors.js';
import type { DefinitionDraft } from './draft.js';
import { accept, characterCount, isBlank, issue, reject, type Parsed } from './issues.js';
import {
  FIELD_TYPES,
  REMIND_VALUES,
  type EntityType,
  type FieldDefinition,
  type FieldSettings,
  type FieldType,
  type FieldValue,
  type Remind,
  type StageRef,
} from './model.js';
import { codeErrors, planEnums, planNested, type IdSource, type OptionPlan } from './options.js';
import { fieldTypeModule } from './registry.js';
import { TYPE_SPECIFIC_PROPERTIES, type DefinitionRules, type TypeSpecificProperty } from './type-module.js';

export type { IdSource } from './options.js';

/** A definition before the store gives it an id, a uuid and timestamps. */
export type NewFieldDefinition = Omit<FieldDefinition, 'id' | 'uuid' | 'createdAt' | 'updatedAt'>;

export interface DefinitionContext {
  entityType: EntityType;
  /** The account's definitions, to keep codes unique per entity type. */
  existing: readonly FieldDefinition[];
  ids: IdSource;
}

export interface PatchedDefinition {
  definition: FieldDefinition;
  removedEnumIds: number[];
}

const DEFAULT_SORT = 500;
const MAX_NAME_LENGTH = 255;
const MAX_EXTERNAL_ID_LENGTH = 255;
/** Stages belong to leads; contact and company fields may be gated on lead stages too. */
const STAGE_GATED_ENTITIES: readonly EntityType[] = ['leads', 'contacts', 'companies'];

const PROPERTY_PATHS: Record<TypeSpecificProperty, string> = {
  enums: 'enums',
  nested: 'nested',
  remind: 'remind',
  currency: 'currency',
  chainedLists: 'chained_lists',
  trackingCallback: 'tracking_callback',
  searchIn: 'search_in',
};

type SettingRule = { path: string; check: (value: unknown, path: string) => ErrorItem[] };

function countUpTo(max: number): SettingRule['check'] {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return [issue.invalidType(path, 'int')];
    return value >= 1 && value <= max ? [] : [issue.outOfRange(path, 1, max)];
  };
}

const SETTING_RULES: Record<keyof FieldSettings, SettingRule> = {
  maxLength: { path: 'settings.max_length', check: countUpTo(65535) },
  maxValues: { path: 'settings.max_values', check: countUpTo(100) },
  wholeNumbers: { path: 'settings.whole_numbers', check: flagCheck },
  userIds: { path: 'settings.user_ids', check: flagCheck },
};

function flagCheck(value: unknown, path: string): ErrorItem[] {
  return typeof value === 'boolean' ? [] : [issue.invalidType(path, 'bool')];
}

/** Flags that decide which stored values are valid, so they cannot change once values may exist; absent is off. */
const FIXED_FLAGS = ['wholeNumbers', 'userIds'] as const satisfies readonly (keyof FieldSettings)[];

export function createDefinition(draft: DefinitionDraft, context: DefinitionContext): Parsed<NewFieldDefinition> {
  if (draft.type === undefined) return reject([issue.fieldMissing('type'), ...nameErrors(draft.name)]);
  const type = FIELD_TYPES.find((known) => known === draft.type);
  if (type === undefined) return reject([issue.notSupportedChoice('type'), ...nameErrors(draft.name)]);
  const built = buildDefinition(draft, type, null, context);
  return built.ok ? accept(built.value.definition) : built;
}

/** Applies `patch` to `definition`. `type` may be sent but not changed. */
export function patchDefinition(
  definition: FieldDefinition,
  patch: DefinitionDraft,
  context: Omit<DefinitionContext, 'entityType'>,
): Parsed<PatchedDefinition> {
  if (patch.type !== undefined && patch.type !== definition.type) return reject([issue.immutable('type')]);
  const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  const candidate: DefinitionDraft = { ...definition, ...given };
  const built = buildDefinition(candidate, definition.type, definition, { ...context, entityType: definition.entityType });
  return built.ok
    ? accept({ definition: { ...definition, ...built.value.definition }, removedEnumIds: built.value.removedIds })
    : built;
}

/** Predefined fields (PHONE, EMAIL, ...) and fields marked undeletable stay. */
export function assertDeletable(definition: FieldDefinition): ErrorItem | null {
  if (!definition.isPredefined && definition.isDeletable) return null;
  return errorItem(
    'NotDeletable',
    'id',
    `Field "${definition.name}" (id ${definition.id}) is ${definition.isPredefined ? 'predefined' : 'not deletable'} and cannot be deleted`,
  );
}

/** `values` without the items of `fieldId` that point at a removed option; a field left empty is removed. */
export function dropRemovedEnums(
  values: readonly FieldValue[],
  fieldId: number,
  removedIds: readonly number[],
): FieldValue[] {
  const removed = new Set(removedIds);
  return values.flatMap((value): FieldValue[] => {
    if (value.field_id !== fieldId) return [value];
    const kept = value.values.filter((item) => item.enum_id === undefined || !removed.has(item.enum_id));
    return kept.length > 0 ? [{ field_id: fieldId, values: kept }] : [];
  });
}

interface BuiltDefinition {
  definition: NewFieldDefinition;
  removedIds: number[];
}

function buildDefinition(
  candidate: DefinitionDraft,
  type: FieldType,
  previous: FieldDefinition | null,
  context: DefinitionContext,
): Parsed<BuiltDefinition> {
  const module = fieldTypeModule(type);
  const rules = module.definitionRules(type);
  const enums = optionPlan(rules, 'enums', candidate.enums, (drafts) => planEnums(drafts, previous?.enums ?? []));
  const nested = optionPlan(rules, 'nested', candidate.nested, (drafts) => planNested(drafts, previous?.nested ?? []));
  const errors = [
    ...nameErrors(candidate.name),
    ...fieldCodeErrors(candidate.code ?? null, previous, context),
    ...(candidate.sort === undefined || Number.isInteger(candidate.sort) ? [] : [issue.invalidType('sort', 'int')]),
    ...stageErrors(candidate.requiredStatuses ?? [], 'required_statuses', context.entityType),
    ...stageErrors(candidate.hiddenStatuses ?? [], 'hidden_statuses', context.entityType),
    ...typeSpecificPresenceErrors(candidate, rules),
    ...settingsErrors(candidate.settings ?? {}, rules, previous),
    ...externalIdErrors(candidate.externalId),
    ...module.validateDefinition(candidate, type),
    ...(enums.ok ? [] : enums.errors),
    ...(nested.ok ? [] : nested.errors),
  ];
  if (errors.length > 0 || !enums.ok || !nested.ok || candidate.name === undefined) return reject(errors);

  const enumOptions = enums.value?.(context.ids) ?? null;
  const nestedOptions = nested.value?.(context.ids) ?? null;
  const takes = (property: TypeSpecificProperty): boolean => rules.properties[property] !== undefined;
  return accept({
    definition: {
      entityType: context.entityType,
      name: candidate.name,
      code: candidate.code ?? null,
      type,
      sort: candidate.sort ?? DEFAULT_SORT,
      groupId: candidate.groupId ?? null,
      description: candidate.description ?? null,
      isApiOnly: candidate.isApiOnly ?? false,
      isEditable: candidate.isEditable ?? true,
      isRequired: candidate.isRequired ?? false,
      isPredefined: previous?.isPredefined ?? false,
      isDeletable: previous?.isDeletable ?? true,
      requiredStatuses: candidate.requiredStatuses ?? [],
      hiddenStatuses: candidate.hiddenStatuses ?? [],
      enums: enumOptions?.options ?? (takes('enums') ? [] : null),
      nested: nestedOptions?.options ?? (takes('nested') ? [] : null),
      remind: takes('remind') ? toRemind(candidate.remind) : null,
      currency: takes('currency') ? (candidate.currency ?? null) : null,
      chainedLists: takes('chainedLists')
        ? (candidate.chainedLists?.map((level) => ({
            catalogId: level.catalogId,
            parentCatalogId: level.parentCatalogId ?? null,
            title: level.title,
          })) ?? null)
        : null,
      trackingCallback: takes('trackingCallback') ? (candidate.trackingCallback ?? null) : null,
      searchIn: takes('searchIn') ? (candidate.searchIn ?? null) : null,
      settings: candidate.settings ?? {},
      externalId: candidate.externalId ?? null,
    },
    removedIds: [...(enumOptions?.removedIds ?? []), ...(nestedOptions?.removedIds ?? [])],
  });
}

/** The plan for an option list the type takes and the client gave; null when there is none to build. */
function optionPlan<D, T>(
  rules: DefinitionRules,
  property: 'enums' | 'nested',
  drafts: readonly D[] | null | undefined,
  plan: (drafts: readonly D[]) => Parsed<OptionPlan<T>>,
): Parsed<OptionPlan<T> | null> {
  return rules.properties[property] !== undefined && drafts ? plan(drafts) : accept(null);
}

function toRemind(remind: string | null | undefined): Remind | null {
  return REMIND_VALUES.find((known) => known === remind) ?? null;
}

function nameErrors(name: string | undefined): ErrorItem[] {
  if (name === undefined) return [issue.fieldMissing('name')];
  if (isBlank(name)) return [issue.notBlank('name')];
  return characterCount(name) > MAX_NAME_LENGTH ? [issue.tooLong('name', MAX_NAME_LENGTH)] : [];
}

function fieldCodeErrors(code: string | null, previous: FieldDefinition | null, context: DefinitionContext): ErrorItem[] {
  if (previous?.isPredefined && code !== previous.code) return [issue.immutable('code')];
  if (code === null) return [];
  const format = codeErrors(code, 'code');
  if (format.length > 0) return format;
  const taken = context.existing.some(
    (other) => other.entityType === context.entityType && other.code === code && other.id !== previous?.id,
  );
  return taken ? [issue.duplicate('code', 'A field with this code already exists.')] : [];
}

function stageErrors(stages: readonly StageRef[], path: string, entityType: EntityType): ErrorItem[] {
  if (stages.length === 0) return [];
  if (!STAGE_GATED_ENTITIES.includes(entityType)) return [issue.fieldNotExpected(path)];
  const seen = new Set<string>();
  return stages.flatMap((stage, index) => {
    const errors = (['pipelineId', 'statusId'] as const).flatMap((key) =>
      Number.isInteger(stage[key]) && stage[key] > 0
        ? []
        : [issue.invalidType(`${path}.${index}.${key === 'pipelineId' ? 'pipeline_id' : 'status_id'}`, 'int')],
    );
    const key = `${stage.pipelineId}:${stage.statusId}`;
    if (seen.has(key)) errors.push(issue.duplicate(`${path}.${index}`));
    seen.add(key);
    return errors;
  });
}

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

function typeSpecificPresenceErrors(candidate: DefinitionDraft, rules: DefinitionRules): ErrorItem[] {
  return TYPE_SPECIFIC_PROPERTIES.flatMap((property) => {
    const value = candidate[property];
    const path = PROPERTY_PATHS[property];
    const rule = rules.properties[property];
    if (rule === undefined) return isGiven(value) ? [issue.fieldNotExpected(path)] : [];
    if (rule === 'required' && !isGiven(value)) {
      return [Array.isArray(value) ? issue.tooFew(path, 1) : issue.fieldMissing(path)];
    }
    return [];
  });
}

function settingsErrors(settings: FieldSettings, rules: DefinitionRules, previous: FieldDefinition | null): ErrorItem[] {
  const given = Object.entries(settings).flatMap(([key, value]) => {
    const known = rules.settings.find((setting) => setting === key);
    const rule = isSettingName(key) ? SETTING_RULES[key] : undefined;
    if (rule === undefined || known === undefined) return [issue.fieldNotExpected(rule?.path ?? `settings.${key}`)];
    return rule.check(value, rule.path);
  });
  const changed = previous === null ? [] : FIXED_FLAGS.filter((key) => (settings[key] ?? false) !== (previous.settings[key] ?? false));
  return [...given, ...changed.map((key) => issue.immutable(SETTING_RULES[key].path))];
}

function externalIdErrors(externalId: string | null | undefined): ErrorItem[] {
  if (externalId === undefined || externalId === null) return [];
  if (typeof externalId !== 'string') return [issue.invalidType('external_id', 'string')];
  return characterCount(externalId) > MAX_EXTERNAL_ID_LENGTH ? [issue.tooLong('external_id', MAX_EXTERNAL_ID_LENGTH)] : [];
}

function isSettingName(key: string): key is keyof FieldSettings {
  return Object.hasOwn(SETTING_RULES, key);
}
