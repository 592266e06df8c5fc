import type { StoredToken } from '../../core/access/tokens.js';
import type { User } from '../../core/accounts/model.js';

export interface FoundCredential {
  token: StoredToken;
  user: User;
}

/**
 * How long a token read from the store answers for it. Every request authenticates, and on
 * PostgreSQL the lookup was half of a read's round trips. A change made in this process (a revoked
 * or rotated token) clears the cache at once; one made by another process (the CLI, another worker)
 * is seen within this time.
 */
export const CREDENTIAL_TTL_MS = 1000;

/** Tokens kept in memory at most; the oldest are let go past it. */
const TOKENS_KEPT = 10_000;

/**
 * Credentials by token digest, each with its user, for `CREDENTIAL_TTL_MS` after it was read. Only
 * tokens that exist are kept: a token made by the CLI works from its first request.
 */
export class CredentialCache {
  readonly #entries = new Map<string, { found: FoundCredential; until: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The credential read for `tokenHash`, or undefined when it must be read from the store. */
  get(tokenHash: string): FoundCredential | undefined {
    const entry = this.#entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.found;
    this.#entries.delete(tokenHash);
    return undefined;
  }

  set(tokenHash: string, found: FoundCredential): void {
    this.#entries.delete(tokenHash);
    this.#entries.set(tokenHash, { found, until: this.now() + CREDENTIAL_TTL_MS });
    if (this.#entries.size > TOKENS_KEPT) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  /** The use just recorded in the store, so that a cached token is not recorded again every request. */
  used(tokenId: number, at: number): void {
    for (const [tokenHash, entry] of this.#entries) {
      if (entry.found.token.id === tokenId) {
        this.#entries.set(tokenHash, { ...entry, found: { ...entry.found, token: { ...entry.found.token, lastUsedAt: at } } });
      }
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
