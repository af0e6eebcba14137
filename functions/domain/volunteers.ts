import * as z from 'zod';
import { ConflictError } from './errors';
import { viewOf, viewSchemaOf } from './model';
import { HELP_CATEGORIES, TEAMS, type HelpCategory, type Team } from './glossary';

/** The teams and the help categories, their ids and names: the glossary (glossary.ts). */
export { CATEGORY_NAMES_ZH, HELP_CATEGORIES, TEAM_NAMES_ZH, TEAMS, type HelpCategory, type Team } from './glossary';

export const VOLUNTEER_STATUSES = ['active', 'inactive'] as const;
export type VolunteerStatus = (typeof VOLUNTEER_STATUSES)[number];

/** A resident volunteer, declared once. */
export const volunteerRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  name: z.string(),
  /** E.164; shown only to organisers. */
  phone: z.string(),
  team: z.enum(TEAMS),
  skills: z.array(z.enum(HELP_CATEGORIES)).readonly(),
  status: z.enum(VOLUNTEER_STATUSES),
  /** SHA-256 of the current token; rotating replaces it and the old token stops at once. */
  tokenHash: z.string(),
  /** Totals kept as counters beside the hours logs and the points ledger (volunteer hours issue). */
  approvedMinutes: z.number().int(),
  pendingMinutes: z.number().int(),
  pointsBalance: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Volunteer = Readonly<z.output<typeof volunteerRecord>>;

export interface VolunteerPatch {
  name?: string;
  team?: Team;
  skills?: HelpCategory[];
  status?: VolunteerStatus;
}

/** The organiser's view: contact details and totals. */
export function volunteerAdminView(volunteer: Volunteer) {
  return {
    ...viewOf(volunteerAdminFields, volunteer, 'UTC'),
    hours: { approvedMinutes: volunteer.approvedMinutes, pendingMinutes: volunteer.pendingMinutes },
    points: { balance: volunteer.pointsBalance },
  };
}

/** What organisers see of a volunteer: all but the token's hash, the totals grouped. */
const volunteerAdminFields = volunteerRecord.omit({ tokenHash: true, approvedMinutes: true, pendingMinutes: true, pointsBalance: true });

export const volunteerAdminSchema = viewSchemaOf(volunteerAdminFields)
  .extend({
    hours: z.object({ approvedMinutes: volunteerRecord.shape.approvedMinutes, pendingMinutes: volunteerRecord.shape.pendingMinutes }),
    points: z.object({ balance: volunteerRecord.shape.pointsBalance }),
  })
  .meta({ id: 'Volunteer' });

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
