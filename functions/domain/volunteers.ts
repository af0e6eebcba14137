import { ConflictError } from './errors';

/** The six resident volunteer teams (DESIGN.md glossary). */
export const TEAMS = ['convenience', 'assistance', 'patrol', 'mediation', 'cleaning', 'grid_inspection'] as const;
export type Team = (typeof TEAMS)[number];

/** What residents can ask the evening help desk for; volunteers list them as skills. */
export const HELP_CATEGORIES = [
  'appliance_repair',
  'pipe_unclogging',
  'hardship_assistance',
  'security_patrol',
  'dispute_mediation',
  'greening_sanitation',
  'other',
] as const;
export type HelpCategory = (typeof HELP_CATEGORIES)[number];

export const TEAM_NAMES_ZH: Readonly<Record<Team, string>> = {
  convenience: '惠邻便民队',
  assistance: '暖邻帮扶队',
  patrol: '安邻巡逻队',
  mediation: '睦邻调解队',
  cleaning: '洁邻管护队',
  grid_inspection: '网格"啄木鸟"队',
};

export const CATEGORY_NAMES_ZH: Readonly<Record<HelpCategory, string>> = {
  appliance_repair: '家电维修',
  pipe_unclogging: '管道疏通',
  hardship_assistance: '困难家庭帮扶',
  security_patrol: '治安巡逻值守',
  dispute_mediation: '邻里纠纷协调',
  greening_sanitation: '绿化环境卫生',
  other: '其他',
};

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
