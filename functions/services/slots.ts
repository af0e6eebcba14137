import type { Community } from '../domain/communities';
import { NotFoundError } from '../domain/errors';
import { applySlotPatch, planSeries, type SeriesSpec, type Slot, type SlotPatch } from '../domain/slots';
import { boundaryToUtc } from '../domain/time';
import { listHelpRequests } from '../store/help-requests';
import { listShiftsOfTarget } from '../store/shifts';
import { getVolunteer } from '../store/volunteers';
import { getSlot, insertSlotIfAbsent, listOpenSlots, replaceSlot, StaleSlotError } from '../store/slots';
import { requireCommunity } from './communities';
import { recordSlotCancelled } from './notices';
import { patchChangesNothing } from '../domain/model';
import { planSlotReminders } from './reminder-plans';
import { planErasure } from './erasure';
import * as clock from '../clock';
import { retryOptimistic, staleOn } from './retry';

/** Slots written at once when a series is created. */
const PARALLEL_WRITES = 8;

/**
 * Creates the slots of a series. Slot ids are derived from the local date and time, so sending the
 * same series again reports every slot as existing and writes nothing.
 */
export async function createSlotSeries(communityId: string, spec: SeriesSpec) {
  const community = await requireCommunity(communityId, { fresh: true });
  const planned = planSeries(communityId, spec, community.timezone, clock.now());
  const outcomes: { slot: Slot; outcome: 'created' | 'existing' }[] = [];
  const queue = [...planned];
  const worker = async () => {
    for (let slot = queue.shift(); slot; slot = queue.shift()) {
      const outcome = await insertSlotIfAbsent(slot);
      if (outcome === 'created') {
        await planSlotReminders(community, slot);
        await planErasure(communityId, 'slot', slot.id, slot.endsAt);
      }
      outcomes.push({ slot: outcome === 'created' ? slot : ((await getSlot(communityId, slot.id)) ?? slot), outcome });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, planned.length) }, worker));
  outcomes.sort((a, b) => a.slot.startsAt.localeCompare(b.slot.startsAt));
  return {
    community,
    created: outcomes.filter((entry) => entry.outcome === 'created').length,
    existing: outcomes.filter((entry) => entry.outcome === 'existing').length,
    slots: outcomes.map((entry) => entry.slot),
  };
}

export async function requireSlot(communityId: string, slotId: string): Promise<Slot> {
  const slot = await getSlot(communityId, slotId);
  if (!slot) throw new NotFoundError('No such slot');
  return slot;
}

/** Changes a slot under optimistic locking; cancelling it records notices for everyone affected. */
export async function updateSlot(communityId: string, slotId: string, patch: SlotPatch): Promise<{ slot: Slot; community: Community }> {
  const community = await requireCommunity(communityId, { fresh: true });
  return retryOptimistic(async () => {
    const current = await requireSlot(communityId, slotId);
    if (current.status === 'cancelled' && patch.status === 'cancelled' && patchChangesNothing(current, patch)) {
      // The cancellation sent again (its first answer was lost, perhaps after the slot was written
      // and before its notices were): the notices are recorded again, each once.
      await recordSlotCancelled(community, current);
      return { slot: current, community };
    }
    const next = applySlotPatch(current, patch, clock.now());
    await replaceSlot(current, next);
    await planSlotReminders(community, next);
    if (current.status !== 'cancelled' && next.status === 'cancelled') await recordSlotCancelled(community, next);
    return { slot: next, community };
  }, { staleOn: staleOn(StaleSlotError) });
}

/** The organiser's view of one evening: who is on duty and who asked for what. */
export async function slotWithRoster(communityId: string, slotId: string) {
  const community = await requireCommunity(communityId);
  const slot = await requireSlot(communityId, slotId);
  const [shifts, requests] = await Promise.all([listShiftsOfTarget(communityId, 'slot', slotId), listHelpRequests(communityId, slotId)]);
  const volunteers = await Promise.all(shifts.map((shift) => getVolunteer(communityId, shift.volunteerId)));
  const phones = new Map(volunteers.filter((volunteer) => volunteer !== undefined).map((volunteer) => [volunteer.id, volunteer.phone]));
  return { community, slot, shifts, requests, phones };
}

/** Open slots in a window; without `from`, those not yet over. */
export async function listSlots(communityId: string, query: { from?: string; to?: string; limit: number; cursor?: string }) {
  const community = await requireCommunity(communityId);
  const fromUtc = query.from ? boundaryToUtc(query.from, community.timezone, 'start') : clock.nowIso();
  const toUtc = query.to ? boundaryToUtc(query.to, community.timezone, 'end') : undefined;
  return { community, ...(await listOpenSlots(communityId, { fromUtc, toUtc }, { limit: query.limit, cursor: query.cursor })) };
}
