import { DateTime, IANAZone } from 'luxon';

/** The canonical stored form of an instant: UTC, millisecond precision, so strings sort as instants. */
export function toUtcIso(instant: string | Date): string {
  return (instant instanceof Date ? instant : new Date(instant)).toISOString();
}

/** An instant as RFC 3339 with the community's offset (`2026-12-01T19:30:00+08:00`). */
export function inZone(utcIso: string, timezone: string): string {
  return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(timezone).toISO({ suppressMilliseconds: true }) ?? utcIso;
}

export function isValidTimeZone(timezone: string): boolean {
  return IANAZone.isValidZone(timezone);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A `from` / `to` query value as a UTC instant. API.md: a date is read in the community's time
 * zone, `from` at the start of that day and `to` at its end (inclusive); an instant is taken as is.
 */
export function boundaryToUtc(value: string, timezone: string, edge: 'start' | 'end'): string {
  if (DATE_ONLY.test(value)) {
    const day = DateTime.fromISO(value, { zone: timezone });
    return (edge === 'start' ? day.startOf('day') : day.endOf('day')).toUTC().toISO()!;
  }
  return toUtcIso(value);
}

/** A calendar month (`YYYY-MM`) in the community's zone, as UTC instants: its first moment and the next month's. */
export function monthRange(month: string, timezone: string): { from: string; to: string } {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: timezone }).startOf('month');
  return { from: start.toUTC().toISO()!, to: start.plus({ months: 1 }).toUTC().toISO()! };
}
