import { tokenMatchesHash } from '../auth/opaque-token';
import type { OrganiserPrincipal, VolunteerPrincipal } from '../auth/principal';
import type { Community } from '../domain/communities';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors';
import { checkCanServe } from '../domain/volunteers';
import {
  heldWish,
  PUBLIC_WISH_STATUSES,
  teamAdopter,
  WISH_TRANSITIONS,
  type ResidentWish,
  type Wish,
  type WishStatus,
} from '../domain/wishes';
import { getWish, insertWish, listWishes, moveWish } from '../store/wishes';
import { requireCommunity } from './communities';
import { stepsOf } from './lifecycle';
import { fileAsResident, verifyAsResident, type ResidentItemKind } from './resident-items';
import { heldRequest, stillHeld } from './verification';
import { requireVolunteer } from './volunteers';

/**
 * Micro-wishes (微心愿), API.md: a resident posts a wish with a manage link; an organiser publishes
 * it (or turns it down); one volunteer adopts it from their page, or an organiser records a partner
 * unit (共驻共建单位) as its adopter; the adopter or an organiser marks it fulfilled. The wall at
 * the festival shows published, adopted and fulfilled wishes, with no resident's name or phone and
 * no volunteer's name: a team or a unit adopts.
 */

export interface WishInput {
  readonly name: string;
  readonly phone: string;
  readonly title: string;
  readonly description: string;
  readonly building?: string;
}

const residentWishes: ResidentItemKind<Wish, ResidentWish> = {
  targetKind: 'wish',
  idName: 'wishId',
  build: (communityId, id, input, manageTokenHash, now) => {
    const wish = input as unknown as WishInput;
    return {
      id,
      communityId,
      status: 'submitted',
      title: wish.title,
      description: wish.description,
      ...(wish.building ? { building: wish.building } : {}),
      residentName: wish.name,
      residentPhone: wish.phone,
      manageTokenHash,
      createdAt: now,
      updatedAt: now,
    };
  },
  held: heldWish,
  insert: insertWish,
};

/** A resident posts a wish: `submitted`, seen by organisers only until one publishes it. */
export async function postWish(communityId: string, input: WishInput, caller: { address: string } = { address: '' }): Promise<{ wish: ResidentWish; manageToken: string; community: Community }> {
  const community = await requireCommunity(communityId);
  const { item, manageToken } = await fileAsResident(residentWishes, community, { ...input }, caller);
  return { wish: item, manageToken, community };
}

/** The code sent to a held wish's phone comes back: the wish is filed (`submitted`). Again: as it is. */
export async function verifyWish(communityId: string, id: string, manageToken: string, code: string) {
  const community = await requireCommunity(communityId);
  return verifyAsResident(residentWishes, communityId, id, manageToken, code, {
    exists: async () => (await getWish(communityId, id)) !== undefined,
    own: () => ownWish(communityId, id, manageToken),
    answer: (wish) => ({ wish: wish as ResidentWish, community }),
  });
}

async function requireWish(communityId: string, id: string): Promise<Wish> {
  const wish = await getWish(communityId, id);
  if (!wish) throw new NotFoundError('No such wish');
  return wish;
}

/** A wish anyone may see: published, adopted or fulfilled (hidden, it is not found). */
const isPublic = (wish: Wish) => (PUBLIC_WISH_STATUSES as readonly WishStatus[]).includes(wish.status);

/** The resident's own wish, behind its manage token (or the wish held for its code). */
export async function ownWish(communityId: string, id: string, manageToken: string): Promise<{ wish: ResidentWish; community: Community }> {
  const [community, stored] = await Promise.all([requireCommunity(communityId), getWish(communityId, id)]);
  if (!stored) {
    const held = await heldRequest(communityId, 'wish', communityId, id, manageToken);
    if (stillHeld(held)) return { wish: heldWish(held), community };
    throw new NotFoundError('No such wish');
  }
  if (!tokenMatchesHash(manageToken, stored.manageTokenHash)) throw new ForbiddenError('This manage token is for another wish');
  return { wish: stored, community };
}

/** One step of a wish (services/lifecycle.ts); its resident is erased the retention period after its last step. */
const stepOf = stepsOf<WishStatus, Wish>({
  noun: 'wish',
  kind: 'wish',
  transitions: WISH_TRANSITIONS,
  read: requireWish,
  write: moveWish,
  holdsResident: () => true,
});

async function step(...args: Parameters<typeof stepOf>) {
  const { item, community } = await stepOf(...args);
  return { wish: item, community };
}

export function publishWish(communityId: string, id: string) {
  return step(communityId, id, 'published', (wish, now) => ({ ...wish, status: 'published', publishedAt: now, updatedAt: now }), {
    already: (wish) => wish.status === 'published',
  });
}

export function rejectWish(communityId: string, id: string, note: string) {
  return step(communityId, id, 'rejected', (wish, now) => ({ ...wish, status: 'rejected', rejectionNote: note, updatedAt: now }), {
    already: (wish) => wish.status === 'rejected',
  });
}

const taken = () => new ConflictError('already_taken', 'Someone else has adopted this wish');
const adoptedOrFulfilled = (wish: Wish) => wish.status === 'adopted' || wish.status === 'fulfilled';

/**
 * Adopts a published wish: a volunteer for their team, or an organiser on behalf of a partner unit.
 * Of several adopters at once exactly one does; the others hear `already_taken`. The same adopter
 * again gets the wish as it is.
 */
export async function adoptWish(principal: VolunteerPrincipal | OrganiserPrincipal, id: string, adopterName?: string) {
  if (principal.kind === 'organiser') {
    const unit = adopterName!;
    return step(
      principal.communityId,
      id,
      'adopted',
      (wish, now) => ({ ...wish, status: 'adopted', adopterKind: 'unit', adoptedBy: unit, adoptedAt: now, updatedAt: now }),
      {
        already: (wish) => adoptedOrFulfilled(wish) && wish.adopterKind === 'unit' && wish.adoptedBy === unit,
        refuse: (wish) => (adoptedOrFulfilled(wish) ? taken() : undefined),
      },
    );
  }
  const volunteer = await requireVolunteer(principal.communityId, principal.volunteerId);
  checkCanServe(volunteer);
  return step(
    principal.communityId,
    id,
    'adopted',
    (wish, now) => ({ ...wish, status: 'adopted', ...teamAdopter(volunteer.team), adopterVolunteerId: volunteer.id, adopterVolunteerName: volunteer.name, adoptedAt: now, updatedAt: now }),
    {
      already: (wish) => adoptedOrFulfilled(wish) && wish.adopterVolunteerId === volunteer.id,
      // Volunteers see published wishes only: one still under review or turned down is not found.
      refuse: (wish) => (!isPublic(wish) ? new NotFoundError('No such wish') : adoptedOrFulfilled(wish) ? taken() : undefined),
    },
  );
}

/** The adopting volunteer, or any organiser, marks an adopted wish fulfilled. */
export function fulfilWish(principal: VolunteerPrincipal | OrganiserPrincipal, id: string, note?: string) {
  return step(
    principal.communityId,
    id,
    'fulfilled',
    (wish, now) => ({ ...wish, status: 'fulfilled', ...(note ? { fulfilmentNote: note } : {}), fulfilledAt: now, updatedAt: now }),
    {
      already: (wish) => wish.status === 'fulfilled' && (principal.kind === 'organiser' || wish.adopterVolunteerId === principal.volunteerId),
      refuse: (wish) => {
        if (principal.kind === 'organiser') return undefined;
        if (!isPublic(wish)) return new NotFoundError('No such wish');
        // Not adopted yet: the transition says so (invalid_state); adopted by another: not theirs.
        if (wish.status === 'published' || wish.adopterVolunteerId === principal.volunteerId) return undefined;
        return new ForbiddenError('Only the volunteer who adopted this wish, or an organiser, can mark it fulfilled');
      },
    },
  );
}

/** The wall: published, adopted and fulfilled wishes (or one of those states), newest first. */
export async function publicWishes(communityId: string, status: (typeof PUBLIC_WISH_STATUSES)[number] | undefined, page: { limit: number; cursor?: string }) {
  const community = await requireCommunity(communityId);
  return { ...(await listWishes(communityId, { statuses: status ? [status] : PUBLIC_WISH_STATUSES }, page)), community };
}

export async function wishesForOrganiser(communityId: string, status: WishStatus | undefined, page: { limit: number; cursor?: string }) {
  const community = await requireCommunity(communityId);
  return { ...(await listWishes(communityId, status ? { statuses: [status] } : {}, page)), community };
}

/** A volunteer's list: published wishes anyone may adopt, and those they adopted. */
export async function wishesForVolunteer(principal: VolunteerPrincipal, page: { limit: number; cursor?: string }) {
  const community = await requireCommunity(principal.communityId);
  return { ...(await listWishes(principal.communityId, { forVolunteer: principal.volunteerId }, page)), community };
}
