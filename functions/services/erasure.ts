import { config } from '../config';
import { deleteExpiredIdempotencyRecords, eraseResidentsOf, finishErasurePlan, listDueErasures, saveErasurePlan } from '../store/erasure';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Plans the erasure of a target's residents' personal data, the retention period after it ends. */
export async function planErasure(communityId: string, targetKind: 'slot' | 'event', targetId: string, endsAt: string): Promise<void> {
  const eraseAt = new Date(Date.parse(endsAt) + config().personalDataRetentionDays * DAY_MS).toISOString();
  await saveErasurePlan({ communityId, targetKind, targetId, eraseAt });
}

/**
 * Housekeeping: erase what is due, and, under the local runtime, drop expired idempotency records
 * (on AWS the table's TTL removes them, so reading them hourly would only cost units).
 */
export async function erasePersonalData(now: Date): Promise<{ targets: number; residents: number; idempotencyRecords: number }> {
  let targets = 0;
  let residents = 0;
  for (const plan of await listDueErasures(now)) {
    residents += await eraseResidentsOf(plan, now);
    await finishErasurePlan(plan, now);
    targets += 1;
  }
  const idempotencyRecords = config().runtime === 'local' ? await deleteExpiredIdempotencyRecords(now) : 0;
  return { targets, residents, idempotencyRecords };
}
