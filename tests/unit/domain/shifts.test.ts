import fc from 'fast-check';
import { ConflictError, NotFoundError } from '../../../functions/domain/errors';
import { newEvent, type CommunityEvent } from '../../../functions/domain/events';
import {
  HELP_DESK_TITLE,
  checkCanGiveBack,
  checkCanTakeShift,
  eventTarget,
  isLateGiveBack,
  slotTarget,
  type ShiftTarget,
} from '../../../functions/domain/shifts';
import { planSeries, type Slot } from '../../../functions/domain/slots';

const HOUR = 3_600_000;
const NOW = new Date('2026-11-26T08:00:00.000Z');

const slot = (overrides: Partial<Slot> = {}): Slot => ({
  ...planSeries(
    'c',
    { from: '2026-12-01', to: '2026-12-01', startTime: '19:30', durationMinutes: 60, daysOfWeek: [2], venue: '幸福邻里', volunteerCapacity: 2, requestCapacity: 6 },
    'Asia/Shanghai',
    NOW,
  )[0]!,
  ...overrides,
});

const event = (overrides: Partial<CommunityEvent> = {}): CommunityEvent => ({
  ...newEvent(
    'c',
    'e1',
    {
      title: '与邻相约·多彩邻里节',
      venue: '广场',
      startsAt: '2026-12-20T09:00:00+08:00',
      endsAt: '2026-12-20T12:00:00+08:00',
      capacity: 40,
      maxPartySize: 4,
      volunteerCapacity: 3,
      status: 'published',
    },
    NOW,
  ),
  ...overrides,
});

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('slotTarget and eventTarget', () => {
  it('staff an evening of the help desk under its own title, with its times, place and places', () => {
    expect(slotTarget(slot({ volunteersStaffed: 1 }))).toEqual({
      kind: 'slot',
      id: '20261201-1930',
      communityId: 'c',
      title: HELP_DESK_TITLE,
      venue: '幸福邻里',
      startsAt: '2026-12-01T11:30:00.000Z',
      endsAt: '2026-12-01T12:30:00.000Z',
      volunteerCapacity: 2,
      volunteersStaffed: 1,
      open: true,
      cancelled: false,
    });
  });

  it.each([
    ['published', true, false],
    ['draft', false, false],
    ['cancelled', false, true],
  ] as const)('an event that is %s is open %s and cancelled %s', (status, open, cancelled) => {
    expect(eventTarget(event({ status }))).toMatchObject({ kind: 'event', id: 'e1', title: '与邻相约·多彩邻里节', open, cancelled });
  });
});

describe('checkCanTakeShift', () => {
  const start = Date.parse('2026-12-01T11:30:00.000Z');
  const target = fc.record({
    kind: fc.constantFrom('slot' as const, 'event' as const),
    state: fc.constantFrom('open', 'hidden', 'cancelled'),
    volunteerCapacity: fc.integer({ min: 0, max: 5 }),
    volunteersStaffed: fc.integer({ min: 0, max: 5 }),
    lengthMinutes: fc.integer({ min: 15, max: 240 }),
  });

  it('lets a volunteer take a place only while the target is open, not over and not full; says which of those it is not', () => {
    fc.assert(
      fc.property(target, fc.integer({ min: -48 * HOUR, max: 48 * HOUR }), (t, fromStart) => {
        const endsAt = start + t.lengthMinutes * 60_000;
        const given: ShiftTarget = {
          kind: t.kind,
          id: 'x',
          communityId: 'c',
          title: 't',
          venue: 'v',
          startsAt: new Date(start).toISOString(),
          endsAt: new Date(endsAt).toISOString(),
          volunteerCapacity: t.volunteerCapacity,
          volunteersStaffed: t.volunteersStaffed,
          open: t.state === 'open',
          cancelled: t.state === 'cancelled',
        };
        const now = start + fromStart;
        const expected =
          t.state === 'hidden'
            ? 'not_found'
            : t.state === 'cancelled'
              ? `${t.kind}_cancelled`
              : now >= endsAt
                ? 'invalid_state'
                : t.volunteersStaffed >= t.volunteerCapacity
                  ? 'slot_full'
                  : undefined;
        expect(codeOf(() => checkCanTakeShift(given, new Date(now)))).toBe(expected);
        if (expected === undefined) expect(checkCanTakeShift(given, new Date(now))).toBe(given);
      }),
    );
  });

  it('finds nothing to take for a draft event or an unknown target', () => {
    expect(() => checkCanTakeShift(eventTarget(event({ status: 'draft' })), NOW)).toThrow(NotFoundError);
    expect(() => checkCanTakeShift(undefined, NOW)).toThrow(NotFoundError);
  });

  it('takes a place on an evening already under way', () => {
    expect(() => checkCanTakeShift(slotTarget(slot()), new Date('2026-12-01T12:00:00.000Z'))).not.toThrow();
    expect(() => checkCanTakeShift(slotTarget(slot()), new Date('2026-12-01T12:30:00.000Z'))).toThrow(ConflictError);
  });
});

describe('isLateGiveBack', () => {
  it('tells the organisers at once when a shift is given back with less than 24 hours to go', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * HOUR, max: 72 * HOUR }), (startsIn) => {
        const startsAt = new Date(NOW.getTime() + startsIn).toISOString();
        return isLateGiveBack({ startsAt }, NOW) === startsIn < 24 * HOUR;
      }),
    );
    expect(isLateGiveBack({ startsAt: new Date(NOW.getTime() + 24 * HOUR).toISOString() }, NOW)).toBe(false);
    expect(isLateGiveBack({ startsAt: new Date(NOW.getTime() + 24 * HOUR - 1).toISOString() }, NOW)).toBe(true);
  });
});

describe('checkCanGiveBack', () => {
  it('lets a shift be given back until it ends, during it too, and not after', () => {
    const target = slotTarget(slot());
    expect(() => checkCanGiveBack(target, new Date('2026-12-01T11:00:00.000Z'))).not.toThrow();
    expect(() => checkCanGiveBack(target, new Date('2026-12-01T12:29:59.999Z'))).not.toThrow();
    expect(codeOf(() => checkCanGiveBack(target, new Date('2026-12-01T12:30:00.000Z')))).toBe('invalid_state');
  });
});
