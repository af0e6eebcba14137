import fc from 'fast-check';
import { ConflictError, NotFoundError } from '../../../functions/domain/errors';
import { checkCanBook, residentRequestView, rosterRequestView, type HelpRequest } from '../../../functions/domain/help-requests';
import { planSeries, type Slot } from '../../../functions/domain/slots';

const NOW = new Date('2026-11-26T08:00:00.000Z');
// 19:30–20:30 in Shanghai on 1 December 2026.
const evening = (overrides: Partial<Slot> = {}): Slot => ({
  ...planSeries(
    'c',
    { from: '2026-12-01', to: '2026-12-01', startTime: '19:30', durationMinutes: 60, daysOfWeek: [2], venue: '幸福邻里', volunteerCapacity: 2, requestCapacity: 6 },
    'Asia/Shanghai',
    NOW,
  )[0]!,
  ...overrides,
});
const START = Date.parse('2026-12-01T11:30:00.000Z');
const END = Date.parse('2026-12-01T12:30:00.000Z');

const request = (overrides: Partial<HelpRequest> = {}): HelpRequest => ({
  id: 'r1',
  communityId: 'c',
  slotId: '20261201-1930',
  name: '刘奶奶',
  phone: '+8613900001234',
  category: 'appliance_repair',
  description: '电饭煲不加热',
  status: 'booked',
  manageTokenHash: 'hash-of-the-manage-token',
  createdAt: '2026-11-30T02:00:00.000Z',
  updatedAt: '2026-11-30T02:00:00.000Z',
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

describe('checkCanBook', () => {
  it('books an evening that is open, not over and not full, during its hour too; else says why not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('open' as const, 'cancelled' as const),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: START - 7 * 86_400_000, max: END + 86_400_000 }),
        (status, requestCapacity, requestsBooked, now) => {
          const slot = evening({ status, requestCapacity, requestsBooked });
          const expected = status === 'cancelled' ? 'slot_cancelled' : now >= END ? 'invalid_state' : requestsBooked >= requestCapacity ? 'slot_full' : undefined;
          expect(codeOf(() => checkCanBook(slot, new Date(now)))).toBe(expected);
        },
      ),
    );
  });

  it('takes a booking a minute before the hour ends, and none at its end', () => {
    expect(checkCanBook(evening(), new Date(END - 60_000))).toMatchObject({ id: '20261201-1930' });
    expect(() => checkCanBook(evening(), new Date(END))).toThrow(ConflictError);
  });

  it('finds no evening that does not exist', () => {
    expect(() => checkCanBook(undefined, NOW)).toThrow(NotFoundError);
  });
});

describe('residentRequestView', () => {
  it('shows the resident their booking in the community time zone, with only the last four digits of the phone', () => {
    const view = residentRequestView(request(), 'Asia/Shanghai');
    expect(view).toEqual({
      id: 'r1',
      slotId: '20261201-1930',
      status: 'booked',
      category: 'appliance_repair',
      description: '电饭煲不加热',
      name: '刘奶奶',
      phoneHint: '••••1234',
      building: null,
      createdAt: '2026-11-30T10:00:00+08:00',
    });
  });

  it('never carries the phone number or the manage token hash', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+861[3-9]\d{9}$/), fc.boolean(), (phone, cancelled) => {
        const view = residentRequestView(
          request({ phone, ...(cancelled ? { status: 'cancelled' as const, cancelledAt: '2026-11-30T03:00:00.000Z' } : {}) }),
          'Asia/Shanghai',
        );
        const text = JSON.stringify(view);
        return !text.includes(phone.slice(1, -4)) && !text.includes('hash-of-the-manage-token') && view.phoneHint === `••••${phone.slice(-4)}`;
      }),
    );
  });

  it('says when a cancelled booking was cancelled, and the building when one was given', () => {
    const view = residentRequestView(request({ status: 'cancelled', cancelledAt: '2026-11-30T03:00:00.000Z', building: '3号楼' }), 'Europe/Berlin');
    expect(view).toMatchObject({ status: 'cancelled', cancelledAt: '2026-11-30T04:00:00+01:00', building: '3号楼' });
  });
});

describe('rosterRequestView', () => {
  it("gives the organisers the resident's phone in full, and nothing of the token", () => {
    const view = rosterRequestView(request({ building: '3号楼' }), 'Asia/Shanghai');
    expect(view).toEqual({
      id: 'r1',
      status: 'booked',
      category: 'appliance_repair',
      description: '电饭煲不加热',
      name: '刘奶奶',
      phone: '+8613900001234',
      building: '3号楼',
      createdAt: '2026-11-30T10:00:00+08:00',
    });
  });
});
