import fc from 'fast-check';
import { checkRegistrationOpen, freesSeats, phoneHint, placeInOrder, placementFor, promotionsFor, seatsLeft } from '../../../functions/domain/registrations';
import { newEvent } from '../../../functions/domain/events';

const queue = fc.array(fc.record({ id: fc.uuid(), partySize: fc.integer({ min: 1, max: 6 }) }), { maxLength: 20 });

describe('promotionsFor', () => {
  it('never promotes more seats than are free, and keeps queue order', () => {
    fc.assert(
      fc.property(queue, fc.integer({ min: 0, max: 20 }), (waiting, seats) => {
        const promoted = promotionsFor(waiting, seats);
        const used = promoted.reduce((sum, party) => sum + party.partySize, 0);
        const order = promoted.map((party) => waiting.indexOf(party));
        return used <= seats && order.every((index, i) => i === 0 || index > order[i - 1]!);
      }),
    );
  });

  it('skips a party only when it does not fit the seats left at its turn', () => {
    fc.assert(
      fc.property(queue, fc.integer({ min: 0, max: 20 }), (waiting, seats) => {
        const promoted = new Set(promotionsFor(waiting, seats));
        let left = seats;
        for (const party of waiting) {
          if (promoted.has(party)) left -= party.partySize;
          else if (party.partySize <= left) return false;
        }
        return true;
      }),
    );
  });

  it('confirms the first that fits: a 4 waits while a 2 behind it takes two free seats', () => {
    expect(promotionsFor([{ id: 'a', partySize: 4 }, { id: 'b', partySize: 2 }, { id: 'c', partySize: 1 }], 2)).toEqual([{ id: 'b', partySize: 2 }]);
  });
});

describe('placeInOrder (a batch of arrivals)', () => {
  const tally = fc.record({ capacity: fc.integer({ min: 1, max: 60 }), confirmedSeats: fc.nat(60), waitlistLength: fc.nat(10) });
  const parties = fc.array(fc.record({ partySize: fc.integer({ min: 1, max: 6 }) }), { maxLength: 40 });

  it('places each party as placementFor would, one after the other, and counts them all', () => {
    fc.assert(
      fc.property(tally, parties, ({ capacity, confirmedSeats, waitlistLength }, arrivals) => {
        const event = { status: 'published' as const, capacity, confirmedSeats: Math.min(confirmedSeats, capacity), waitlistLength, waitlistPeople: waitlistLength * 2 };
        const { statuses, tally: after } = placeInOrder(event, arrivals);
        let seats = event.confirmedSeats;
        arrivals.forEach((party, i) => {
          expect(statuses[i]).toBe(placementFor({ capacity, confirmedSeats: seats }, party.partySize));
          if (statuses[i] === 'confirmed') seats += party.partySize;
        });
        const waiting = arrivals.filter((_, i) => statuses[i] === 'waitlisted');
        expect(after).toEqual({
          confirmedSeats: seats,
          waitlistLength: event.waitlistLength + waiting.length,
          waitlistPeople: event.waitlistPeople + waiting.reduce((sum, party) => sum + party.partySize, 0),
        });
        // Never past the capacity, and nobody waits while seats they fit in are left at the end.
        expect(after.confirmedSeats).toBeLessThanOrEqual(capacity);
        expect(waiting.every((party) => party.partySize > capacity - after.confirmedSeats)).toBe(true);
      }),
    );
  });

  it('gives the seats in arrival order: of parties of one, the first to arrive are confirmed', () => {
    const { statuses } = placeInOrder({ status: 'published', capacity: 3, confirmedSeats: 1, waitlistLength: 0, waitlistPeople: 0 }, Array(5).fill({ partySize: 1 }));
    expect(statuses).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted', 'waitlisted']);
  });

  it('places everyone as cancelled, and counts nobody, once the event is cancelled', () => {
    const event = { status: 'cancelled' as const, capacity: 10, confirmedSeats: 0, waitlistLength: 0, waitlistPeople: 0 };
    expect(placeInOrder(event, [{ partySize: 1 }, { partySize: 2 }])).toEqual({ statuses: ['cancelled', 'cancelled'], tally: { confirmedSeats: 0, waitlistLength: 0, waitlistPeople: 0 } });
  });
});

describe('placementFor', () => {
  it('confirms a party that fits even while others wait', () => {
    expect(placementFor({ capacity: 10, confirmedSeats: 8 }, 2)).toBe('confirmed');
    expect(placementFor({ capacity: 10, confirmedSeats: 9 }, 2)).toBe('waitlisted');
  });

  it('confirms exactly the parties that fit in the seats left, so confirmed seats never pass capacity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(250), fc.integer({ min: 1, max: 20 }), (capacity, confirmedSeats, partySize) => {
        const placed = placementFor({ capacity, confirmedSeats }, partySize);
        expect(seatsLeft({ capacity, confirmedSeats })).toBe(Math.max(0, capacity - confirmedSeats));
        expect(placed === 'confirmed').toBe(confirmedSeats + partySize <= capacity);
      }),
    );
  });

  it('fills an event party by party and then waitlists, and cancellations of confirmed places free seats for the waitlist', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 30 }), fc.nat(29), (capacity, parties, cancelIndex) => {
        let confirmedSeats = 0;
        const queue: { id: string; partySize: number }[] = [];
        const confirmed: { id: string; partySize: number }[] = [];
        parties.forEach((partySize, i) => {
          const party = { id: `p${i}`, partySize };
          if (placementFor({ capacity, confirmedSeats }, partySize) === 'confirmed') {
            confirmedSeats += partySize;
            confirmed.push(party);
          } else queue.push(party);
        });
        expect(confirmedSeats).toBeLessThanOrEqual(capacity);
        const cancelled = confirmed[cancelIndex % Math.max(1, confirmed.length)];
        if (!cancelled || !freesSeats('confirmed')) return;
        confirmedSeats -= cancelled.partySize;
        const promoted = promotionsFor(queue, seatsLeft({ capacity, confirmedSeats }));
        confirmedSeats += promoted.reduce((sum, party) => sum + party.partySize, 0);
        expect(confirmedSeats).toBeLessThanOrEqual(capacity);
        // Whoever still waits does not fit in what is left.
        const stillWaiting = queue.filter((party) => !promoted.includes(party));
        expect(stillWaiting.every((party) => party.partySize > capacity - confirmedSeats)).toBe(true);
      }),
    );
    expect([freesSeats('confirmed'), freesSeats('waitlisted'), freesSeats('cancelled')]).toEqual([true, false, false]);
  });
});

describe('checkRegistrationOpen', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const event = newEvent('c', 'e', {
    title: 't', venue: 'v', startsAt: '2026-12-20T09:00:00+08:00', endsAt: '2026-12-20T12:00:00+08:00',
    capacity: 10, maxPartySize: 4, volunteerCapacity: 0, status: 'published',
    registrationOpensAt: '2026-11-30T00:00:00Z',
  }, now);

  it.each([
    ['a draft', { ...event, status: 'draft' as const }, now, 'not_found'],
    ['a cancelled event', { ...event, status: 'cancelled' as const }, now, 'event_cancelled'],
    ['before the window opens', event, new Date('2026-11-29T00:00:00Z'), 'registration_closed'],
    ['after it closes', event, new Date('2026-12-20T02:00:00Z'), 'registration_closed'],
  ])('refuses %s', (_label, given, at, code) => {
    expect(() => checkRegistrationOpen(given, 1, at)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a party larger than the event allows, as a field error', () => {
    expect(() => checkRegistrationOpen(event, 5, now)).toThrow(expect.objectContaining({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'partySize' })] }));
  });
});

it('shows only the last four digits of a phone', () => {
  expect(phoneHint('+8613800138000')).toBe('••••8000');
});
