import fc from 'fast-check';
import { MAX_DELIVERY_ATTEMPTS, planReminders, retryDelayMs, VOLUNTEER_REMINDER_MINUTES } from '../../../functions/domain/reminders';

describe('planReminders', () => {
  it("plans the organisers' digest at each offset and the volunteers' reminder an hour before", () => {
    const plans = planReminders({ kind: 'slot', id: 's', communityId: 'c', startsAt: '2026-12-01T11:30:00.000Z' }, [1440, 60, 1440]);
    expect(plans.map((plan) => [plan.audience, plan.offsetMinutes, plan.dueAt])).toEqual([
      ['organisers', 1440, '2026-11-30T11:30:00.000Z'],
      ['organisers', 60, '2026-12-01T10:30:00.000Z'],
      ['volunteers', 60, '2026-12-01T10:30:00.000Z'],
    ]);
    expect(plans.every((plan) => plan.status === 'pending' && plan.targetStartsAt === '2026-12-01T11:30:00.000Z')).toBe(true);
  });

  it('plans each offset the organisers chose once, due that many minutes before the start, and the volunteers an hour before', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2030-12-31') }),
        fc.array(fc.integer({ min: 1, max: 20_160 }), { maxLength: 6 }),
        (start, offsets) => {
          const startsAt = new Date(start).toISOString();
          const plans = planReminders({ kind: 'event', id: 'e', communityId: 'c', startsAt }, offsets);
          const organisers = plans.filter((plan) => plan.audience === 'organisers');
          expect(organisers.map((plan) => plan.offsetMinutes)).toEqual([...new Set(offsets)]);
          expect(plans.filter((plan) => plan.audience === 'volunteers').map((plan) => plan.offsetMinutes)).toEqual([VOLUNTEER_REMINDER_MINUTES]);
          for (const plan of plans) expect(Date.parse(startsAt) - Date.parse(plan.dueAt)).toBe(plan.offsetMinutes * 60_000);
        },
      ),
    );
  });
});

describe('retryDelayMs', () => {
  it('backs off 1, 2, 4, 8 minutes and never beyond an hour', () => {
    expect([1, 2, 3, 4, 10].map((attempts) => retryDelayMs(attempts) / 60_000)).toEqual([1, 2, 4, 8, 60]);
  });

  it('waits at least a minute and at most an hour, doubling after each failure until the hour', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (attempts) => {
        const delay = retryDelayMs(attempts);
        const next = retryDelayMs(attempts + 1);
        expect(delay).toBeGreaterThanOrEqual(60_000);
        expect(delay).toBeLessThanOrEqual(3_600_000);
        expect(next === 2 * delay || next === 3_600_000).toBe(true);
        expect(next).toBeGreaterThanOrEqual(delay);
      }),
    );
    expect([0, -1].map(retryDelayMs)).toEqual([60_000, 60_000]);
  });

  it('gives up on a notice within a quarter of an hour of its first failure', () => {
    const waits = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1));
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBe(15 * 60_000);
  });
});
