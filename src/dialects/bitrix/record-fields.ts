/**
 * The standard fields of Bitrix24 leads, contacts and companies, and where each lives in an engine
 * record. Bitrix24-only properties with no engine counterpart (COMMENTS, SOURCE_ID, ADDRESS, UTM_*, …)
 * are kept in the record's `attributes` under their Bitrix24 names.
 */
import { MULTIFIELD_CODES, multifieldTitle, type MultifieldCode } from './multifields.js';

export const BITRIX_ENTITIES = ['leads', 'contacts', 'companies'] as const;
export type BitrixEntity = (typeof BITRIX_ENTITIES)[number];

export type FieldSource =
  | { kind: 'id' }
  | { kind: 'text'; property: 'name' | 'firstName' | 'lastName' }
  | { kind: 'price' }
  | { kind: 'responsible' }
  | { kind: 'user'; property: 'createdBy' | 'updatedBy' }
  | { kind: 'time'; property: 'createdAt' | 'updatedAt' | 'closedAt' }
  | { kind: 'stage' }
  | { kind: 'stageSemantics' }
  | { kind: 'attribute'; format: 'string' | 'flag' | 'date' }
  | { kind: 'link'; to: 'companies' | 'contacts' }
  /** Several links at once, written only: Bitrix24 never shows the field, crm.*.contact.items.get lists them. */
  | { kind: 'links'; to: 'contacts' }
  | { kind: 'has'; code: MultifieldCode }
  | { kind: 'multifield'; code: MultifieldCode };

export interface StandardField {
  name: string;
  /** The type `crm.*.fields` reports. */
  type: string;
  title: string;
  source: FieldSource;
  readOnly: boolean;
  statusType?: string;
}

function field(name: string, type: string, title: string, source: FieldSource, extra: Partial<StandardField> = {}): StandardField {
  const readOnly = ['id', 'user', 'time', 'stageSemantics', 'has'].includes(source.kind);
  return { name, type, title, source, readOnly, ...extra };
}

const text = (name: string, title: string) => field(name, 'string', title, { kind: 'attribute', format: 'string' });
const directory = (name: string, title: string, statusType: string) =>
  field(name, 'crm_status', title, { kind: 'attribute', format: 'string' }, { statusType });

const ID = field('ID', 'integer', 'ID', { kind: 'id' });
const PEOPLE = [
  field('NAME', 'string', 'Name', { kind: 'text', property: 'firstName' }),
  text('SECOND_NAME', 'Middle name'),
  field('LAST_NAME', 'string', 'Last name', { kind: 'text', property: 'lastName' }),
  directory('HONORIFIC', 'Salutation', 'HONORIFIC'),
  field('BIRTHDATE', 'date', 'Date of birth', { kind: 'attribute', format: 'date' }),
  text('POST', 'Position'),
];
const OWNERSHIP = [
  field('OPENED', 'char', 'Available to everyone', { kind: 'attribute', format: 'flag' }),
  text('COMMENTS', 'Comment'),
  field('ASSIGNED_BY_ID', 'user', 'Responsible person', { kind: 'responsible' }),
  field('CREATED_BY_ID', 'user', 'Created by', { kind: 'user', property: 'createdBy' }),
  field('MODIFY_BY_ID', 'user', 'Modified by', { kind: 'user', property: 'updatedBy' }),
  field('DATE_CREATE', 'datetime', 'Created on', { kind: 'time', property: 'createdAt' }),
  field('DATE_MODIFY', 'datetime', 'Modified on', { kind: 'time', property: 'updatedAt' }),
];
const SOURCE = [directory('SOURCE_ID', 'Source', 'SOURCE'), text('SOURCE_DESCRIPTION', 'Source information')];
const ADDRESS = [
  text('ADDRESS', 'Address'),
  text('ADDRESS_2', 'Address (line 2)'),
  text('ADDRESS_CITY', 'City'),
  text('ADDRESS_POSTAL_CODE', 'Zip'),
  text('ADDRESS_REGION', 'Region'),
  text('ADDRESS_PROVINCE', 'State / Province'),
  text('ADDRESS_COUNTRY', 'Country'),
  text('ADDRESS_COUNTRY_CODE', 'Country code'),
];
const UTM = ['SOURCE', 'MEDIUM', 'CAMPAIGN', 'CONTENT', 'TERM'].map((part) => text(`UTM_${part}`, `UTM ${part.toLowerCase()}`));
const MULTIFIELDS = [
  field('HAS_PHONE', 'char', 'Has phone', { kind: 'has', code: 'PHONE' }),
  field('HAS_EMAIL', 'char', 'Has e-mail', { kind: 'has', code: 'EMAIL' }),
  ...MULTIFIELD_CODES.map((code) => field(code, 'crm_multifield', multifieldTitle(code), { kind: 'multifield', code })),
];

const FIELDS: Record<BitrixEntity, readonly StandardField[]> = {
  leads: [
    ID,
    field('TITLE', 'string', 'Lead name', { kind: 'text', property: 'name' }),
    ...PEOPLE,
    text('COMPANY_TITLE', 'Company name'),
    ...SOURCE,
    field('STATUS_ID', 'crm_status', 'Stage', { kind: 'stage' }, { statusType: 'STATUS' }),
    text('STATUS_DESCRIPTION', 'Stage information'),
    field('STATUS_SEMANTIC_ID', 'string', 'Status details', { kind: 'stageSemantics' }),
    field('OPPORTUNITY', 'double', 'Amount', { kind: 'price' }),
    field('CURRENCY_ID', 'crm_currency', 'Currency', { kind: 'attribute', format: 'string' }),
    ...OWNERSHIP,
    field('DATE_CLOSED', 'datetime', 'Closed on', { kind: 'time', property: 'closedAt' }),
    field('COMPANY_ID', 'crm_company', 'Company', { kind: 'link', to: 'companies' }),
    field('CONTACT_ID', 'crm_contact', 'Contact', { kind: 'link', to: 'contacts' }),
    field('CONTACT_IDS', 'crm_contact', 'Contacts', { kind: 'links', to: 'contacts' }),
    ...ADDRESS,
    ...UTM,
    ...MULTIFIELDS,
  ],
  contacts: [
    ID,
    ...PEOPLE,
    directory('TYPE_ID', 'Contact type', 'CONTACT_TYPE'),
    ...SOURCE,
    ...OWNERSHIP,
    field('COMPANY_ID', 'crm_company', 'Company', { kind: 'link', to: 'companies' }),
    ...ADDRESS,
    ...UTM,
    ...MULTIFIELDS,
  ],
  companies: [
    ID,
    field('TITLE', 'string', 'Company name', { kind: 'text', property: 'name' }),
    directory('COMPANY_TYPE', 'Company type', 'COMPANY_TYPE'),
    directory('INDUSTRY', 'Industry', 'INDUSTRY'),
    directory('EMPLOYEES', 'Employees', 'EMPLOYEES'),
    text('REVENUE', 'Annual revenue'),
    field('CURRENCY_ID', 'crm_currency', 'Currency', { kind: 'attribute', format: 'string' }),
    ...OWNERSHIP,
    ...ADDRESS,
    ...UTM,
    ...MULTIFIELDS,
  ],
};

export function standardFields(entity: BitrixEntity): readonly StandardField[] {
  return FIELDS[entity];
}

export function standardField(entity: BitrixEntity, name: string): StandardField | undefined {
  return FIELDS[entity].find((candidate) => candidate.name === name);
}

/** Bitrix24 names of the record properties core errors point at. */
export function propertyNames(entity: BitrixEntity): Record<string, string> {
  return {
    name: entity === 'contacts' ? 'NAME' : 'TITLE',
    first_name: 'NAME',
    last_name: 'LAST_NAME',
    price: 'OPPORTUNITY',
    responsible_user_id: 'ASSIGNED_BY_ID',
    status_id: 'STATUS_ID',
    pipeline_id: 'STATUS_ID',
    '_embedded.companies': 'COMPANY_ID',
    '_embedded.contacts': 'CONTACT_ID',
    id: 'ID',
  };
}

/** The prefix of every user field name; the engine field's code is the whole name. */
export const USER_FIELD_PREFIX = 'UF_CRM_';

export function isUserFieldName(key: string): boolean {
  return key.startsWith('UF_');
}
