/**
 * Wall-clock readings of an instant in a time zone, worked out with the platform's Intl (ICU)
 * rather than luxon, so the domain's time arithmetic is checked against an independent reading.
 */
export interface WallClock {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:mm`, 00–23 */
  time: string;
  /** ISO weekday, Monday = 1 */
  weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function wallClock(instant: string | number | Date, timeZone: string): WallClock {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: WEEKDAYS.indexOf(parts.weekday!) + 1,
  };
}

/** Zones with and without daylight saving (Santiago's clocks change at midnight), on both sides of UTC, with half- and three-quarter-hour offsets. */
export const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'America/Santiago', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'] as const;

/** A calendar date (`YYYY-MM-DD`) `days` after `date`, by plain calendar arithmetic. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
