import type { Community } from '../domain/communities';
import type { CommunityEvent } from '../domain/events';
import { messages } from '../domain/messages';
import type { Recipient } from '../domain/notifications';
import type { Slot } from '../domain/slots';
import type { ShiftTarget } from '../domain/shifts';
import { listHelpRequests } from '../store/help-requests';
import { recordNotifications } from '../store/notifications';
import { listRegistrations } from '../store/registrations';
import { listShiftsOfTarget } from '../store/shifts';
import * as clock from '../clock';
import { noticeOf } from './notice';

async function activeRegistrationIds(community: Community, eventId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRegistrations(community.id, eventId, { limit: 100, cursor });
    ids.push(...page.items.filter((registration) => registration.status !== 'cancelled').map((registration) => registration.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/** A cancelled event: a notice to every household still registered and every volunteer on shift. */
export async function recordEventCancelled(community: Community, event: CommunityEvent): Promise<number> {
  const text = messages.eventCancelled(community.name, event.title, event.startsAt, community.timezone);
  const now = clock.nowIso();
  const recipients: Recipient[] = [
    ...(await activeRegistrationIds(community, event.id)).map((id) => ({ type: 'registration' as const, id })),
    ...(await listShiftsOfTarget(community.id, 'event', event.id)).map((shift) => ({ type: 'volunteer' as const, id: shift.volunteerId })),
  ];
  return recordNotifications(recipients.map((recipient) => noticeOf(community, 'event_cancelled', event.id, recipient, text, now)));
}

/** A cancelled help-desk evening: a notice to every resident who booked and every volunteer on shift. */
export async function recordSlotCancelled(community: Community, slot: Slot): Promise<number> {
  const text = messages.slotCancelled(community.name, slot.startsAt, community.timezone);
  const now = clock.nowIso();
  const recipients: Recipient[] = [
    ...(await listHelpRequests(community.id, slot.id)).filter((request) => request.status === 'booked').map((request) => ({ type: 'help_request' as const, id: request.id })),
    ...(await listShiftsOfTarget(community.id, 'slot', slot.id)).map((shift) => ({ type: 'volunteer' as const, id: shift.volunteerId })),
  ];
  return recordNotifications(recipients.map((recipient) => noticeOf(community, 'slot_cancelled', slot.id, recipient, text, now)));
}

/** A shift given back with under 24 h to go: the organisers hear at once. */
export async function recordCoverageAlert(
  community: Community,
  target: ShiftTarget,
  volunteerName: string,
  shiftTakenAt: string,
  volunteerId: string,
): Promise<void> {
  const left = Math.max(0, target.volunteerCapacity - (target.volunteersStaffed - 1));
  const text = messages.coverageAlert(community.name, volunteerName, target.title, target.startsAt, community.timezone, left, target.volunteerCapacity);
  const recipient: Recipient = { type: 'organisers', id: community.id };
  await recordNotifications([noticeOf(community, 'coverage_alert', target.id, recipient, text, clock.nowIso(), `${volunteerId}|${shiftTakenAt}`)]);
}
