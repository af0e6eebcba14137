/**
 * The one error model. Domain and store code throw these; the problem+json middleware turns
 * them into responses. `code` is the stable, machine-readable code from API.md.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'duplicate_registration'
  | 'registration_closed'
  | 'event_cancelled'
  | 'slot_cancelled'
  | 'slot_full'
  | 'already_signed_up'
  | 'not_on_shift'
  | 'check_in_window_closed'
  | 'already_checked_in'
  | 'not_checked_in'
  | 'capacity_below_confirmed'
  | 'insufficient_points'
  | 'out_of_stock'
  | 'invalid_state'
  | 'verification_failed'
  | 'already_taken'
  | 'desk_code_required'
  | 'desk_code_invalid'
  | 'idempotency_in_progress'
  | 'payload_too_large'
  | 'headers_too_large'
  | 'unsupported_media_type'
  | 'idempotency_key_reused'
  | 'rate_limited'
  | 'internal'
  | 'unavailable';

/** Status and title for every code: the single source the error middleware and OpenAPI read. */
export const ERROR_CATALOGUE: Record<ErrorCode, { status: number; title: string }> = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Missing or invalid credential' },
  forbidden: { status: 403, title: 'Not allowed for this credential' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  duplicate_registration: { status: 409, title: 'Already registered' },
  registration_closed: { status: 409, title: 'Registration is closed' },
  event_cancelled: { status: 409, title: 'The event was cancelled' },
  slot_cancelled: { status: 409, title: 'The slot was cancelled' },
  slot_full: { status: 409, title: 'The slot is full' },
  already_signed_up: { status: 409, title: 'Already signed up' },
  not_on_shift: { status: 409, title: 'No shift held on this target' },
  check_in_window_closed: { status: 409, title: 'Check-in window is closed' },
  already_checked_in: { status: 409, title: 'Already checked in' },
  not_checked_in: { status: 409, title: 'Not checked in' },
  capacity_below_confirmed: { status: 409, title: 'Capacity below confirmed seats' },
  insufficient_points: { status: 409, title: 'Not enough points' },
  out_of_stock: { status: 409, title: 'Out of stock' },
  invalid_state: { status: 409, title: 'Not allowed in the current state' },
  verification_failed: { status: 409, title: 'Wrong or expired verification code' },
  already_taken: { status: 409, title: 'Someone else took it first' },
  desk_code_required: { status: 409, title: 'Check-in here needs the code on the community room’s screen' },
  desk_code_invalid: { status: 409, title: 'Wrong or expired desk code' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused with a different request' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service temporarily unavailable' },
};

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  detail?: string;
  errors?: FieldError[];
  /** Seconds, sent as `Retry-After` (429, 503, 409 in progress). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** Base class of every error that has a place in the API's error table. */
export class AppError extends Error {
  public readonly code: ErrorCode;
  public readonly status: number;
  public readonly detail?: string;
  public readonly errors?: FieldError[];
  public readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.detail ?? ERROR_CATALOGUE[code].title, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.detail = options.detail;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail = 'The request does not match its schema') {
    super('validation_failed', { errors, detail });
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends AppError {
  constructor(detail = 'No such object in this community') {
    super('not_found', { detail });
    this.name = 'NotFoundError';
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'Missing, malformed, expired or forged credential') {
    super('unauthorized', { detail });
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'This credential is not for this community') {
    super('forbidden', { detail });
    this.name = 'ForbiddenError';
  }
}

/** A conflict with the object's current state (409 family). */
export class ConflictError extends AppError {
  constructor(code: ErrorCode, detail?: string) {
    super(code, { detail });
    this.name = 'ConflictError';
  }
}

/** The database throttled or could not be reached after the SDK's bounded retries. */
export class UnavailableError extends AppError {
  constructor(cause?: unknown, retryAfterSeconds = 2) {
    super('unavailable', { detail: 'Please retry shortly', retryAfterSeconds, cause });
    this.name = 'UnavailableError';
  }
}
