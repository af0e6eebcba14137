import fc from 'fast-check';
import { CALENDAR_CONTENT_TYPE, eventUid, shiftUid, toICalendar, type CalendarEntry } from '../../../functions/domain/calendar';

/** The content lines of an iCalendar document, long lines unfolded (RFC 5545 §3.1). */
const linesOf = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
/** The VEVENT blocks, each as its property lines. */
const eventsOf = (ics: string): string[][] => {
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (const line of linesOf(ics)) {
    if (line === 'BEGIN:VEVENT') current = [];
    else if (line === 'END:VEVENT') {
      blocks.push(current!);
      current = undefined;
    } else current?.push(line);
  }
  return blocks;
};
const property = (lines: string[], name: string) => lines.find((line) => line.startsWith(`${name}:`))?.slice(name.length + 1);
/** `20261220T010000Z`, as iCalendar writes an instant in UTC. */
const icsUtc = (instant: string) => new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
/** Undoes RFC 5545 TEXT escaping. */
const unescape = (text: string) => text.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

const entry: CalendarEntry = {
  uid: eventUid('xingfu', '01JDX0AB'),
  title: '与邻相约·多彩邻里节',
  description: '带上水杯',
  venue: '幸福邻里 community room',
  startsAt: '2026-12-20T09:00:00+08:00',
  endsAt: '2026-12-20T12:00:00+08:00',
};

describe('toICalendar', () => {
  it('writes one event with its uid, times in UTC, title, place and description, in a named calendar', () => {
    const ics = toICalendar('幸福邻里 志愿服务', [entry]);
    const lines = linesOf(ics);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(property(lines, 'NAME')).toBe('幸福邻里 志愿服务');
    const [event] = eventsOf(ics);
    expect(property(event!, 'UID')).toBe('event-xingfu-01JDX0AB@linli');
    expect(property(event!, 'DTSTART')).toBe('20261220T010000Z');
    expect(property(event!, 'DTEND')).toBe('20261220T040000Z');
    expect(property(event!, 'SUMMARY')).toBe('与邻相约·多彩邻里节');
    expect(property(event!, 'LOCATION')).toBe('幸福邻里 community room');
    expect(property(event!, 'DESCRIPTION')).toBe('带上水杯');
    expect(CALENDAR_CONTENT_TYPE).toBe('text/calendar; charset=utf-8');
  });

  it('marks a cancelled event in its title, in both languages, and keeps its uid so the phone updates it', () => {
    const [event] = eventsOf(toICalendar('c', [{ ...entry, cancelled: true }]));
    expect(property(event!, 'SUMMARY')).toBe('【已取消 Cancelled】与邻相约·多彩邻里节');
    expect(property(event!, 'UID')).toBe(entry.uid);
  });

  it('writes an empty calendar when there is nothing to show', () => {
    expect(eventsOf(toICalendar('c', []))).toEqual([]);
  });

  it('keeps every entry, in order, whatever its text, and any instant as the same instant in UTC', () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }).filter((s) => s.trim() === s && !/[\r\n]/.test(s));
    const instant = fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2030-12-31') }).map((ms) => ms - (ms % 1000));
    const entries = fc.array(
      fc.record({ uid: fc.stringMatching(/^[a-z0-9-]{1,30}@linli$/), title: text, venue: text, start: instant, minutes: fc.integer({ min: 1, max: 600 }), cancelled: fc.boolean() }),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(entries, (given) => {
        const ics = toICalendar('c', given.map(({ start, minutes, ...rest }) => ({ ...rest, startsAt: new Date(start).toISOString(), endsAt: new Date(start + minutes * 60_000).toISOString() })));
        const events = eventsOf(ics);
        expect(events).toHaveLength(given.length);
        given.forEach((g, i) => {
          expect(property(events[i]!, 'UID')).toBe(g.uid);
          expect(property(events[i]!, 'DTSTART')).toBe(icsUtc(new Date(g.start).toISOString()));
          expect(property(events[i]!, 'DTEND')).toBe(icsUtc(new Date(g.start + g.minutes * 60_000).toISOString()));
          expect(unescape(property(events[i]!, 'SUMMARY')!)).toBe(g.cancelled ? `【已取消 Cancelled】${g.title}` : g.title);
          expect(unescape(property(events[i]!, 'LOCATION')!)).toBe(g.venue);
        });
        // No content line is longer than 75 octets once folded.
        expect(ics.split('\r\n').every((line) => Buffer.byteLength(line, 'utf8') <= 75)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('escapes the characters iCalendar gives a meaning to', () => {
    const [event] = eventsOf(toICalendar('c', [{ ...entry, title: '包饺子, 写春联; 猜灯谜', description: '第一行\n第二行' }]));
    expect(property(event!, 'SUMMARY')).toBe('包饺子\\, 写春联\\; 猜灯谜');
    expect(property(event!, 'DESCRIPTION')).toBe('第一行\\n第二行');
  });
});

describe('eventUid and shiftUid', () => {
  const ulid = fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  const community = fc.stringMatching(/^[a-z][a-z0-9]{1,15}$/);

  it('are the same at every download, so calendar apps update an entry instead of adding a second', () => {
    expect(eventUid('xingfu', 'E1')).toBe(eventUid('xingfu', 'E1'));
    expect(shiftUid('xingfu', 'slot', '20261201-1930', 'V1')).toBe('shift-xingfu-slot-20261201-1930-V1@linli');
  });

  it('differ between events, communities, volunteers and kinds of shift', () => {
    fc.assert(
      fc.property(community, community, ulid, ulid, (c1, c2, a, b) => {
        expect(eventUid(c1, a) === eventUid(c2, b)).toBe(c1 === c2 && a === b);
        expect(shiftUid(c1, 'event', a, b) === shiftUid(c1, 'event', a, a)).toBe(a === b);
        expect(shiftUid(c1, 'slot', a, b)).not.toBe(shiftUid(c1, 'event', a, b));
        expect(shiftUid(c1, 'event', a, b)).not.toBe(eventUid(c1, a));
      }),
    );
  });
});

describe('read by a real iCalendar parser (ical.js)', () => {
  it('escapes the calendar’s name as the TEXT calendar apps read it as: backslash, semicolon and comma come back as typed', async () => {
    const { default: ICAL } = await import('ical.js');
    const name = '幸福邻里; 东区, 南区 \\ 活动';
    const ics = toICalendar(name, [entry]);
    expect(ics).toContain('X-WR-CALNAME:幸福邻里\\; 东区\\, 南区 \\\\ 活动\r\n');
    // ical.js leaves an X- property raw unless told its type; Apple's, Google's and Outlook's calendars read this one as TEXT.
    const design = ICAL.design.icalendar.property as Record<string, { defaultType: string }>;
    design['x-wr-calname'] = { defaultType: 'text' };
    try {
      expect(new ICAL.Component(ICAL.parse(ics)).getFirstPropertyValue('x-wr-calname')).toBe(name);
    } finally {
      delete design['x-wr-calname'];
    }
  });

  it('keeps a community name with line breaks in one property: nothing is injected', async () => {
    const { default: ICAL } = await import('ical.js');
    const ics = toICalendar('幸福邻里\r\nX-INJECTED:1\nBEGIN:VEVENT', [{ ...entry, title: '标题\r\nDTSTART:19700101T000000Z', description: '第一行\n第二行;,\\' }]);
    const calendar = new ICAL.Component(ICAL.parse(ics));
    expect(calendar.getFirstPropertyValue('x-injected')).toBeNull();
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(1);
    expect(String(calendar.getFirstPropertyValue('x-wr-calname'))).toBe('幸福邻里 X-INJECTED:1 BEGIN:VEVENT');
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.summary.replace(/\r/g, '')).toBe('标题\nDTSTART:19700101T000000Z');
    expect(event.description).toBe('第一行\n第二行;,\\');
    expect(event.startDate.toJSDate().toISOString()).toBe(new Date(entry.startsAt).toISOString());
  });
});
