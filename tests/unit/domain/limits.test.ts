import fc from 'fast-check';
import { slidingWindow } from '../../../functions/domain/limits';

const HOUR = 3_600_000;

describe('slidingWindow', () => {
  it('never lets more than the limit through in any hour, whatever the times asked at', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 * HOUR }), { maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (offsets, limit) => {
        const start = Date.UTC(2027, 0, 1);
        let uses: string[] = [];
        const allowed: number[] = [];
        for (const at of [...offsets].sort((a, b) => a - b)) {
          const decision = slidingWindow(uses, new Date(start + at), HOUR, limit);
          if (decision.allowed) {
            uses = decision.uses;
            allowed.push(at);
          } else {
            // Refused only when the limit is really reached, and told how long until it is not.
            expect(allowed.filter((t) => t > at - HOUR)).toHaveLength(limit);
            const frees = allowed.filter((t) => t > at - HOUR)[0]! + HOUR;
            expect(decision.retryAfterSeconds).toBe(Math.max(1, Math.ceil((frees - at) / 1000)));
          }
        }
        for (const t of allowed) expect(allowed.filter((u) => u >= t && u < t + HOUR).length).toBeLessThanOrEqual(limit);
      }),
    );
  });
});
