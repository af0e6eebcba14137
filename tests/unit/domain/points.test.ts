import fc from 'fast-check';
import { ConflictError } from '../../../functions/domain/errors';
import { checkRedemptionTransition, pickupCode, pointsFor, rateAt, withRate, type EarningRate, type Redemption } from '../../../functions/domain/points';

const minutes = fc.integer({ min: 0, max: 720 });
const rate = fc.integer({ min: 0, max: 1000 });

describe('pointsFor (minutes / 60 × pointsPerHour, rounded down)', () => {
  it('earns exactly the rate for each whole hour', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 12 }), rate, (hours, perHour) => pointsFor(hours * 60, perHour) === hours * perHour));
  });

  it('rounds down, by less than one point', () => {
    fc.assert(
      fc.property(minutes, rate, (worked, perHour) => {
        const points = pointsFor(worked, perHour);
        const exact = (worked * perHour) / 60;
        return Number.isInteger(points) && points <= exact && exact - points < 1;
      }),
    );
    expect(pointsFor(90, 10)).toBe(15);
    expect(pointsFor(59, 10)).toBe(9);
    expect(pointsFor(5, 10)).toBe(0);
  });

  it('never earns less for more minutes or a higher rate', () => {
    fc.assert(
      fc.property(minutes, minutes, rate, rate, (a, b, r, s) => {
        return pointsFor(Math.min(a, b), Math.min(r, s)) <= pointsFor(Math.max(a, b), Math.max(r, s));
      }),
    );
  });

  it('never earns more for a stretch split in two than for the whole of it', () => {
    fc.assert(fc.property(minutes, minutes, rate, (a, b, perHour) => pointsFor(a, perHour) + pointsFor(b, perHour) <= pointsFor(a + b, perHour)));
  });
});

describe('withRate and rateAt: the earning standard over time', () => {
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  /** Settings saved one after another: [minutes after the previous save, the rate saved]. */
  const saves = fc.array(fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100 })), { minLength: 1, maxLength: 12 });

  it('prices work at the rate in force when it was worked, whatever was saved later', () => {
    fc.assert(
      fc.property(saves, fc.integer({ min: -1000, max: 1_500_000 }), (saved, probeMinutes) => {
        let history: EarningRate[] = [];
        let at = start;
        const timeline: { at: number; rate: number }[] = [];
        for (const [after, perHour] of saved) {
          at += after * 60_000;
          history = withRate(history, perHour, new Date(at));
          timeline.push({ at, rate: perHour });
        }
        const probe = start + probeMinutes * 60_000;
        // The last save at or before the probe; before the first save, the first rate.
        const inForce = [...timeline].reverse().find((entry) => entry.at <= probe)?.rate ?? timeline[0]!.rate;
        expect(rateAt(history, new Date(probe).toISOString())).toBe(inForce);
      }),
    );
  });

  it('adds a version only when the rate changes, and leaves the history it was given alone', () => {
    fc.assert(
      fc.property(saves, (saved) => {
        let history: EarningRate[] = [];
        let at = start;
        for (const [after, perHour] of saved) {
          at += after * 60_000;
          const before = structuredClone(history);
          const next = withRate(history, perHour, new Date(at));
          expect(history).toEqual(before);
          expect(next).toEqual(history.at(-1)?.pointsPerHour === perHour ? history : [...history, { pointsPerHour: perHour, effectiveFrom: new Date(at).toISOString() }]);
          history = next;
        }
        // No two versions in a row with the same rate.
        expect(history.every((version, i) => i === 0 || version.pointsPerHour !== history[i - 1]!.pointsPerHour)).toBe(true);
      }),
    );
  });

  it('is 0 with no standard recorded', () => {
    expect(rateAt([], '2026-12-01T00:00:00.000Z')).toBe(0);
  });

  it('takes a change from the instant it was saved, not before', () => {
    const history = withRate(withRate([], 10, new Date('2026-01-01T00:00:00.000Z')), 20, new Date('2026-12-01T12:00:00.000Z'));
    expect(rateAt(history, '2026-12-01T11:59:59.999Z')).toBe(10);
    expect(rateAt(history, '2026-12-01T12:00:00.000Z')).toBe(20);
    expect(pointsFor(120, rateAt(history, '2026-11-30T09:00:00.000Z'))).toBe(20);
    expect(pointsFor(120, rateAt(history, '2026-12-02T09:00:00.000Z'))).toBe(40);
  });
});

describe('pickupCode', () => {
  const bytes = fc.uint8Array({ minLength: 6, maxLength: 6 });

  it('is six characters a counter cannot mishear: no 0/O, no 1/I', () => {
    fc.assert(fc.property(bytes, (random) => /^[A-HJ-NP-Z2-9]{6}$/.test(pickupCode(() => random))));
  });

  it('uses all 32 characters evenly, so no code is likelier than another', () => {
    const all = Array.from({ length: 256 }, (_, byte) => pickupCode(() => new Uint8Array(6).fill(byte))[0]!);
    const counts = new Map<string, number>();
    for (const char of all) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(32);
    expect([...counts.values()].every((count) => count === 8)).toBe(true);
  });

  it('asks for six random bytes and turns each into one character', () => {
    const asked: number[] = [];
    const code = pickupCode((n) => {
      asked.push(n);
      return Uint8Array.from([0, 1, 31, 32, 255, 8]);
    });
    expect(asked).toEqual([6]);
    expect(code).toBe('AB9A9J');
  });
});

describe('checkRedemptionTransition', () => {
  const redemption = (status: Redemption['status']): Redemption => ({
    id: 'r',
    communityId: 'c',
    volunteerId: 'v',
    volunteerName: '陈',
    itemId: 'i',
    itemName: '大米',
    quantity: 1,
    points: 10,
    status,
    pickupCode: 'ABCDEF',
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  });

  it.each([
    ['reserved', 'collected', 'allowed'],
    ['reserved', 'cancelled', 'allowed'],
    ['collected', 'collected', 'allowed'],
    ['cancelled', 'cancelled', 'allowed'],
    ['collected', 'cancelled', 'invalid_state'],
    ['cancelled', 'collected', 'invalid_state'],
  ] as const)('%s → %s: %s', (from, to, code) => {
    const run = () => checkRedemptionTransition(redemption(from), to);
    if (code === 'allowed') expect(run).not.toThrow();
    else {
      expect(run).toThrow(ConflictError);
      expect(run).toThrow(expect.objectContaining({ code, status: 409 }));
    }
  });
});
