import * as z from 'zod';
import { HELP_CATEGORIES, TEAMS } from './glossary';
import type { Transitions } from './lifecycle';
import { instant, viewOf, viewSchemaOf } from './model';
import { phoneHint } from './registrations';
import { heldBasics, type PendingVerification } from './verification';

/**
 * A work order (派单): a problem found on a round or reported by a resident, dispatched by an
 * organiser to one of the six teams, accepted by one volunteer of that team, resolved (the time
 * spent becomes a pending hours log) and confirmed by the reporter with a rating.
 * `new` → `dispatched` → `accepted` → `resolved` → `closed`; `new`/`dispatched` → `rejected`.
 */
export const WORK_ORDER_STATUSES = ['new', 'dispatched', 'accepted', 'resolved', 'closed', 'rejected'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const workOrderRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  status: z.enum(WORK_ORDER_STATUSES),
  category: z.enum(HELP_CATEGORIES),
  description: z.string(),
  building: z.string().optional(),
  /** Who reported it: a resident (name and phone, erased with the rest of residents' data) or a volunteer on a round. */
  reportedBy: z.enum(['resident', 'volunteer']),
  reporterName: z.string().optional(),
  reporterPhone: z.string().optional(),
  reporterVolunteerId: z.string().optional(),
  /** A resident's manage token, hashed; the token is shown once. */
  manageTokenHash: z.string().optional(),
  team: z.enum(TEAMS).optional(),
  dueBy: instant.optional(),
  dispatchedAt: instant.optional(),
  acceptedBy: z.string().optional(),
  acceptedByName: z.string().optional(),
  acceptedAt: instant.optional(),
  resolutionNote: z.string().optional(),
  minutes: z.number().int().optional(),
  /** The pending hours log the resolution made. */
  hoursLogId: z.string().optional(),
  resolvedAt: instant.optional(),
  rating: z.number().int().optional(),
  feedback: z.string().optional(),
  closedAt: instant.optional(),
  rejectionNote: z.string().optional(),
  createdAt: instant,
  updatedAt: instant,
});
export type WorkOrder = Readonly<z.output<typeof workOrderRecord>>;

/** What the reporter sees: where it stands and who is on it, never another person's phone. */
const reporterFields = workOrderRecord.pick({
  id: true,
  status: true,
  category: true,
  description: true,
  building: true,
  team: true,
  dueBy: true,
  acceptedByName: true,
  resolutionNote: true,
  resolvedAt: true,
  rating: true,
  rejectionNote: true,
  createdAt: true,
});

/** A work order as its reporter sees it: stored, or held for the phone's code (`pending_verification`). */
export type ReporterWorkOrder = Omit<WorkOrder, 'status'> & { readonly status: WorkOrderStatus | 'pending_verification' };

export function reporterView(order: ReporterWorkOrder, timezone: string) {
  return {
    ...viewOf(reporterFields, order as WorkOrder, timezone, { absent: 'omit' }),
    // Where a verification code went (••••8000), as a registration's view says it.
    ...(order.reporterPhone ? { phoneHint: phoneHint(order.reporterPhone) } : {}),
  };
}

/** A resident's report held for its code, in a work order's shape. */
export function heldWorkOrder(pending: PendingVerification): ReporterWorkOrder {
  const input = pending.input as { name: string; phone: string; category: WorkOrder['category']; description: string; building?: string };
  return {
    ...heldBasics(pending),
    category: input.category,
    description: input.description,
    reportedBy: 'resident',
    reporterName: input.name,
    reporterPhone: input.phone,
  };
}

/** What organisers and volunteers of the team see: all of the order, the resident's phone only to organisers. */
const workFields = workOrderRecord.omit({ communityId: true, manageTokenHash: true, reporterPhone: true, reporterVolunteerId: true });

export function workView(order: WorkOrder, timezone: string, audience: 'organiser' | 'volunteer') {
  return {
    ...viewOf(workFields, order, timezone, { absent: 'omit' }),
    ...(order.reporterPhone ? (audience === 'organiser' ? { reporterPhone: order.reporterPhone } : { reporterPhoneHint: phoneHint(order.reporterPhone) }) : {}),
  };
}

export const reporterWorkOrderSchema = viewSchemaOf(reporterFields, { absent: 'omit' })
  .extend({
    status: z.enum([...WORK_ORDER_STATUSES, 'pending_verification']).describe('pending_verification: held until the code sent to the phone comes back (communities with verifyPhone)'),
    phoneHint: z.string().optional().describe('The phone’s last four digits (••••8000): where a verification code went'),
  })
  .meta({ id: 'WorkOrderForReporter' });
export const workOrderSchema = viewSchemaOf(workFields, { absent: 'omit' })
  .extend({
    reporterPhone: z.string().optional().describe('Organisers only'),
    reporterPhoneHint: z.string().optional().describe('Volunteers: the last four digits'),
  })
  .meta({ id: 'WorkOrder' });

/** Each state, from the states it may be reached from; anything else is `409 invalid_state`. */
export const WORK_ORDER_TRANSITIONS: Transitions<WorkOrderStatus> = {
  new: [],
  dispatched: ['new'],
  accepted: ['dispatched'],
  resolved: ['accepted'],
  closed: ['resolved'],
  rejected: ['new', 'dispatched'],
};

/** The median of some numbers (the mean of the middle two for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * What the console's work-order report shows: how many orders are in each state and of each
 * category, and per team how many it resolved and the median hours from report to resolution
 * (what residents feel; a closed order was resolved first, so it counts too). Rejected orders
 * count in their state and category but resolve nothing.
 */
export function workOrderSummary(orders: readonly WorkOrder[]) {
  const byStatus = Object.fromEntries(WORK_ORDER_STATUSES.map((status) => [status, 0])) as Record<WorkOrderStatus, number>;
  const byCategory = Object.fromEntries(HELP_CATEGORIES.map((category) => [category, 0])) as Record<(typeof HELP_CATEGORIES)[number], number>;
  const hoursByTeam = new Map<string, number[]>();
  for (const order of orders) {
    byStatus[order.status] += 1;
    byCategory[order.category] += 1;
    if (order.team && order.resolvedAt) {
      const hours = (Date.parse(order.resolvedAt) - Date.parse(order.createdAt)) / 3_600_000;
      hoursByTeam.set(order.team, [...(hoursByTeam.get(order.team) ?? []), hours]);
    }
  }
  const teams = TEAMS.filter((team) => hoursByTeam.has(team)).map((team) => {
    const hours = hoursByTeam.get(team)!;
    return { team, resolved: hours.length, medianHoursToResolve: Math.round(median(hours)! * 10) / 10 };
  });
  return { total: orders.length, byStatus, byCategory, teams };
}
