import * as z from 'zod';
import { CHECK_IN_PROOFS } from './desk-codes';
import { viewOf } from './model';

/** One version of the public earning standard: from `effectiveFrom` on, an hour earns `pointsPerHour`. */
export const earningRateRecord = z.object({ pointsPerHour: z.number(), effectiveFrom: z.string() });

/** What an organiser sets (the settings page); the stored profile and both views follow from it. */
export const communitySettingsRecord = z.object({
  name: z.string(),
  /** IANA zone; dates, times of day and monthly reports are read in it. */
  timezone: z.string(),
  /** The public earning standard: points per approved volunteer hour, as in force now. */
  pointsPerHour: z.number(),
  /** Minutes before an event or slot at which organisers are reminded. */
  reminderOffsetsMinutes: z.array(z.number().int()).readonly(),
  /** Emails and E.164 phones that organiser reminders go to. */
  organiserContacts: z.array(z.string()).readonly(),
  /**
   * The community's 企业微信 group robot: its key sealed (settings-cipher.ts) and the key's last
   * four characters, which is all any view shows of it.
   */
  wecomRobot: z.object({ sealedKey: z.string(), hint: z.string() }).optional(),
  /** Sign-ups and bookings wait for a code sent to their phone (API.md, "Phone verification"). */
  verifyPhone: z.boolean(),
  /** What a check-in must show: nothing, or the code on the community room's kiosk (domain/desk-codes.ts). */
  checkInProof: z.enum(CHECK_IN_PROOFS),
  /** The key desk codes are an HMAC of: made with the community, never in any view. */
  deskSecret: z.string().optional(),
});

/** A community (one residential compound) and its settings, declared once. */
export const communityRecord = communitySettingsRecord.extend({
  id: z.string(),
  /** Every version of the standard, oldest first: hours earn at the rate in force when worked. */
  pointsPerHourHistory: z.array(earningRateRecord).readonly(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Community = Readonly<z.output<typeof communityRecord>>;

export const COMMUNITY_DEFAULTS = {
  timezone: 'Asia/Shanghai',
  pointsPerHour: 10,
  reminderOffsetsMinutes: [1440, 60],
} as const;

export type CommunitySettings = Readonly<z.output<typeof communitySettingsRecord>>;

/** The settings as stored: offsets without duplicates, largest first (the order reminders go out). */
export function normaliseSettings(settings: CommunitySettings): CommunitySettings {
  return {
    ...settings,
    reminderOffsetsMinutes: [...new Set(settings.reminderOffsetsMinutes)].sort((a, b) => b - a),
    organiserContacts: [...new Set(settings.organiserContacts)],
  };
}

/** What anyone may read: the name, the time zone and the public earning standard. */
const publicFields = communityRecord.pick({ id: true, name: true, timezone: true, pointsPerHour: true, pointsPerHourHistory: true, checkInProof: true });

export function publicProfile(community: Community) {
  return viewOf(publicFields, community, community.timezone);
}

/** The robot's address as the console shows it: the fixed endpoint and the key's last four characters. */
export function maskedRobotUrl(hint: string): string {
  return `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****${hint}`;
}

/** What organisers see: everything, contacts included; of the robot only its masked address; never the desk secret. */
const organiserFields = communityRecord.omit({ wecomRobot: true, deskSecret: true });

export function organiserView(community: Community) {
  return {
    ...viewOf(organiserFields, community, community.timezone),
    wecomWebhookUrl: community.wecomRobot ? maskedRobotUrl(community.wecomRobot.hint) : null,
  };
}

export const publicCommunitySchema = publicFields.meta({ id: 'PublicCommunity' });
export const communitySchema = organiserFields
  .extend({
    wecomWebhookUrl: z
      .string()
      .nullable()
      .describe('The 企业微信 group robot that organisers’ messages also go to, masked (the key’s last four characters); null when none'),
  })
  .meta({ id: 'Community' });
