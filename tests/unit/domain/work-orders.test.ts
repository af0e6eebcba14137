import { median, workOrderSummary, type WorkOrder } from '../../../functions/domain/work-orders';

const order = (overrides: Partial<WorkOrder>): WorkOrder => ({
  id: 'w',
  communityId: 'c',
  status: 'new',
  category: 'other',
  description: '…',
  reportedBy: 'resident',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...overrides,
});

describe('median', () => {
  it('is the middle value, the mean of the middle two for an even count, and nothing for none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

describe('workOrderSummary', () => {
  it('counts every state and category (zeros included) and times resolutions per team from the report', () => {
    const summary = workOrderSummary([
      order({ status: 'closed', team: 'patrol', resolvedAt: '2026-12-01T03:00:00.000Z', category: 'security_patrol' }),
      order({ status: 'resolved', team: 'patrol', resolvedAt: '2026-12-01T01:30:00.000Z', category: 'security_patrol' }),
      order({ status: 'rejected', team: 'patrol' }),
      order({ status: 'dispatched', team: 'cleaning' }),
    ]);
    expect(summary.total).toBe(4);
    expect(summary.byStatus).toEqual({ new: 0, dispatched: 1, accepted: 0, resolved: 1, closed: 1, rejected: 1 });
    expect(summary.byCategory).toMatchObject({ security_patrol: 2, other: 2, appliance_repair: 0 });
    // A rejected or unresolved order resolves nothing; a team with nothing resolved is left out.
    expect(summary.teams).toEqual([{ team: 'patrol', resolved: 2, medianHoursToResolve: 2.3 }]);
  });
});
