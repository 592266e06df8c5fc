import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { User } from '../../core/accounts/model.js';
import { addUsers, type UserDraft } from '../../core/accounts/add-users.js';
import { errorItem, type ErrorItem } from '../../core/errors.js';
import { ACTIONS, uniformRights, type EntityRights, type Rights, type Scope } from '../../core/access/rights.js';
import { requirePrincipal } from '../../server/context.js';
import { userOf, usersOf } from '../../core/accounts/read.js';
import { HAL_CONTENT_TYPE } from './problem.js';
import { baseUrl, selfLink } from './links.js';
import { IdParams, Page } from './schemas.js';
import { withinBatchLimit } from './batch.js';
import { writeContext } from './records/routes.js';

/** Kommo writes each right as a letter: A all, M own (where the user is responsible), D denied. */
const RIGHT_LETTERS: Record<Scope, 'A' | 'M' | 'D'> = { all: 'A', own: 'M', none: 'D' };

const Letter = Type.Union([Type.Literal('A'), Type.Literal('M'), Type.Literal('D')]);
const EntityRightsSchema = Type.Object({ view: Letter, edit: Letter, add: Letter, delete: Letter, export: Letter });
const Link = Type.Object({ self: Type.Object({ href: Type.String() }) });

const UserSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  email: Type.String(),
  lang: Type.String(),
  rights: Type.Object({
    leads: EntityRightsSchema,
    contacts: EntityRightsSchema,
    companies: EntityRightsSchema,
    tasks: Type.Object({ edit: Letter, delete: Letter }),
    mail_access: Type.Boolean(),
    catalog_access: Type.Boolean(),
    status_rights: Type.Array(Type.Unknown()),
    is_admin: Type.Boolean(),
    is_free: Type.Boolean(),
    is_active: Type.Boolean(),
    group_id: Type.Null(),
    role_id: Type.Null(),
  }),
  _links: Link,
});

const ListSchema = Type.Object({
  _total_items: Type.Integer(),
  _page: Type.Integer(),
  _page_count: Type.Integer(),
  _links: Type.Object({ self: Type.Object({ href: Type.String() }), next: Type.Optional(Type.Object({ href: Type.String() })) }),
  _embedded: Type.Object({ users: Type.Array(UserSchema) }),
});

const DEFAULT_PAGE_SIZE = 50;
/** Kommo adds at most ten users per request. */
const ADD_LIMIT = 10;

const PartialEntityRights = Type.Partial(EntityRightsSchema, { additionalProperties: false });
/**
 * Rights as Kommo's add-users request sends them. What Fieldwork keeps no counterpart of is taken
 * only in the form it reads back (active, not free, no group, role or stage rights: see `unkeptRights`),
 * so nothing that would change who may do what is dropped; `tasks`, `mail_access`, `catalog_access`
 * and `export` (and the user's `lang`) are read back as GET shows them.
 */
const RightsInput = Type.Object(
  {
    leads: Type.Optional(PartialEntityRights),
    contacts: Type.Optional(PartialEntityRights),
    companies: Type.Optional(PartialEntityRights),
    tasks: Type.Optional(Type.Partial(Type.Object({ edit: Letter, delete: Letter }), { additionalProperties: false })),
    mail_access: Type.Optional(Type.Boolean()),
    catalog_access: Type.Optional(Type.Boolean()),
    status_rights: Type.Optional(Type.Array(Type.Unknown())),
    is_admin: Type.Optional(Type.Boolean()),
    is_free: Type.Optional(Type.Boolean()),
    is_active: Type.Optional(Type.Boolean()),
    group_id: Type.Optional(Type.Union([Type.Null(), Type.Integer()])),
    role_id: Type.Optional(Type.Union([Type.Null(), Type.Integer()])),
  },
  { additionalProperties: false },
);

const AddUsersBody = Type.Array(
  Type.Object(
    {
      name: Type.String(),
      email: Type.String(),
      password: Type.String(),
      lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es'), Type.Literal('pt'), Type.Literal('ru')])),
      rights: Type.Optional(RightsInput),
      request_id: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/users',
    {
      schema: {
        summary: 'The account\'s users (Kommo shape); administrators only',
        tags: ['kommo'],
        security: [{ bearer: [] }],
        querystring: Type.Object({
          page: Type.Optional(Page),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
          with: Type.Optional(Type.String()),
        }),
        response: { 200: ListSchema, 204: Type.Null({ description: 'No users on this page' }) },
      },
    },
    async (request, reply) => {
      const page = request.query.page ?? 1;
      const limit = request.query.limit ?? DEFAULT_PAGE_SIZE;
      const users = await usersOf(app.store.repos, requirePrincipal(request.principal));
      const slice = users.slice((page - 1) * limit, page * limit);
      if (slice.length === 0) return reply.code(204).send(null);
      const pageCount = Math.ceil(users.length / limit);
      const pageHref = (number: number) => ({ href: `${baseUrl(request)}/api/v4/users?page=${number}&limit=${limit}` });
      return reply.type(HAL_CONTENT_TYPE).send({
        _total_items: users.length,
        _page: page,
        _page_count: pageCount,
        _links: { self: pageHref(page), ...(page < pageCount ? { next: pageHref(page + 1) } : {}) },
        _embedded: { users: slice.map((user) => kommoUser(request, user)) },
      });
    },
  );

  app.post(
    '/users',
    {
      schema: {
        summary: 'Add users (at most 10 a request); administrators only. Each signs in with their email and password',
        tags: ['kommo'],
        security: [{ bearer: [] }],
        body: AddUsersBody,
      },
    },
    async (request, reply) => {
      const drafts = withinBatchLimit(request.body, ADD_LIMIT).map(
        (item, index): UserDraft => ({
          requestId: item.request_id ?? String(index),
          name: item.name,
          email: item.email,
          password: item.password,
          role: item.rights?.is_admin === true ? 'admin' : 'user',
          rights: rightsOf(item.rights),
          readErrors: unkeptRights(item.rights),
        }),
      );
      const users = await addUsers(writeContext(request), drafts);
      return reply.type(HAL_CONTENT_TYPE).send({
        _total_items: users.length,
        _embedded: { users: users.map((user, index) => ({ ...kommoUser(request, user), request_id: drafts[index]!.requestId })) },
      });
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        summary: 'One user of the account (Kommo shape)',
        tags: ['kommo'],
        security: [{ bearer: [] }],
        params: IdParams,
        querystring: Type.Object({ with: Type.Optional(Type.String()) }),
        response: { 200: UserSchema },
      },
    },
    async (request, reply) => {
      const user = await userOf(app.store.repos, requirePrincipal(request.principal), request.params.id);
      return reply.type(HAL_CONTENT_TYPE).send(kommoUser(request, user));
    },
  );
};

function kommoUser(request: FastifyRequest, user: User) {
  const isAdmin = user.role === 'admin';
  // Administrators pass every check, whatever rights are stored for them.
  const rights = isAdmin ? uniformRights('all') : user.rights;
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    lang: 'en',
    rights: {
      leads: entityLetters(rights.leads),
      contacts: entityLetters(rights.contacts),
      companies: entityLetters(rights.companies),
      // Tasks have no rights of their own in Fieldwork yet.
      tasks: { edit: 'A' as const, delete: 'A' as const },
      mail_access: false,
      catalog_access: isAdmin,
      status_rights: [],
      is_admin: isAdmin,
      is_free: false,
      is_active: user.isActive,
      group_id: null,
      role_id: null,
    },
    _links: selfLink(request, `/api/v4/users/${user.id}`),
  };
}

/** Rights Fieldwork has no counterpart of, refused unless sent as GET shows them. */
function unkeptRights(rights: Static<typeof RightsInput> | undefined): ErrorItem[] {
  if (!rights) return [];
  const refuse = (key: string, what: string, empty: string) => errorItem('InvalidValue', `rights.${key}`, `Fieldwork has no ${what}; send ${empty} or leave it out.`);
  return [
    ...(rights.is_free === true ? [refuse('is_free', 'free users', 'false')] : []),
    ...(rights.is_active === false ? [refuse('is_active', 'way to add a user who cannot sign in yet', 'true')] : []),
    ...(rights.group_id != null ? [refuse('group_id', 'user groups', 'null')] : []),
    ...(rights.role_id != null ? [refuse('role_id', 'roles', 'null')] : []),
    ...(rights.status_rights !== undefined && rights.status_rights.length > 0 ? [refuse('status_rights', 'rights per stage', '[]')] : []),
  ];
}

const SCOPE_OF_LETTER = Object.fromEntries(Object.entries(RIGHT_LETTERS).map(([scope, letter]) => [letter, scope])) as Record<'A' | 'M' | 'D', Scope>;

/** A right not sent is all: a new user may do everything the rights sent do not withhold. */
function rightsOf(input: Static<typeof RightsInput> | undefined): Rights {
  const rights = uniformRights('all');
  for (const entity of ['leads', 'contacts', 'companies'] as const) {
    for (const action of ACTIONS) {
      const letter = input?.[entity]?.[action];
      if (letter !== undefined) rights[entity][action] = SCOPE_OF_LETTER[letter];
    }
  }
  return rights;
}

/** Fieldwork keeps no separate export right: whoever may view records may export them. */
function entityLetters(rights: EntityRights) {
  return {
    view: RIGHT_LETTERS[rights.view],
    edit: RIGHT_LETTERS[rights.edit],
    add: RIGHT_LETTERS[rights.add],
    delete: RIGHT_LETTERS[rights.delete],
    export: RIGHT_LETTERS[rights.view],
  };
}
