import { timingSafeEqual } from 'node:crypto';
import { ulid } from 'ulid';
import { hashToken, MANAGE_TOKEN_PREFIX, newOpaqueToken } from '../auth/opaque-token';
import type { Community } from '../domain/communities';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors';
import { checkCanBook, type HelpRequest, type HelpRequestInput } from '../domain/help-requests';
import type { Slot } from '../domain/slots';
import { cancelHelpRequest, getHelpRequest, insertHelpRequest, phoneHoldsRequest } from '../store/help-requests';
import { ownStateFirst } from './refusals';
import { getSlot } from '../store/slots';
import { requireCommunity } from './communities';
import { readPhoneUses, usePhone } from './registrations';
import * as clock from '../clock';
import { AGAIN, retryOptimistic } from './retry';
import { noteOutcome } from '../store/request-record';


const duplicateBooking = () => new ConflictError('duplicate_registration', 'This phone number already has a booking for this evening');

/** A resident books the evening help desk for a category of problem. */
export async function bookHelp(
  communityId: string,
  slotId: string,
  input: HelpRequestInput,
): Promise<{ request: HelpRequest; manageToken: string; community: Community }> {
  const [community, firstRead, firstUses] = await Promise.all([requireCommunity(communityId), getSlot(communityId, slotId), readPhoneUses(input.phone)]);
  let read = firstRead;
  let uses = firstUses;
  const ownState = async () => ((await phoneHoldsRequest(communityId, slotId, input.phone)) ? duplicateBooking() : undefined);
  const manageToken = newOpaqueToken(MANAGE_TOKEN_PREFIX);
  const id = ulid();
  noteOutcome({ requestId: id, manageToken });
  // The evening changed between read and write (a place went, capacity moved): read it again.
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
      manageTokenHash: hashToken(manageToken),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    let phoneUse;
    try {
      phoneUse = usePhone(uses, now);
    } catch (error) {
      throw await ownStateFirst(error, ownState);
    }
    const refusal = await insertHelpRequest(slot, request, phoneUse, now);
    if (refusal === undefined) return { request, manageToken, community };
    if (refusal === 'duplicate_phone') throw duplicateBooking();
    if (refusal === 'phone_uses_changed') uses = await readPhoneUses(input.phone);
    return AGAIN;
  });
}

async function requireOwnRequest(communityId: string, slotId: string, requestId: string, manageToken: string): Promise<HelpRequest> {
  const request = await getHelpRequest(communityId, slotId, requestId);
  if (!request) throw new NotFoundError('No such request');
  const given = Buffer.from(hashToken(manageToken));
  const stored = Buffer.from(request.manageTokenHash);
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) throw new ForbiddenError('This manage token is for another request');
  return request;
}

export async function viewOwnRequest(communityId: string, slotId: string, requestId: string, manageToken: string) {
  const community = await requireCommunity(communityId);
  return { community, request: await requireOwnRequest(communityId, slotId, requestId, manageToken) };
}

/** Cancels a booking (again: no change) and frees its place at once. */
export async function cancelOwnRequest(communityId: string, slotId: string, requestId: string, manageToken: string) {
  const community = await requireCommunity(communityId);
  const request = await requireOwnRequest(communityId, slotId, requestId, manageToken);
  if (request.status === 'booked') await cancelHelpRequest(request, clock.now());
  return { community, request: (await getHelpRequest(communityId, slotId, requestId)) ?? request };
}
