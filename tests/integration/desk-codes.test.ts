import { DateTime } from 'luxon';
import * as clock from '../../functions/clock';
import { startTestApi, type TestApi } from '../support/test-api';

/**
 * API.md `checkInProof`, `GET …/desk-code`, `deskCode`: where a community requires it, a volunteer
 * checks in with the code on the community room's kiosk, which changes every 30 s and is accepted
 * for 60 s; every log records its proof, one log per shift, and the approval queue flags what an
 * organiser should look at. Against DynamoDB Local, on the runtime's clock (moved, never slept).
 */
let api: TestApi;
let organiser: string;
const C = 'deskcode';
let phones = 0;

beforeAll(async () => {
  api = await startTestApi();
  organiser = await api.organiserToken(C);
  const saved = await api.call('PUT', `/communities/${C}/settings`, { token: organiser, body: { name: '签到社区', pointsPerHour: 60, checkInProof: 'desk_code' } });
  expect(saved.body).toMatchObject({ checkInProof: 'desk_code' });
  expect(JSON.stringify(saved.body)).not.toMatch(/deskSecret/);
});
afterAll(async () => {
  clock.setClock(undefined);
  await api.stop();
});
afterEach(() => clock.setClock(undefined));

async function volunteer(name = '签到') {
  const made = await api.call('POST', `/communities/${C}/volunteers`, { token: organiser, body: { name, phone: `+86137${String(process.pid % 1000).padStart(3, '0')}${String((phones += 1)).padStart(5, '0')}`, team: 'convenience' } });
  expect(made.status).toBe(201);
  return { id: made.body.volunteer.id as string, token: made.body.token as string };
}

let minuteOffset = 0;
/** An evening slot that started a few minutes ago (check-in open), with the volunteer on it. */
async function slotWith(v: { token: string }, durationMinutes = 60): Promise<string> {
  minuteOffset += 1;
  const start = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').startOf('minute').minus({ minutes: 5 + minuteOffset });
  const series = await api.call('POST', `/communities/${C}/slots/series`, {
    token: organiser,
    body: { from: start.toISODate(), to: start.toISODate(), startTime: start.toFormat('HH:mm'), durationMinutes, volunteerCapacity: 5 },
  });
  const slotId = series.body.slots[0].id as string;
  expect((await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: v.token })).status).toBe(201);
  return slotId;
}

const deskCode = async () => {
  const response = await api.call('GET', `/communities/${C}/desk-code`, { token: organiser });
  expect(response.status).toBe(200);
  return response.body as { code: string; now: string; expiresAt: string; changesAt: string; checkInUrl: string };
};
const checkIn = (v: { token: string }, slotId: string, code?: string) => api.call('POST', '/me/check-ins', { token: v.token, body: { slotId, ...(code !== undefined ? { deskCode: code } : {}) } });

describe('the kiosk code', () => {
  it('changes every 30 s, is accepted for 60 s, and links to check-in', async () => {
    const at = DateTime.fromMillis(clock.nowMs()).startOf('minute').plus({ seconds: 5 });
    clock.setClock(at.toJSDate());
    const first = await deskCode();
    expect(first.code).toMatch(/^\d{6}$/);
    expect(Date.parse(first.expiresAt) - at.toMillis()).toBe(55_000);
    expect(first.checkInUrl).toContain(first.code);
    expect(first.checkInUrl).toContain(C);
    expect(Math.abs(Date.parse(first.now) - at.toMillis())).toBeLessThan(5_000);
    clock.setClock(at.plus({ seconds: 20 }).toJSDate());
    expect((await deskCode()).code).toBe(first.code);
    clock.setClock(at.plus({ seconds: 30 }).toJSDate());
    expect((await deskCode()).code).not.toBe(first.code);
    // Only organisers of the community see it.
    expect((await api.call('GET', `/communities/${C}/desk-code`)).status).toBe(401);
    expect((await api.call('GET', `/communities/${C}/desk-code`, { token: await api.organiserToken('elsewhere') })).status).toBe(403);
  });
});

describe('checking in where the code is required', () => {
  it('refuses without the code and with a wrong or expired one, and records the proof', async () => {
    const v = await volunteer();
    const slotId = await slotWith(v);
    expect((await checkIn(v, slotId)).body).toMatchObject({ status: 409, code: 'desk_code_required' });
    const { code } = await deskCode();
    const wrong = code === '000000' ? '000001' : '000000';
    expect((await checkIn(v, slotId, wrong)).body).toMatchObject({ status: 409, code: 'desk_code_invalid' });
    // 61 s later the code shown then is no longer accepted.
    clock.setClock(new Date(clock.nowMs() + 61_000));
    expect((await checkIn(v, slotId, code)).body).toMatchObject({ status: 409, code: 'desk_code_invalid' });
    clock.setClock(undefined);

    const fresh = await deskCode();
    const opened = await checkIn(v, slotId, fresh.code);
    expect(opened.status).toBe(201);
    expect(opened.body.hoursLog).toMatchObject({ status: 'open', slotId, proof: 'desk_code' });
  });

  it('takes the code from 30 s ago (a code read just before it changed)', async () => {
    const v = await volunteer();
    const slotId = await slotWith(v);
    const { code, changesAt } = await deskCode();
    clock.setClock(new Date(Date.parse(changesAt) + 25_000));
    expect((await checkIn(v, slotId, code)).status).toBe(201);
  });

  it('refuses a volunteer sending more than ten codes in ten minutes, however many arrive at once', async () => {
    const v = await volunteer();
    const slotId = await slotWith(v);
    // At the start of a ten-minute window, so that every attempt below falls in the same one.
    clock.setClock(new Date(Math.ceil(clock.nowMs() / 600_000) * 600_000 + 1_000));
    const { code } = await deskCode();
    const guesses = Array.from({ length: 10 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    for (const guess of guesses) expect((await checkIn(v, slotId, guess)).body.code).toBe('desk_code_invalid');
    const refused = await checkIn(v, slotId, code);
    expect(refused.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);

    // Thirty at once from a fresh volunteer: at most ten are compared, the rest refused unread.
    const other = await volunteer('并发');
    const otherSlot = await slotWith(other);
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => checkIn(other, otherSlot, String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'))));
    expect(burst.filter((answer) => answer.body.code === 'desk_code_invalid')).toHaveLength(10);
    expect(burst.filter((answer) => answer.status === 429)).toHaveLength(20);
  });

  it('answers a retried refused check-in as refused, not as applied', async () => {
    const v = await volunteer('重试');
    const slotId = await slotWith(v);
    const { code } = await deskCode();
    const wrong = code === '000000' ? '000001' : '000000';
    const headers = { 'idempotency-key': 'desk-retry-1' };
    const first = await api.call('POST', '/me/check-ins', { token: v.token, headers, body: { slotId, deskCode: wrong } });
    expect(first.body.code).toBe('desk_code_invalid');
    const again = await api.call('POST', '/me/check-ins', { token: v.token, headers, body: { slotId, deskCode: wrong } });
    expect(again.body).toMatchObject({ status: 409, code: 'desk_code_invalid' });
  });
});

describe('one log per shift', () => {
  it('refuses a second check-in on a shift already logged (invalid_state: none is open), and a shift with hours cannot be given back', async () => {
    const v = await volunteer();
    const slotId = await slotWith(v);
    expect((await checkIn(v, slotId, (await deskCode()).code)).status).toBe(201);
    expect((await api.call('POST', '/me/check-outs', { token: v.token })).status).toBe(200);
    expect((await api.call('GET', '/me/shifts', { token: v.token })).body.items.find((shift: { slotId?: string }) => shift.slotId === slotId)).toMatchObject({ hoursLogId: expect.any(String) });
    expect((await checkIn(v, slotId, (await deskCode()).code)).body).toMatchObject({ status: 409, code: 'invalid_state' });
    expect((await api.call('DELETE', `/communities/${C}/slots/${slotId}/shifts/me`, { token: v.token })).body).toMatchObject({ status: 409, code: 'invalid_state' });
  });

  it('lets eight simultaneous check-ins on one shift open one log (the others find it open)', async () => {
    const v = await volunteer();
    const slotId = await slotWith(v);
    const { code } = await deskCode();
    const answers = await Promise.all(Array.from({ length: 8 }, () => checkIn(v, slotId, code)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set(answers.filter((a) => a.status !== 201).map((a) => a.body.code))).toEqual(new Set(['already_checked_in']));
  });
});

describe('the approval queue', () => {
  it('shows each log’s shift and proof, and flags a log longer than its shift and a second log on one shift', async () => {
    const v = await volunteer('审核');
    const slotId = await slotWith(v, 30);
    expect((await checkIn(v, slotId, (await deskCode()).code)).status).toBe(201);
    // Checked out 50 minutes later: longer than the 30-minute shift.
    clock.setClock(new Date(clock.nowMs() + 50 * 60_000));
    expect((await api.call('POST', '/me/check-outs', { token: v.token })).status).toBe(200);
    clock.setClock(undefined);
    const queue = await api.call('GET', `/communities/${C}/hours?status=pending&limit=100`, { token: organiser });
    const log = queue.body.items.find((item: { volunteerId: string }) => item.volunteerId === v.id);
    expect(log).toMatchObject({ slotId, proof: 'desk_code', shift: { kind: 'slot', startsAt: expect.any(String), endsAt: expect.any(String) }, flags: ['longer_than_shift'] });

    // An organiser adds another log on the same shift: allowed, and flagged.
    const start = DateTime.fromMillis(clock.nowMs()).minus({ minutes: 20 });
    const entered = await api.call('POST', `/communities/${C}/hours`, {
      token: organiser,
      body: { volunteerId: v.id, startedAt: start.toISO(), endedAt: start.plus({ minutes: 10 }).toISO(), note: '补录', slotId },
    });
    expect(entered.status).toBe(201);
    expect(entered.body.hoursLog).toMatchObject({ proof: 'organiser', flags: ['second_log'] });
  });

  it('flags a log without proof in a community that requires it', async () => {
    const other = 'deskcode-none';
    const token = await api.organiserToken(other);
    await api.call('PUT', `/communities/${other}/settings`, { token, body: { name: '后来要求签到码' } });
    const made = await api.call('POST', `/communities/${other}/volunteers`, { token, body: { name: '无码', phone: '+8613799990001', team: 'patrol' } });
    const start = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').startOf('minute').minus({ minutes: 3 });
    const series = await api.call('POST', `/communities/${other}/slots/series`, { token, body: { from: start.toISODate(), to: start.toISODate(), startTime: start.toFormat('HH:mm'), volunteerCapacity: 2 } });
    const slotId = series.body.slots[0].id;
    await api.call('POST', `/communities/${other}/slots/${slotId}/shifts`, { token: made.body.token });
    const opened = await api.call('POST', '/me/check-ins', { token: made.body.token, body: { slotId } });
    expect(opened.body.hoursLog).toMatchObject({ proof: 'none' });
    await api.call('POST', '/me/check-outs', { token: made.body.token });
    await api.call('PUT', `/communities/${other}/settings`, { token, body: { name: '后来要求签到码', checkInProof: 'desk_code' } });
    const queue = await api.call('GET', `/communities/${other}/hours?status=pending`, { token });
    expect(queue.body.items[0]).toMatchObject({ proof: 'none', flags: ['no_proof'] });
  });
});
