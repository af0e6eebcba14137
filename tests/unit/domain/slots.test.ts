import fc from 'fast-check';
import { ConflictError, ValidationError } from '../../../functions/domain/errors';
import { applySlotPatch, MAX_SERIES_DAYS, planSeries, publicSlot, slotIdFor, type SeriesSpec, type Slot } from '../../../functions/domain/slots';
import { addDays, wallClock, ZONES } from '../../support/zoned';

const NOW = new Date('2026-11-26T08:00:00.000Z');
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

const spec = (overrides: Partial<SeriesSpec> = {}): SeriesSpec => ({
  from: '2026-12-01',
  to: '2026-12-07',
  startTime: '19:30',
  durationMinutes: 60,
  daysOfWeek: EVERY_DAY,
  venue: '幸福邻里',
  volunteerCapacity: 2,
  requestCapacity: 6,
  ...overrides,
});

/** ISO weekday (Monday = 1) of a calendar date, wherever it is. */
const weekdayOf = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

const rejection = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

describe('planSeries', () => {
  // Times of day that exist every day in every zone of ZONES (their clocks change between 00:00 and 04:00).
  const startTime = fc
    .tuple(fc.integer({ min: 4, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const series = fc.record({
    from: fc.integer({ min: 0, max: 3 * 366 }).map((days) => addDays('2026-01-01', days)),
    span: fc.integer({ min: 0, max: MAX_SERIES_DAYS }),
    startTime,
    durationMinutes: fc.integer({ min: 15, max: 240 }),
    daysOfWeek: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    zone: fc.constantFrom(...ZONES),
  });

  it('makes one slot per chosen weekday in the range, at the same local time in the zone, across any daylight saving change', () => {
    fc.assert(
      fc.property(series, ({ from, span, startTime, durationMinutes, daysOfWeek, zone }) => {
        const to = addDays(from, span);
        const slots = planSeries('c', spec({ from, to, startTime, durationMinutes, daysOfWeek }), zone, NOW);
        const dates = Array.from({ length: span + 1 }, (_, i) => addDays(from, i)).filter((date) => daysOfWeek.includes(weekdayOf(date)));
        expect(slots.map((slot) => wallClock(slot.startsAt, zone))).toEqual(dates.map((date) => ({ date, time: startTime, weekday: weekdayOf(date) })));
        expect(slots.map((slot) => slot.id)).toEqual(dates.map((date) => `${date.replaceAll('-', '')}-${startTime.replace(':', '')}`));
        for (const slot of slots) {
          expect(Date.parse(slot.endsAt) - Date.parse(slot.startsAt)).toBe(durationMinutes * 60_000);
          // Stored in canonical UTC, so that the strings sort as the instants do.
          expect(slot.startsAt).toBe(new Date(slot.startsAt).toISOString());
          expect(slot.endsAt).toBe(new Date(slot.endsAt).toISOString());
        }
      }),
    );
  });

  it('opens every slot empty, with the capacities and venue asked for', () => {
    const slots = planSeries('xingfu', spec({ daysOfWeek: [1, 3, 5] }), 'Asia/Shanghai', NOW);
    expect(slots).toHaveLength(3); // 1 December 2026 is a Tuesday: Wednesday 2nd, Friday 4th, Monday 7th
    for (const slot of slots) {
      expect(slot).toMatchObject({
        communityId: 'xingfu',
        venue: '幸福邻里',
        requestCapacity: 6,
        volunteerCapacity: 2,
        requestsBooked: 0,
        volunteersStaffed: 0,
        status: 'open',
        version: 1,
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
      });
    }
  });

  it('keeps 19:30 in Berlin on both sides of the spring and autumn changes, so the UTC time moves', () => {
    const spring = planSeries('c', spec({ from: '2027-03-27', to: '2027-03-28' }), 'Europe/Berlin', NOW);
    expect(spring.map((slot) => slot.startsAt)).toEqual(['2027-03-27T18:30:00.000Z', '2027-03-28T17:30:00.000Z']);
    const autumn = planSeries('c', spec({ from: '2026-10-24', to: '2026-10-25' }), 'Europe/Berlin', NOW);
    expect(autumn.map((slot) => slot.startsAt)).toEqual(['2026-10-24T17:30:00.000Z', '2026-10-25T18:30:00.000Z']);
  });

  it('moves a local time that does not exist (02:30 the night the clocks go forward) on by the gap, keeping the duration', () => {
    const [slot] = planSeries('c', spec({ from: '2027-03-28', to: '2027-03-28', startTime: '02:30', durationMinutes: 60 }), 'Europe/Berlin', NOW);
    expect(slot).toMatchObject({ id: '20270328-0230', startsAt: '2027-03-28T01:30:00.000Z', endsAt: '2027-03-28T02:30:00.000Z' });
    expect(wallClock(slot!.startsAt, 'Europe/Berlin').time).toBe('03:30');
  });

  it(`spans at most ${MAX_SERIES_DAYS} days after from, counted in calendar days even across a daylight saving change`, () => {
    const longest = planSeries('c', spec({ from: '2027-01-01', to: addDays('2027-01-01', MAX_SERIES_DAYS) }), 'Europe/Berlin', NOW);
    expect(longest).toHaveLength(MAX_SERIES_DAYS + 1);
    const error = rejection(() => planSeries('c', spec({ from: '2027-01-01', to: addDays('2027-01-01', MAX_SERIES_DAYS + 1) }), 'Europe/Berlin', NOW));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'to' })] });
  });

  it('refuses a series that ends before it starts, and makes nothing for weekdays the range does not contain', () => {
    expect(rejection(() => planSeries('c', spec({ from: '2026-12-07', to: '2026-12-01' }), 'Asia/Shanghai', NOW))).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'to' })],
    });
    // 1 December 2026 is a Tuesday; a one-day series for Mondays is empty.
    expect(planSeries('c', spec({ to: '2026-12-01', daysOfWeek: [1] }), 'Asia/Shanghai', NOW)).toEqual([]);
  });

  it('makes the same ids when the same series is sent again', () => {
    const first = planSeries('c', spec(), 'Asia/Shanghai', NOW);
    const again = planSeries('c', spec(), 'Asia/Shanghai', new Date(NOW.getTime() + 3_600_000));
    expect(again.map((slot) => slot.id)).toEqual(first.map((slot) => slot.id));
    expect(slotIdFor('2026-12-01', '19:30')).toBe('20261201-1930');
  });
});

const slotWith = (overrides: Partial<Slot>): Slot => ({ ...planSeries('c', spec({ to: '2026-12-01' }), 'Asia/Shanghai', NOW)[0]!, ...overrides });

describe('applySlotPatch', () => {
  const counts = fc.record({
    requestCapacity: fc.integer({ min: 0, max: 50 }),
    requestsBooked: fc.integer({ min: 0, max: 50 }),
    volunteerCapacity: fc.integer({ min: 0, max: 20 }),
    volunteersStaffed: fc.integer({ min: 0, max: 20 }),
  }).filter((c) => c.requestsBooked <= c.requestCapacity && c.volunteersStaffed <= c.volunteerCapacity);
  const patch = fc.record(
    { requestCapacity: fc.integer({ min: 0, max: 60 }), volunteerCapacity: fc.integer({ min: 0, max: 25 }), venue: fc.constant('新地点') },
    { requiredKeys: [] },
  );

  it('never lets a capacity go under the places already taken, and otherwise applies the change as a new version', () => {
    fc.assert(
      fc.property(counts, patch, (taken, change) => {
        const slot = slotWith(taken);
        const later = new Date(NOW.getTime() + 60_000);
        const fits =
          (change.requestCapacity ?? slot.requestCapacity) >= slot.requestsBooked &&
          (change.volunteerCapacity ?? slot.volunteerCapacity) >= slot.volunteersStaffed;
        if (!fits) {
          expect(() => applySlotPatch(slot, change, later)).toThrow(expect.objectContaining({ code: 'capacity_below_confirmed' }));
          return;
        }
        const next = applySlotPatch(slot, change, later);
        expect(next).toEqual({
          ...slot,
          venue: change.venue ?? slot.venue,
          requestCapacity: change.requestCapacity ?? slot.requestCapacity,
          volunteerCapacity: change.volunteerCapacity ?? slot.volunteerCapacity,
          version: slot.version + 1,
          updatedAt: later.toISOString(),
        });
      }),
    );
  });

  it('cancels an evening, after which it cannot be changed, not even reopened', () => {
    const cancelled = applySlotPatch(slotWith({ requestsBooked: 2 }), { status: 'cancelled' }, NOW);
    expect(cancelled.status).toBe('cancelled');
    for (const change of [{ status: 'open' as const }, { venue: 'x' }, {}]) {
      const error = rejection(() => applySlotPatch(cancelled, change, NOW));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'slot_cancelled', status: 409 });
    }
  });
});

describe('publicSlot', () => {
  it('shows what is left, never less than nothing, and who booked or staffs it not at all', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(30), fc.nat(10), fc.nat(10), (requestCapacity, requestsBooked, volunteerCapacity, volunteersStaffed) => {
        const view = publicSlot(slotWith({ requestCapacity, requestsBooked, volunteerCapacity, volunteersStaffed }), 'Asia/Shanghai');
        expect(view.requestsLeft).toBe(Math.max(0, requestCapacity - requestsBooked));
        expect(view.volunteersLeft).toBe(Math.max(0, volunteerCapacity - volunteersStaffed));
        expect(Object.keys(view).sort()).toEqual(['endsAt', 'id', 'requestCapacity', 'requestsLeft', 'startsAt', 'status', 'venue', 'volunteerCapacity', 'volunteersLeft']);
      }),
    );
  });

  it("gives the times with the community's offset", () => {
    const view = publicSlot(slotWith({}), 'Asia/Shanghai');
    expect(view.startsAt).toBe('2026-12-01T19:30:00+08:00');
    expect(view.endsAt).toBe('2026-12-01T20:30:00+08:00');
  });
});
