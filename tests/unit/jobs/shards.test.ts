import fc from 'fast-check';
import { inShard } from '../../../functions/services/drain';

/** A fan-out's copies split the communities between them: each community is exactly one copy's. */
it('gives every community to exactly one copy, whatever the number of copies', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z0-9-]{2,40}$/), fc.integer({ min: 1, max: 8 }), (communityId, of) => {
      const owners = Array.from({ length: of }, (_, index) => index).filter((index) => inShard(communityId, { index, of }));
      expect(owners).toHaveLength(1);
      expect(inShard(communityId, undefined)).toBe(true);
    }),
  );
});

it('spreads communities evenly enough that no copy does much more than its share', () => {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i += 1) counts[counts.findIndex((_, index) => inShard(`community-${i}`, { index, of: 4 }))]! += 1;
  for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(100);
});
