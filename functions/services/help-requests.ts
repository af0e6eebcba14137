import { ulid } from 'ulid';
import { hashToken, MANAGE_TOKEN_PREFIX, newOpaqueToken, tokenMatchesHash } from '../auth/opaque-token';
import type { Community } from '../domain/communities';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors';
import { checkCanBook, heldRequestView, type HelpRequest, type HelpRequestInput, type ResidentRequest } from '../domain/help-requests';
import type { Slot } from '../domain/slots';
import { cancelHelpRequest, getHelpRequest, insertHelpRequest, phoneHoldsRequest } from '../store/help-requests';
import { ownStateFirst } from './refusals';
import { getSlot } from '../store/slots';
import { requireCommunity } from './communities';
import { PHONE_ROUNDS, readPhoneUses, usePhone } from './registrations';
import { checkCode, heldRequest, holdForCode, stillHeld } from './verification';
import { consumePending, dropPending } from '../store/verifications';
import { phoneHolder } from '../store/phone-bookings';
import { phoneHash } from '../store/registrations';
import { keys } from '../store/keys';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
import * as clock from '../clock';
import { AGAIN, retryOptimistic } from './retry';
import { noteOutcome } from '../store/request-record';


const duplicateBooking = () => new ConflictError('duplicate_registration', 'This phone number already has a booking for this evening');

/**
 * A resident books the evening help desk for a category of problem. Where the community verifies
 * phones, the booking is held (no place) and a code goes to the phone; {@link verifyHelpRequest}
 * books it when the code comes back.
 */
export async function bookHelp(
  communityId: string,
  slotId: string,
  input: HelpRequestInput,
  caller: { address: string } = { address: '' },
): Promise<{ request: ResidentRequest; manageToken: string; community: Community }> {
  const [community, firstRead, firstUses] = await Promise.all([requireCommunity(communityId), getSlot(communityId, slotId), readPhoneUses(input.phone)]);
  if (community.verifyPhone) {
    checkCanBook(firstRead, clock.now());
    const { pending, manageToken } = await holdForCode({
      community,
      targetKind: 'slot',
      targetId: slotId,
      phone: input.phone,
      input: { ...input },
      idName: 'requestId',
      address: caller.address,
    });
    return { request: heldRequestView(pending), manageToken, community };
  }
  const manageToken = newOpaqueToken(MANAGE_TOKEN_PREFIX);
  const id = ulid();
  noteOutcome({ requestId: id, manageToken });
  let uses = firstUses;
  const request = await placeRequest({
    communityId,
    slotId,
    input,
    id,
    manageTokenHash: hashToken(manageToken),
    read: firstRead,
    phoneItem: (now) => usePhone(uses, now),
    phoneItemRefused: async () => {
      uses = await readPhoneUses(input.phone);
      return AGAIN;
    },
  });
  return { request, manageToken, community };
}

/** Books a place: the evening changed between read and write (a place went, capacity moved), read it again. */
async function placeRequest(p: {
  communityId: string;
  slotId: string;
  input: HelpRequestInput;
  id: string;
  manageTokenHash: string;
  read: Slot | undefined;
  /** The transaction's phone item: this use of the phone, or the held booking used up. */
  phoneItem: (now: Date) => TransactItem;
  phoneItemRefused: () => Promise<typeof AGAIN | HelpRequest>;
}): Promise<HelpRequest> {
  const { communityId, slotId, input, id } = p;
  let read = p.read;
  const ownState = async () => ((await phoneHoldsRequest(communityId, slotId, input.phone)) ? duplicateBooking() : undefined);
  return retryOptimistic(async (round) => {
    if (round > 1) read = await getSlot(communityId, slotId);
    let slot: Slot;
    try {
      slot = checkCanBook(read, clock.now());
    } catch (error) {
      throw await ownStateFirst(error, ownState);
    }
    const now = clock.now();
    const request: HelpRequest = {
      id,
      communityId,
      slotId,
      name: input.name,
      phone: input.phone,
      category: input.category,
      description: input.description,
      building: input.building,
      status: 'booked',
      manageTokenHash: p.manageTokenHash,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    let phoneItem;
    try {
      phoneItem = p.phoneItem(now);
    } catch (error) {
      throw await ownStateFirst(error, ownState);
    }
    const refusal = await insertHelpRequest(slot, request, phoneItem, now);
    if (refusal === undefined) return request;
    if (refusal === 'duplicate_phone') throw duplicateBooking();
    if (refusal === 'phone_uses_changed') return p.phoneItemRefused();
    return AGAIN;
  }, { attempts: PHONE_ROUNDS });
}

/**
 * The code sent to a held booking's phone comes back: it is booked as it would have been without
 * verification, the held booking used up in the same transaction. A booking the phone already
 * holds for the evening (someone else used this number) is cancelled: verifying takes it over.
 */
export async function verifyHelpRequest(communityId: string, slotId: string, id: string, manageToken: string, code: string) {
  const community = await requireCommunity(communityId);
  const asBooked = async () => ((await getHelpRequest(communityId, slotId, id)) ? { community, request: await requireOwnRequest(communityId, slotId, id, manageToken) } : undefined);
  const booked = await asBooked();
  if (booked) return booked;
  try {
    const pending = await checkCode(await heldRequest(communityId, 'slot', slotId, id, manageToken), code);
    const input = pending.input as unknown as HelpRequestInput;
    const holder = await phoneHolder(keys.slotPhoneMarker(communityId, slotId, phoneHash(input.phone)));
    if (holder && holder !== id) {
      const other = await getHelpRequest(communityId, slotId, holder);
      if (other?.status === 'booked') await cancelHelpRequest(other, clock.now());
    }
    const request = await placeRequest({
      communityId,
      slotId,
      input,
      id,
      manageTokenHash: pending.manageTokenHash,
      read: await getSlot(communityId, slotId),
      phoneItem: () => consumePending(pending),
      // Used up by a verify that raced this one: the booking it made.
      phoneItemRefused: async () => (await getHelpRequest(communityId, slotId, id)) ?? AGAIN,
    });
    return { community, request };
  } catch (error) {
    // A verify racing this one booked it first.
    const bookedMeanwhile = await asBooked();
    if (bookedMeanwhile) return bookedMeanwhile;
    throw error;
  }
}

async function requireOwnRequest(communityId: string, slotId: string, requestId: string, manageToken: string): Promise<HelpRequest> {
  const request = await getHelpRequest(communityId, slotId, requestId);
  if (!request) throw new NotFoundError('No such request');
  if (!tokenMatchesHash(manageToken, request.manageTokenHash)) throw new ForbiddenError('This manage token is for another request');
  return request;
}

export async function viewOwnRequest(communityId: string, slotId: string, requestId: string, manageToken: string): Promise<{ community: Community; request: ResidentRequest }> {
  const community = await requireCommunity(communityId);
  const held = await heldRequest(communityId, 'slot', slotId, requestId, manageToken);
  if (stillHeld(held) && !(await getHelpRequest(communityId, slotId, requestId))) return { community, request: heldRequestView(held) };
  return { community, request: await requireOwnRequest(communityId, slotId, requestId, manageToken) };
}

/** Cancels a booking (again: no change) and frees its place at once. */
export async function cancelOwnRequest(communityId: string, slotId: string, requestId: string, manageToken: string) {
  const community = await requireCommunity(communityId);
  const held = await heldRequest(communityId, 'slot', slotId, requestId, manageToken);
  if (held && !(await getHelpRequest(communityId, slotId, requestId))) {
    // Withdrawn before its code came back: there is no place to free.
    await dropPending(held);
    const nowIso = clock.nowIso();
    return { community, request: { ...heldRequestView(held), status: 'cancelled' as const, cancelledAt: nowIso, updatedAt: nowIso } };
  }
  const request = await requireOwnRequest(communityId, slotId, requestId, manageToken);
  if (request.status === 'booked') await cancelHelpRequest(request, clock.now());
  return { community, request: (await getHelpRequest(communityId, slotId, requestId)) ?? request };
}
