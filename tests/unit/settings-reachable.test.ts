import { resetConfig } from '../../functions/config';
import { saveCommunitySettings } from '../../functions/services/community-settings';

/**
 * Settings refuse what the deployment has no channel for (issue 15's China stacks: no SES there,
 * and a stack may run without an SMS provider), so that an organiser learns it while typing the
 * contact, not from a failed-deliveries alarm at every reminder. Refused before anything is read
 * or stored: no database is needed here.
 */
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetConfig();
});

function deployment(env: Record<string, string | undefined>): void {
  Object.assign(process.env, { LINLI_RUNTIME: 'aws', TABLE_NAME: 'linli-settings-test' });
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
}

const settings = (over: Record<string, unknown>) => ({
  name: '幸福邻里',
  timezone: 'Asia/Shanghai',
  pointsPerHour: 60,
  reminderOffsetsMinutes: [60],
  organiserContacts: [] as string[],
  verifyPhone: false,
  checkInProof: 'none' as const,
  ...over,
});

it('refuses an e-mail contact where the stack has no mail sender, naming the contact', async () => {
  deployment({ MAIL_FROM: undefined, SMS_PROVIDER: 'tencent' });
  await expect(saveCommunitySettings('xingfu', settings({ organiserContacts: ['+8613800000001', 'wang@example.cn'] }))).rejects.toMatchObject({
    code: 'validation_failed',
    errors: [{ path: 'organiserContacts.1', message: expect.stringContaining('no e-mail') }],
  });
});

it('refuses phone contacts and phone verification where the stack has no SMS provider', async () => {
  deployment({ MAIL_FROM: 'linli@example.org', SMS_PROVIDER: 'none' });
  await expect(saveCommunitySettings('xingfu', settings({ organiserContacts: ['wang@example.cn', '+8613800000001'], verifyPhone: true }))).rejects.toMatchObject({
    code: 'validation_failed',
    errors: [
      { path: 'organiserContacts.1', message: expect.stringContaining('no SMS') },
      { path: 'verifyPhone', message: expect.stringContaining('no SMS') },
    ],
  });
});
