import * as z from 'zod';
import { ConflictError, NotFoundError } from './errors';
import type { Slot } from './slots';
import { inZone } from './time';
import { HELP_CATEGORIES, type HelpCategory } from './glossary';
import { phoneHint } from './registrations';
import { heldBasics, type PendingVerification } from './verification';

export const HELP_REQUEST_STATUSES = ['booked', 'cancelled'] as const;
export type HelpRequestStatus = (typeof HELP_REQUEST_STATUSES)[number];

/** A resident's booking of the evening help desk, declared once. */
export const helpRequestRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  slotId: z.string(),
  name: z.string(),
  /** E.164; erased with the name N days after the evening. */
  phone: z.string(),
  category: z.enum(HELP_CATEGORIES),
  description: z.string(),
  building: z.string().optional(),
  status: z.enum(HELP_REQUEST_STATUSES),
  manageTokenHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().optional(),
});

export type HelpRequest = Readonly<z.output<typeof helpRequestRecord>>;

export interface HelpRequestInput {
  name: string;
  phone: string;
  category: HelpCategory;
  description: string;
  building?: string;
}

/** Residents may book until the evening's hour is over; urgent problems come in during it too. */
export function checkCanBook(slot: Slot | undefined, now: Date): Slot {
  if (!slot) throw new NotFoundError('No such slot');
  if (slot.status === 'cancelled') throw new ConflictError('slot_cancelled', 'This evening was cancelled');
  if (now.toISOString() >= slot.endsAt) throw new ConflictError('invalid_state', 'This evening has already ended');
  if (slot.requestsBooked >= slot.requestCapacity) throw new ConflictError('slot_full', 'This evening is fully booked');
  return slot;
}

/** What the resident holding the manage token sees. */
/** A booking as its resident sees it: stored, or held for its phone's code (`pending_verification`: no place yet). */
export type ResidentRequest = Omit<HelpRequest, 'status'> & { readonly status: HelpRequestStatus | 'pending_verification' };

/** A booking held for its code, in a booking's shape. */
export function heldRequestView(pending: PendingVerification): ResidentRequest {
  const input = pending.input as unknown as HelpRequestInput;
  return {
    ...heldBasics(pending),
    slotId: pending.targetId,
    name: input.name,
    phone: input.phone,
    category: input.category,
    description: input.description,
  };
}

export function residentRequestView(request: ResidentRequest, timezone: string) {
  return {
    id: request.id,
    slotId: request.slotId,
    status: request.status,
    category: request.category,
    description: request.description,
    name: request.name,
    phoneHint: phoneHint(request.phone),
    building: request.building ?? null,
    createdAt: inZone(request.createdAt, timezone),
    ...(request.cancelledAt ? { cancelledAt: inZone(request.cancelledAt, timezone) } : {}),
  };
}

/** The organiser's roster line, with contact details. */
export function rosterRequestView(request: HelpRequest, timezone: string) {
  return {
    id: request.id,
    status: request.status,
    category: request.category,
    description: request.description,
    name: request.name,
    phone: request.phone,
    building: request.building ?? null,
    createdAt: inZone(request.createdAt, timezone),
  };
}
