import { maskedRobotUrl, normaliseSettings, type Community, type CommunitySettings } from '../domain/communities';
import { newDeskSecret } from '../domain/desk-codes';
import { ValidationError } from '../domain/errors';
import { withRate } from '../domain/points';
import { parseWecomWebhook } from '../delivery/wecom';
import { sealSetting } from '../settings-cipher';
import { getCommunity, putCommunitySettings, StaleCommunityError } from '../store/communities';
import * as clock from '../clock';
import { forgetProfile } from './communities';
import { retryOptimistic, staleOn } from './retry';

// The organiser's settings; apart from services/communities.ts, which every function reads
// profiles through, so that only the organiser function bundles the settings cipher.

/**
 * Creates or updates a community's settings (the organiser's PUT). A new `pointsPerHour` becomes a
 * new version of the public earning standard, effective now; hours already worked keep theirs.
 */
export async function saveCommunitySettings(communityId: string, input: SettingsInput): Promise<Community> {
  const { wecomWebhookUrl, ...settings } = input;
  return retryOptimistic(async () => {
    const current = await getCommunity(communityId);
    const normalised = normaliseSettings({ ...settings, wecomRobot: await robotOf(wecomWebhookUrl, current), deskSecret: current?.deskSecret ?? newDeskSecret() });
    const now = clock.now();
    const history = withRate(current?.pointsPerHourHistory ?? [], normalised.pointsPerHour, now);
    const saved = await putCommunitySettings(communityId, normalised, history, current?.updatedAt, now);
    forgetProfile(communityId);
    return saved;
  }, { staleOn: staleOn(StaleCommunityError) });
}

/** The settings as an organiser sends them: the robot as an address (or `null` to remove it). */
export type SettingsInput = Omit<CommunitySettings, 'wecomRobot' | 'deskSecret'> & { readonly wecomWebhookUrl?: string | null };

/**
 * The robot to store: unchanged when the address is left out or sent back masked as the console
 * shows it; none after `null`; else the key of a valid robot address, sealed. Only the key is
 * kept, and the address is rebuilt on the fixed host when sending: nothing an organiser types
 * can make the jobs function call another host.
 */
async function robotOf(url: string | null | undefined, current: Community | undefined): Promise<CommunitySettings['wecomRobot']> {
  if (url === undefined) return current?.wecomRobot;
  if (url === null) return undefined;
  if (current?.wecomRobot && url === maskedRobotUrl(current.wecomRobot.hint)) return current.wecomRobot;
  const parsed = parseWecomWebhook(url);
  if ('error' in parsed) throw new ValidationError([{ path: 'wecomWebhookUrl', message: parsed.error }]);
  return { sealedKey: await sealSetting(parsed.key), hint: parsed.key.slice(-4) };
}
