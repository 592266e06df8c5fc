import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requirePrincipal } from '../../server/context.js';
import { HAL_CONTENT_TYPE } from './problem.js';
import { selfLink } from './links.js';
import { accountOf } from '../../core/accounts/read.js';

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', RUB: '₽', GBP: '£', BRL: 'R$', MXN: '$' };

const AccountSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  subdomain: Type.String(),
  created_at: Type.Integer(),
  created_by: Type.Integer(),
  updated_at: Type.Integer(),
  updated_by: Type.Integer(),
  current_user_id: Type.Integer(),
  country: Type.String(),
  currency: Type.String(),
  currency_symbol: Type.String(),
  customers_mode: Type.String(),
  is_unsorted_on: Type.Boolean(),
  mobile_feature_version: Type.Integer(),
  is_loss_reason_enabled: Type.Boolean(),
  is_helpbot_enabled: Type.Boolean(),
  is_technical_account: Type.Boolean(),
  contact_name_display_order: Type.Integer(),
  _links: Type.Object({ self: Type.Object({ href: Type.String() }) }),
});

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/account',
    {
      schema: {
        summary: 'The caller\'s account (Kommo shape)',
        tags: ['kommo'],
        security: [{ bearer: [] }],
        querystring: Type.Object({ with: Type.Optional(Type.String()) }),
        response: { 200: AccountSchema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request.principal);
      const account = await accountOf(app.store.repos, principal.accountId);
      return reply.type(HAL_CONTENT_TYPE).send({
        id: account.id,
        name: account.name,
        subdomain: account.subdomain,
        created_at: account.createdAt,
        created_by: 0,
        updated_at: account.updatedAt,
        updated_by: 0,
        current_user_id: principal.userId,
        country: account.country,
        currency: account.currency,
        currency_symbol: CURRENCY_SYMBOLS[account.currency] ?? account.currency,
        customers_mode: 'disabled',
        is_unsorted_on: true,
        mobile_feature_version: 0,
        is_loss_reason_enabled: true,
        is_helpbot_enabled: false,
        is_technical_account: false,
        contact_name_display_order: 1,
        _links: selfLink(request, '/api/v4/account'),
      });
    },
  );
};
