import { ConflictError } from './errors';
import type { HelpCategory, Team } from './glossary';

/** The teams and the help categories, their ids and names: the glossary (glossary.ts). */
export { CATEGORY_NAMES_ZH, HELP_CATEGORIES, TEAM_NAMES_ZH, TEAMS, type HelpCategory, type Team } from './glossary';

export type VolunteerStatus = 'active' | 'inactive';

export interface Volunteer {
  readonly id: string;
  readonly communityId: string;
  readonly name: string;
  /** E.164; shown only to organisers. */
  readonly phone: string;
  readonly team: Team;
  readonly skills: readonly HelpCategory[];
  readonly status: VolunteerStatus;
  /** SHA-256 of the current token; rotating replaces it and the old token stops at once. */
  readonly tokenHash: string;
  /** Totals kept as counters beside the hours logs and the points ledger (volunteer hours issue). */
  readonly approvedMinutes: number;
  readonly pendingMinutes: number;
  readonly pointsBalance: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface VolunteerPatch {
  name?: string;
  team?: Team;
  skills?: HelpCategory[];
  status?: VolunteerStatus;
}

/** The organiser's view: contact details and totals. */
export function volunteerAdminView(volunteer: Volunteer) {
  return {
    id: volunteer.id,
    communityId: volunteer.communityId,
    name: volunteer.name,
    phone: volunteer.phone,
    team: volunteer.team,
    skills: volunteer.skills,
    status: volunteer.status,
    hours: { approvedMinutes: volunteer.approvedMinutes, pendingMinutes: volunteer.pendingMinutes },
    points: { balance: volunteer.pointsBalance },
    createdAt: volunteer.createdAt,
    updatedAt: volunteer.updatedAt,
  };
}

/** What a volunteer sees of themselves. */
export function volunteerSelfView(volunteer: Volunteer) {
  return { id: volunteer.id, name: volunteer.name, team: volunteer.team, communityId: volunteer.communityId, skills: volunteer.skills };
}

/** What other people may see of a volunteer on duty: a name and a team, never a phone. */
export function volunteerOnDutyView(volunteer: Pick<Volunteer, 'id' | 'name' | 'team'>) {
  return { id: volunteer.id, name: volunteer.name, team: volunteer.team };
}

export function checkCanServe(volunteer: Pick<Volunteer, 'status'>): void {
  if (volunteer.status !== 'active') throw new ConflictError('invalid_state', 'This volunteer is inactive');
}
