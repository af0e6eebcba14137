import { ulid } from 'ulid';
import type { OrganiserPrincipal, VolunteerPrincipal } from '../auth/principal';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { approvedMinutesFor, AUTO_CLOSE_AFTER_MS, checkCheckInWindow, MAX_MINUTES, monthOf, wholeMinutes, type HoursLog, type HoursStatus } from '../domain/hours';
import { pointsFor, rateAt } from '../domain/points';
import type { ShiftTargetKind } from '../domain/shifts';
import { checkCanServe } from '../domain/volunteers';
import {
  approveLog,
  closeLog,
  findOpenLogId,
  getLog,
  insertApprovedLog,
  insertOpenLog,
  listLogsByStatus,
  listOpenLogsEndedBefore,
  listVolunteerLogs,
  readMonthCounters,
  rejectLog,
} from '../store/hours';
import { findShift } from '../store/shifts';
import { checkInProofFor } from './desk-codes';
import { requireCommunity } from './communities';
import { loadTarget } from './shifts';
import { requireVolunteer } from './volunteers';
import * as clock from '../clock';
import { noteOutcome } from '../store/request-record';
import { drain, UNBOUNDED, type JobBudget } from './drain';

/** Check-in on a shift the volunteer holds, in its window, with no other log open. */
/** One hours log per shift per volunteer (issue 17): a shift worked and checked out of is done. */
const shiftLogged = () => new ConflictError('invalid_state', 'This shift already has your hours log; ask an organiser to add time');

export async function checkIn(principal: VolunteerPrincipal, kind: ShiftTargetKind, targetId: string, deskCode?: string): Promise<HoursLog> {
  const { communityId, volunteerId } = principal;
  // Five independent reads, one round trip; the refusals keep their order below. The transaction
  // checks the shift and the open-log marker again, so a race between read and write is caught.
  const [community, volunteer, target, shift, openLogId] = await Promise.all([
    requireCommunity(communityId),
    requireVolunteer(communityId, volunteerId),
    loadTarget(communityId, kind, targetId),
    findShift(communityId, kind, targetId, volunteerId),
    findOpenLogId(communityId, volunteerId),
  ]);
  checkCanServe(volunteer);
  if (!target) throw new NotFoundError(`No such ${kind}`);
  if (target.cancelled) throw new ConflictError(kind === 'slot' ? 'slot_cancelled' : 'event_cancelled');
  if (!shift) throw new ConflictError('not_on_shift', 'You hold no shift here');
  // The caller's own state before the shift's window (README, "Refusals").
  if (openLogId) throw new ConflictError('already_checked_in', 'Check out of your open shift first');
  if (shift.logId) throw shiftLogged();
  checkCheckInWindow(target, clock.now());
  // Last: the desk code, so that wrong codes are counted only for check-ins that could happen.
  const proof = await checkInProofFor(community, volunteerId, deskCode);
  const now = clock.now();
  const log: HoursLog = {
    id: ulid(),
    communityId,
    volunteerId,
    volunteerName: volunteer.name,
    team: volunteer.team,
    targetKind: kind,
    targetId,
    targetEndsAt: target.endsAt,
    targetStartsAt: target.startsAt,
    targetTitle: target.title,
    proof,
    status: 'open',
    checkedInAt: now.toISOString(),
    decisions: [],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  noteOutcome({ logId: log.id });
  const refusal = await insertOpenLog(log);
  if (refusal === 'already_checked_in') throw new ConflictError('already_checked_in', 'Check out of your open shift first');
  if (refusal === 'not_on_shift') throw new ConflictError('not_on_shift', 'You hold no shift here');
  if (refusal === 'shift_logged') throw shiftLogged();
  return log;
}

function closed(open: HoursLog, at: string, autoClosed: boolean): HoursLog {
  return {
    ...open,
    status: 'pending',
    checkedOutAt: at,
    minutes: Math.min(wholeMinutes(open.checkedInAt, at), MAX_MINUTES),
    ...(autoClosed ? { autoClosed: true } : {}),
    updatedAt: clock.nowIso(),
  };
}

/** Check-out of the open log: whole minutes, then waiting for an organiser's review. */
export async function checkOut(principal: VolunteerPrincipal): Promise<HoursLog> {
  const { communityId, volunteerId } = principal;
  const logId = await findOpenLogId(communityId, volunteerId);
  const open = logId ? await getLog(communityId, logId) : undefined;
  if (!open || open.status !== 'open') throw new ConflictError('not_checked_in', 'You are not checked in');
  const done = closed(open, clock.nowIso(), false);
  noteOutcome({ logId: open.id });
  if (!(await closeLog(open, done))) throw new ConflictError('not_checked_in', 'You are not checked in');
  return done;
}

/** The volunteer's open log, for `GET /me`. */
export async function openLogOf(communityId: string, volunteerId: string): Promise<HoursLog | undefined> {
  const logId = await findOpenLogId(communityId, volunteerId);
  const log = logId ? await getLog(communityId, logId) : undefined;
  return log?.status === 'open' ? log : undefined;
}

export async function myLogs(principal: VolunteerPrincipal, page: { limit: number; cursor?: string }) {
  const { communityId, volunteerId } = principal;
  return { community: await requireCommunity(communityId), ...(await listVolunteerLogs(communityId, volunteerId, page)) };
}

export async function logsForReview(communityId: string, status: HoursStatus, page: { limit: number; cursor?: string }) {
  return { community: await requireCommunity(communityId), ...(await listLogsByStatus(communityId, status, page)) };
}

/** A log and its community, as a check-in, check-out or entry answered it (their replays). */
export async function logWithCommunity(communityId: string, logId: string) {
  const [log, community] = await Promise.all([requireLog(communityId, logId), requireCommunity(communityId)]);
  return { log, community };
}

export async function requireLog(communityId: string, logId: string): Promise<HoursLog> {
  const log = await getLog(communityId, logId);
  if (!log) throw new NotFoundError('No such hours log');
  return log;
}

/**
 * Approves a pending log, crediting `minutes / 60 × rate` points at the rate in force when the
 * hours were worked. Approving again with the same minutes answers with the approved log and
 * credits nothing more.
 */
export async function approveHours(organiser: OrganiserPrincipal, communityId: string, logId: string, input: { minutes?: number; note?: string }) {
  // The earning standard decides the points: read it as it is now, not from this instance's copy.
  const community = await requireCommunity(communityId, { fresh: true });
  const log = await requireLog(communityId, logId);
  if (log.status === 'approved' && (input.minutes === undefined || input.minutes === log.approvedMinutes)) return { log, community };
  if (log.status !== 'pending') throw new ConflictError('invalid_state', `This log is ${log.status}`);
  const minutes = approvedMinutesFor(log, input.minutes, input.note);
  const pointsPerHour = rateAt(community.pointsPerHourHistory, log.checkedInAt);
  const points = pointsFor(minutes, pointsPerHour);
  const now = clock.nowIso();
  const approved: HoursLog = {
    ...log,
    status: 'approved',
    approvedMinutes: minutes,
    points,
    pointsPerHour,
    decisions: [...log.decisions, { action: 'approved', by: organiser.subject, at: now, minutes, ...(input.note ? { note: input.note } : {}) }],
    updatedAt: now,
  };
  const credit = { minutes, points, month: monthOf(log.checkedInAt, community.timezone), ledgerEntryId: ulid() };
  if (await approveLog(log, approved, credit)) return { log: approved, community };
  // Someone decided first: answer with what it is now, as above.
  const now2 = await requireLog(communityId, logId);
  if (now2.status === 'approved' && (input.minutes === undefined || input.minutes === now2.approvedMinutes)) return { log: now2, community };
  throw new ConflictError('invalid_state', `This log is ${now2.status}`);
}

export async function rejectHours(organiser: OrganiserPrincipal, communityId: string, logId: string, note: string) {
  const community = await requireCommunity(communityId);
  const log = await requireLog(communityId, logId);
  if (log.status === 'rejected') return { log, community };
  if (log.status !== 'pending') throw new ConflictError('invalid_state', `This log is ${log.status}`);
  const now = clock.nowIso();
  const rejected: HoursLog = {
    ...log,
    status: 'rejected',
    decisions: [...log.decisions, { action: 'rejected', by: organiser.subject, at: now, note }],
    updatedAt: now,
  };
  if (await rejectLog(log, rejected)) return { log: rejected, community };
  const current = await requireLog(communityId, logId);
  if (current.status === 'rejected') return { log: current, community };
  throw new ConflictError('invalid_state', `This log is ${current.status}`);
}

/** An organiser enters hours a volunteer forgot to check in for: stored approved and credited. */
export async function enterHours(
  organiser: OrganiserPrincipal,
  communityId: string,
  input: { volunteerId: string; startedAt: string; endedAt: string; note: string; slotId?: string; eventId?: string },
) {
  const community = await requireCommunity(communityId, { fresh: true });
  const volunteer = await requireVolunteer(communityId, input.volunteerId);
  const startedAt = new Date(input.startedAt).toISOString();
  const endedAt = new Date(input.endedAt).toISOString();
  if (endedAt <= startedAt) throw new ValidationError([{ path: 'endedAt', message: 'Must be after startedAt' }]);
  if (startedAt > clock.nowIso()) throw new ValidationError([{ path: 'startedAt', message: 'Hours cannot be entered in advance' }]);
  const minutes = wholeMinutes(startedAt, endedAt);
  if (minutes > MAX_MINUTES) throw new ValidationError([{ path: 'endedAt', message: `At most ${MAX_MINUTES} minutes in one entry` }]);
  const pointsPerHour = rateAt(community.pointsPerHourHistory, startedAt);
  const points = pointsFor(minutes, pointsPerHour);
  const now = clock.nowIso();
  const kind: ShiftTargetKind | undefined = input.slotId ? 'slot' : input.eventId ? 'event' : undefined;
  const targetId = (input.slotId ?? input.eventId)!;
  // On a shift the volunteer already has a log for, the entry is allowed (an organiser's word) and flagged.
  const [target, shift] = kind ? await Promise.all([loadTarget(communityId, kind, targetId), findShift(communityId, kind, targetId, volunteer.id)]) : [undefined, undefined];
  const log: HoursLog = {
    id: ulid(),
    communityId,
    volunteerId: volunteer.id,
    volunteerName: volunteer.name,
    team: volunteer.team,
    ...(kind ? { targetKind: kind, targetId } : {}),
    ...(target ? { targetTitle: target.title, targetStartsAt: target.startsAt, targetEndsAt: target.endsAt } : {}),
    proof: 'organiser',
    ...(shift?.logId ? { secondOnShift: true } : {}),
    status: 'approved',
    checkedInAt: startedAt,
    checkedOutAt: endedAt,
    minutes,
    approvedMinutes: minutes,
    points,
    pointsPerHour,
    decisions: [{ action: 'entered', by: organiser.subject, at: now, note: input.note, minutes }],
    createdAt: now,
    updatedAt: now,
  };
  noteOutcome({ logId: log.id });
  await insertApprovedLog(log, { minutes, points, month: monthOf(startedAt, community.timezone), ledgerEntryId: ulid() });
  return { log, community };
}

/** The month's totals per team and per volunteer, read from the counters the approvals keep. */
export async function hoursReport(communityId: string, month: string) {
  const community = await requireCommunity(communityId);
  const counters = await readMonthCounters(communityId, month);
  const teams = counters.teams.sort((a, b) => b.minutes - a.minutes || a.team.localeCompare(b.team));
  const volunteers = counters.volunteers.sort((a, b) => b.minutes - a.minutes || a.name.localeCompare(b.name));
  return {
    community,
    month,
    totals: { minutes: teams.reduce((sum, team) => sum + team.minutes, 0), points: teams.reduce((sum, team) => sum + team.points, 0) },
    teams,
    volunteers,
  };
}

/**
 * Housekeeping: logs still open 2 h after their shift ended are closed at the shift's end,
 * flagged `autoClosed`, and wait for review like any other.
 */
export async function autoCloseOpenLogs(now: Date, budget: JobBudget = UNBOUNDED): Promise<number> {
  const cutoff = new Date(now.getTime() - AUTO_CLOSE_AFTER_MS).toISOString();
  let count = 0;
  await drain(
    (startKey) => listOpenLogsEndedBefore(cutoff, 100, startKey),
    async (open) => {
      const at = open.targetEndsAt! > open.checkedInAt ? open.targetEndsAt! : open.checkedInAt;
      if (await closeLog(open, closed(open, at, true))) count += 1;
    },
    budget,
  );
  return count;
}

