import { planReminders, retryDelayMs } from '../../../functions/domain/reminders';

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
});

describe('retryDelayMs', () => {
  it('backs off 1, 2, 4, 8 minutes and never beyond an hour', () => {
    expect([1, 2, 3, 4, 10].map((attempts) => retryDelayMs(attempts) / 60_000)).toEqual([1, 2, 4, 8, 60]);
  });
});
