import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { authorizeRequest, requireAdminRequest } from '../../src/server/authorize.js';
import { uniformRights } from '../../src/core/access/rights.js';
import type { Principal } from '../../src/core/access/principal.js';

const user: Principal = { accountId: 1, userId: 5, role: 'user', rights: uniformRights('own'), tokenId: 9 };
const requestOf = (principal: Principal | null) => ({ principal }) as FastifyRequest;

describe('route authorization helpers', () => {
  it('authorizeRequest returns the principal when the right is granted', () => {
    expect(authorizeRequest(requestOf(user), 'contacts', 'edit', { responsibleUserId: 5 })).toBe(user);
  });

  it('authorizeRequest throws the forbidden error naming the right', () => {
    expect(() => authorizeRequest(requestOf(user), 'contacts', 'edit', { responsibleUserId: 6 })).toThrow('You have no right to edit contacts');
  });

  it('requireAdminRequest throws for a user who is not an administrator', () => {
    expect(() => requireAdminRequest(requestOf(user), 'change custom fields')).toThrow('Only administrators can change custom fields');
  });

  it('refuses to run on a route reached without authentication', () => {
    expect(() => authorizeRequest(requestOf(null), 'leads', 'view')).toThrow('route reached without authentication');
  });
});
