import { ulid } from 'ulid';
import { hashToken, MANAGE_TOKEN_PREFIX, newOpaqueToken } from '../auth/opaque-token';
import type { Community } from '../domain/communities';
import type { PendingVerification } from '../domain/verification';
import { noteOutcome } from '../store/request-record';
import type { TransactItem } from '../store/transactions';
import { consumePending } from '../store/verifications';
import { erasurePlanPut } from '../store/erasure';
import { erasurePlanOf } from './erasure';
import * as clock from '../clock';
import { PHONE_ROUNDS, readPhoneUses, usePhone } from './registrations';
import { AGAIN, retryOptimistic } from './retry';
import { checkCode, heldRequest, holdForCode } from './verification';

/**
 * What a resident files with a manage link and no seat to hold (a work order, a micro-wish), filed
 * one way: the per-phone limit (10 sign-ups, bookings, reports and wishes an hour) in the same
 * transaction as the item, the manage token shown once and stored hashed, and, where the community
 * verifies phones, the item held until the code sent to the phone comes back.
 */
export interface ResidentItemKind<T, Held> {
  readonly targetKind: 'work_order' | 'wish';
  /** The outcome name the route's replay reads (`workOrderId`, `wishId`). */
  readonly idName: string;
  /** The stored item, from what the resident sent. */
  readonly build: (communityId: string, id: string, input: Record<string, unknown>, manageTokenHash: string, now: string) => T;
  /** The item as its resident sees it while held for the code. */
  readonly held: (pending: PendingVerification) => Held;
  /** Stores the item on condition the first of `withIt` (the phone's use, or the held request used up) applies. */
  readonly insert: (item: T, withIt: TransactItem[]) => Promise<boolean>;
}

/** A resident's item plans the erasure of their name and phone when it is filed; each step moves it (services/lifecycle.ts). */
const erasureOf = (kind: { targetKind: 'work_order' | 'wish' }, communityId: string, id: string, now: string) => erasurePlanPut(erasurePlanOf(communityId, kind.targetKind, id, now));

export async function fileAsResident<T, Held>(
  kind: ResidentItemKind<T, Held>,
  community: Community,
  input: Record<string, unknown> & { phone: string },
  caller: { address: string } = { address: '' },
): Promise<{ item: T | Held; manageToken: string }> {
  if (community.verifyPhone) {
    const { pending, manageToken } = await holdForCode({
      community,
      targetKind: kind.targetKind,
      targetId: community.id,
      phone: input.phone,
      input: { ...input },
      idName: kind.idName,
      address: caller.address,
    });
    return { item: kind.held(pending), manageToken };
  }
  const manageToken = newOpaqueToken(MANAGE_TOKEN_PREFIX);
  const now = clock.nowIso();
  const item = kind.build(community.id, ulid(), input, hashToken(manageToken), now);
  const id = (item as { id: string }).id;
  noteOutcome({ [kind.idName]: id, manageToken });
  let uses = await readPhoneUses(input.phone);
  await retryOptimistic(async () => {
    if (await kind.insert(item, [usePhone(uses, new Date(now)), erasureOf(kind, community.id, id, now)])) return true;
    uses = await readPhoneUses(input.phone);
    return AGAIN;
  }, { attempts: PHONE_ROUNDS, contended: true });
  return { item, manageToken };
}

/**
 * The code sent to a held item's phone comes back: the item is filed, the held request used up in
 * the same transaction, so racing verifies file it once. Again, or after a racing verify: the
 * item as filed (`own`, behind the same manage token).
 */
export async function verifyAsResident<T, Held, Own>(
  kind: ResidentItemKind<T, Held>,
  communityId: string,
  id: string,
  manageToken: string,
  code: string,
  filed: { exists: () => Promise<boolean>; own: () => Promise<Own>; answer: (item: T) => Own },
): Promise<Own> {
  if (await filed.exists()) return filed.own();
  try {
    const pending = await checkCode(await heldRequest(communityId, kind.targetKind, communityId, id, manageToken), code);
    const item = kind.build(communityId, id, pending.input, pending.manageTokenHash, clock.nowIso());
    if (await kind.insert(item, [consumePending(pending), erasureOf(kind, communityId, id, clock.nowIso())])) return filed.answer(item);
  } catch (error) {
    if (await filed.exists()) return filed.own();
    throw error;
  }
  // Used up by a verify that raced this one: the item it filed.
  return filed.own();
}
