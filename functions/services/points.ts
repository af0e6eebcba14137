import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type { VolunteerPrincipal } from '../auth/principal';
import { NotFoundError } from '../domain/errors';
import { checkRedemptionTransition, pickupCode, type CatalogueItem, type LedgerEntry, type Redemption, type RedemptionStatus } from '../domain/points';
import { checkCanServe } from '../domain/volunteers';
import {
  cancelRedemption,
  getCatalogueItem,
  getRedemption,
  insertCatalogueItem,
  insertRedemption,
  listCatalogue,
  listLedger,
  listRedemptions,
  markCollected,
  updateCatalogueItem,
} from '../store/points';
import { requireCommunity } from './communities';
import { requireVolunteer } from './volunteers';
import * as clock from '../clock';
import { AGAIN, retryOptimistic } from './retry';
import { noteOutcome } from '../store/request-record';


export async function addCatalogueItem(communityId: string, input: { name: string; pointsCost: number; stock: number }) {
  const now = clock.nowIso();
  const item: CatalogueItem = { id: ulid(), communityId, ...input, createdAt: now, updatedAt: now };
  noteOutcome({ itemId: item.id });
  await insertCatalogueItem(item);
  return item;
}

export async function requireItem(communityId: string, itemId: string): Promise<CatalogueItem> {
  const item = await getCatalogueItem(communityId, itemId);
  if (!item) throw new NotFoundError('No such item');
  return item;
}

/** Changes an item (restock too); re-applied if a redemption changed the stock in between. */
export async function changeCatalogueItem(communityId: string, itemId: string, patch: Partial<Pick<CatalogueItem, 'name' | 'pointsCost' | 'stock'>>) {
  return retryOptimistic(async () => {
    const current = await requireItem(communityId, itemId);
    const next: CatalogueItem = {
      ...current,
      ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)),
      updatedAt: new Date(Math.max(clock.nowMs(), Date.parse(current.updatedAt) + 1)).toISOString(),
    };
    return (await updateCatalogueItem(current, next)) ? next : AGAIN;
  });
}

export async function catalogueOf(communityId: string) {
  await requireCommunity(communityId);
  return (await listCatalogue(communityId)).sort((a, b) => a.pointsCost - b.pointsCost || a.name.localeCompare(b.name));
}

/**
 * A volunteer reserves goods: points and stock are taken in one transaction that refuses to take
 * either below zero; the reservation carries a short code to show at the counter.
 */
export async function redeem(principal: VolunteerPrincipal, input: { itemId: string; quantity: number }) {
  const volunteer = await requireVolunteer(principal.communityId, principal.volunteerId);
  checkCanServe(volunteer);
  const item = await requireItem(principal.communityId, input.itemId);
  const now = clock.nowIso();
  const points = item.pointsCost * input.quantity;
  const redemption: Redemption = {
    id: ulid(),
    communityId: principal.communityId,
    volunteerId: volunteer.id,
    volunteerName: volunteer.name,
    itemId: item.id,
    itemName: item.name,
    quantity: input.quantity,
    points,
    status: 'reserved',
    pickupCode: pickupCode((n) => randomBytes(n)),
    createdAt: now,
    updatedAt: now,
  };
  const entry: LedgerEntry = {
    id: ulid(),
    communityId: principal.communityId,
    volunteerId: volunteer.id,
    kind: 'redeem',
    points: -points,
    ref: redemption.id,
    note: `${item.name} × ${input.quantity}`,
    createdAt: now,
  };
  noteOutcome({ redemptionId: redemption.id });
  await insertRedemption(redemption, entry);
  const after = await requireVolunteer(principal.communityId, principal.volunteerId);
  return { redemption, balance: after.pointsBalance };
}

/** A volunteer's reservation as `redeem` answered it, the balance as it is now (its replay). */
export async function redemptionWithBalance(principal: VolunteerPrincipal, redemptionId: string) {
  const [redemption, volunteer, community] = await Promise.all([
    requireRedemption(principal.communityId, redemptionId),
    requireVolunteer(principal.communityId, principal.volunteerId),
    requireCommunity(principal.communityId),
  ]);
  return { redemption, balance: volunteer.pointsBalance, community };
}

export async function requireRedemption(communityId: string, redemptionId: string): Promise<Redemption> {
  const redemption = await getRedemption(communityId, redemptionId);
  if (!redemption) throw new NotFoundError('No such redemption');
  return redemption;
}

/** The organiser hands the goods over: reserved → collected (again: no change). */
export async function collectRedemption(communityId: string, redemptionId: string): Promise<Redemption> {
  const redemption = await requireRedemption(communityId, redemptionId);
  checkRedemptionTransition(redemption, 'collected');
  if (redemption.status === 'reserved' && !(await markCollected(redemption, clock.now()))) {
    const now = await requireRedemption(communityId, redemptionId);
    checkRedemptionTransition(now, 'collected');
    return now;
  }
  return requireRedemption(communityId, redemptionId);
}

/** reserved → cancelled, points and stock returned exactly once; a collected one cannot be cancelled. */
export async function cancelReservation(communityId: string, redemptionId: string): Promise<Redemption> {
  const redemption = await requireRedemption(communityId, redemptionId);
  checkRedemptionTransition(redemption, 'cancelled');
  if (redemption.status === 'reserved') {
    const refund: LedgerEntry = {
      id: ulid(),
      communityId,
      volunteerId: redemption.volunteerId,
      kind: 'refund',
      points: redemption.points,
      ref: redemption.id,
      note: `${redemption.itemName} × ${redemption.quantity}`,
      createdAt: clock.nowIso(),
    };
    if (!(await cancelRedemption(redemption, refund, clock.now()))) {
      const now = await requireRedemption(communityId, redemptionId);
      checkRedemptionTransition(now, 'cancelled');
    }
  }
  return requireRedemption(communityId, redemptionId);
}

export async function redemptionsOf(communityId: string, options: { status?: RedemptionStatus; limit: number; cursor?: string }) {
  await requireCommunity(communityId);
  return listRedemptions(communityId, options);
}

export async function myPoints(principal: VolunteerPrincipal, page: { limit: number; cursor?: string }) {
  const volunteer = await requireVolunteer(principal.communityId, principal.volunteerId);
  return { balance: volunteer.pointsBalance, ...(await listLedger(principal.communityId, principal.volunteerId, page)) };
}

