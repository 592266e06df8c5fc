import { describe, expect, it } from 'vitest';
import { authorize, isAllowed, requireAdmin, scopeOf } from '../../../src/core/access/authorize.js';
import type { Principal } from '../../../src/core/access/principal.js';
import { uniformRights, type Rights } from '../../../src/core/access/rights.js';
import { DomainError } from '../../../src/core/errors.js';

function principal(role: 'admin' | 'user', rights: Rights, userId = 7): Principal {
  return { accountId: 1, userId, role, rights, tokenId: 1 };
}

function withLeads(leads: Rights['leads']): Rights {
  return { ...uniformRights('all'), leads };
}

const ownLeads = principal('user', withLeads({ view: 'own', edit: 'own', add: 'own', delete: 'none' }));

describe('authorize', () => {
  it('lets an administrator do everything, whatever rights are stored', () => {
    const admin = principal('admin', uniformRights('none'));
    expect(isAllowed(admin, 'calls', 'delete', { responsibleUserId: 99 })).toBe(true);
    expect(scopeOf(admin, 'leads', 'view')).toBe('all');
  });

  it('allows an action with scope all on any record', () => {
    expect(isAllowed(principal('user', uniformRights('all')), 'contacts', 'edit', { responsibleUserId: 99 })).toBe(true);
  });

  it('refuses an action with scope none even on the caller\'s own record', () => {
    expect(isAllowed(ownLeads, 'leads', 'delete', { responsibleUserId: 7 })).toBe(false);
  });

  it('allows an action with scope own on a record the caller is responsible for', () => {
    expect(isAllowed(ownLeads, 'leads', 'edit', { responsibleUserId: 7 })).toBe(true);
  });

  it('refuses an action with scope own on someone else\'s record', () => {
    expect(isAllowed(ownLeads, 'leads', 'edit', { responsibleUserId: 8 })).toBe(false);
  });

  it('refuses an action with scope own on a record nobody is responsible for', () => {
    expect(isAllowed(ownLeads, 'leads', 'view', { responsibleUserId: null })).toBe(false);
  });

  it('allows scope own without a record, leaving the filtering to scopeOf', () => {
    expect(isAllowed(ownLeads, 'leads', 'view')).toBe(true);
    expect(scopeOf(ownLeads, 'leads', 'view')).toBe('own');
  });

  it('allows adding with scope own only with the caller responsible for the new record', () => {
    expect(isAllowed(ownLeads, 'leads', 'add', { responsibleUserId: 7 })).toBe(true);
    expect(isAllowed(ownLeads, 'leads', 'add', { responsibleUserId: 8 })).toBe(false);
  });

  it('checks each entity on its own rights', () => {
    const noCompanies = principal('user', { ...uniformRights('all'), companies: uniformRights('none').companies });
    expect(isAllowed(noCompanies, 'contacts', 'add')).toBe(true);
    expect(isAllowed(noCompanies, 'companies', 'add')).toBe(false);
  });

  it('throws a forbidden DomainError naming the refused right', () => {
    const refusal = (() => {
      try {
        authorize(principal('user', uniformRights('none')), 'leads', 'add');
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ kind: 'forbidden', message: 'You have no right to add leads' });
  });

  it('returns quietly when the right is granted', () => {
    expect(() => authorize(ownLeads, 'leads', 'edit', { responsibleUserId: 7 })).not.toThrow();
  });

  it('requireAdmin refuses a user with a detail naming the action', () => {
    expect(() => requireAdmin(principal('user', uniformRights('all')), 'change custom fields')).toThrow(
      expect.objectContaining({ kind: 'forbidden', message: 'Only administrators can change custom fields' }),
    );
  });

  it('requireAdmin lets an administrator pass', () => {
    expect(() => requireAdmin(principal('admin', uniformRights('none')), 'change custom fields')).not.toThrow();
  });
});
