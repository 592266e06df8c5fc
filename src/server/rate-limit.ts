import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import { memoryCounters, redisCounters, type WindowCounters } from './counters.js';

export interface LimitOptions {
  /**
   * Requests per second, counted per token (per client IP for requests without one). An account's
   * `settings.rateLimit` overrides it for that account's tokens; 0 means unlimited.
   */
  requestsPerSecond: number;
  /** Failed authentications per client IP per minute before that IP is refused; 0 means unlimited. */
  authFailuresPerMinute: number;
  /** Keeps the counters in Redis so that several nodes share them; in memory when absent. */
  redisUrl?: string;
}

/** Slows down credential guessing: after too many failures an IP is refused until the minute is over. */
export interface AuthFailureGuard {
  /** Throws a `rate_limited` error while `ip` has used up its failures. */
  assertAllowed(ip: string): Promise<void>;
  recordFailure(ip: string): Promise<void>;
}

const UNGUARDED: AuthFailureGuard = {
  assertAllowed: async () => undefined,
  recordFailure: async () => undefined,
};

/**
 * Decorates `app.authFailures` and, with `options`, counts every request once it is authenticated.
 * Without options (as the tests build the app) nothing is limited.
 */
export async function installLimits(app: FastifyInstance, options: LimitOptions | undefined): Promise<void> {
  if (!options) {
    app.decorate('authFailures', UNGUARDED);
    return;
  }
  const counters = options.redisUrl
    ? await redisCounters(options.redisUrl, (error) => app.log.warn({ err: error }, 'rate limit counters unavailable'))
    : memoryCounters();
  app.addHook('onClose', () => counters.close());
  app.decorate('authFailures', authFailureGuard(counters, options.authFailuresPerMinute, app.clock));

  const accountRate = accountRates(options.requestsPerSecond);
  // preParsing runs after every onRequest hook, so the dialect has authenticated the caller, and
  // before the body is read, so a refused request costs no parsing.
  app.addHook('preParsing', async (request, _reply, payload) => {
    await limitRequest(request, counters, options.requestsPerSecond, accountRate);
    return payload;
  });
}

type AccountRate = (request: FastifyRequest, accountId: number) => Promise<number>;

async function limitRequest(request: FastifyRequest, counters: WindowCounters, serverDefault: number, accountRate: AccountRate): Promise<void> {
  const { principal, server } = request;
  const perSecond = principal ? await accountRate(request, principal.accountId) : serverDefault;
  if (perSecond <= 0) return;
  const subject = principal ? `token:${principal.tokenId}` : `ip:${request.ip}`;
  // Windows are whole seconds of the app's clock, so every node agrees on them.
  const count = await counters.increment(`rate:${subject}:${server.clock()}`, 2);
  if (count > perSecond) throw DomainError.rateLimited(1);
}

/** Accounts whose limit is remembered; past it the memory starts afresh. */
const ACCOUNT_RATES_KEPT = 10_000;

/**
 * Each account's limit, read once per one-second window rather than on every request: the limit is
 * counted per window, so a changed setting applies from the next one.
 */
function accountRates(serverDefault: number): AccountRate {
  const read = new Map<number, { window: number; perSecond: number }>();
  return async (request, accountId) => {
    const window = request.server.clock();
    const known = read.get(accountId);
    if (known?.window === window) return known.perSecond;
    const account = await request.server.store.repos.accounts.get(accountId);
    const perSecond = account?.settings.rateLimit ?? serverDefault;
    if (read.size >= ACCOUNT_RATES_KEPT) read.clear();
    read.set(accountId, { window, perSecond });
    return perSecond;
  };
}

const FAILURE_WINDOW_SECONDS = 60;

function authFailureGuard(counters: WindowCounters, perMinute: number, clock: Clock): AuthFailureGuard {
  if (perMinute <= 0) return UNGUARDED;
  const keyFor = (ip: string, now: number) => `authfail:${ip}:${Math.floor(now / FAILURE_WINDOW_SECONDS)}`;
  return {
    async assertAllowed(ip) {
      const now = clock();
      if ((await counters.count(keyFor(ip, now))) >= perMinute) {
        throw DomainError.rateLimited(FAILURE_WINDOW_SECONDS - (now % FAILURE_WINDOW_SECONDS));
      }
    },
    async recordFailure(ip) {
      await counters.increment(keyFor(ip, clock()), FAILURE_WINDOW_SECONDS + 1);
    },
  };
}
