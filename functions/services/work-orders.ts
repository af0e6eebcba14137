import { ulid } from 'ulid';
import { tokenMatchesHash } from '../auth/opaque-token';
import type { VolunteerPrincipal } from '../auth/principal';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors';
import type { HelpCategory, Team } from '../domain/glossary';
import type { HoursLog } from '../domain/hours';
import { checkCanServe } from '../domain/volunteers';
import type { Community } from '../domain/communities';
import { heldWorkOrder, WORK_ORDER_TRANSITIONS, workOrderSummary, type ReporterWorkOrder, type WorkOrder, type WorkOrderStatus } from '../domain/work-orders';
import { heldRequest, stillHeld } from './verification';
import { fileAsResident, verifyAsResident, type ResidentItemKind } from './resident-items';
import { pendingLogItems } from '../store/hours';
import { noteOutcome } from '../store/request-record';
import { allWorkOrders, getWorkOrder, insertWorkOrder, listWorkOrders, moveWorkOrder } from '../store/work-orders';
import { monthRange } from '../domain/time';
import { stepsOf } from './lifecycle';
import * as clock from '../clock';
import { requireCommunity } from './communities';
import { requireVolunteer } from './volunteers';

/**
 * Work orders (派单), API.md: reported by a resident (the web form) or a volunteer on a round,
 * dispatched to a team by an organiser, accepted by exactly one volunteer of that team, resolved
 * (the minutes become a pending hours log, reviewed like any other, so fixing a neighbour's pipe
 * earns points as an evening at the desk does) and closed by the reporter's rating.
 */

export interface ReportInput {
  readonly category: HelpCategory;
  readonly description: string;
  readonly building?: string;
}

/** A resident's report, filed as every resident's item is (services/resident-items.ts). */
const residentReports: ResidentItemKind<WorkOrder, ReporterWorkOrder> = {
  targetKind: 'work_order',
  idName: 'workOrderId',
  build: (communityId, id, input, manageTokenHash, now) => {
    const report = input as unknown as ReportInput & { name: string; phone: string };
    return {
      id,
      communityId,
      status: 'new',
      category: report.category,
      description: report.description,
      ...(report.building ? { building: report.building } : {}),
      reportedBy: 'resident',
      reporterName: report.name,
      reporterPhone: report.phone,
      manageTokenHash,
      createdAt: now,
      updatedAt: now,
    };
  },
  held: heldWorkOrder,
  insert: insertWorkOrder,
};

/**
 * A resident reports a problem: the per-phone limit applies (10 sign-ups, bookings and reports an
 * hour). Where the community verifies phones, the report is held and a code goes to the phone;
 * {@link verifyReport} files it when the code comes back.
 */
export async function reportAsResident(
  communityId: string,
  input: ReportInput & { name: string; phone: string },
  caller: { address: string } = { address: '' },
): Promise<{ order: ReporterWorkOrder; manageToken: string; community: Community }> {
  const community = await requireCommunity(communityId);
  const { item, manageToken } = await fileAsResident(residentReports, community, { ...input }, caller);
  return { order: item, manageToken, community };
}

/**
 * The code sent to a held report's phone comes back: the report is filed (`new`), the held
 * request used up in the same transaction, so racing verifies file it once. Again: as it is.
 */
export async function verifyReport(communityId: string, id: string, manageToken: string, code: string) {
  const community = await requireCommunity(communityId);
  return verifyAsResident(residentReports, communityId, id, manageToken, code, {
    exists: async () => (await getWorkOrder(communityId, id)) !== undefined,
    own: () => ownWorkOrder(communityId, id, manageToken),
    answer: (order) => ({ order: order as ReporterWorkOrder, community }),
  });
}

/** A volunteer reports what they found on their round, in two taps. */
export async function reportAsVolunteer(principal: VolunteerPrincipal, input: ReportInput) {
  const [community, volunteer] = await Promise.all([requireCommunity(principal.communityId), requireVolunteer(principal.communityId, principal.volunteerId)]);
  checkCanServe(volunteer);
  const now = clock.nowIso();
  const order: WorkOrder = {
    id: ulid(),
    communityId: principal.communityId,
    status: 'new',
    category: input.category,
    description: input.description,
    ...(input.building ? { building: input.building } : {}),
    reportedBy: 'volunteer',
    reporterName: volunteer.name,
    reporterVolunteerId: volunteer.id,
    createdAt: now,
    updatedAt: now,
  };
  noteOutcome({ workOrderId: order.id });
  await insertWorkOrder(order);
  return { order, community };
}

export async function requireWorkOrder(communityId: string, id: string): Promise<WorkOrder> {
  const order = await getWorkOrder(communityId, id);
  if (!order) throw new NotFoundError('No such work order');
  return order;
}

/** The reporter's own order, behind its manage token (or the report held for its code). */
export async function ownWorkOrder(communityId: string, id: string, manageToken: string): Promise<{ order: ReporterWorkOrder; community: Community }> {
  const [community, stored] = await Promise.all([requireCommunity(communityId), getWorkOrder(communityId, id)]);
  if (!stored) {
    const held = await heldRequest(communityId, 'work_order', communityId, id, manageToken);
    if (stillHeld(held)) return { order: heldWorkOrder(held), community };
    throw new NotFoundError('No such work order');
  }
  const order = stored;
  if (!order.manageTokenHash || !tokenMatchesHash(manageToken, order.manageTokenHash)) throw new ForbiddenError('This manage token is for another work order');
  return { order, community };
}

/**
 * One step of an order (services/lifecycle.ts): answered as it is when already taken, refused
 * when the caller may not, `409 invalid_state` when it no longer applies; a resident's name and
 * phone are erased the retention period after the order's last step.
 */
const stepOf = stepsOf<WorkOrderStatus, WorkOrder>({
  noun: 'work order',
  kind: 'work_order',
  transitions: WORK_ORDER_TRANSITIONS,
  read: requireWorkOrder,
  write: moveWorkOrder,
  holdsResident: (order) => order.reportedBy === 'resident',
});

async function step(...args: Parameters<typeof stepOf>) {
  const { item, community } = await stepOf(...args);
  return { order: item, community };
}

/** An organiser sends an order to a team, with an optional due time. */
export function dispatchWorkOrder(communityId: string, id: string, input: { team: Team; dueBy?: string }) {
  return step(
    communityId,
    id,
    'dispatched',
    (order, now) => ({ ...order, status: 'dispatched', team: input.team, ...(input.dueBy ? { dueBy: input.dueBy } : {}), dispatchedAt: now, updatedAt: now }),
    { already: (order) => order.status === 'dispatched' && order.team === input.team && order.dueBy === input.dueBy },
  );
}

export function rejectWorkOrder(communityId: string, id: string, note: string) {
  return step(communityId, id, 'rejected', (order, now) => ({ ...order, status: 'rejected', rejectionNote: note, updatedAt: now }), {
    already: (order) => order.status === 'rejected',
  });
}

/** A volunteer of the dispatched team takes it on: of several at once, exactly one does; the others hear `already_taken`. */
export async function acceptWorkOrder(principal: VolunteerPrincipal, id: string) {
  const volunteer = await requireVolunteer(principal.communityId, principal.volunteerId);
  checkCanServe(volunteer);
  return step(
    principal.communityId,
    id,
    'accepted',
    (order, now) => ({ ...order, status: 'accepted', acceptedBy: volunteer.id, acceptedByName: volunteer.name, acceptedAt: now, updatedAt: now }),
    {
      already: (order) => order.status === 'accepted' && order.acceptedBy === volunteer.id,
      refuse: (order) => {
        if (order.acceptedBy !== undefined && order.acceptedBy !== volunteer.id) return new ConflictError('already_taken', 'Another volunteer has taken this work order');
        if (order.status === 'dispatched' && order.team !== volunteer.team) return new ForbiddenError('This work order is for another team');
        return undefined;
      },
    },
  );
}

/**
 * The volunteer who accepted it resolves it: the order and a pending hours log of its minutes in
 * one transaction (the log waits for an organiser's review, as a checked-out one does).
 */
export async function resolveOwnWorkOrder(principal: VolunteerPrincipal, id: string, input: { note: string; minutes: number }) {
  const volunteer = await requireVolunteer(principal.communityId, principal.volunteerId);
  const now = clock.now();
  const log: HoursLog = {
    id: ulid(),
    communityId: principal.communityId,
    volunteerId: volunteer.id,
    volunteerName: volunteer.name,
    team: volunteer.team,
    status: 'pending',
    checkedInAt: new Date(now.getTime() - input.minutes * 60_000).toISOString(),
    checkedOutAt: now.toISOString(),
    minutes: input.minutes,
    decisions: [],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  return step(
    principal.communityId,
    id,
    'resolved',
    (order, at) => ({ ...order, status: 'resolved', resolutionNote: input.note, minutes: input.minutes, hoursLogId: log.id, resolvedAt: at, updatedAt: at }),
    {
      already: (order) => order.acceptedBy === volunteer.id && (order.status === 'resolved' || order.status === 'closed'),
      refuse: (order) => (order.acceptedBy !== volunteer.id ? new ForbiddenError('Only the volunteer who accepted this work order can resolve it') : undefined),
      withIt: pendingLogItems(log),
    },
  );
}

/** The reporter confirms a resolved order with a rating: closed. */
export async function giveFeedback(communityId: string, id: string, manageToken: string, input: { rating: number; comment?: string }) {
  await ownWorkOrder(communityId, id, manageToken);
  return step(
    communityId,
    id,
    'closed',
    (order, now) => ({ ...order, status: 'closed', rating: input.rating, ...(input.comment ? { feedback: input.comment } : {}), closedAt: now, updatedAt: now }),
    { already: (order) => order.status === 'closed' },
  );
}

export async function workOrdersForOrganiser(communityId: string, status: WorkOrderStatus | undefined, page: { limit: number; cursor?: string }) {
  const community = await requireCommunity(communityId);
  return { ...(await listWorkOrders(communityId, { ...(status ? { status } : {}) }, page)), community };
}

/** A volunteer's list: what is dispatched to their team and not yet taken, and what they took. */
export async function workOrdersForVolunteer(principal: VolunteerPrincipal, page: { limit: number; cursor?: string }) {
  const [community, volunteer] = await Promise.all([requireCommunity(principal.communityId), requireVolunteer(principal.communityId, principal.volunteerId)]);
  return { ...(await listWorkOrders(principal.communityId, { forVolunteer: { id: volunteer.id, team: volunteer.team } }, page)), community };
}

/** The console's report: counts by state and category, and each team's median time to resolve, over a month or all time. */
export async function workOrderReport(communityId: string, month: string | undefined) {
  const community = await requireCommunity(communityId);
  const range = month ? monthRange(month, community.timezone) : undefined;
  const orders = await allWorkOrders(communityId, range?.from, range?.to);
  return { community, month: month ?? null, ...workOrderSummary(orders) };
}
