/**
 * Core errors are data. Every dialect renders them into its own envelope in one place,
 * so the engine never decides a status code or a wire shape.
 */
export type ErrorCode =
  | 'NotSupportedChoice'
  | 'InvalidType'
  | 'InvalidValue'
  | 'FieldNotExpected'
  | 'FieldMissing'
  | 'TooFew'
  | 'TooMany'
  | 'TooLong'
  | 'OutOfRange'
  | 'NotBlank'
  | 'Duplicate'
  | 'Immutable'
  | 'RequiredForStage'
  | 'Required'
  | 'NotEditable'
  | 'NotDeletable'
  | 'NotFound'
  | 'Forbidden';

export interface ErrorItem {
  code: ErrorCode;
  /** Dot path relative to the item of the request, e.g. `custom_fields_values.0.values.0.value`. */
  path: string;
  detail: string;
}

/** The errors of one item of a batch, keyed by the item's position and its client-given request id. */
export interface ItemErrors {
  index: number;
  requestId?: string;
  errors: ErrorItem[];
}

export type DomainErrorKind = 'invalid' | 'not_found' | 'forbidden' | 'conflict' | 'limit' | 'rate_limited' | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly items: ItemErrors[] = [],
    /** Seconds until a `rate_limited` or `unavailable` caller may try again; each dialect words it its own way. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(items: ItemErrors[], message = 'Request validation failed'): DomainError {
    return new DomainError('invalid', message, items);
  }

  static notFound(message: string): DomainError {
    return new DomainError('not_found', message);
  }

  static forbidden(message: string): DomainError {
    return new DomainError('forbidden', message);
  }

  static conflict(message: string): DomainError {
    return new DomainError('conflict', message);
  }

  static rateLimited(retryAfterSeconds: number, message = 'Too many requests'): DomainError {
    return new DomainError('rate_limited', message, [], retryAfterSeconds);
  }

  /** The store could not take the write in time (another writer held it); nothing was written. */
  static unavailable(retryAfterSeconds: number, message = 'The store is busy with other writes; nothing was written, try again'): DomainError {
    return new DomainError('unavailable', message, [], retryAfterSeconds);
  }
}

export const DETAILS = {
  NotSupportedChoice: 'The value you selected is not a valid choice.',
  FieldNotExpected: 'This field was not expected.',
  FieldMissing: 'This field is missing.',
  NotBlank: 'This value should not be blank.',
} as const;

export function errorItem(code: ErrorCode, path: string, detail: string): ErrorItem {
  return { code, path, detail };
}

export function joinPath(base: string, ...parts: (string | number)[]): string {
  return [base, ...parts.map(String)].filter((part) => part !== '').join('.');
}
