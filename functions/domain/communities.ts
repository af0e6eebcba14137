import type { EarningRate } from './points';

/** A community (one residential compound) and its settings. */
export interface Community {
  readonly id: string;
  readonly name: string;
  /** IANA zone; dates, times of day and monthly reports are read in it. */
  readonly timezone: string;
  /** The public earning standard: points per approved volunteer hour, as in force now. */
  readonly pointsPerHour: number;
  /** Every version of the standard, oldest first: hours earn at the rate in force when worked. */
  readonly pointsPerHourHistory: readonly EarningRate[];
  /** Minutes before an event or slot at which organisers are reminded. */
  readonly reminderOffsetsMinutes: readonly number[];
  /** Emails and E.164 phones that organiser reminders go to. */
  readonly organiserContacts: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const COMMUNITY_DEFAULTS = {
  timezone: 'Asia/Shanghai',
  pointsPerHour: 10,
  reminderOffsetsMinutes: [1440, 60],
} as const;

export interface CommunitySettings {
  readonly name: string;
  readonly timezone: string;
  readonly pointsPerHour: number;
  readonly reminderOffsetsMinutes: readonly number[];
  readonly organiserContacts: readonly string[];
}

/** The settings as stored: offsets without duplicates, largest first (the order reminders go out). */
export function normaliseSettings(settings: CommunitySettings): CommunitySettings {
  return {
    ...settings,
    reminderOffsetsMinutes: [...new Set(settings.reminderOffsetsMinutes)].sort((a, b) => b - a),
    organiserContacts: [...new Set(settings.organiserContacts)],
  };
}

/** What anyone may read: the name, the time zone and the public earning standard. */
export function publicProfile(community: Community) {
  return {
    id: community.id,
    name: community.name,
    timezone: community.timezone,
    pointsPerHour: community.pointsPerHour,
    pointsPerHourHistory: community.pointsPerHourHistory,
  };
}

/** What organisers see: everything, contacts included. */
export function organiserView(community: Community) {
  return {
    ...publicProfile(community),
    reminderOffsetsMinutes: community.reminderOffsetsMinutes,
    organiserContacts: community.organiserContacts,
    createdAt: community.createdAt,
    updatedAt: community.updatedAt,
  };
}
