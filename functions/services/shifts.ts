import type { VolunteerPrincipal } from '../auth/principal';
import { ConflictError, NotFoundError } from '../domain/errors';
import { checkCanGiveBack, checkCanTakeShift, eventTarget, isLateGiveBack, slotTarget, type Shift, type ShiftTarget, type ShiftTargetKind } from '../domain/shifts';
import { checkCanServe } from '../domain/volunteers';
import { getEvent } from '../store/events';
import { deleteShift, findShift, insertShift, listVolunteerShifts } from '../store/shifts';
import { getSlot } from '../store/slots';
import { requireCommunity } from './communities';
import { ownStateFirst } from './refusals';
import { recordCoverageAlert } from './notices';
import { requireVolunteer } from './volunteers';
import * as clock from '../clock';
import { AGAIN, retryOptimistic } from './retry';


/** The slot or event a shift is on, as a shift target; drafts do not exist for volunteers. */
export async function loadTarget(communityId: string, kind: ShiftTargetKind, targetId: string): Promise<ShiftTarget | undefined> {
  if (kind === 'slot') {
    const slot = await getSlot(communityId, targetId);
    return slot ? slotTarget(slot) : undefined;
  }
  const event = await getEvent(communityId, targetId);
  return event && event.status !== 'draft' ? eventTarget(event) : undefined;
}

const alreadySignedUp = () => new ConflictError('already_signed_up', 'You already hold a shift here');

/**
 * A volunteer takes a shift, or an organiser puts one on it (the console's "assign" on an
 * understaffed evening): capped by the target's volunteer places, once per volunteer.
 */
export async function takeShift(who: Pick<VolunteerPrincipal, 'communityId' | 'volunteerId'>, kind: ShiftTargetKind, targetId: string): Promise<Shift> {
  const { communityId, volunteerId } = who;
  const volunteer = await requireVolunteer(communityId, volunteerId);
  checkCanServe(volunteer);
  // A refusal by the target (a place went, capacity moved, cancelled) is read and decided again.
  return retryOptimistic(async () => {
    let target: ShiftTarget;
    try {
      target = checkCanTakeShift(await loadTarget(communityId, kind, targetId), clock.now());
    } catch (error) {
      throw await ownStateFirst(error, async () => ((await findShift(communityId, kind, targetId, volunteerId)) ? alreadySignedUp() : undefined));
    }
    const shift: Shift = {
      communityId,
      targetKind: kind,
      targetId,
      volunteerId,
      volunteerName: volunteer.name,
      team: volunteer.team,
      title: target.title,
      venue: target.venue,
      startsAt: target.startsAt,
      endsAt: target.endsAt,
      takenAt: clock.nowIso(),
    };
    const refusal = await insertShift(target, shift);
    if (refusal === undefined) return shift;
    if (refusal === 'already_signed_up') throw alreadySignedUp();
    return AGAIN;
  });
}

/**
 * A volunteer gives a shift back. With under 24 h to go, the organisers get a coverage alert at once.
 */
export async function giveBackShift(principal: VolunteerPrincipal, kind: ShiftTargetKind, targetId: string): Promise<ShiftTarget> {
  const { communityId, volunteerId } = principal;
  const target = await loadTarget(communityId, kind, targetId);
  if (!target) throw new NotFoundError(`No such ${kind}`);
  const held = await findShift(communityId, kind, targetId, volunteerId);
  if (!held) throw new NotFoundError('You hold no shift here');
  checkCanGiveBack(target, clock.now());
  await deleteShift(target, volunteerId);
  if (!target.cancelled && isLateGiveBack(target, clock.now())) {
    const community = await requireCommunity(communityId);
    await recordCoverageAlert(community, target, held.volunteerName, held.takenAt, volunteerId);
  }
  return target;
}

/** The volunteer's shifts that have not yet ended, soonest first. */
export async function upcomingShifts(principal: VolunteerPrincipal): Promise<Shift[]> {
  const { communityId, volunteerId } = principal;
  return listVolunteerShifts(communityId, volunteerId, clock.nowIso());
}
