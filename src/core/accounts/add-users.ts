/**
 * Adding users to an account: administrators only, every draft checked before any is written, all
 * written in one transaction or none. A user may sign in with `login` and `password`; one without a
 * password uses API tokens only.
 */
import { requireAdmin } from '../access/authorize.js';
import { hashPassword, passwordProblem } from '../access/passwords.js';
import type { Rights, Role } from '../access/rights.js';
import { DomainError, type ErrorItem, type ItemErrors } from '../errors.js';
import { characterCount, isBlank, issue } from '../fields/issues.js';
import type { UseCaseContext } from '../use-cases.js';
import type { User } from './model.js';

export interface UserDraft {
  /** The client's correlation id for this draft; its index when it sent none. */
  requestId?: string;
  name: string;
  email: string;
  /** What the user signs in with; their email when absent. */
  login?: string;
  password: string | null;
  role: Role;
  rights: Rights;
  /** What the dialect could not read from the request for this user, reported with the draft's own errors. */
  readErrors?: readonly ErrorItem[];
}

const MAX_TEXT_LENGTH = 255;
/** Enough to refuse what cannot be an address; whether it receives mail is not Fieldwork's to know. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function addUsers(context: UseCaseContext, drafts: readonly UserDraft[]): Promise<User[]> {
  const { principal, store, clock } = context;
  requireAdmin(principal, 'add users');
  const hashes = await Promise.all(drafts.map((draft) => (draft.password === null || passwordProblem(draft.password) ? null : hashPassword(draft.password))));
  return store.transaction(async (repos) => {
    await repos.users.lockForChange(principal.accountId);
    const taken = new Set((await repos.users.list(principal.accountId)).map((user) => user.login.toLowerCase()));
    const failures: ItemErrors[] = [];
    drafts.forEach((draft, index) => {
      const errors = [...(draft.readErrors ?? []), ...draftErrors(draft, taken)];
      taken.add(loginOf(draft).toLowerCase());
      if (errors.length > 0) failures.push({ index, requestId: draft.requestId ?? String(index), errors });
    });
    if (failures.length > 0) throw DomainError.invalid(failures);
    const now = clock();
    const users: User[] = [];
    for (const [index, draft] of drafts.entries()) {
      const user = await repos.users.create(principal.accountId, { name: draft.name, email: draft.email, login: loginOf(draft), role: draft.role, rights: draft.rights }, now);
      const hash = hashes[index];
      if (hash) await repos.users.setPasswordHash(principal.accountId, user.id, hash, now);
      users.push(user);
    }
    return users;
  });
}

function loginOf(draft: UserDraft): string {
  return draft.login ?? draft.email;
}

/** Logins compare without case, so `Ann` and `ann` cannot be two people signing in. */
function draftErrors(draft: UserDraft, taken: ReadonlySet<string>): ErrorItem[] {
  const password = draft.password === null ? null : passwordProblem(draft.password);
  const loginPath = draft.login === undefined ? 'email' : 'login';
  return [
    ...textErrors('name', draft.name),
    ...textErrors('email', draft.email),
    ...(isBlank(draft.email) || EMAIL_PATTERN.test(draft.email) ? [] : [issue.invalidValue('email', 'This value is not a valid email address.')]),
    ...(draft.login === undefined ? [] : textErrors('login', draft.login)),
    ...(taken.has(loginOf(draft).toLowerCase()) ? [issue.duplicate(loginPath, 'A user of this account already signs in with this login.')] : []),
    ...(password === null ? [] : [issue.invalidValue('password', `This value is not a valid password: ${password}.`)]),
  ];
}

function textErrors(path: string, text: string): ErrorItem[] {
  if (isBlank(text)) return [issue.notBlank(path)];
  return characterCount(text) > MAX_TEXT_LENGTH ? [issue.tooLong(path, MAX_TEXT_LENGTH)] : [];
}
