import * as clock from '../../functions/clock';

/**
 * Moves "now" (functions/clock.ts, which the local runtime started in this process reads too) to
 * the start of the next clock minute, so that a burst counted by the public rate limiter's
 * one-minute windows falls in one fresh window without waiting for it. Returns the function that
 * puts the clock back where the project keeps it (the real time, or the project's `LINLI_NOW`).
 */
export function moveClockToNextMinute(): () => void {
  clock.setClock(new Date((Math.floor(clock.nowMs() / 60_000) + 1) * 60_000));
  return () => clock.setClock((globalThis as { LINLI_NOW?: string }).LINLI_NOW);
}
