import * as z from 'zod';
import { TEAMS } from './glossary';
import type { Transitions } from './lifecycle';
import { instant, viewOf, viewSchemaOf } from './model';
import { phoneHint } from './registrations';
import { heldBasics, type PendingVerification } from './verification';

/**
 * A micro-wish (微心愿): a resident's small wish (reading glasses, help setting up video calls
 * with a grandchild), published by an organiser, adopted by one volunteer or a partner unit
 * (共驻共建单位) an organiser records, fulfilled, and shown on the wall at the festival.
 * `submitted` → `published` → `adopted` → `fulfilled`; `submitted` → `rejected`.
 */
export const WISH_STATUSES = ['submitted', 'published', 'adopted', 'fulfilled', 'rejected'] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];
/** What the public wall shows. */
export const PUBLIC_WISH_STATUSES = ['published', 'adopted', 'fulfilled'] as const satisfies readonly WishStatus[];

export const wishRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  status: z.enum(WISH_STATUSES),
  title: z.string(),
  description: z.string(),
  building: z.string().optional(),
  /** The resident's name and phone: organisers only, erased the retention period after the wish ends. */
  residentName: z.string(),
  residentPhone: z.string().optional(),
  manageTokenHash: z.string(),
  publishedAt: instant.optional(),
  /** Who adopted it, as the wall says it: a volunteer's team (`team`) or a partner unit's name (`unit`). */
  adopterKind: z.enum(['team', 'unit']).optional(),
  adoptedBy: z.string().optional(),
  /** The adopting volunteer: they may mark it fulfilled. Never shown to the public. */
  adopterVolunteerId: z.string().optional(),
  adopterVolunteerName: z.string().optional(),
  adoptedAt: instant.optional(),
  fulfilmentNote: z.string().optional(),
  fulfilledAt: instant.optional(),
  rejectionNote: z.string().optional(),
  createdAt: instant,
  updatedAt: instant,
});
export type Wish = Readonly<z.output<typeof wishRecord>>;

/** Each state, from the states it may be reached from; anything else is `409 invalid_state`. */
export const WISH_TRANSITIONS: Transitions<WishStatus> = {
  submitted: [],
  published: ['submitted'],
  adopted: ['published'],
  fulfilled: ['adopted'],
  rejected: ['submitted'],
};

/** What anyone sees on the wall: the wish and who adopted it (a team or a unit), never a person. */
const publicFields = wishRecord.pick({
  id: true,
  title: true,
  description: true,
  status: true,
  building: true,
  adopterKind: true,
  adoptedBy: true,
  adoptedAt: true,
  fulfilledAt: true,
  createdAt: true,
});

/** What the resident who made it sees on the manage page: the public view, and the notes. */
const residentFields = publicFields.extend(wishRecord.pick({ fulfilmentNote: true, rejectionNote: true }).shape);

/** What organisers see: everything but the token's hash, the resident's name and phone included. */
const organiserFields = wishRecord.omit({ communityId: true, manageTokenHash: true, adopterVolunteerId: true });

/** A wish as its resident sees it: stored, or held for the phone's code (`pending_verification`). */
export type ResidentWish = Omit<Wish, 'status'> & { readonly status: WishStatus | 'pending_verification' };

export const publicWishView = (wish: Wish, timezone: string) => viewOf(publicFields, wish, timezone, { absent: 'omit' });
export const residentWishView = (wish: ResidentWish, timezone: string) => ({
  ...viewOf(residentFields, wish as Wish, timezone, { absent: 'omit' }),
  // Where a verification code went (••••8000), as a registration's view says it.
  ...(wish.residentPhone ? { phoneHint: phoneHint(wish.residentPhone) } : {}),
});
export const organiserWishView = (wish: Wish, timezone: string) => viewOf(organiserFields, wish, timezone, { absent: 'omit' });
export const volunteerWishView = (wish: Wish, timezone: string, volunteerId: string) => ({
  ...publicWishView(wish, timezone),
  adoptedByMe: wish.adopterVolunteerId === volunteerId,
  // The adopter reads back what they wrote when they fulfilled it.
  ...(wish.adopterVolunteerId === volunteerId && wish.fulfilmentNote ? { fulfilmentNote: wish.fulfilmentNote } : {}),
});

/** A resident's wish held for its code, in a wish's shape. */
export function heldWish(pending: PendingVerification): ResidentWish {
  const input = pending.input as { name: string; phone: string; title: string; description: string };
  return { ...heldBasics(pending), title: input.title, description: input.description, residentName: input.name, residentPhone: input.phone };
}

const adopterKindDescription = 'team: adoptedBy is the adopting volunteer’s team; unit: the partner unit’s name';
export const publicWishSchema = viewSchemaOf(publicFields, { absent: 'omit' })
  .extend({ status: z.enum(PUBLIC_WISH_STATUSES), adopterKind: z.enum(['team', 'unit']).optional().describe(adopterKindDescription) })
  .meta({ id: 'PublicWish' });
export const residentWishSchema = viewSchemaOf(residentFields, { absent: 'omit' })
  .extend({
    status: z.enum([...WISH_STATUSES, 'pending_verification']).describe('pending_verification: held until the code sent to the phone comes back (communities with verifyPhone)'),
    phoneHint: z.string().optional().describe('The phone’s last four digits (••••8000): where a verification code went'),
  })
  .meta({ id: 'WishForResident' });
export const volunteerWishSchema = publicWishSchema
  .extend({
    adoptedByMe: z.boolean().describe('This volunteer adopted it (and may mark it fulfilled)'),
    fulfilmentNote: z.string().optional().describe('The adopter’s own note, to the adopter only'),
  })
  .meta({ id: 'VolunteerWish' });
export const wishSchema = viewSchemaOf(organiserFields, { absent: 'omit' }).meta({ id: 'Wish' });

/** The team a volunteer adopts for: the wall names the team, not the person. */
export const teamAdopter = (team: (typeof TEAMS)[number]) => ({ adopterKind: 'team' as const, adoptedBy: team });
