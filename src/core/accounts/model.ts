import type { Rights, Role } from '../access/rights.js';

export interface AccountSettings {
  /** Requests per second allowed for this account; overrides the server default when set. */
  rateLimit?: number;
}

export interface Account {
  id: number;
  name: string;
  subdomain: string;
  currency: string;
  timezone: string;
  country: string;
  settings: AccountSettings;
  createdAt: number;
  updatedAt: number;
}

export interface User {
  id: number;
  accountId: number;
  name: string;
  email: string;
  login: string;
  role: Role;
  rights: Rights;
  isActive: boolean;
  createdAt: number;
  updatedAt: number;
}

export type NewAccount = Pick<Account, 'name' | 'subdomain' | 'currency' | 'timezone' | 'country'>;
export type NewUser = Pick<User, 'name' | 'email' | 'login' | 'role' | 'rights'>;
