import type { Community } from '../domain/communities';
import type { CommunityEvent } from '../domain/events';
import { planReminders } from '../domain/reminders';
import { eventTarget, slotTarget } from '../domain/shifts';
import type { Slot } from '../domain/slots';
import { cancelPlans, savePlans } from '../store/reminders';

// Planning reminders when an event or evening changes (the organiser function); running them is
// services/reminders.ts (the jobs function).

/** Plans (or re-plans, or cancels) an event's reminders after it was created or changed. */
export async function planEventReminders(community: Community, event: CommunityEvent): Promise<void> {
  if (event.status === 'published') await savePlans(planReminders(eventTarget(event), community.reminderOffsetsMinutes));
  else await cancelPlans(community.id, 'event', event.id);
}

/** Plans (or cancels) an evening's reminders. */
export async function planSlotReminders(community: Community, slot: Slot): Promise<void> {
  if (slot.status === 'open') await savePlans(planReminders(slotTarget(slot), community.reminderOffsetsMinutes));
  else await cancelPlans(community.id, 'slot', slot.id);
}
