import { config } from '../config';
import { drain, UNBOUNDED, type JobBudget } from './drain';
import { deleteExpiredIdempotencyRecords, eraseResidentsOf, finishErasurePlan, listDueErasures, saveErasurePlan, type ErasureKind, type ErasurePlan } from '../store/erasure';

const DAY_MS = 24 * 60 * 60 * 1000;

/** When what ended at `endsAt` (an event, a slot, a closed work order or wish) has its residents' data erased. */
export function erasurePlanOf(communityId: string, targetKind: ErasureKind, targetId: string, endsAt: string): ErasurePlan {
  return { communityId, targetKind, targetId, eraseAt: new Date(Date.parse(endsAt) + config().personalDataRetentionDays * DAY_MS).toISOString() };
}

/** Plans the erasure of a target's residents' personal data, the retention period after it ends. */
export async function planErasure(communityId: string, targetKind: 'slot' | 'event', targetId: string, endsAt: string): Promise<void> {
  await saveErasurePlan(erasurePlanOf(communityId, targetKind, targetId, endsAt));
}

/**
 * Housekeeping: erase what is due, and, under the local runtime, drop expired idempotency records
 * (on AWS the table's TTL removes them, so reading them hourly would only cost units).
 */
export async function erasePersonalData(now: Date, budget: JobBudget = UNBOUNDED): Promise<{ targets: number; residents: number; idempotencyRecords: number; complete: boolean }> {
  let targets = 0;
  let residents = 0;
  const { complete } = await drain(
    (startKey) => listDueErasures(now, 50, startKey),
    async (plan) => {
      // Awaited first: `residents += await …` would lose other items' additions (drain runs several at once).
      const erased = await eraseResidentsOf(plan, now);
      residents += erased;
      await finishErasurePlan(plan, now);
      targets += 1;
    },
    budget,
  );
  const idempotencyRecords = config().runtime === 'local' ? await deleteExpiredIdempotencyRecords(now) : 0;
  return { targets, residents, idempotencyRecords, complete };
}
