/** An OAuth client registered by an administrator of one account. */
export interface Integration {
  id: number;
  accountId: number;
  clientId: string;
  name: string;
  redirectUri: string;
  createdBy: number;
  createdAt: number;
  revokedAt: number | null;
}

export interface StoredIntegration extends Integration {
  secretHash: string;
}

export interface NewIntegration {
  name: string;
  redirectUri: string;
  createdBy: number;
}

export interface AuthorizationCode {
  id: number;
  accountId: number;
  integrationId: number;
  userId: number;
  expiresAt: number;
  usedAt: number | null;
}
