import type { Rights, Role } from './rights.js';

/** The authenticated caller of a request, whatever dialect carried the credential. */
export interface Principal {
  accountId: number;
  userId: number;
  role: Role;
  rights: Rights;
  tokenId: number;
}
