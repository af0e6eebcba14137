import { DateTime } from 'luxon';
import type { DeliveryAdapter, Envelope } from '../../functions/delivery/adapter';
import { useDeliveryAdapter } from '../../functions/delivery';
import * as clock from '../../functions/clock';
import { eventBody, startTestApi, type TestApi } from '../support/test-api';

/**
 * API.md, "Phone verification": where a community sets `verifyPhone`, a sign-up or booking is held
 * as `pending_verification` (no seat, no place, not the phone's registration) until the 6-digit
 * code sent to its phone comes back; wrong or lapsed codes are `409 verification_failed`, five
 * wrong ones `429`; verifying takes over a registration someone else made with the number.
 * Against DynamoDB Local; the SMS through a recording adapter in place of the provider.
 */
let api: TestApi;
let sms: Envelope[] = [];
let failSms = false;
const recording: DeliveryAdapter = {
  name: 'recording',
  deliver: async (envelope) => {
    if (failSms) throw Object.assign(new Error('provider down'), { name: 'ServiceUnavailable' });
    sms.push(envelope);
  },
};
const startedAt = clock.now();

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  useDeliveryAdapter(recording);
});
afterAll(async () => {
  clock.setClock(startedAt);
  useDeliveryAdapter(undefined);
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});
beforeEach(() => {
  sms = [];
  failSms = false;
});

let seq = 0;
let phones = 0;
const phone = () => `+86136${String(process.pid % 10_000).padStart(4, '0')}${String((phones += 1)).padStart(4, '0')}`;

async function community(verifyPhone = true) {
  seq += 1;
  const c = `verify-${seq}`;
  const token = await api.organiserToken(c);
  expect((await api.call('PUT', `/communities/${c}/settings`, { token, body: { name: `验证社区${seq}`, verifyPhone } })).status).toBe(200);
  return { c, token };
}

async function event(c: string, token: string, capacity = 4) {
  const made = await api.call('POST', `/communities/${c}/events`, { token, body: eventBody({ capacity }) });
  expect(made.status).toBe(201);
  return made.body.event.id as string;
}

const codeFor = (number: string) => {
  const sent = sms.filter((e) => e.address === number && e.kind === 'phone_verification').at(-1);
  if (!sent) throw new Error('no code was sent');
  return sent.params.code!;
};
/** A sign-up held for its code in a new verifying community's new event: what a verify needs. */
async function heldSignUp(name: string) {
  const { c, token } = await community();
  const eventId = await event(c, token);
  const number = phone();
  const signUp = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name, phone: number } });
  expect(signUp.body.registration.status).toBe('pending_verification');
  return { c, token, eventId, number, signUp, path: `/communities/${c}/events/${eventId}/registrations/${signUp.body.registration.id}/verify` };
}

const seats = async (c: string, eventId: string) => (await api.call('GET', `/communities/${c}/events/${eventId}`)).body;
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('a sign-up where the community verifies phones', () => {
  it('is held with no seat until its code comes back, then placed; verifying again changes nothing', async () => {
    const { c, token } = await community();
    const eventId = await event(c, token);
    const number = phone();
    const signUp = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '王阿姨', phone: number, partySize: 2 } });
    expect(signUp.status).toBe(201);
    expect(signUp.body.registration).toMatchObject({ status: 'pending_verification', partySize: 2 });
    const { id } = signUp.body.registration;
    const manage = { 'x-manage-token': signUp.body.manageToken };

    // One SMS, to that phone, with six digits, and nothing held yet.
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ kind: 'phone_verification', channel: 'sms', address: number });
    expect(sms[0]!.body).toContain(codeFor(number));
    expect(codeFor(number)).toMatch(/^\d{6}$/);
    expect(await seats(c, eventId)).toMatchObject({ seatsLeft: 4 });
    expect((await api.call('GET', `/communities/${c}/events/${eventId}/registrations?limit=100`, { token })).body.items).toEqual([]);
    expect((await api.call('GET', `/communities/${c}/events/${eventId}/registrations/${id}`, { headers: manage })).body.registration.status).toBe('pending_verification');

    const wrong = await api.call('POST', `/communities/${c}/events/${eventId}/registrations/${id}/verify`, { headers: manage, body: { code: wrongCode(codeFor(number)) } });
    expect([wrong.status, wrong.body.code]).toEqual([409, 'verification_failed']);

    const right = await api.call('POST', `/communities/${c}/events/${eventId}/registrations/${id}/verify`, { headers: manage, body: { code: codeFor(number) } });
    expect(right.status).toBe(200);
    expect(right.body.registration).toMatchObject({ id, status: 'confirmed', partySize: 2 });
    expect(await seats(c, eventId)).toMatchObject({ seatsLeft: 2 });
    const again = await api.call('POST', `/communities/${c}/events/${eventId}/registrations/${id}/verify`, { headers: manage, body: { code: codeFor(number) } });
    expect(again.status).toBe(200);
    expect(again.body.registration).toMatchObject({ id, status: 'confirmed' });
    expect(await seats(c, eventId)).toMatchObject({ seatsLeft: 2 });
    // Without the code the phone holds nothing: a second sign-up with it is held too, not refused.
    expect((await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '王阿姨', phone: number } })).status).toBe(201);
  });

  it('places a verified party on the waitlist when the seats went meanwhile', async () => {
    const { c, token } = await community();
    const eventId = await event(c, token, 1);
    const [first, second] = [phone(), phone()];
    const a = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '甲', phone: first } });
    const b = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '乙', phone: second } });
    const verify = (signUp: typeof a, number: string) =>
      api.call('POST', `/communities/${c}/events/${eventId}/registrations/${signUp.body.registration.id}/verify`, {
        headers: { 'x-manage-token': signUp.body.manageToken },
        body: { code: codeFor(number) },
      });
    expect((await verify(b, second)).body.registration.status).toBe('confirmed');
    const late = await verify(a, first);
    expect(late.body.registration).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
  });

  it('refuses every code after five wrong ones, and a lapsed code, and another’s manage token', async () => {
    const { c, eventId, number, signUp, path } = await heldSignUp('李');
    const manage = { 'x-manage-token': signUp.body.manageToken };
    const other = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '赵', phone: phone() } });
    expect((await api.call('POST', path, { headers: { 'x-manage-token': other.body.manageToken }, body: { code: codeFor(number) } })).status).toBe(403);

    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push((await api.call('POST', path, { headers: manage, body: { code: wrongCode(codeFor(number)) } })).status);
    expect(answers).toEqual([409, 409, 409, 409, 429]);
    const right = await api.call('POST', path, { headers: manage, body: { code: codeFor(number) } });
    expect([right.status, right.body.code]).toEqual([429, 'rate_limited']);
    expect(await seats(c, eventId)).toMatchObject({ seatsLeft: 4 });

    const later = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '钱', phone: phone() } });
    const code = sms.at(-1)!.params.code!;
    clock.setClock(new Date(clock.nowMs() + 11 * 60_000));
    try {
      const lapsed = await api.call('POST', `/communities/${c}/events/${eventId}/registrations/${later.body.registration.id}/verify`, {
        headers: { 'x-manage-token': later.body.manageToken },
        body: { code },
      });
      expect([lapsed.status, lapsed.body.code]).toEqual([409, 'verification_failed']);
      // A lapsed hold is gone from its own page.
      expect((await api.call('GET', `/communities/${c}/events/${eventId}/registrations/${later.body.registration.id}`, { headers: { 'x-manage-token': later.body.manageToken } })).status).toBe(404);
    } finally {
      clock.setClock(new Date(clock.nowMs() - 11 * 60_000));
    }
  });

  it('keeps no answer for a wrong code sent with an Idempotency-Key: the same request is checked (and counted) again, and the key then carries the right code', async () => {
    const { c, eventId, number, signUp, path } = await heldSignUp('孙');
    const headers = { 'x-manage-token': signUp.body.manageToken, 'idempotency-key': `verify-${seq}-key` };
    const wrong = { code: wrongCode(codeFor(number)) };
    const answers = [];
    // Four wrong codes under one key: each is checked and counted, none replayed as if it had taken effect.
    for (let i = 0; i < 4; i += 1) answers.push((await api.call('POST', path, { headers, body: wrong })).body.code);
    expect(answers).toEqual(['verification_failed', 'verification_failed', 'verification_failed', 'verification_failed']);
    // The key has no answer stored, so the right code under it places the party (not 422 for another body).
    const right = await api.call('POST', path, { headers, body: { code: codeFor(number) } });
    expect([right.status, right.body.registration?.status]).toEqual([200, 'confirmed']);
    // …and that answer is the key's from now on.
    const replayed = await api.call('POST', path, { headers, body: { code: codeFor(number) } });
    expect([replayed.status, replayed.body]).toEqual([200, right.body]);
    expect(await seats(c, eventId)).toMatchObject({ seatsLeft: 3 });
  });

  it('lets nobody lock a number out: held sign-ups typed in elsewhere count against that address and the codes sent, not the owner’s own sign-ups', async () => {
    const { c, token } = await community();
    const eventId = await event(c, token);
    const number = phone();
    const register = (from?: string) => api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '冒名', phone: number }, from });
    // Someone types the neighbour's number ten times from their own phone: ten codes go to the
    // neighbour, nothing is placed, and the eleventh is refused there.
    const squatted = [];
    for (let i = 0; i < 10; i += 1) squatted.push((await register('127.0.0.2')).body.registration?.status);
    expect(squatted).toEqual(Array(10).fill('pending_verification'));
    const eleventh = await register('127.0.0.2');
    expect([eleventh.status, eleventh.body.code]).toEqual([429, 'rate_limited']);
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await seats(c, eventId)).toMatchObject({ seatsLeft: 4, waitlistLength: 0 });
    // The owner, on their own phone, signs up and confirms with the code that reached them.
    const own = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '本人', phone: number } });
    expect(own.status).toBe(201);
    const placed = await api.call('POST', `/communities/${c}/events/${eventId}/registrations/${own.body.registration.id}/verify`, {
      headers: { 'x-manage-token': own.body.manageToken },
      body: { code: codeFor(number) },
    });
    expect([placed.status, placed.body.registration?.status]).toEqual([200, 'confirmed']);
    expect(await seats(c, eventId)).toMatchObject({ seatsLeft: 3 });
    // The number is sent at most 30 codes an hour from everywhere: two more addresses' ten, then no more.
    for (const from of ['127.0.0.3', '127.0.0.4']) for (let i = 0; i < 10; i += 1) await register(from);
    const sentToNumber = sms.filter((envelope) => envelope.address === number && envelope.kind === 'phone_verification').length;
    expect(sentToNumber).toBe(30);
    const beyond = await register('127.0.0.5');
    expect([beyond.status, beyond.body.code]).toEqual([429, 'rate_limited']);
    expect(sms.filter((envelope) => envelope.address === number && envelope.kind === 'phone_verification')).toHaveLength(30);
  });

  it('holds at most ten requests of one number from one address however many arrive at once; each sends at most one code', async () => {
    const { c, token } = await community();
    const eventId = await event(c, token);
    const number = phone();
    const answers = await Promise.all(
      Array.from({ length: 16 }, () => api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '同时', phone: number }, from: '127.0.0.6' })),
    );
    const held = answers.filter((answer) => answer.status === 201);
    expect(held).toHaveLength(10);
    expect(answers.filter((answer) => answer.status !== 201).map((answer) => `${answer.status} ${answer.body.code}`)).toEqual(Array(6).fill('429 rate_limited'));
    // A code goes out before the hold is stored (so a held request always has one on its way): a
    // request refused at the hold's count, having raced past the first check, has sent its code
    // too. So the number is sent its ten, and at most one more per request that raced.
    const codes = sms.filter((envelope) => envelope.address === number && envelope.kind === 'phone_verification').length;
    expect(codes).toBeGreaterThanOrEqual(10);
    expect(codes).toBeLessThanOrEqual(16);
  });

  it('takes over a registration someone else made with the number: that one is cancelled, its seats go to the waitlist', async () => {
    const { c, token } = await community(false);
    const eventId = await event(c, token, 2);
    const number = phone();
    // Before the community turned verification on, someone signed up with this number, and a party waits.
    const squatter = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '冒名', phone: number, partySize: 2 } });
    expect(squatter.body.registration.status).toBe('confirmed');
    const waiting = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '候补', phone: phone(), partySize: 1 } });
    expect(waiting.body.registration.status).toBe('waitlisted');
    await api.call('PUT', `/communities/${c}/settings`, { token, body: { name: '验证社区', verifyPhone: true } });

    const owner = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '机主', phone: number, partySize: 1 } });
    expect(owner.body.registration.status).toBe('pending_verification');
    const verified = await api.call('POST', `/communities/${c}/events/${eventId}/registrations/${owner.body.registration.id}/verify`, {
      headers: { 'x-manage-token': owner.body.manageToken },
      body: { code: codeFor(number) },
    });
    expect(verified.status).toBe(200);
    expect(verified.body.registration.status).toBe('confirmed');
    const view = (r: typeof owner) =>
      api.call('GET', `/communities/${c}/events/${eventId}/registrations/${r.body.registration.id}`, { headers: { 'x-manage-token': r.body.manageToken } });
    expect((await view(squatter)).body.registration.status).toBe('cancelled');
    expect((await view(waiting)).body.registration.status).toBe('confirmed');
    expect(await seats(c, eventId)).toMatchObject({ seatsLeft: 0, waitlistLength: 0 });
  });

  it('places a party once however many verifies race', async () => {
    const { c, token } = await community();
    const eventId = await event(c, token, 10);
    const number = phone();
    const signUp = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '孙', phone: number, partySize: 3 } });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        api.call('POST', `/communities/${c}/events/${eventId}/registrations/${signUp.body.registration.id}/verify`, {
          headers: { 'x-manage-token': signUp.body.manageToken },
          body: { code: codeFor(number) },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(new Set(answers.map((a) => a.body.registration.status))).toEqual(new Set(['confirmed']));
    expect(await seats(c, eventId)).toMatchObject({ seatsLeft: 7 });
    expect((await api.call('GET', `/communities/${c}/events/${eventId}/registrations?limit=100`, { token })).body.items).toHaveLength(1);
  });

  it('stores nothing when the code cannot be sent, and says to retry', async () => {
    const { c, token } = await community();
    const eventId = await event(c, token);
    failSms = true;
    const refused = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '周', phone: phone() } });
    expect([refused.status, refused.body.code]).toEqual([503, 'unavailable']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('withdraws a held sign-up on cancel: nothing to free, and its code no longer places it', async () => {
    const { c, token } = await community();
    const eventId = await event(c, token);
    const number = phone();
    const signUp = await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '吴', phone: number } });
    const path = `/communities/${c}/events/${eventId}/registrations/${signUp.body.registration.id}`;
    const manage = { 'x-manage-token': signUp.body.manageToken };
    const cancelled = await api.call('DELETE', path, { headers: manage });
    expect(cancelled.body.registration.status).toBe('cancelled');
    expect((await api.call('POST', `${path}/verify`, { headers: manage, body: { code: codeFor(number) } })).status).toBe(404);
    expect(await seats(c, eventId)).toMatchObject({ seatsLeft: 4 });
  });
});

describe('a work order reported where the community verifies phones', () => {
  it('is held until its code comes back, then filed as new for the organisers', async () => {
    const { c, token } = await community();
    const number = phone();
    const report = await api.call('POST', `/communities/${c}/work-orders`, { body: { name: '郑', phone: number, category: 'other', description: '楼道灯坏了' } });
    expect(report.status).toBe(201);
    expect(report.body.workOrder.status).toBe('pending_verification');
    expect((await api.call('GET', `/communities/${c}/work-orders`, { token })).body.items).toEqual([]);
    const path = `/communities/${c}/work-orders/${report.body.workOrder.id}`;
    const manage = { 'x-manage-token': report.body.manageToken };
    expect((await api.call('GET', path, { headers: manage })).body.workOrder.status).toBe('pending_verification');
    const verified = await api.call('POST', `${path}/verify`, { headers: manage, body: { code: codeFor(number) } });
    expect(verified.body.workOrder.status).toBe('new');
    expect((await api.call('GET', `/communities/${c}/work-orders`, { token })).body.items.map((o: { id: string }) => o.id)).toEqual([report.body.workOrder.id]);
  });
});

describe('a help-desk booking where the community verifies phones', () => {
  it('is held with no place until its code comes back, then booked', async () => {
    const { c, token } = await community();
    const day = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 2 });
    const series = await api.call('POST', `/communities/${c}/slots/series`, { token, body: { from: day.toISODate(), to: day.toISODate(), requestCapacity: 1 } });
    const slotId = series.body.slots[0].id;
    const number = phone();
    const booking = await api.call('POST', `/communities/${c}/slots/${slotId}/requests`, {
      body: { name: '刘奶奶', phone: number, category: 'pipe_unclogging', description: '厨房下水道堵了' },
    });
    expect(booking.status).toBe(201);
    expect(booking.body.request.status).toBe('pending_verification');
    expect((await api.call('GET', `/communities/${c}/slots/${slotId}`, { token })).body.requests).toEqual([]);
    const path = `/communities/${c}/slots/${slotId}/requests/${booking.body.request.id}`;
    const manage = { 'x-manage-token': booking.body.manageToken };
    expect((await api.call('GET', path, { headers: manage })).body.request.status).toBe('pending_verification');
    // Form posts send the code as typed, spaces and all.
    const typed = codeFor(number).replace(/(\d{3})/, '$1 ');
    const verified = await api.call('POST', `${path}/verify`, {
      headers: { ...manage, 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: new URLSearchParams({ code: typed }).toString(),
    });
    expect(verified.status).toBe(200);
    expect(verified.body.request.status).toBe('booked');
    expect((await api.call('GET', `/communities/${c}/slots/${slotId}`, { token })).body.requests).toHaveLength(1);
  });
});
