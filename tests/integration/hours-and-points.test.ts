import fc from 'fast-check';
import { DateTime } from 'luxon';
import { autoCloseOpenLogs } from '../../functions/services/hours';
import { startTestApi, type ApiResponse, type TestApi } from '../support/test-api';
import * as clock from '../../functions/clock';

let api: TestApi;
let token: string;
const C = 'points';
let phoneSeq = 0;

beforeAll(async () => {
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '幸福邻里', pointsPerHour: 10 } });
});
afterAll(() => api.stop());

async function volunteer(name = '陈', team = 'convenience'): Promise<{ id: string; token: string }> {
  phoneSeq += 1;
  const response = await api.call('POST', `/communities/${C}/volunteers`, {
    token,
    body: { name, phone: `+86137${String(phoneSeq).padStart(8, '0')}`, team },
  });
  expect(response.status).toBe(201);
  return { id: response.body.volunteer.id, token: response.body.token };
}

/** Slots start a minute apart counting back from here, so each has its own (date, time) id. */
const slotBase = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').startOf('minute').minus({ minutes: 5 });
let minuteOffset = 0;
/** An evening slot that started a few minutes ago (so check-in is open), unique per call. */
async function slotNow(volunteerCapacity = 20): Promise<string> {
  minuteOffset += 1;
  const start = slotBase.minus({ minutes: minuteOffset });
  const response = await api.call('POST', `/communities/${C}/slots/series`, {
    token,
    body: { from: start.toISODate(), to: start.toISODate(), startTime: start.toFormat('HH:mm'), volunteerCapacity },
  });
  expect(response.body.created).toBe(1);
  return response.body.slots[0].id;
}

async function onShift(slotId: string, v: { token: string }) {
  expect((await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: v.token })).status).toBe(201);
}

const me = async (v: { token: string }) => (await api.call('GET', '/me', { token: v.token })).body;
const points = async (v: { token: string }) => (await api.call('GET', '/me/points?limit=100', { token: v.token })).body;

/** Hours worked in the past, entered by an organiser: approved and credited at once. */
async function enter(v: { id: string }, minutes: number, daysAgo = 1): Promise<ApiResponse> {
  const end = DateTime.fromMillis(clock.nowMs()).minus({ days: daysAgo });
  return api.call('POST', `/communities/${C}/hours`, {
    token,
    body: { volunteerId: v.id, startedAt: end.minus({ minutes }).toISO(), endedAt: end.toISO(), note: '忘记签到 forgot to check in' },
  });
}

describe('check-in and check-out', () => {
  it('opens a log on a held shift, closes it with whole minutes, and waits for review', async () => {
    const slotId = await slotNow();
    const v = await volunteer();
    await onShift(slotId, v);
    const checkIn = await api.call('POST', '/me/check-ins', { token: v.token, body: { slotId } });
    expect(checkIn.status).toBe(201);
    expect(checkIn.body.hoursLog).toMatchObject({ status: 'open', slotId });
    expect((await me(v)).openCheckIn).toMatchObject({ id: checkIn.body.hoursLog.id, status: 'open' });

    const checkOut = await api.call('POST', '/me/check-outs', { token: v.token });
    expect(checkOut.status).toBe(200);
    expect(checkOut.body.hoursLog).toMatchObject({ id: checkIn.body.hoursLog.id, status: 'pending', minutes: 0 });
    expect(checkOut.body.hoursLog.checkedOutAt).toBeDefined();
    const after = await me(v);
    expect(after.openCheckIn).toBeNull();
    expect((await api.call('POST', '/me/check-outs', { token: v.token })).body.code).toBe('not_checked_in');
    const pending = await api.call('GET', `/communities/${C}/hours`, { token });
    expect(pending.body.items.map((log: { id: string }) => log.id)).toContain(checkIn.body.hoursLog.id);
  });

  it('keeps one open log when ten check-ins arrive at once', async () => {
    const slotId = await slotNow();
    const v = await volunteer();
    await onShift(slotId, v);
    const responses = await Promise.all(Array.from({ length: 10 }, () => api.call('POST', '/me/check-ins', { token: v.token, body: { slotId } })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status !== 201).map((r) => r.body.code)).toEqual(Array(9).fill('already_checked_in'));
    const logs = await api.call('GET', '/me/hours', { token: v.token });
    expect(logs.body.items.filter((log: { status: string }) => log.status === 'open')).toHaveLength(1);
    expect((await api.call('POST', '/me/check-outs', { token: v.token })).status).toBe(200);
  });

  it('refuses a check-in without a shift, outside the window, or with a bad body', async () => {
    const slotId = await slotNow();
    const v = await volunteer();
    expect((await api.call('POST', '/me/check-ins', { token: v.token, body: { slotId } })).body.code).toBe('not_on_shift');
    const later = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 2 });
    const future = await api.call('POST', `/communities/${C}/slots/series`, { token, body: { from: later.toISODate(), to: later.toISODate() } });
    const futureSlot = future.body.slots[0].id;
    await onShift(futureSlot, v);
    expect((await api.call('POST', '/me/check-ins', { token: v.token, body: { slotId: futureSlot } })).body.code).toBe('check_in_window_closed');
    expect((await api.call('POST', '/me/check-ins', { token: v.token, body: {} })).status).toBe(400);
    expect((await api.call('POST', '/me/check-ins', { token: v.token, body: { slotId, eventId: 'x' } })).status).toBe(400);
  });

  it('closes logs left open at the shift end, two hours after it, flagged autoClosed', async () => {
    const slotId = await slotNow();
    const v = await volunteer();
    await onShift(slotId, v);
    const opened = await api.call('POST', '/me/check-ins', { token: v.token, body: { slotId } });
    expect(await autoCloseOpenLogs(clock.now())).toBe(0);
    expect(await autoCloseOpenLogs(new Date(clock.nowMs() + 3.5 * 3_600_000))).toBe(1);
    const [log] = (await api.call('GET', '/me/hours', { token: v.token })).body.items;
    expect(log).toMatchObject({ id: opened.body.hoursLog.id, status: 'pending', autoClosed: true });
    const slot = await api.call('GET', `/communities/${C}/slots/${slotId}`, { token });
    expect(log.checkedOutAt).toBe(slot.body.endsAt);
    expect((await me(v)).openCheckIn).toBeNull();
  });
});

describe('approval', () => {
  async function pendingLog(v: { token: string }): Promise<string> {
    const slotId = await slotNow();
    await onShift(slotId, v);
    await api.call('POST', '/me/check-ins', { token: v.token, body: { slotId } });
    return (await api.call('POST', '/me/check-outs', { token: v.token })).body.hoursLog.id;
  }

  it('credits points once when the same log is approved three times at once', async () => {
    const v = await volunteer();
    const logId = await pendingLog(v);
    const responses = await Promise.all(
      Array.from({ length: 3 }, () => api.call('POST', `/communities/${C}/hours/${logId}/approve`, { token, body: { minutes: 90, note: '实际到 20:30' } })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const ledger = await points(v);
    expect(ledger.balance).toBe(15);
    expect(ledger.items.filter((entry: { kind: string }) => entry.kind === 'earn')).toHaveLength(1);
    expect((await me(v)).hours).toEqual({ approvedMinutes: 90, pendingMinutes: 0 });
  });

  it('needs a note to change the minutes, records who decided, and can reject', async () => {
    const v = await volunteer();
    const logId = await pendingLog(v);
    const noNote = await api.call('POST', `/communities/${C}/hours/${logId}/approve`, { token, body: { minutes: 60 } });
    expect(noNote.status).toBe(400);
    expect(noNote.body.errors[0].path).toBe('note');
    const rejected = await api.call('POST', `/communities/${C}/hours/${logId}/reject`, { token, body: { note: '当天未到岗' } });
    expect(rejected.body.hoursLog).toMatchObject({ status: 'rejected', decisions: [{ action: 'rejected', by: `local-organiser-${C}`, note: '当天未到岗' }] });
    expect((await api.call('POST', `/communities/${C}/hours/${logId}/approve`, { token, body: {} })).body.code).toBe('invalid_state');
    expect((await me(v)).hours).toEqual({ approvedMinutes: 0, pendingMinutes: 0 });
  });

  it('keeps the past at its rate when the earning standard changes', async () => {
    const v = await volunteer();
    const lastWeek = await enter(v, 120, 7);
    expect(lastWeek.body.hoursLog).toMatchObject({ status: 'approved', approvedMinutes: 120, points: 20, pointsPerHour: 10 });
    await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '幸福邻里', pointsPerHour: 30 } });
    const lastWeekAgain = await enter(v, 60, 7);
    expect(lastWeekAgain.body.hoursLog).toMatchObject({ points: 10, pointsPerHour: 10 });
    const logId = await pendingLog(v);
    const today = await api.call('POST', `/communities/${C}/hours/${logId}/approve`, { token, body: { minutes: 60, note: '一小时' } });
    expect(today.body.hoursLog).toMatchObject({ points: 30, pointsPerHour: 30 });
    const profile = await api.call('GET', `/communities/${C}`);
    expect(profile.body.pointsPerHour).toBe(30);
    expect(profile.body.pointsPerHourHistory.map((version: { pointsPerHour: number }) => version.pointsPerHour)).toEqual([10, 30]);
    await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '幸福邻里', pointsPerHour: 10 } });
  });
});

describe('the monthly report', () => {
  it('matches the approved logs per team and per volunteer, from the counters', async () => {
    const reporter = await api.organiserToken('report-c');
    await api.call('PUT', '/communities/report-c/settings', { token: reporter, body: { name: 'R', pointsPerHour: 12 } });
    const make = async (name: string, team: string) =>
      (await api.call('POST', '/communities/report-c/volunteers', { token: reporter, body: { name, phone: `+86136${String((phoneSeq += 1)).padStart(8, '0')}`, team } })).body.volunteer.id;
    const a = await make('甲', 'patrol');
    const b = await make('乙', 'patrol');
    const d = await make('丙', 'cleaning');
    const month = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').minus({ days: 1 }).toFormat('yyyy-MM');
    const day = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').minus({ days: 1 }).startOf('day').plus({ hours: 10 });
    const entries: [string, number][] = [[a, 60], [a, 30], [b, 45], [d, 120]];
    for (const [volunteerId, minutes] of entries) {
      const response = await api.call('POST', '/communities/report-c/hours', {
        token: reporter,
        body: { volunteerId, startedAt: day.toISO(), endedAt: day.plus({ minutes }).toISO(), note: 'x' },
      });
      expect(response.status).toBe(201);
    }
    const report = await api.call('GET', `/communities/report-c/reports/hours?month=${month}`, { token: reporter });
    expect(report.body.teams).toEqual([
      { team: 'patrol', minutes: 135, points: 12 + 6 + 9 },
      { team: 'cleaning', minutes: 120, points: 24 },
    ]);
    expect(report.body.volunteers.map((v: { name: string; minutes: number; points: number }) => [v.name, v.minutes, v.points])).toEqual([
      ['丙', 120, 24],
      ['甲', 90, 18],
      ['乙', 45, 9],
    ]);
    expect(report.body.totals).toEqual({ minutes: 255, points: 51 });
    const csv = await fetch(`${api.url}/communities/report-c/reports/hours.csv?month=${month}`, { headers: { authorization: `Bearer ${reporter}` } });
    const text = (await csv.text()).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')[0]).toBe('类别 kind,队伍 team,姓名 name,分钟 minutes,小时 hours,积分 points');
    expect(text).toContain('志愿者 volunteer,洁邻管护队 cleaning,丙,120,2.0,24');
    expect((await api.call('GET', '/communities/report-c/reports/hours?month=2026-13', { token: reporter })).status).toBe(400);
  });
});

describe('the points supermarket', () => {
  async function item(stock: number, pointsCost = 10): Promise<string> {
    const response = await api.call('POST', `/communities/${C}/catalogue`, { token, body: { name: `大米 ${stock}`, pointsCost, stock } });
    expect(response.status).toBe(201);
    return response.body.item.id;
  }

  it('gives exactly three of ten simultaneous redemptions an item with stock 3', async () => {
    const itemId = await item(3);
    const v = await volunteer();
    await enter(v, 600);
    const before = (await points(v)).balance;
    expect(before).toBe(100);
    const responses = await Promise.all(Array.from({ length: 10 }, () => api.call('POST', '/me/redemptions', { token: v.token, body: { itemId } })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(3);
    expect(new Set(responses.filter((r) => r.status !== 201).map((r) => r.body.code))).toEqual(new Set(['out_of_stock']));
    expect((await points(v)).balance).toBe(70);
    const catalogue = await api.call('GET', `/communities/${C}/catalogue`);
    expect(catalogue.body.items.find((entry: { id: string }) => entry.id === itemId).stock).toBe(0);
    for (const r of responses.filter((response) => response.status === 201)) expect(r.body.redemption.pickupCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
  });

  it('never takes a balance below zero', async () => {
    const itemId = await item(100, 40);
    const v = await volunteer();
    await enter(v, 600); // 100 points
    const responses = await Promise.all(Array.from({ length: 5 }, () => api.call('POST', '/me/redemptions', { token: v.token, body: { itemId } })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(2);
    expect(responses.filter((r) => r.status !== 201).every((r) => r.body.code === 'insufficient_points')).toBe(true);
    expect((await points(v)).balance).toBe(20);
  });

  it('returns points and stock exactly once on cancel, and never for a collected one', async () => {
    const itemId = await item(5);
    const v = await volunteer();
    await enter(v, 120); // 20 points
    const first = await api.call('POST', '/me/redemptions', { token: v.token, body: { itemId, quantity: 2 } });
    expect(first.body).toMatchObject({ balance: 0, redemption: { status: 'reserved', points: 20, quantity: 2 } });
    const id = first.body.redemption.id;
    const cancels = await Promise.all(Array.from({ length: 4 }, () => api.call('POST', `/communities/${C}/redemptions/${id}/cancel`, { token })));
    expect(cancels.every((r) => r.status === 200 && r.body.redemption.status === 'cancelled')).toBe(true);
    expect((await points(v)).balance).toBe(20);
    expect((await api.call('GET', `/communities/${C}/catalogue`)).body.items.find((entry: { id: string }) => entry.id === itemId).stock).toBe(5);

    const second = await api.call('POST', '/me/redemptions', { token: v.token, body: { itemId } });
    const collected = await api.call('POST', `/communities/${C}/redemptions/${second.body.redemption.id}/collect`, { token });
    expect(collected.body.redemption.status).toBe('collected');
    const refused = await api.call('POST', `/communities/${C}/redemptions/${second.body.redemption.id}/cancel`, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('invalid_state');
    expect((await points(v)).balance).toBe(10);
    const reserved = await api.call('GET', `/communities/${C}/redemptions?status=collected`, { token });
    expect(reserved.body.items.map((r: { id: string }) => r.id)).toContain(second.body.redemption.id);
  });

  it('keeps the ledger summing to the balance, never negative, whatever happens', async () => {
    const itemId = await item(1000, 7);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('earn' as const), minutes: fc.integer({ min: 1, max: 240 }) }),
            fc.record({ op: fc.constant('redeem' as const), quantity: fc.integer({ min: 1, max: 3 }) }),
            fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
          ),
          { minLength: 1, maxLength: 10 },
        ),
        async (ops) => {
          const v = await volunteer();
          const reservations: string[] = [];
          for (const step of ops) {
            if (step.op === 'earn') expect((await enter(v, step.minutes)).status).toBe(201);
            else if (step.op === 'redeem') {
              const r = await api.call('POST', '/me/redemptions', { token: v.token, body: { itemId, quantity: step.quantity } });
              expect([201, 409]).toContain(r.status);
              if (r.status === 201) reservations.push(r.body.redemption.id);
            } else if (reservations.length > 0) {
              const id = reservations[step.pick % reservations.length]!;
              expect((await api.call('POST', `/communities/${C}/redemptions/${id}/cancel`, { token })).status).toBe(200);
            }
            const ledger = await points(v);
            const sum = ledger.items.reduce((total: number, entry: { points: number }) => total + entry.points, 0);
            expect(ledger.balance).toBe(sum);
            expect(ledger.balance).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
