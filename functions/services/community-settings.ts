import { maskedRobotUrl, normaliseSettings, type Community, type CommunitySettings } from '../domain/communities';
import { newDeskSecret } from '../domain/desk-codes';
import { ValidationError } from '../domain/errors';
import { withRate } from '../domain/points';
import { config } from '../config';
import { parseWecomWebhook } from '../delivery/wecom';
import { sealSetting } from '../settings-cipher';
import { getCommunity, putCommunitySettings, StaleCommunityError } from '../store/communities';
import * as clock from '../clock';
import { forgetProfile } from './communities';
import { isEmail } from './notice';
import { retryOptimistic, staleOn } from './retry';

// The organiser's settings; apart from services/communities.ts, which every function reads
// profiles through, so that only the organiser function bundles the settings cipher.

/**
 * Creates or updates a community's settings (the organiser's PUT). A new `pointsPerHour` becomes a
 * new version of the public earning standard, effective now; hours already worked keep theirs.
 */
export async function saveCommunitySettings(communityId: string, input: SettingsInput): Promise<Community> {
  const { wecomWebhookUrl, ...settings } = input;
  refuseUnreachable(settings);
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

/**
 * What this deployment has no channel for is refused here, where the organiser can change it,
 * rather than failed at every reminder (and counted by the failed-deliveries alarm): e-mail where
 * the stack has no mail sender (AWS's China regions have no SES), SMS contacts and phone
 * verification where it has no SMS provider. The local runtime writes every channel to its outbox.
 */
function refuseUnreachable(settings: Pick<SettingsInput, 'organiserContacts' | 'verifyPhone'>): void {
  const { runtime, mailFrom, smsProvider } = config();
  if (runtime === 'local') return;
  const errors: { path: string; message: string }[] = [];
  settings.organiserContacts.forEach((contact, index) => {
    if (isEmail(contact) && !mailFrom) errors.push({ path: `organiserContacts.${index}`, message: 'This deployment sends no e-mail: use a mobile number, or the 企业微信 group robot' });
    if (!isEmail(contact) && smsProvider === 'none') errors.push({ path: `organiserContacts.${index}`, message: 'This deployment sends no SMS: use an e-mail address, or the 企业微信 group robot' });
  });
  if (settings.verifyPhone && smsProvider === 'none') errors.push({ path: 'verifyPhone', message: 'This deployment sends no SMS, so it cannot send verification codes' });
  if (errors.length) throw new ValidationError(errors);
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
