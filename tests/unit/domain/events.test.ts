import fc from 'fast-check';
import { ConflictError, ValidationError } from '../../../functions/domain/errors';
import { applyEventPatch, newEvent, publicEvent, type CommunityEvent, type EventFields } from '../../../functions/domain/events';

const NOW = new Date('2026-11-26T00:00:00Z');
const fields: EventFields = {
  title: '与邻相约',
  venue: '广场',
  startsAt: '2026-12-20T09:00:00+08:00',
  endsAt: '2026-12-20T12:00:00+08:00',
  capacity: 40,
  maxPartySize: 4,
  volunteerCapacity: 2,
  status: 'published',
};

const withSeats = (event: CommunityEvent, confirmedSeats: number): CommunityEvent => ({ ...event, confirmedSeats });

describe('newEvent', () => {
  it('stores instants in UTC and closes registration when the event starts', () => {
    const event = newEvent('c', 'e1', fields, NOW);
    expect(event.startsAt).toBe('2026-12-20T01:00:00.000Z');
    expect(event.registrationClosesAt).toBe(event.startsAt);
    expect(event).toMatchObject({ confirmedSeats: 0, waitlistLength: 0, volunteersStaffed: 0, version: 1 });
  });

  it('refuses registration that opens after it closes', () => {
    expect(() =>
      newEvent('c', 'e1', { ...fields, registrationOpensAt: '2026-12-20T08:00:00+08:00', registrationClosesAt: '2026-12-19T08:00:00+08:00' }, NOW),
    ).toThrow(ValidationError);
  });

  it('refuses to create an event that is already cancelled', () => {
    expect(() => newEvent('c', 'e1', { ...fields, status: 'cancelled' }, NOW)).toThrow(ValidationError);
  });
});

describe('applyEventPatch', () => {
  const base = newEvent('c', 'e1', fields, NOW);

  it('refuses capacity under the confirmed seats', () => {
    expect(() => applyEventPatch(withSeats(base, 30), { capacity: 29 }, NOW)).toThrow(
      expect.objectContaining({ code: 'capacity_below_confirmed' }),
    );
  });

  it('refuses any change to a cancelled event', () => {
    const cancelled = applyEventPatch(base, { status: 'cancelled' }, NOW);
    expect(() => applyEventPatch(cancelled, { title: 'x' }, NOW)).toThrow(expect.objectContaining({ code: 'event_cancelled' }));
  });

  it('will not send an event with registrations back to draft', () => {
    expect(() => applyEventPatch(withSeats(base, 1), { status: 'draft' }, NOW)).toThrow(ConflictError);
    expect(applyEventPatch(base, { status: 'draft' }, NOW).status).toBe('draft');
  });

  it('refuses fewer volunteer places than volunteers on shift', () => {
    expect(() => applyEventPatch({ ...base, volunteersStaffed: 2 }, { volunteerCapacity: 1 }, NOW)).toThrow(ConflictError);
  });

  it('never leaves capacity under the confirmed seats, whatever the patch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 200 }), (seats, capacity) => {
        const event = withSeats({ ...base, capacity: 200 }, seats);
        try {
          const next = applyEventPatch(event, { capacity }, NOW);
          return next.capacity >= next.confirmedSeats && next.version === event.version + 1;
        } catch (error) {
          return capacity < seats && (error as ConflictError).code === 'capacity_below_confirmed';
        }
      }),
    );
  });
});

describe('publicEvent', () => {
  it('shows instants with the community offset and never negative seats', () => {
    const shown = publicEvent(withSeats(newEvent('c', 'e1', fields, NOW), 45), 'Asia/Shanghai');
    expect(shown.startsAt).toBe('2026-12-20T09:00:00+08:00');
    expect(shown.seatsLeft).toBe(0);
    expect(shown).not.toHaveProperty('confirmedSeats');
  });
});
