import fc from 'fast-check';
import { ValidationError } from '../../../functions/domain/errors';
import {
  EARLY_CHECK_IN_MS,
  MAX_MINUTES,
  approvedMinutesFor,
  checkCheckInWindow,
  flagsOf,
  hoursLogView,
  monthOf,
  wholeMinutes,
  type HoursLog,
} from '../../../functions/domain/hours';
import { pointsFor } from '../../../functions/domain/points';
import { wallClock, ZONES } from '../../support/zoned';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const log = (overrides: Partial<HoursLog> = {}): HoursLog => ({
  id: 'h1',
  communityId: 'c',
  volunteerId: 'v1',
  volunteerName: '陈师傅',
  team: 'patrol',
  targetKind: 'slot',
  targetId: '20261201-1930',
  targetEndsAt: '2026-12-01T12:30:00.000Z',
  status: 'pending',
  checkedInAt: '2026-12-01T11:25:00.000Z',
  checkedOutAt: '2026-12-01T12:31:00.000Z',
  minutes: 66,
  decisions: [],
  createdAt: '2026-12-01T11:25:00.000Z',
  updatedAt: '2026-12-01T12:31:00.000Z',
  ...overrides,
});

describe('checkCheckInWindow', () => {
  const start = Date.parse('2026-12-01T11:30:00.000Z');

  it('opens 30 minutes before the shift starts and closes when it ends, to the millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 15, max: 600 }), fc.integer({ min: -24 * 60 * MINUTE, max: 24 * 60 * MINUTE }), (lengthMinutes, fromStart) => {
        const target = { startsAt: iso(start), endsAt: iso(start + lengthMinutes * MINUTE) };
        const now = start + fromStart;
        const open = now >= start - EARLY_CHECK_IN_MS && now <= start + lengthMinutes * MINUTE;
        if (open) expect(() => checkCheckInWindow(target, new Date(now))).not.toThrow();
        else expect(() => checkCheckInWindow(target, new Date(now))).toThrow(expect.objectContaining({ code: 'check_in_window_closed', status: 409 }));
      }),
    );
  });

  it.each([
    ['31 minutes before', -31 * MINUTE, false],
    ['a millisecond before the window', -30 * MINUTE - 1, false],
    ['30 minutes before', -30 * MINUTE, true],
    ['at the start', 0, true],
    ['at the end', 60 * MINUTE, true],
    ['a millisecond after the end', 60 * MINUTE + 1, false],
  ])('%s of a one-hour shift: open %s', (_label, fromStart, open) => {
    const run = () => checkCheckInWindow({ startsAt: iso(start), endsAt: iso(start + 60 * MINUTE) }, new Date(start + fromStart));
    if (open) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code: 'check_in_window_closed' }));
  });

  it('counts real minutes the night the clocks go forward: 01:30 in Berlin is 30 minutes before a 03:00 shift', () => {
    const target = { startsAt: '2027-03-28T01:00:00.000Z', endsAt: '2027-03-28T02:00:00.000Z' }; // 03:00–04:00 CEST
    expect(wallClock('2027-03-28T00:30:00.000Z', 'Europe/Berlin').time).toBe('01:30');
    expect(() => checkCheckInWindow(target, new Date('2027-03-28T00:30:00.000Z'))).not.toThrow();
    expect(() => checkCheckInWindow(target, new Date('2027-03-28T00:29:59.999Z'))).toThrow(expect.objectContaining({ code: 'check_in_window_closed' }));
  });
});

describe('wholeMinutes', () => {
  it('counts the whole minutes between check-in and check-out, never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: -48 * 60 * MINUTE, max: 48 * 60 * MINUTE }), (from, elapsed) => {
        expect(wholeMinutes(iso(from), iso(from + elapsed))).toBe(elapsed <= 0 ? 0 : Math.floor(elapsed / MINUTE));
      }),
    );
  });

  it('reads offsets, so a shift across the change to summer time is its real length', () => {
    // 01:30 CET to 03:30 CEST: two hours on the wall clock, one hour worked.
    expect(wholeMinutes('2027-03-28T01:30:00+01:00', '2027-03-28T03:30:00+02:00')).toBe(60);
    // 02:30 CEST to 02:30 CET: the same wall-clock time, an hour apart.
    expect(wholeMinutes('2026-10-25T02:30:00+02:00', '2026-10-25T02:30:00+01:00')).toBe(60);
  });
});

describe('monthOf', () => {
  it("is the month on the community's calendar at that instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2030-12-31') }), fc.constantFrom(...ZONES), (at, zone) => {
        expect(monthOf(iso(at), zone)).toBe(wallClock(at, zone).date.slice(0, 7));
      }),
    );
  });

  it('puts 00:05 on 1 March in Shanghai in March, though it is still February in UTC', () => {
    expect(monthOf('2027-02-28T16:05:00.000Z', 'Asia/Shanghai')).toBe('2027-03');
    expect(monthOf('2027-02-28T16:05:00.000Z', 'UTC')).toBe('2027-02');
    expect(monthOf('2026-12-31T16:05:00.000Z', 'Asia/Shanghai')).toBe('2027-01');
  });
});

describe('approvedMinutesFor', () => {
  it('approves the minutes as logged, at most 720, when the organiser does not change them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.boolean(), (logged, restated) => {
        const approved = approvedMinutesFor(log({ minutes: logged }), restated ? logged : undefined, undefined);
        return approved === Math.min(logged, MAX_MINUTES);
      }),
    );
    expect(approvedMinutesFor(log({ minutes: undefined }), undefined, undefined)).toBe(0);
  });

  it('takes changed minutes only with a note saying why', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 720 }), fc.integer({ min: 0, max: 720 }), (logged, changed) => {
        fc.pre(logged !== changed);
        expect(approvedMinutesFor(log({ minutes: logged }), changed, '少算了十分钟')).toBe(changed);
        for (const note of [undefined, '']) {
          let error: unknown;
          try {
            approvedMinutesFor(log({ minutes: logged }), changed, note);
          } catch (thrown) {
            error = thrown;
          }
          expect(error).toBeInstanceOf(ValidationError);
          expect(error).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'note' })] });
        }
      }),
    );
  });

  it('earns the points of the approved minutes: a 66-minute evening at 60 an hour is 66 points, a 12-hour day at 10 is 120', () => {
    expect(pointsFor(approvedMinutesFor(log({ minutes: 66 }), undefined, undefined), 60)).toBe(66);
    expect(pointsFor(approvedMinutesFor(log({ minutes: 13 * 60 }), undefined, undefined), 10)).toBe(120);
  });
});

describe('flagsOf', () => {
  const shift = { targetStartsAt: '2026-12-01T11:30:00.000Z', targetEndsAt: '2026-12-01T12:30:00.000Z' };
  const required = { checkInProof: 'desk_code' as const };
  it('flags a log without proof only where the community asks for the desk code', () => {
    expect(flagsOf(log({ proof: 'none' }), required)).toEqual(['no_proof']);
    expect(flagsOf(log({ proof: 'none' }), { checkInProof: 'none' })).toEqual([]);
    expect(flagsOf(log({ proof: 'desk_code' }), required)).toEqual([]);
    expect(flagsOf(log({ proof: 'organiser' }), required)).toEqual([]);
  });
  it('flags more minutes than the shift lasted, and not the shift’s own length', () => {
    expect(flagsOf(log({ ...shift, minutes: 60 }), required)).toEqual([]);
    expect(flagsOf(log({ ...shift, minutes: 61 }), required)).toEqual(['longer_than_shift']);
  });
  it('flags a second log on one shift', () => {
    expect(flagsOf(log({ secondOnShift: true }), required)).toEqual(['second_log']);
  });
});

describe('hoursLogView', () => {
  it("shows the log in the community's time zone, naming the slot it was for", () => {
    const view = hoursLogView(log(), { timezone: 'Asia/Shanghai', checkInProof: 'none' });
    expect(view).toMatchObject({
      id: 'h1',
      status: 'pending',
      volunteerName: '陈师傅',
      slotId: '20261201-1930',
      checkedInAt: '2026-12-01T19:25:00+08:00',
      checkedOutAt: '2026-12-01T20:31:00+08:00',
      minutes: 66,
      decisions: [],
    });
    expect(view).not.toHaveProperty('eventId');
    expect(view).not.toHaveProperty('approvedMinutes');
    expect(view).not.toHaveProperty('autoClosed');
  });

  it('names the event for an event shift, and an open log has neither check-out nor minutes', () => {
    const view = hoursLogView(log({ targetKind: 'event', targetId: 'e1', status: 'open', checkedOutAt: undefined, minutes: undefined }), { timezone: 'Asia/Shanghai', checkInProof: 'none' });
    expect(view).toMatchObject({ eventId: 'e1', status: 'open' });
    expect(view).not.toHaveProperty('slotId');
    expect(view).not.toHaveProperty('checkedOutAt');
    expect(view).not.toHaveProperty('minutes');
  });

  it('shows an approval with its points and rate, the decisions in the zone, and says when housekeeping closed the log', () => {
    const view = hoursLogView(
      log({
        status: 'approved',
        autoClosed: true,
        approvedMinutes: 60,
        points: 10,
        pointsPerHour: 10,
        decisions: [{ action: 'approved', by: 'organiser-1', at: '2026-12-02T01:00:00.000Z', minutes: 60, note: '按一小时计' }],
      }),
      { timezone: 'Europe/Berlin', checkInProof: 'none' },
    );
    expect(view).toMatchObject({
      autoClosed: true,
      approvedMinutes: 60,
      points: 10,
      pointsPerHour: 10,
      decisions: [{ action: 'approved', by: 'organiser-1', at: '2026-12-02T02:00:00+01:00', minutes: 60, note: '按一小时计' }],
    });
  });
});
