import type { Account, NewAccount, NewUser, User } from './accounts/model.js';
import type { ApiToken, StoredToken, TokenKind } from './access/tokens.js';
import type { AuthorizationCode, Integration, NewIntegration, StoredIntegration } from './access/oauth-model.js';
import type { NewPipeline, NewStatus, Pipeline, Status } from './pipelines/model.js';
import type { DomainEvent, StoredEvent } from './events/model.js';
import type { EntityType, FieldDefinition, IndexTerm } from './fields/model.js';
import type { FieldGroup } from './fields/groups.js';
import type { CrmRecord, IndexedQuery, Link, LossReason, NewRecord, ShownRecords, Tag } from './records/model.js';

/**
 * The persistence the domain needs, as small repository interfaces. Every method that touches
 * tenant data takes the account id first: it is the shard key, and no query runs without it.
 */
export interface AccountRepository {
  count(): Promise<number>;
  create(input: NewAccount, now: number): Promise<Account>;
  get(accountId: number): Promise<Account | null>;
  /** Not scoped by account: signing in names the account by its subdomain. */
  findBySubdomain(subdomain: string): Promise<Account | null>;
}

export interface UserRepository {
  /** Holds the account's users against other transactions' additions until this transaction ends; taken before the first read. */
  lockForChange(accountId: number): Promise<void>;
  create(accountId: number, input: NewUser, now: number): Promise<User>;
  get(accountId: number, userId: number): Promise<User | null>;
  list(accountId: number): Promise<User[]>;
  /** The user with this login in any letter case, and the scrypt hash of their password (null when none is set). */
  findByLogin(accountId: number, login: string): Promise<{ user: User; passwordHash: string | null } | null>;
  setPasswordHash(accountId: number, userId: number, passwordHash: string, now: number): Promise<boolean>;
}

export interface NewToken {
  userId: number;
  name: string;
  kind: TokenKind;
  tokenHash: string;
  expiresAt: number | null;
  integrationId?: number | null;
  rotatedFromId?: number | null;
}

export interface TokenRepository {
  create(accountId: number, input: NewToken, now: number): Promise<ApiToken>;
  /** The one lookup not scoped by account: a credential arrives before its account is known. */
  findByHash(tokenHash: string): Promise<StoredToken | null>;
  /** The token with its user, by digest: what authenticating a request needs, in one lookup. */
  findCredential(tokenHash: string): Promise<{ token: StoredToken; user: User } | null>;
  list(accountId: number): Promise<ApiToken[]>;
  revoke(accountId: number, tokenId: number, now: number): Promise<boolean>;
  touch(accountId: number, tokenId: number, now: number): Promise<void>;
  /** Revokes the unrevoked refresh tokens that replaced `tokenId`. */
  revokeSuccessors(accountId: number, tokenId: number, now: number): Promise<void>;
  revokeByIntegration(accountId: number, integrationId: number, now: number): Promise<void>;
}

export interface IntegrationRepository {
  create(accountId: number, input: NewIntegration & { clientId: string; secretHash: string }, now: number): Promise<Integration>;
  /** Not scoped by account: a client id arrives at the token endpoint before its account is known. */
  findByClientId(clientId: string): Promise<StoredIntegration | null>;
  get(accountId: number, integrationId: number): Promise<Integration | null>;
  list(accountId: number): Promise<Integration[]>;
  revoke(accountId: number, integrationId: number, now: number): Promise<boolean>;
}

export interface NewAuthorizationCode {
  integrationId: number;
  userId: number;
  codeHash: string;
  expiresAt: number;
}

export interface AuthorizationCodeRepository {
  create(accountId: number, input: NewAuthorizationCode, now: number): Promise<void>;
  findByHash(accountId: number, codeHash: string): Promise<AuthorizationCode | null>;
  /** Marks an unused code used; false when another exchange got there first. */
  markUsed(accountId: number, codeId: number, now: number): Promise<boolean>;
}

export type PipelineChanges = Partial<Pick<Pipeline, 'name' | 'sort' | 'isMain' | 'isUnsortedOn' | 'isArchive'>>;
export type StatusChanges = Partial<Pick<Status, 'name' | 'sort' | 'color' | 'code' | 'semantics'>>;

export interface PipelineRepository {
  create(accountId: number, input: NewPipeline, now: number): Promise<Pipeline>;
  list(accountId: number): Promise<Pipeline[]>;
  update(accountId: number, pipelineId: number, changes: PipelineChanges, now: number): Promise<void>;
  /** Makes `pipelineId` the main pipeline and every other one not. */
  setMain(accountId: number, pipelineId: number, now: number): Promise<void>;
  /** Deletes the pipeline with its stages. */
  delete(accountId: number, pipelineId: number): Promise<void>;
  /** Adds stages to a pipeline; those without an id get one from the `statuses` sequence. */
  addStatuses(accountId: number, pipelineId: number, statuses: readonly NewStatus[]): Promise<Status[]>;
  updateStatus(accountId: number, pipelineId: number, statusId: number, changes: StatusChanges): Promise<void>;
  deleteStatus(accountId: number, pipelineId: number, statusId: number): Promise<void>;
}

export type NewFieldDefinition = Omit<FieldDefinition, 'id'>;

export interface FieldDefinitionRepository {
  /**
   * Holds the account's definitions against other transactions' changes until this transaction ends;
   * taken before the first read, so that a change is made to the definitions as the previous change left them.
   */
  lockForChange(accountId: number): Promise<void>;
  list(accountId: number, entityType?: EntityType): Promise<FieldDefinition[]>;
  insert(accountId: number, definitions: NewFieldDefinition[]): Promise<FieldDefinition[]>;
  update(accountId: number, definitions: FieldDefinition[]): Promise<void>;
  delete(accountId: number, fieldIds: number[]): Promise<void>;
}

/** Stored field groups; the predefined `default` group of each entity type is not stored. */
export interface FieldGroupRepository {
  list(accountId: number, entityType: EntityType): Promise<FieldGroup[]>;
  insert(accountId: number, groups: readonly FieldGroup[]): Promise<void>;
  update(accountId: number, group: FieldGroup): Promise<void>;
  delete(accountId: number, groupId: string): Promise<void>;
}

export interface EventQuery {
  ids?: number[];
  types?: string[];
  entityTypes?: string[];
  entityIds?: number[];
  createdBy?: number[];
  createdAt?: { from?: number; to?: number };
  offset: number;
  limit: number;
}

export interface EventRepository {
  append(accountId: number, events: DomainEvent[]): Promise<void>;
  list(accountId: number, query: EventQuery): Promise<StoredEvent[]>;
}

export interface SequenceRepository {
  /** Reserves `count` consecutive ids of the named sequence and returns the first. */
  reserve(name: string, count: number): Promise<number>;
}

/** A record's filter and search terms, as the index holds them. */
export interface IndexEntry {
  recordId: number;
  terms: IndexTerm[];
}

export interface RecordRepository {
  /**
   * Holds `ids` against other transactions' writes until this transaction ends, so that a record read
   * after it is the record this transaction rewrites: two updates of one record at once both keep their changes.
   */
  lockForUpdate(accountId: number, ids: readonly number[]): Promise<void>;
  getMany(accountId: number, entityType: EntityType, ids: readonly number[]): Promise<CrmRecord[]>;
  /** Which of `ids` name records of `entityType` that are not deleted: the records a link may point to. */
  liveIds(accountId: number, entityType: EntityType, ids: readonly number[]): Promise<Set<number>>;
  /** `getMany`, with the records' tags and links and the account's definitions read in the same lookup. */
  getShown(accountId: number, entityType: EntityType, ids: readonly number[]): Promise<ShownRecords>;
  /** Inserts in order and returns the new ids in the same order. */
  insert(accountId: number, records: readonly NewRecord[]): Promise<number[]>;
  /** Writes what changed from `before` to `after`: columns no record of a batch changed are left as they are, and so are their indexes. */
  update(accountId: number, changes: readonly { before: CrmRecord; after: CrmRecord }[]): Promise<void>;
  /**
   * Replaces the filter and search terms of each record: all of them, or only those of `fieldIds`
   * (an update rewrites the terms of the fields it changed, not the record's every term).
   */
  replaceIndex(accountId: number, entries: readonly IndexEntry[], fieldIds?: readonly number[]): Promise<void>;
  /** Adds the terms of records just inserted, which have none yet to replace. */
  addIndex(accountId: number, entries: readonly IndexEntry[]): Promise<void>;
  list(accountId: number, entityType: EntityType, query: IndexedQuery): Promise<CrmRecord[]>;
  /** `list`, with the records' tags and links and the account's definitions read in the same lookup. */
  listShown(accountId: number, entityType: EntityType, query: IndexedQuery): Promise<ShownRecords>;
  /** How many records match `query`, ignoring its order, offset and limit. */
  count(accountId: number, entityType: EntityType, query: IndexedQuery): Promise<number>;
  /** Ids of records of `entityType` holding a value of `fieldId` equal to one of `texts` (normalised). */
  findByFieldText(accountId: number, entityType: EntityType, fieldId: number, texts: readonly string[]): Promise<{ recordId: number; text: string }[]>;
  /**
   * Ids of records of `entityType` (deleted ones too) whose stored values include `fieldId`, read from the
   * stored values rather than the index because some values produce no index terms.
   */
  idsHoldingField(accountId: number, entityType: EntityType, fieldId: number): Promise<number[]>;
}

export interface TagRepository {
  /** Finds tags by id or name, creating the named ones that do not exist yet. */
  resolve(accountId: number, entityType: EntityType, refs: readonly ({ id: number } | { name: string })[]): Promise<Tag[]>;
  /** `names` match exactly; `query` matches a part of the name. */
  list(accountId: number, entityType: EntityType, filter: { ids?: number[]; names?: string[]; query?: string; offset: number; limit: number }): Promise<Tag[]>;
  create(accountId: number, entityType: EntityType, tags: readonly { name: string; color: string | null }[]): Promise<Tag[]>;
  ofRecords(accountId: number, recordIds: readonly number[]): Promise<Map<number, Tag[]>>;
  setRecordTags(accountId: number, recordId: number, tagIds: readonly number[]): Promise<void>;
}

export interface LinkRepository {
  ofRecords(accountId: number, recordIds: readonly number[]): Promise<Link[]>;
  add(accountId: number, links: readonly Link[]): Promise<void>;
  remove(accountId: number, links: readonly Omit<Link, 'metadata'>[]): Promise<void>;
}

export interface LossReasonRepository {
  list(accountId: number): Promise<LossReason[]>;
  create(accountId: number, reasons: readonly { name: string; sort: number }[], now: number): Promise<LossReason[]>;
  delete(accountId: number, id: number): Promise<boolean>;
}

export interface Repositories {
  accounts: AccountRepository;
  users: UserRepository;
  tokens: TokenRepository;
  integrations: IntegrationRepository;
  authorizationCodes: AuthorizationCodeRepository;
  pipelines: PipelineRepository;
  fields: FieldDefinitionRepository;
  fieldGroups: FieldGroupRepository;
  events: EventRepository;
  sequences: SequenceRepository;
  records: RecordRepository;
  tags: TagRepository;
  links: LinkRepository;
  lossReasons: LossReasonRepository;
}

export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  readonly repos: Repositories;
  /** Runs `work` in one transaction: everything it writes commits together or not at all. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
