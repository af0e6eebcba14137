import { DateTime } from 'luxon';
import { SignJWT, generateKeyPair } from 'jose';
import * as clock from '../../functions/clock';
import { erasePersonalData } from '../../functions/services/erasure';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/jwt';
import { startTestApi, type TestApi } from '../support/test-api';

/**
 * API.md, "Micro-wishes (微心愿)": a resident posts a wish, an organiser publishes it, one
 * volunteer or a partner unit adopts it, it is fulfilled, and the wall shows it with no resident's
 * name or phone. Adopting and fulfilling take a volunteer's token or an organiser's JWT, which the
 * volunteer function checks itself (no API Gateway authorizer stands before those routes).
 */
let api: TestApi;
const C = 'xinyuan';
let organiser: string;
let phones = 0;
const phone = () => `+86136${String(process.pid % 10_000).padStart(4, '0')}${String((phones += 1)).padStart(4, '0')}`;

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  organiser = await api.organiserToken(C);
  expect((await api.call('PUT', `/communities/${C}/settings`, { token: organiser, body: { name: '心愿社区' } })).status).toBe(200);
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

const path = (id: string, action = '') => `/communities/${C}/wishes/${id}${action ? `/${action}` : ''}`;

async function wish(title = '想要一副老花镜', residentPhone = phone()) {
  const made = await api.call('POST', `/communities/${C}/wishes`, { body: { name: '周爷爷', phone: residentPhone, title, description: '看报纸字太小了，想要一副 300 度的老花镜。', building: '5栋' } });
  expect(made.status).toBe(201);
  return { id: made.body.wish.id as string, manage: { 'x-manage-token': made.body.manageToken as string }, body: made.body };
}

async function published(title?: string) {
  const posted = await wish(title);
  expect((await api.call('POST', path(posted.id, 'publish'), { token: organiser })).status).toBe(200);
  return posted;
}

const wall = async (query = '') => (await api.call('GET', `/communities/${C}/wishes${query}`)).body.items as { id: string; status: string; adoptedBy?: string; adopterKind?: string }[];

describe('a wish from posting to the wall', () => {
  it('is hidden until published, adopted by exactly one volunteer, fulfilled by them, and never shows a name or phone in public', async () => {
    const posted = await wish();
    expect(posted.body.wish).toMatchObject({ status: 'submitted', title: '想要一副老花镜', building: '5栋', phoneHint: expect.stringMatching(/^••••\d{4}$/) });
    // Hidden from the wall and from volunteers until an organiser publishes it.
    expect((await wall()).map((w) => w.id)).not.toContain(posted.id);
    const team = await Promise.all(Array.from({ length: 6 }, (_, i) => volunteer(`便民${i}`, 'convenience')));
    expect((await api.call('POST', path(posted.id, 'adopt'), { token: team[0]!.token })).status).toBe(404);
    // Organisers review it with the resident's name and phone.
    const review = await api.call('GET', `/communities/${C}/organiser/wishes?status=submitted`, { token: organiser });
    expect(review.body.items.find((w: { id: string }) => w.id === posted.id)).toMatchObject({ residentName: '周爷爷', residentPhone: expect.stringMatching(/^\+86136/) });

    const publishing = await api.call('POST', path(posted.id, 'publish'), { token: organiser });
    expect(publishing.body.wish).toMatchObject({ status: 'published', publishedAt: expect.any(String) });
    const shown = (await wall()).find((w) => w.id === posted.id);
    expect(shown).toMatchObject({ status: 'published', title: '想要一副老花镜' });
    expect(JSON.stringify(await wall())).not.toMatch(/周爷爷|\+86136/);
    expect((await api.call('GET', '/me/wishes', { token: team[0]!.token })).body.items.find((w: { id: string }) => w.id === posted.id)).toMatchObject({ adoptedByMe: false });

    // Six at once: exactly one adopts it, the others hear already_taken.
    const answers = await Promise.all(team.map((v) => api.call('POST', path(posted.id, 'adopt'), { token: v.token })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(new Set(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.code}`))).toEqual(new Set(['409 already_taken']));
    const winner = team[answers.findIndex((a) => a.status === 200)]!;
    const loser = team.find((v) => v !== winner)!;
    expect(answers.find((a) => a.status === 200)!.body.wish).toMatchObject({ status: 'adopted', adoptedBy: 'convenience', adopterKind: 'team', adoptedByMe: true });
    // The same volunteer again: as it is.
    expect((await api.call('POST', path(posted.id, 'adopt'), { token: winner.token })).status).toBe(200);
    // The wall names the team, never the volunteer.
    expect((await wall('?status=adopted')).find((w) => w.id === posted.id)).toMatchObject({ adoptedBy: 'convenience', adopterKind: 'team' });
    expect(JSON.stringify(await wall())).not.toMatch(/便民\d/);
    expect((await api.call('GET', '/me/wishes', { token: winner.token })).body.items.find((w: { id: string }) => w.id === posted.id)).toMatchObject({ adoptedByMe: true });

    // Only the adopter (or an organiser) marks it fulfilled.
    expect((await api.call('POST', path(posted.id, 'fulfil'), { token: loser.token, body: {} })).status).toBe(403);
    const fulfilled = await api.call('POST', path(posted.id, 'fulfil'), { token: winner.token, body: { note: '已配好眼镜送到家' } });
    expect(fulfilled.status).toBe(200);
    expect(fulfilled.body.wish).toMatchObject({ status: 'fulfilled', fulfilledAt: expect.any(String), fulfilmentNote: '已配好眼镜送到家' });
    // The note is the adopter's to read back, not the wall's.
    expect((await wall()).find((w) => w.id === posted.id)).not.toHaveProperty('fulfilmentNote');

    const own = await api.call('GET', path(posted.id), { headers: posted.manage });
    expect(own.body.wish).toMatchObject({ status: 'fulfilled', adoptedBy: 'convenience', fulfilmentNote: '已配好眼镜送到家' });
    expect(JSON.stringify(own.body)).not.toMatch(/便民\d/);
  });

  it('records a partner unit as adopter for an organiser, shown by name on the wall; a volunteer racing it gets already_taken', async () => {
    const posted = await published('想学用手机和孙子视频');
    expect((await api.call('POST', path(posted.id, 'adopt'), { token: organiser, body: {} })).body).toMatchObject({ status: 400, code: 'validation_failed' });
    const racer = await volunteer('抢先', 'assistance');
    // Fulfilling a wish nobody adopted is out of order, not forbidden.
    expect((await api.call('POST', path(posted.id, 'fulfil'), { token: racer.token, body: {} })).body).toMatchObject({ status: 409, code: 'invalid_state' });
    const [unit, own] = await Promise.all([
      api.call('POST', path(posted.id, 'adopt'), { token: organiser, body: { adopterName: '中国移动幸福路营业厅' } }),
      api.call('POST', path(posted.id, 'adopt'), { token: racer.token }),
    ]);
    expect([unit.status, own.status].sort()).toEqual([200, 409]);
    const winner = unit.status === 200 ? { adoptedBy: '中国移动幸福路营业厅', adopterKind: 'unit' } : { adoptedBy: 'assistance', adopterKind: 'team' };
    expect((await wall()).find((w) => w.id === posted.id)).toMatchObject({ status: 'adopted', ...winner });

    // A unit adopts another outright, and an organiser marks it fulfilled.
    const other = await published('想要一个助行器');
    const adopted = await api.call('POST', path(other.id, 'adopt'), { token: organiser, body: { adopterName: '幸福路卫生服务中心' } });
    expect(adopted.body.wish).toMatchObject({ status: 'adopted', adoptedBy: '幸福路卫生服务中心', adopterKind: 'unit', residentName: '周爷爷' });
    expect((await api.call('POST', path(other.id, 'adopt'), { token: racer.token })).body).toMatchObject({ status: 409, code: 'already_taken' });
    expect((await api.call('POST', path(other.id, 'fulfil'), { token: racer.token, body: {} })).status).toBe(403);
    expect((await api.call('POST', path(other.id, 'fulfil'), { token: organiser, body: {} })).body.wish).toMatchObject({ status: 'fulfilled' });
    expect((await wall('?status=fulfilled')).find((w) => w.id === other.id)).toMatchObject({ adoptedBy: '幸福路卫生服务中心' });
  });

  it('turns a wish down with a note the resident reads, and a turned-down wish cannot be adopted', async () => {
    const posted = await wish('想要一台新电视');
    const rejected = await api.call('POST', path(posted.id, 'reject'), { token: organiser, body: { note: '超出微心愿的范围，可申请社区帮扶' } });
    expect(rejected.body.wish).toMatchObject({ status: 'rejected' });
    expect((await api.call('GET', path(posted.id), { headers: posted.manage })).body.wish).toMatchObject({ status: 'rejected', rejectionNote: '超出微心愿的范围，可申请社区帮扶' });
    expect((await api.call('POST', path(posted.id, 'adopt'), { token: organiser, body: { adopterName: '某单位' } })).body).toMatchObject({ status: 409, code: 'invalid_state' });
    expect((await api.call('POST', path(posted.id, 'publish'), { token: organiser })).body).toMatchObject({ status: 409, code: 'invalid_state' });
    expect((await wall()).map((w) => w.id)).not.toContain(posted.id);
    expect((await api.call('GET', `/communities/${C}/wishes?status=submitted`)).status).toBe(400);
  });
});

describe('who may adopt', () => {
  it('refuses a forged, expired, other-community or non-organiser JWT, and no credential, as the JWT authorizer would', async () => {
    const posted = await published('想要一个收音机');
    const adopt = (token?: string) => api.call('POST', path(posted.id, 'adopt'), { ...(token ? { token } : {}), body: { adopterName: '某单位' } });
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ 'cognito:groups': ['organisers'], 'custom:communityId': C })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('mallory')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime(Math.floor(clock.nowMs() / 1000) + 600)
      .sign(privateKey);
    expect((await adopt()).status).toBe(401);
    expect((await adopt(forged)).body).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await adopt(await api.organiserToken(C, { expiresIn: '-1m' }))).status).toBe(401);
    expect((await adopt(await api.organiserToken(C, { audience: 'someone-else' }))).status).toBe(401);
    expect((await adopt(await api.organiserToken('elsewhere'))).body).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await adopt(await api.organiserToken(C, { groups: ['residents'] }))).body).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await adopt('vt_not-a-token')).status).toBe(401);
    // Nothing above adopted it.
    expect((await wall()).find((w) => w.id === posted.id)).toMatchObject({ status: 'published' });
  });
});

describe('personal data', () => {
  it("erases a wish's and a work order's resident the retention period after its last step, finished or not, and keeps the wish and the rating", async () => {
    const posted = await published('想要一盆绿萝');
    const v = await volunteer('园艺', 'cleaning');
    expect((await api.call('POST', path(posted.id, 'adopt'), { token: v.token })).status).toBe(200);
    expect((await api.call('POST', path(posted.id, 'fulfil'), { token: v.token, body: {} })).status).toBe(200);

    const report = await api.call('POST', `/communities/${C}/work-orders`, { body: { name: '孙阿姨', phone: phone(), category: 'appliance_repair', description: '水龙头漏水' } });
    const order = report.body.workOrder.id as string;
    const mender = await volunteer('修理', 'convenience');
    expect((await api.call('POST', `/communities/${C}/work-orders/${order}/dispatch`, { token: organiser, body: { team: 'convenience' } })).status).toBe(200);
    expect((await api.call('POST', `/communities/${C}/work-orders/${order}/accept`, { token: mender.token })).status).toBe(200);
    expect((await api.call('POST', `/communities/${C}/work-orders/${order}/resolve`, { token: mender.token, body: { note: '换了阀芯', minutes: 20 } })).status).toBe(200);
    expect((await api.call('POST', `/communities/${C}/work-orders/${order}/feedback`, { headers: { 'x-manage-token': report.body.manageToken }, body: { rating: 5, comment: '孙阿姨很满意' } })).status).toBe(200);

    // Left where they stood: a wish nobody adopted, a report resolved and never rated.
    const waiting = await published('想要一把折叠椅');
    const unrated = await api.call('POST', `/communities/${C}/work-orders`, { body: { name: '钱伯伯', phone: phone(), category: 'other', description: '门铃不响' } });
    const unratedId = unrated.body.workOrder.id as string;
    expect((await api.call('POST', `/communities/${C}/work-orders/${unratedId}/dispatch`, { token: organiser, body: { team: 'convenience' } })).status).toBe(200);
    expect((await api.call('POST', `/communities/${C}/work-orders/${unratedId}/accept`, { token: mender.token })).status).toBe(200);
    expect((await api.call('POST', `/communities/${C}/work-orders/${unratedId}/resolve`, { token: mender.token, body: { note: '换了电池', minutes: 5 } })).status).toBe(200);

    const now = DateTime.fromMillis(clock.nowMs());
    await erasePersonalData(now.plus({ days: 89 }).toJSDate());
    const wishes = async () => (await api.call('GET', `/communities/${C}/organiser/wishes?limit=100`, { token: organiser })).body.items.find((w: { id: string }) => w.id === posted.id);
    expect(await wishes()).toMatchObject({ residentName: '周爷爷' });

    await erasePersonalData(now.plus({ days: 91 }).toJSDate());
    const erased = await wishes();
    expect(erased).toMatchObject({ residentName: '（已删除）', title: '想要一盆绿萝', status: 'fulfilled' });
    expect(erased).not.toHaveProperty('residentPhone');
    const orders = (await api.call('GET', `/communities/${C}/work-orders?limit=100`, { token: organiser })).body.items;
    const closed = orders.find((o: { id: string }) => o.id === order);
    expect(closed).toMatchObject({ reporterName: '（已删除）', rating: 5, status: 'closed', category: 'appliance_repair' });
    expect(JSON.stringify(closed)).not.toMatch(/孙阿姨|\+86136/);
    // The retention period runs from an item's last step, ended or not.
    expect(orders.find((o: { id: string }) => o.id === unratedId)).toMatchObject({ reporterName: '（已删除）', status: 'resolved' });
    const stillUp = (await api.call('GET', `/communities/${C}/organiser/wishes?limit=100`, { token: organiser })).body.items.find((w: { id: string }) => w.id === waiting.id);
    expect(stillUp).toMatchObject({ residentName: '（已删除）', status: 'published' });
  });
});

describe('the wall, page by page', () => {
  it('fills a page past wishes still under review, and pages on from where it was cut', async () => {
    const c = 'xinyuan-pages';
    const token = await api.organiserToken(c);
    await api.call('PUT', `/communities/${c}/settings`, { token, body: { name: '翻页社区' } });
    const post = async (title: string) => (await api.call('POST', `/communities/${c}/wishes`, { body: { name: '翻', phone: phone(), title, description: '' } })).body.wish.id as string;
    const shown: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const id = await post(`上墙${i}`);
      await api.call('POST', `/communities/${c}/wishes/${id}/publish`, { token });
      shown.push(id);
    }
    // Newer than all of them: six still under review, which the wall never shows.
    for (let i = 0; i < 6; i += 1) await post(`审核中${i}`);
    const first = await api.call('GET', `/communities/${c}/wishes?limit=2`);
    expect(first.body.items.map((w: { id: string }) => w.id)).toEqual([shown[2], shown[1]]);
    const second = await api.call('GET', `/communities/${c}/wishes?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((w: { id: string }) => w.id)).toEqual([shown[0]]);
  });
});
