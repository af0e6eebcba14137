import fc from 'fast-check';
import {
  AppError,
  ConflictError,
  ERROR_CATALOGUE,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
  type ErrorCode,
} from '../../../functions/domain/errors';

const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

describe('the error catalogue', () => {
  it('gives every code a stable snake_case name, an HTTP error status and a title of its own', () => {
    for (const code of CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(CODES.every((code) => ERROR_CATALOGUE[code].status >= 400 && ERROR_CATALOGUE[code].status <= 599)).toBe(true);
    const titles = CODES.map((code) => ERROR_CATALOGUE[code].title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it("puts only the server's own failures in 5xx: the codes a client may retry unchanged", () => {
    expect(CODES.filter((code) => ERROR_CATALOGUE[code].status >= 500).sort()).toEqual(['internal', 'unavailable']);
  });

  it('answers conflicts with the current state with 409', () => {
    for (const code of ['duplicate_registration', 'registration_closed', 'slot_full', 'already_checked_in', 'insufficient_points', 'out_of_stock', 'invalid_state'] as const) {
      expect(ERROR_CATALOGUE[code].status).toBe(409);
    }
  });
});

describe('AppError', () => {
  it("carries the code, the catalogue's status, and the detail as its message (the title without one)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CODES), fc.option(fc.string({ minLength: 1 }), { nil: undefined }), fc.option(fc.nat(3600), { nil: undefined }), (code, detail, retryAfterSeconds) => {
        const error = new AppError(code, { detail, retryAfterSeconds });
        expect(error).toBeInstanceOf(Error);
        expect(error).toMatchObject({ code, status: ERROR_CATALOGUE[code].status, detail, retryAfterSeconds, name: 'AppError' });
        expect(error.message).toBe(detail ?? ERROR_CATALOGUE[code].title);
      }),
    );
  });

  it('keeps the cause, for the logs', () => {
    const cause = new Error('ProvisionedThroughputExceededException');
    expect(new AppError('internal', { cause }).cause).toBe(cause);
  });
});

describe('the error classes', () => {
  it.each([
    ['ValidationError', new ValidationError([{ path: 'phone', message: 'Use E.164' }]), 'validation_failed', 400],
    ['NotFoundError', new NotFoundError(), 'not_found', 404],
    ['UnauthorizedError', new UnauthorizedError(), 'unauthorized', 401],
    ['ForbiddenError', new ForbiddenError(), 'forbidden', 403],
    ['ConflictError', new ConflictError('slot_full', 'This evening is fully booked'), 'slot_full', 409],
    ['UnavailableError', new UnavailableError(), 'unavailable', 503],
  ] as const)('%s is an AppError with code %s and status %s', (name, error, code, status) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ name, code, status });
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('lists the fields that failed validation', () => {
    const errors = [{ path: 'phone', message: 'Use E.164' }, { path: 'partySize', message: 'At most 4' }];
    expect(new ValidationError(errors)).toMatchObject({ errors, detail: 'The request does not match its schema' });
  });

  it('asks a client to retry an unavailable database after two seconds unless told otherwise', () => {
    expect(new UnavailableError().retryAfterSeconds).toBe(2);
    expect(new UnavailableError(undefined, 5).retryAfterSeconds).toBe(5);
  });

  it('takes any code of the catalogue for a conflict, with its status', () => {
    fc.assert(fc.property(fc.constantFrom(...CODES), (code) => new ConflictError(code).status === ERROR_CATALOGUE[code].status));
  });
});
