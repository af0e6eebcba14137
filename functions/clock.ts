/**
 * The one source of "now" for the services, the jobs, the HTTP layer and the local runtime.
 *
 * On AWS it is the system clock. The local runtime and the tests can move it: `LINLI_NOW` (an
 * RFC 3339 instant) or `setClock()` makes "now" start at that instant and run on at the real rate
 * from there, so a whole suite can be run as if it were New Year's Eve at 23:55 in Shanghai or the
 * morning the clocks change in Berlin. Time keeps flowing (rather than standing still) because the
 * rules care about order: a check-out follows its check-in, an update follows its creation.
 *
 * Nothing decides on `Date.now()` or `new Date()` directly; `tests/unit/clock-usage.test.ts` keeps
 * it that way. Token signatures (JWT `iat`/`exp` in the local authorizer) follow this clock too, so
 * the pages, the API and the tokens all agree on what time it is.
 */
let offsetMs = offsetFor(process.env.LINLI_NOW);

function offsetFor(instant: string | undefined): number {
  if (instant === undefined || instant === '') return 0;
  const at = Date.parse(instant);
  if (Number.isNaN(at)) throw new Error(`LINLI_NOW must be an RFC 3339 instant, got "${instant}"`);
  return at - Date.now();
}

/** Milliseconds since the epoch, as this process sees the time. */
export function nowMs(): number {
  return Date.now() + offsetMs;
}

/** The current instant, as this process sees the time. */
export function now(): Date {
  return new Date(nowMs());
}

/** `now()` as an RFC 3339 string (UTC, milliseconds). */
export function nowIso(): string {
  return now().toISOString();
}

/**
 * Moves "now" to `instant` (an RFC 3339 string or a Date); time runs on from there. `undefined`
 * (or `LINLI_NOW` unset) goes back to the system clock. For the local runtime and tests only.
 */
export function setClock(instant: string | Date | undefined): void {
  offsetMs = instant instanceof Date ? instant.getTime() - Date.now() : offsetFor(instant);
}

/** How far this process's "now" is from the system clock, in milliseconds (0 on AWS). */
export function clockOffsetMs(): number {
  return offsetMs;
}
