import { ulid } from 'ulid';
import { hashToken, newOpaqueToken, VOLUNTEER_TOKEN_PREFIX } from '../auth/opaque-token';
import { NotFoundError } from '../domain/errors';
import type { HelpCategory, Team, Volunteer, VolunteerPatch } from '../domain/volunteers';
import { getVolunteer, insertVolunteer, listVolunteers, replaceVolunteerToken, saveVolunteerProfile, StaleVolunteerError } from '../store/volunteers';
import { requireCommunity } from './communities';
import * as clock from '../clock';
import { retryOptimistic, staleOn } from './retry';
import { noteOutcome } from '../store/request-record';


/** Registers a volunteer; the token is returned this once and only its hash is kept. */
export async function createVolunteer(
  communityId: string,
  input: { name: string; phone: string; team: Team; skills: HelpCategory[] },
): Promise<{ volunteer: Volunteer; token: string }> {
  await requireCommunity(communityId);
  const token = newOpaqueToken(VOLUNTEER_TOKEN_PREFIX);
  const now = clock.nowIso();
  const volunteer: Volunteer = {
    id: ulid(),
    communityId,
    name: input.name,
    phone: input.phone,
    team: input.team,
    skills: [...new Set(input.skills)],
    status: 'active',
    tokenHash: hashToken(token),
    approvedMinutes: 0,
    pendingMinutes: 0,
    pointsBalance: 0,
    createdAt: now,
    updatedAt: now,
  };
  noteOutcome({ volunteerId: volunteer.id, token });
  await insertVolunteer(volunteer);
  return { volunteer, token };
}

export async function requireVolunteer(communityId: string, volunteerId: string): Promise<Volunteer> {
  const volunteer = await getVolunteer(communityId, volunteerId);
  if (!volunteer) throw new NotFoundError('No such volunteer');
  return volunteer;
}

/** Changes a volunteer's profile or status; an inactive volunteer's token is refused at once. */
export async function updateVolunteer(communityId: string, volunteerId: string, patch: VolunteerPatch): Promise<Volunteer> {
  return retryOptimistic(async () => {
    const current = await requireVolunteer(communityId, volunteerId);
    const next: Volunteer = {
      ...current,
      name: patch.name ?? current.name,
      team: patch.team ?? current.team,
      skills: patch.skills ? [...new Set(patch.skills)] : current.skills,
      status: patch.status ?? current.status,
      updatedAt: new Date(Math.max(clock.nowMs(), Date.parse(current.updatedAt) + 1)).toISOString(),
    };
    await saveVolunteerProfile(current, next);
    return next;
  }, { staleOn: staleOn(StaleVolunteerError) });
}

/** Issues a new token; the old one stops working in the same transaction. */
export async function rotateVolunteerToken(communityId: string, volunteerId: string): Promise<string> {
  return retryOptimistic(async () => {
    const current = await requireVolunteer(communityId, volunteerId);
    const token = newOpaqueToken(VOLUNTEER_TOKEN_PREFIX);
    noteOutcome({ token });
    await replaceVolunteerToken(current, hashToken(token), new Date(Math.max(clock.nowMs(), Date.parse(current.updatedAt) + 1)));
    return token;
  }, { staleOn: staleOn(StaleVolunteerError) });
}

export async function volunteersOf(communityId: string, page: { limit: number; cursor?: string }) {
  await requireCommunity(communityId);
  return listVolunteers(communityId, page);
}
