import * as clock from '../../../functions/clock';
import { DeliveryError, type Envelope } from '../../../functions/delivery/adapter';
import { tencentSms, type TencentSmsOptions } from '../../../functions/delivery/sms/tencent';
import { SMS_TEMPLATES, TEXT_PARAM_LIMIT, templateParams } from '../../../functions/delivery/sms/templates';
import { startFakeTencentSms, type FakeTencentSms } from '../../support/fake-tencent-sms';

const PHONE = '+8613900139000';

const envelope = (overrides: Partial<Envelope> = {}): Envelope => ({
  notificationId: 'n-shift-1',
  communityId: 'xingfu',
  kind: 'shift_reminder',
  channel: 'sms',
  address: PHONE,
  shownAs: '139****9000',
  community: '幸福里',
  subject: '【幸福里】值班提醒 Shift reminder',
  body: '【幸福里】提醒：您 12月20日 19:00 在 社区活动中心二楼多功能厅 值班（冬至包饺子迎新春邻里联欢会）。',
  params: { community: '幸福里', title: '冬至包饺子迎新春邻里联欢会', time: '12月20日 19:00', venue: '社区活动中心二楼多功能厅' },
  ...overrides,
});

let fake: FakeTencentSms;
beforeAll(async () => {
  fake = await startFakeTencentSms();
});
afterAll(() => fake.stop());

const options = (overrides: Partial<TencentSmsOptions> = {}): TencentSmsOptions => ({
  region: 'ap-guangzhou',
  sdkAppId: '1400006666',
  signName: '幸福里社区',
  templates: { shift_reminder: '2100001', event_cancelled: '2100002', phone_verification: '2100009' },
  credentials: async () => ({ secretId: 'AKIDfakeSecretId', secretKey: 'fake-secret-key' }),
  endpoint: fake.endpoint,
  ...overrides,
});

/** The DeliveryError a delivery failed with (fails the test when it did not fail). */
async function failure(promise: Promise<void>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

/** Nothing a log or the console could show carries the number, in any spelling. */
function expectNoPhone(error: DeliveryError): void {
  const shown = [error.code, error.message, String(error), JSON.stringify(error), String(error.stack), String((error.cause as Error | undefined)?.message ?? '')].join('\n');
  expect(shown).not.toContain('13900139000');
}

describe('the Tencent Cloud SMS adapter', () => {
  it("sends the kind's registered template with its params in order, fitted to the variable limit", async () => {
    const before = fake.requests.length;
    await tencentSms(options()).deliver(envelope());
    expect(fake.requests).toHaveLength(before + 1);
    const { body, region, version } = fake.requests.at(-1)!;
    expect(body).toEqual({
      PhoneNumberSet: [PHONE],
      SmsSdkAppId: '1400006666',
      TemplateId: '2100001',
      SignName: '幸福里社区',
      TemplateParamSet: ['幸福里', '冬至包饺子迎新春邻里联…', '12月20日 19:00', '社区活动中心二楼多功能厅'],
      SessionContext: 'n-shift-1',
    });
    expect(region).toBe('ap-guangzhou');
    expect(version).toBe('2021-01-11');
  });

  it('signs each request with TC3-HMAC-SHA256 using the key the credentials give at that moment', async () => {
    let secretId = 'AKIDfirstKey';
    const adapter = tencentSms(options({ credentials: async () => ({ secretId, secretKey: 'k' }) }));
    await adapter.deliver(envelope());
    expect(fake.requests.at(-1)!.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDfirstKey\/\d{4}-\d{2}-\d{2}\/[^/]+\/tc3_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/);
    secretId = 'AKIDrotatedKey';
    await adapter.deliver(envelope());
    expect(fake.requests.at(-1)!.authorization).toContain('Credential=AKIDrotatedKey/');
  });

  it('sends a verification code as it is, and refuses one that is not 1–6 digits without sending', async () => {
    // Not a notification kind (yet): the envelope carries it all the same.
    const verification = (code: string) => ({ ...envelope(), kind: 'phone_verification', params: { code } }) as unknown as Envelope;
    await tencentSms(options()).deliver(verification('048213'));
    expect(fake.requests.at(-1)!.body).toMatchObject({ TemplateId: '2100009', TemplateParamSet: ['048213'] });
    const before = fake.requests.length;
    const error = await failure(tencentSms(options()).deliver(verification('0482137')));
    expect(error).toMatchObject({ code: 'sms_param_invalid:code', permanent: true });
    expect(fake.requests).toHaveLength(before);
  });

  it('fails permanently, without sending, for a kind with no template id, a missing param or a number that is not E.164', async () => {
    const before = fake.requests.length;
    const adapter = tencentSms(options());
    expect(await failure(adapter.deliver(envelope({ kind: 'slot_digest' })))).toMatchObject({ code: 'sms_template_missing', permanent: true });
    const { venue: _venue, ...withoutVenue } = envelope().params;
    expect(await failure(adapter.deliver(envelope({ params: withoutVenue })))).toMatchObject({ code: 'sms_param_missing:venue', permanent: true });
    const local = await failure(adapter.deliver(envelope({ address: '13900139000' })));
    expect(local).toMatchObject({ code: 'sms_address_invalid', permanent: true });
    expectNoPhone(local);
    expect(fake.requests).toHaveLength(before);
  });

  it.each([
    ['LimitExceeded.PhoneNumberThirtySecondLimit', 30_000],
    ['LimitExceeded.PhoneNumberOneHourLimit', 3_600_000],
    ['LimitExceeded.DeliveryFrequencyLimit', 60_000],
  ])('retries %s after %i ms', async (code, pause) => {
    fake.answerCode(code);
    const error = await failure(tencentSms(options()).deliver(envelope()));
    expect(error).toMatchObject({ code: `tencent:${code}`, permanent: false, retryAfterMs: pause });
    expectNoPhone(error);
  });

  it.each(['LimitExceeded.PhoneNumberDailyLimit', 'LimitExceeded.AppDailyLimit'])('retries %s after the next midnight in Beijing', async (code) => {
    fake.answerCode(code);
    const error = await failure(tencentSms(options()).deliver(envelope()));
    expect(error).toMatchObject({ code: `tencent:${code}`, permanent: false });
    const resumesAt = new Date(clock.nowMs() + error.retryAfterMs!);
    // Midnight in Beijing is 16:00 UTC; within a day from now.
    expect(error.retryAfterMs!).toBeGreaterThan(0);
    expect(error.retryAfterMs!).toBeLessThanOrEqual(24 * 3_600_000);
    expect(Math.abs(resumesAt.getUTCHours() * 60 + resumesAt.getUTCMinutes() - 16 * 60)).toBeLessThanOrEqual(1);
    expectNoPhone(error);
  });

  it.each([
    'InvalidParameterValue.IncorrectPhoneNumber',
    'FailedOperation.PhoneNumberInBlacklist',
    'FailedOperation.TemplateIncorrectOrUnapproved',
    'FailedOperation.SignatureIncorrectOrUnapproved',
    'FailedOperation.InsufficientBalanceInSmsPackage',
    'FailedOperation.ContainSensitiveWord',
    'InvalidParameterValue.TemplateParameterLengthLimit',
    'InvalidParameterValue.ProhibitedUseUrlInTemplateParameter',
    'UnsupportedOperation.UnsuportedRegion',
    'UnauthorizedOperation.SerivceSuspendDueToArrears',
  ])('gives up on %s in the send status: sending again cannot fix it', async (code) => {
    fake.answerCode(code);
    const error = await failure(tencentSms(options()).deliver(envelope()));
    expect(error).toMatchObject({ code: `tencent:${code}`, permanent: true, retryAfterMs: undefined });
    expectNoPhone(error);
  });

  it.each([
    ['AuthFailure.SecretIdNotFound', true, undefined],
    ['UnauthorizedOperation.SmsSdkAppIdVerifyFail', true, undefined],
    ['FailedOperation.SignatureIncorrectOrUnapproved', true, undefined],
    ['RequestLimitExceeded', false, 1_000],
    ['InternalError.Timeout', false, undefined],
    ['InternalError.SendAndRecvFail', false, undefined],
    ['AuthFailure.SignatureExpire', false, undefined],
  ])('maps the whole-request error %s (permanent: %s)', async (code, permanent, retryAfterMs) => {
    fake.answerError(code);
    const error = await failure(tencentSms(options()).deliver(envelope()));
    expect(error).toMatchObject({ code: `tencent:${code}`, permanent, retryAfterMs });
    expectNoPhone(error);
  });

  it('retries a 5xx from the gateway and an endpoint that does not answer', async () => {
    fake.answerHttp(503);
    const busy = await failure(tencentSms(options()).deliver(envelope()));
    expect(busy).toMatchObject({ code: 'tencent:http_503', permanent: false });
    expectNoPhone(busy);

    const closed = await startFakeTencentSms();
    await closed.stop();
    const down = await failure(tencentSms(options({ endpoint: closed.endpoint })).deliver(envelope()));
    expect(down).toMatchObject({ code: 'tencent:unreachable', permanent: false });
    expectNoPhone(down);
  });

  it('retries when the credentials cannot be had or are not filled in yet, without sending', async () => {
    const before = fake.requests.length;
    const error = await failure(
      tencentSms(
        options({
          credentials: async () => {
            throw new Error('ResourceNotFoundException');
          },
        }),
      ).deliver(envelope()),
    );
    expect(error).toMatchObject({ code: 'tencent:credentials_unavailable', permanent: false });
    // The secret as the stack creates it, before the operator fills it in.
    const placeholder = await failure(tencentSms(options({ credentials: async () => ({ secretId: '', secretKey: '' }) })).deliver(envelope()));
    expect(placeholder).toMatchObject({ code: 'tencent:credentials_not_set', permanent: false });
    expect(fake.requests).toHaveLength(before);
  });

  it('sends again once the limit passes: only the planned requests fail', async () => {
    fake.answerCode('LimitExceeded.PhoneNumberThirtySecondLimit');
    const adapter = tencentSms(options());
    await expect(adapter.deliver(envelope())).rejects.toBeInstanceOf(DeliveryError);
    await expect(adapter.deliver(envelope())).resolves.toBeUndefined();
  });
});

describe('the SMS templates', () => {
  const kinds = Object.keys(SMS_TEMPLATES) as (keyof typeof SMS_TEMPLATES)[];

  it.each(kinds)('%s: numbered {1}…{n} in order for its params, none adjacent, no 【】, no link', (kind) => {
    const { text, params } = SMS_TEMPLATES[kind];
    const numbers = [...text.matchAll(/\{(\d+)\}/g)].map((match) => Number(match[1]));
    expect(numbers).toEqual(params.map((_, i) => i + 1));
    expect(text).not.toMatch(/\}\s*\{/);
    expect(text).not.toMatch(/[【】]|https?:|www\./);
    // Fixed text says what the message is: never a template of variables alone.
    expect(text.replace(/\{\d+\}/g, '').length).toBeGreaterThan(10);
  });

  it('orders the params as the template numbers them and cuts long values to the per-variable limit, marked', () => {
    const values = templateParams('event_digest', {
      volunteers: '2/3',
      waiting: '4',
      seats: '12/30',
      time: '12月20日 19:00',
      title: '【重要】社区 新春\n联欢会暨志愿者表彰大会',
      community: '幸福里',
    });
    expect(values).toEqual(['幸福里', '重要社区 新春 联欢会…', '12月20日 19:00', '12/30', '4', '2/3']);
    for (const value of values) expect(Array.from(value).length).toBeLessThanOrEqual(TEXT_PARAM_LIMIT);
  });

  it('only knows the kinds in the map', () => {
    // @ts-expect-error: a kind without a template is a type error.
    expect(() => templateParams('newsletter', {})).toThrow();
  });
});
