import ical from 'ical-generator';

export interface CalendarEntry {
  /** Stable across downloads, so calendar apps update an entry instead of adding a second one. */
  readonly uid: string;
  readonly title: string;
  readonly description?: string;
  readonly venue: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly cancelled?: boolean;
}

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';

/**
 * An iCalendar document (ical-generator). Times are written in UTC (`…Z`): every calendar app
 * places them right without a VTIMEZONE block, and the phone shows them in its own zone.
 */
export function toICalendar(name: string, entries: readonly CalendarEntry[]): string {
  // ical-generator escapes the entries' texts but writes the calendar's name (X-WR-CALNAME) as it
  // is: a line break there would start a property of its own. One line, always, escaped as the
  // TEXT value calendar apps read it as (RFC 5545 §3.3.11).
  const calendar = ical({ name: escapeText(oneLine(name)), prodId: { company: 'Linli', product: 'linli', language: 'ZH' } });
  for (const entry of entries) {
    calendar.createEvent({
      id: entry.uid,
      start: new Date(entry.startsAt),
      end: new Date(entry.endsAt),
      summary: entry.cancelled ? `【已取消 Cancelled】${entry.title}` : entry.title,
      description: entry.description,
      location: entry.venue,
    });
  }
  return calendar.toString();
}

/** An RFC 5545 TEXT value: backslash, semicolon and comma escaped (line breaks are gone already, oneLine). */
function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (character) => `\\${character}`);
}

/** Text for a one-line property: every line break and other control character becomes a space. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

export const eventUid = (communityId: string, eventId: string) => `event-${communityId}-${eventId}@linli`;
export const shiftUid = (communityId: string, kind: string, targetId: string, volunteerId: string) =>
  `shift-${communityId}-${kind}-${targetId}-${volunteerId}@linli`;
