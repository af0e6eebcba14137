import { DateTime } from 'luxon';
import * as clock from '../../functions/clock';
import { startTestApi, type TestApi } from '../support/test-api';

/**
 * API.md, "Work orders (派单)": reported by a resident or a volunteer on a round, dispatched to a
 * team, accepted by exactly one volunteer of it, resolved (the minutes become a pending hours log
 * in the approval queue) and closed by the reporter's rating. Against DynamoDB Local.
 */
let api: TestApi;
const C = 'paidan';
let organiser: string;
let phones = 0;
const phone = () => `+86135${String(process.pid % 10_000).padStart(4, '0')}${String((phones += 1)).padStart(4, '0')}`;

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  organiser = await api.organiserToken(C);
  expect((await api.call('PUT', `/communities/${C}/settings`, { token: organiser, body: { name: '派单社区', pointsPerHour: 60 } })).status).toBe(200);
});
afterAll(async () => {
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

async function volunteer(name: string, team: string) {
  const made = await api.call('POST', `/communities/${C}/volunteers`, { token: organiser, body: { name, phone: phone(), team } });
  expect(made.status).toBe(201);
  return { id: made.body.volunteer.id as string, token: made.body.token as string };
}

async function report(description = '3栋楼道灯不亮') {
  const made = await api.call('POST', `/communities/${C}/work-orders`, { body: { name: '李奶奶', phone: phone(), category: 'appliance_repair', description, building: '3栋' } });
  expect(made.status).toBe(201);
  return { id: made.body.workOrder.id as string, manage: { 'x-manage-token': made.body.manageToken as string }, body: made.body };
}

const path = (id: string, action = '') => `/communities/${C}/work-orders/${id}${action ? `/${action}` : ''}`;

describe('a work order from report to rating', () => {
  it('is dispatched to a team, taken by exactly one of its volunteers, resolved into pending hours, and closed by the reporter', async () => {
    const order = await report();
    expect(order.body.workOrder).toMatchObject({ status: 'new', category: 'appliance_repair', building: '3栋' });

    // Organisers see it with the reporter's phone; it waits for a team.
    const listed = await api.call('GET', `/communities/${C}/work-orders?status=new`, { token: organiser });
    expect(listed.body.items.find((o: { id: string }) => o.id === order.id)).toMatchObject({ reporterName: '李奶奶', reporterPhone: expect.stringMatching(/^\+86/) });
    const due = DateTime.fromMillis(clock.nowMs()).plus({ days: 2 }).toISO();
    const dispatched = await api.call('POST', path(order.id, 'dispatch'), { token: organiser, body: { team: 'convenience', dueBy: due } });
    expect(dispatched.body.workOrder).toMatchObject({ status: 'dispatched', team: 'convenience' });

    const team = await Promise.all(Array.from({ length: 6 }, (_, i) => volunteer(`便民${i}`, 'convenience')));
    const other = await volunteer('巡逻', 'patrol');
    // Only the team sees it, and no volunteer sees the resident's full number.
    const mine = await api.call('GET', '/me/work-orders', { token: team[0]!.token });
    const seen = mine.body.items.find((o: { id: string }) => o.id === order.id);
    expect(seen).toMatchObject({ status: 'dispatched', reporterPhoneHint: expect.any(String) });
    expect(seen).not.toHaveProperty('reporterPhone');
    expect((await api.call('GET', '/me/work-orders', { token: other.token })).body.items.map((o: { id: string }) => o.id)).not.toContain(order.id);
    expect((await api.call('POST', path(order.id, 'accept'), { token: other.token })).status).toBe(403);

    // Six at once: exactly one takes it, the others hear already_taken.
    const answers = await Promise.all(team.map((v) => api.call('POST', path(order.id, 'accept'), { token: v.token })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(new Set(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.code}`))).toEqual(new Set(['409 already_taken']));
    const winner = team[answers.findIndex((a) => a.status === 200)]!;
    const loser = team.find((v) => v !== winner)!;
    expect((await api.call('POST', path(order.id, 'resolve'), { token: loser.token, body: { note: '换了灯泡', minutes: 30 } })).status).toBe(403);

    const resolved = await api.call('POST', path(order.id, 'resolve'), { token: winner.token, body: { note: '换了灯泡，测试正常', minutes: 45 } });
    expect(resolved.body.workOrder).toMatchObject({ status: 'resolved', minutes: 45, resolutionNote: '换了灯泡，测试正常' });
    // Again: as it is, and one hours log only.
    expect((await api.call('POST', path(order.id, 'resolve'), { token: winner.token, body: { note: '换了灯泡，测试正常', minutes: 45 } })).status).toBe(200);
    const queue = await api.call('GET', `/communities/${C}/hours?status=pending&limit=100`, { token: organiser });
    const logs = queue.body.items.filter((log: { volunteerId: string }) => log.volunteerId === winner.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ status: 'pending', minutes: 45 });

    // The reporter follows it, then rates it: closed.
    const view = await api.call('GET', path(order.id), { headers: order.manage });
    expect(view.body.workOrder).toMatchObject({ status: 'resolved', team: 'convenience', acceptedByName: expect.stringMatching(/^便民/) });
    expect(view.text).not.toMatch(/reporterPhone|\+86/);
    const rated = await api.call('POST', path(order.id, 'feedback'), { headers: order.manage, body: { rating: 5, comment: '谢谢！' } });
    expect(rated.body.workOrder).toMatchObject({ status: 'closed', rating: 5 });
    expect((await api.call('POST', path(order.id, 'feedback'), { headers: order.manage, body: { rating: 5 } })).status).toBe(200);
  });

  it('refuses steps out of order: accepting a new order, rating an open one, dispatching a rejected one', async () => {
    const order = await report('垃圾桶满了');
    const v = await volunteer('保洁', 'cleaning');
    expect((await api.call('POST', path(order.id, 'accept'), { token: v.token })).body.code).toBe('invalid_state');
    expect((await api.call('POST', path(order.id, 'feedback'), { headers: order.manage, body: { rating: 4 } })).body.code).toBe('invalid_state');
    const rejected = await api.call('POST', path(order.id, 'reject'), { token: organiser, body: { note: '物业负责，已转物业' } });
    expect(rejected.body.workOrder).toMatchObject({ status: 'rejected', rejectionNote: '物业负责，已转物业' });
    const late = await api.call('POST', path(order.id, 'dispatch'), { token: organiser, body: { team: 'cleaning' } });
    expect([late.status, late.body.code]).toEqual([409, 'invalid_state']);
    expect((await api.call('GET', path(order.id), { headers: order.manage })).body.workOrder).toMatchObject({ status: 'rejected', rejectionNote: '物业负责，已转物业' });
    // Another's manage token sees nothing.
    const another = await report('井盖松动');
    expect((await api.call('GET', path(order.id), { headers: another.manage })).status).toBe(403);
  });

  it('records a resolution’s minutes once, however many resolves of it arrive at once', async () => {
    const order = await report('下水道反味');
    const v = await volunteer('疏通', 'convenience');
    await api.call('POST', path(order.id, 'dispatch'), { token: organiser, body: { team: 'convenience' } });
    expect((await api.call('POST', path(order.id, 'accept'), { token: v.token })).status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.call('POST', path(order.id, 'resolve'), { token: v.token, body: { note: `疏通好了${i}`, minutes: 20 + i } })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    // Every answer is the one resolution that was stored.
    expect(new Set(answers.map((a) => `${a.body.workOrder.minutes}|${a.body.workOrder.resolutionNote}`)).size).toBe(1);
    const queue = await api.call('GET', `/communities/${C}/hours?status=pending&limit=100`, { token: organiser });
    const logs = queue.body.items.filter((log: { volunteerId: string }) => log.volunteerId === v.id);
    expect(logs).toHaveLength(1);
    expect(logs[0].minutes).toBe(answers[0]!.body.workOrder.minutes);
    // And the volunteer's pending total grew by those minutes once.
    const me = await api.call('GET', '/me', { token: v.token });
    expect(me.body.hours.pendingMinutes).toBe(answers[0]!.body.workOrder.minutes);
  });

  it('takes a volunteer’s report from a round in two taps', async () => {
    const v = await volunteer('网格员', 'grid_inspection');
    const reported = await api.call('POST', '/me/work-orders', { token: v.token, body: { category: 'other', description: '5栋门口地砖翘起，易绊倒', building: '5栋' } });
    expect(reported.status).toBe(201);
    expect(reported.body.workOrder).toMatchObject({ status: 'new', reportedBy: 'volunteer', reporterName: '网格员' });
    const listed = await api.call('GET', `/communities/${C}/work-orders?status=new`, { token: organiser });
    expect(listed.body.items.map((o: { id: string }) => o.id)).toContain(reported.body.workOrder.id);
  });
});

describe('the work-order report', () => {
  it('counts orders by state and category, and gives each team its median time from report to resolution', async () => {
    const c = 'paidan-report';
    const token = await api.organiserToken(c);
    expect((await api.call('PUT', `/communities/${c}/settings`, { token, body: { name: '报表社区' } })).status).toBe(200);
    const fixer = await api.call('POST', `/communities/${c}/volunteers`, { token, body: { name: '修', phone: phone(), team: 'convenience' } });
    const start = clock.nowMs();
    // Three orders resolved 1, 2 and 6 hours after they were reported: the median is 2.
    for (const hours of [1, 2, 6]) {
      clock.setClock(new Date(start));
      const made = await api.call('POST', `/communities/${c}/work-orders`, { body: { name: '报', phone: phone(), category: 'pipe_unclogging', description: '下水道堵了' } });
      const id = made.body.workOrder.id;
      expect((await api.call('POST', `/communities/${c}/work-orders/${id}/dispatch`, { token, body: { team: 'convenience' } })).status).toBe(200);
      expect((await api.call('POST', `/communities/${c}/work-orders/${id}/accept`, { token: fixer.body.token })).status).toBe(200);
      clock.setClock(new Date(start + hours * 3_600_000));
      expect((await api.call('POST', `/communities/${c}/work-orders/${id}/resolve`, { token: fixer.body.token, body: { note: '通了', minutes: 30 } })).status).toBe(200);
    }
    clock.setClock(undefined);
    await api.call('POST', `/communities/${c}/work-orders`, { body: { name: '报', phone: phone(), category: 'appliance_repair', description: '灯坏了' } });

    const report = await api.call('GET', `/communities/${c}/reports/work-orders`, { token });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ month: null, total: 4, byStatus: { new: 1, resolved: 3, closed: 0 }, byCategory: { pipe_unclogging: 3, appliance_repair: 1 } });
    expect(report.body.teams).toEqual([{ team: 'convenience', resolved: 3, medianHoursToResolve: 2 }]);
    const otherMonth = await api.call('GET', `/communities/${c}/reports/work-orders?month=2020-01`, { token });
    expect(otherMonth.body).toMatchObject({ month: '2020-01', total: 0, teams: [] });
    expect((await api.call('GET', `/communities/${c}/reports/work-orders?month=2020-13`, { token })).status).toBe(400);
  });
});
