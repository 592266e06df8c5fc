import type { Account, NewAccount, NewUser, User } from './accounts/model.js';
import type { ApiToken, StoredToken, TokenKind } from './access/tokens.js';
import type { NewPipeline, Pipeline } from './pipelines/model.js';
import type { DomainEvent } from './events/model.js';
import type { EntityType, FieldDefinition } from './fields/model.js';

/**
 * The persistence the domain needs, as small repository interfaces. Every method that touches
 * tenant data takes the account id first: it is the shard key, and no query runs without it.
 */
export interface AccountRepository {
  count(): Promise<number>;
  create(input: NewAccount, now: number): Promise<Account>;
  get(accountId: number): Promise<Account | null>;
}

export interface UserRepository {
  create(accountId: number, input: NewUser, now: number): Promise<User>;
  get(accountId: number, userId: number): Promise<User | null>;
  list(accountId: number): Promise<User[]>;
}

export interface NewToken {
  userId: number;
  name: string;
  kind: TokenKind;
  tokenHash: string;
  expiresAt: number | null;
}

export interface TokenRepository {
  create(accountId: number, input: NewToken, now: number): Promise<ApiToken>;
  /** The one lookup not scoped by account: a credential arrives before its account is known. */
  findByHash(tokenHash: string): Promise<StoredToken | null>;
  list(accountId: number): Promise<ApiToken[]>;
  revoke(accountId: number, tokenId: number, now: number): Promise<boolean>;
  touch(accountId: number, tokenId: number, now: number): Promise<void>;
}

export interface PipelineRepository {
  create(accountId: number, input: NewPipeline, now: number): Promise<Pipeline>;
  list(accountId: number): Promise<Pipeline[]>;
}

export type NewFieldDefinition = Omit<FieldDefinition, 'id'>;

export interface FieldDefinitionRepository {
  list(accountId: number, entityType?: EntityType): Promise<FieldDefinition[]>;
  insert(accountId: number, definitions: NewFieldDefinition[]): Promise<FieldDefinition[]>;
  update(accountId: number, definitions: FieldDefinition[]): Promise<void>;
  delete(accountId: number, fieldIds: number[]): Promise<void>;
}

export interface EventRepository {
  append(accountId: number, events: DomainEvent[]): Promise<void>;
}

export interface SequenceRepository {
  /** Reserves `count` consecutive ids of the named sequence and returns the first. */
  reserve(name: string, count: number): Promise<number>;
}

export interface Repositories {
  accounts: AccountRepository;
  users: UserRepository;
  tokens: TokenRepository;
  pipelines: PipelineRepository;
  fields: FieldDefinitionRepository;
  events: EventRepository;
  sequences: SequenceRepository;
}

export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  readonly repos: Repositories;
  /** Runs `work` in one transaction: everything it writes commits together or not at all. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
