import { withSiteConfig } from '../../lib/web-build';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { anyDate, browserSuite, card, consoleSignedIn, copyLink, focusedText, phoneLayout, readyForScreenshot, screenshot, text } from '../support/browser';
import { makeCommunity, type CommunityFixture } from '../support/fixtures';
import type { TestApi } from '../support/test-api';
import * as clock from '../../functions/clock';

/**
 * The organisers' console in headless Chromium on the community room's laptop (and a phone at the
 * points-supermarket counter), against the real local API. The community, its evening, volunteers,
 * hours and goods are set up through the API; the organiser signs in by pasting a token, as locally.
 */

// page.evaluate callbacks run in the page; tsconfig has no DOM library, so the little they use is declared here.
declare const document: any;
declare const window: any;
declare const sessionStorage: { getItem(key: string): string | null };
declare const localStorage: { length: number; key(index: number): string | null; getItem(key: string): string | null };

const C = 'xingfu';
const ZONE = 'Asia/Shanghai';
const SESSION_KEY = 'linli.organiserSession';

// Every page a test opens must run without an uncaught error, a CSP violation or an outside request (checked after each test).
const suite = browserSuite();
const pages = suite.pages;
let api: TestApi;
let fixture: CommunityFixture;
let organiser: string;
let serial = 0;

/** A distinct, valid Chinese mobile number per call. */
const newPhone = () => `135${String(process.pid % 10_000).padStart(4, '0')}${String((serial += 1)).padStart(4, '0')}`;

async function ok<T = any>(pending: Promise<{ status: number; body: T; text: string }>, what: string): Promise<T> {
  const response = await pending;
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${response.text}`);
  return response.body;
}

const asOrganiser = (method: string, path: string, body?: unknown) => ok(api.call(method, path, { token: organiser, body }), `${method} ${path}`);

async function newVolunteer(name: string, team: string): Promise<{ id: string; token: string }> {
  const created = await asOrganiser('POST', `/communities/${C}/volunteers`, { name, phone: newPhone(), team });
  return { id: created.volunteer.id, token: created.token };
}

/** The first moment of last month in the community's time zone. */
const lastMonth = () => DateTime.fromMillis(clock.nowMs(), { zone: ZONE }).startOf('month').minus({ months: 1 });

/** The date (YYYY-MM-DD) `days` from now in the community's time zone. */
const dayAhead = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(clock.nowMs() + days * 86_400_000));

beforeAll(async () => {
  ({ api } = suite);
  // One of everything: an evening that started five minutes ago with one volunteer of five and a
  // request, a full event, approved hours, rice in the points supermarket and a reservation of it.
  fixture = await makeCommunity(api, C, { resident: '刘奶奶' });
  organiser = fixture.organiserToken;
  await asOrganiser('PUT', `/communities/${C}/settings`, { name: '幸福邻里社区', pointsPerHour: 60, organiserContacts: ['staff@example.org'] });

  // Tonight: more residents' requests and one more volunteer (still three short).
  for (const [category, description] of [
    ['appliance_repair', '电饭煲不加热'],
    ['appliance_repair', '电风扇不转'],
    ['pipe_unclogging', '厨房下水道堵了'],
  ]) {
    await ok(api.call('POST', `/communities/${C}/slots/${fixture.slotId}/requests`, { body: { name: '王秀英', phone: newPhone(), category, description } }), 'request');
  }
  const helper = await newVolunteer('李建华', 'convenience');
  await ok(api.call('POST', `/communities/${C}/slots/${fixture.slotId}/shifts`, { token: helper.token }), 'shift');

  // The next evenings, two volunteers each; one of them covered.
  const series = await asOrganiser('POST', `/communities/${C}/slots/series`, { from: dayAhead(1), to: dayAhead(4), volunteerCapacity: 2, requestCapacity: 6 });
  await ok(api.call('POST', `/communities/${C}/slots/${series.slots[0].id}/shifts`, { token: helper.token }), 'later shift');

  // Last month's hours across the teams, entered by the organiser (approved at once): on the 15th,
  // so they stay in last month whatever day and hour the suite runs. The fixture's own log (entered
  // for yesterday) and the approval below fall in this month or last, never earlier.
  const start = lastMonth().set({ day: 15, hour: 9 });
  for (const [name, team, minutes] of [
    ['张桂芳', 'assistance', 240],
    ['王建国', 'mediation', 180],
    ['赵德明', 'grid_inspection', 120],
    ['周玉梅', 'cleaning', 60],
  ] as const) {
    const volunteer = await newVolunteer(name, team);
    await asOrganiser('POST', `/communities/${C}/hours`, {
      volunteerId: volunteer.id,
      startedAt: start.toISO(),
      endedAt: start.plus({ minutes }).toISO(),
      note: '组织者补录',
    });
  }
});


/** The console on a laptop (or a phone), signed in by pasting the organiser's token. */
async function signedIn({ laptop = true } = {}): Promise<Page> {
  const page = await pages.open({ laptop });
  await consoleSignedIn(page, api.url, organiser);
  await loaded(page, '今晚');
  return page;
}

/** Wait for the page's heading and for its data (no more "正在加载…"). */
async function loaded(page: Page, heading: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
}

async function openTab(page: Page, name: string, heading = name): Promise<void> {
  await page.getByRole('navigation', { name: '组织者工作台' }).getByRole('link', { name, exact: true }).click();
  await loaded(page, heading);
}

/** "2026年11月", as the console names a month. */
const monthLabel = (month: DateTime) => `${month.year}年${month.month}月`;

/**
 * The month's report as the console draws it, once it shows `month`: per team the same minutes as
 * the API's report, in the SVG chart and in its table; the total; `top` first among the volunteers.
 */
async function expectMonthReport(report_: ReturnType<typeof region>, month: DateTime, top: string): Promise<void> {
  await report_.locator('#report-month').getByText(monthLabel(month), { exact: true }).waitFor();
  const report = await asOrganiser('GET', `/communities/${C}/reports/hours?month=${month.toFormat('yyyy-MM')}`);
  const chart = report_.getByRole('img', { name: `${monthLabel(month)}各队已通过的服务时长` });
  expect(await chart.evaluate((el) => el.tagName)).toBe('svg');
  expect(await report_.getByRole('table').getByRole('row').count()).toBe(1 + 6);
  for (const row of report.teams as { team: string; minutes: number }[]) {
    const name = { convenience: '惠邻便民队', assistance: '暖邻帮扶队', patrol: '安邻巡逻队', mediation: '睦邻调解队', cleaning: '洁邻管护队', grid_inspection: '网格“啄木鸟”队' }[row.team]!;
    expect(await text(report_.getByRole('table').getByRole('row', { name: new RegExp(`^${name}`) }))).toContain(duration(row.minutes));
    expect(await report_.locator('.chart__row', { hasText: name }).textContent()).toContain(duration(row.minutes));
  }
  expect(report.totals.minutes).toBeGreaterThan(0);
  expect(await text(report_.locator('#total-hours'))).toBe(duration(report.totals.minutes));
  expect(await text(report_.getByRole('list', { name: '服务时长最多的志愿者' }).getByRole('listitem').first())).toContain(top);
}

/** "1 小时 30 分钟", as the console writes a number of minutes. */
const duration = (minutes: number) => (minutes >= 60 ? `${Math.floor(minutes / 60)} 小时${minutes % 60 ? ` ${minutes % 60} 分钟` : ''}` : `${minutes} 分钟`);
const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const sessionToken = (page: Page) => page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY);

describe('the organisers’ console', () => {
  it('signs in with a pasted local token (refusing bad ones in words), shows tonight with the understaffed banner, and signs out', async () => {
    const page = await pages.open({ laptop: true });
    const requests: { url: string; authorization?: string }[] = [];
    page.on('request', (request) => requests.push({ url: request.url(), authorization: request.headers().authorization }));
    await page.goto(`${api.url}/#/`);
    await page.getByRole('link', { name: '组织者入口' }).click();
    await page.getByRole('heading', { level: 1, name: '组织者登录' }).waitFor();
    const token = page.getByLabel('组织者令牌');
    expect(await text(page.locator('.field', { has: token }))).toContain('npm run --silent token -- organiser');
    const submit = page.getByRole('button', { name: '登录', exact: true });

    // Not a token; an expired one; one with a forged signature: each said beside the field.
    await token.fill('hello');
    await submit.click();
    await page.locator('.field', { has: token }).getByText('这不是完整的令牌').waitFor();
    expect(await token.getAttribute('aria-invalid')).toBe('true');
    expect(await focusedText(page)).toContain('请检查以下内容');
    await token.fill(await api.organiserToken(C, { expiresIn: '-1m' }));
    await submit.click();
    await page.locator('.field', { has: token }).getByText('这个令牌已过期').waitFor();
    const [header, payload] = organiser.split('.');
    await token.fill(`${header}.${payload}.${'A'.repeat(86)}`);
    await submit.click();
    await page.locator('.field', { has: token }).getByText('这个令牌不对或已过期').waitFor();
    expect(await sessionToken(page)).toBeNull();

    // The right one: tonight, with the heading focused.
    await token.fill(`  ${organiser}\n`);
    await submit.click();
    await loaded(page, '今晚');
    expect(page.url()).toBe(`${api.url}/#/console/tonight`);
    expect(await focusedText(page)).toBe('今晚');
    expect(await text(page.locator('.console-bar'))).toContain('幸福邻里社区');

    // Kept for this tab only (sessionStorage, never localStorage), sent only in the Authorization header.
    expect(JSON.parse((await sessionToken(page))!).token).toBe(organiser);
    const stored = await page.evaluate(() => Array.from({ length: localStorage.length }, (_, i) => localStorage.getItem(localStorage.key(i)!)).join(' '));
    expect(stored).not.toContain(organiser.split('.')[2]);
    expect(requests.filter((request) => request.url.includes(organiser.split('.')[1]!))).toEqual([]);
    expect(requests.some((request) => new URL(request.url).pathname === `/communities/${C}/settings` && request.authorization === `Bearer ${organiser}`)).toBe(true);

    // Three volunteers short: red, with a sign and the words.
    const banner = page.locator('#staffing');
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.getAttribute('class')).toBe('alarm');
    expect(await text(banner)).toContain('人手不足');
    expect(await text(banner)).toContain('还差 3 名志愿者：已有 2 人报名值班，需要 5 人。');
    expect(await banner.locator('svg').count()).toBe(1);
    const onDuty = await text(region(page, '值班志愿者'));
    expect(onDuty).toMatch(/2\s*\/ 5/);
    expect(onDuty).toContain('陈师傅');
    expect(onDuty).toContain('安邻巡逻队');
    expect(onDuty).toContain('李建华');

    // Residents' requests by category: a picture with a name, and the same numbers in a table.
    const requestsPanel = region(page, '居民预约');
    expect(await text(requestsPanel)).toMatch(/4\s*\/ \d+/);
    const chart = requestsPanel.getByRole('img', { name: '居民预约的服务类别' });
    expect(await chart.evaluate((el) => el.tagName)).toBe('svg');
    expect(await text(requestsPanel.locator('.chart-figure'))).toContain('家电维修');
    expect(await requestsPanel.getByRole('table').getByRole('row', { name: /家电维修\s+2 个/ }).count()).toBe(1);

    // The next evenings: the one without its volunteers says so in red words.
    const later = region(page, '接下来的晚上');
    expect(await later.getByRole('listitem').count()).toBe(4);
    expect(await text(later.getByRole('listitem').first())).toContain('志愿者 1/2');
    expect(await text(later.getByRole('listitem').nth(1))).toContain('缺 2 人');

    await page.setViewportSize({ width: 1280, height: 1000 });
    await readyForScreenshot(page);
    await screenshot(page, 'console-tonight.png');

    // The roster opens with the phone numbers to call.
    await page.getByRole('link', { name: '打开名单（志愿者和居民的电话）' }).click();
    await loaded(page, '延时服务名单');
    expect(await focusedText(page)).toBe('延时服务名单');
    const residents = region(page, '居民预约 (4/4)').or(page.getByRole('region', { name: /^居民预约/ }));
    expect(await card(residents, '管道疏通').getByRole('link', { name: /^\+86135/ }).count()).toBe(1);
    expect(await text(card(residents, '管道疏通'))).toContain('厨房下水道堵了');

    // Still signed in after a reload of this tab; signing out forgets the token at once.
    await page.reload();
    await loaded(page, '延时服务名单');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { level: 1, name: '组织者登录' }).waitFor();
    expect(await focusedText(page)).toBe('已退出登录。');
    expect(await sessionToken(page)).toBeNull();
    await page.goto(`${api.url}/#/console/hours`);
    await page.getByLabel('组织者令牌').waitFor();
  });
  it('creates an event through the form (an end before the start is said beside the field), and fills its bar as registrations arrive', async () => {
    const page = await signedIn();
    await openTab(page, '活动');
    await page.getByRole('link', { name: '新建活动' }).click();
    await loaded(page, '新建活动');
    expect(await focusedText(page)).toBe('新建活动');

    await page.getByLabel('活动名称').fill('冬至包饺子');
    await page.getByLabel('地点').fill('幸福邻里社区活动室');
    await page.getByLabel('开始时间').fill('2030-12-20T09:00');
    await page.getByLabel('结束时间').fill('2030-12-20T08:00');
    await page.getByLabel('名额（人）').fill('3');
    await page.getByRole('radio', { name: '发布，居民可以报名' }).check();
    const create = page.getByRole('button', { name: '创建活动' });
    await create.click();

    // The API's field error, beside the end time, with a focused summary that links to it.
    const end = page.getByLabel('结束时间');
    await page.locator('.field', { has: end }).getByText('结束时间要晚于开始时间').waitFor();
    expect(await end.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('开始时间').getAttribute('aria-invalid')).toBeNull();
    expect(await focusedText(page)).toContain('请检查以下内容');
    await page.locator('.error-summary').getByRole('link', { name: '结束时间要晚于开始时间' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-endsAt');

    await end.fill('2030-12-20T12:00');
    await create.dblclick();
    await loaded(page, '活动');
    expect(await focusedText(page)).toBe('已创建活动“冬至包饺子”。');
    const created = (await asOrganiser('GET', `/communities/${C}/organiser/events?limit=100`)).items.filter((event: { title: string }) => event.title === '冬至包饺子');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ startsAt: '2030-12-20T09:00:00+08:00', endsAt: '2030-12-20T12:00:00+08:00', capacity: 3, status: 'published' });
    const eventId = created[0].id as string;

    const festival = card(page, '冬至包饺子');
    expect(await text(festival)).toContain('已发布');
    expect(await text(festival)).toMatch(/0\s*\/ 3 人已报名/);
    expect(await text(festival)).toContain('剩余 3 个名额');

    // Residents register (through the API): the open page fills its bar by itself.
    const register = (name: string) => ok(api.call('POST', `/communities/${C}/events/${eventId}/registrations`, { body: { name, phone: newPhone() } }), 'registration');
    await register('孙玉梅');
    await register('吴晓东');
    await page.clock.fastForward(10_000); // the list fetches its numbers again every ten seconds
    await festival.getByText(/2\s*\/ 3 人已报名/).waitFor();
    expect(await text(page.locator('#events-changes'))).toContain('冬至包饺子：已报名 2/3。');

    // Full, and one waiting: the refresh button shows it at once.
    await register('周文华');
    await register('黄志强');
    await page.getByRole('button', { name: '刷新' }).click();
    await festival.getByText('已满，1 户（1 人）候补').waitFor();
    expect(await festival.locator('.fill--full').count()).toBe(1);

    // Editing: fewer places than people signed up is said beside the field; one more promotes the waitlist.
    await festival.getByRole('link', { name: /^编辑/ }).click();
    await loaded(page, '编辑活动');
    const capacity = page.getByLabel('名额（人）');
    expect(await capacity.inputValue()).toBe('3');
    expect(await page.getByLabel('开始时间').inputValue()).toBe('2030-12-20T09:00');
    await capacity.fill('2');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.locator('.field', { has: capacity }).getByText('已经有 3 人报名成功，名额不能少于这个数').waitFor();
    expect(await focusedText(page)).toContain('名额不能少于已经报名成功的人数');
    await capacity.fill('4');
    await page.getByRole('button', { name: '保存修改' }).click();
    await loaded(page, '活动');
    expect(await focusedText(page)).toBe('已保存“冬至包饺子”的修改。');
    expect(await text(card(page, '冬至包饺子'))).toMatch(/4\s*\/ 4 人已报名/);

    // The roster, with names and phones, and as CSV.
    await card(page, '冬至包饺子').getByRole('link', { name: /^名单/ }).click();
    await loaded(page, '报名名单：冬至包饺子');
    const roster = await text(page.locator('main'));
    for (const name of ['孙玉梅', '吴晓东', '周文华', '黄志强']) expect(roster).toContain(name);
    expect(roster).not.toContain('候补中');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载名单（CSV）' }).click()]);
    expect(download.suggestedFilename()).toBe(`linli-roster-${eventId}.csv`);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks).toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('孙玉梅');

    // Cancelling asks first; the residents' notice then shows among the messages.
    await page.getByRole('link', { name: '返回活动列表' }).click();
    await loaded(page, '活动');
    await card(page, '冬至包饺子').getByRole('button', { name: /^取消活动/ }).click();
    await page.getByRole('heading', { name: '确定取消“冬至包饺子”吗？' }).waitFor();
    expect(await focusedText(page)).toBe('确定取消“冬至包饺子”吗？');
    await page.getByRole('button', { name: '确定取消活动' }).click();
    await page.getByText('已取消“冬至包饺子”，报名的居民会收到通知。').waitFor();
    expect(await text(card(page, '冬至包饺子'))).toContain('已取消');
    // A cancelled event offers no places: its seats meter says so, not "已满" or the places left.
    expect(await text(card(page, '冬至包饺子').locator('.meter__detail').first())).toBe('已取消');
    expect((await asOrganiser('GET', `/communities/${C}/organiser/events?limit=100`)).items.find((event: { id: string }) => event.id === eventId).status).toBe('cancelled');

    expect((await api.call('POST', '/_local/jobs/reminders')).status).toBe(200);
    await openTab(page, '消息记录');
    const notice = page.getByRole('listitem').filter({ hasText: '活动取消通知' }).filter({ hasText: '已发送' }).first();
    expect(await text(notice)).toContain('户报名居民');
    // Each address it went to, masked, how, and what came of it.
    expect(await text(notice.locator('.delivery').first())).toMatch(/^1\d{2}\*{4}\d{4}[\s·]*（本地发件箱）[\s·]*已发送/);
  });
  it('approves a pending hours log with changed minutes and a note, and draws the month’s hours per team', async () => {
    // The volunteer on tonight's shift checks in and out (through the API): a log waits for review.
    await ok(api.call('POST', '/me/check-ins', { token: fixture.volunteerToken, body: { slotId: fixture.slotId } }), 'check-in');
    await ok(api.call('POST', '/me/check-outs', { token: fixture.volunteerToken }), 'check-out');
    const page = await signedIn();
    await openTab(page, '服务时长', '志愿服务时长');

    const pending = page.getByRole('region', { name: /^待审核/ });
    const log = card(pending, '陈师傅');
    expect(await text(log)).toContain('安邻巡逻队');
    expect(await text(log)).toMatch(/时长\s*0 分钟/);

    // Adjusting the minutes needs a note: said in the box, which stays open.
    await log.getByRole('button', { name: /^调整后通过/ }).click();
    await page.getByRole('heading', { name: '调整 陈师傅 的服务时长' }).waitFor();
    expect(await focusedText(page)).toBe('调整 陈师傅 的服务时长');
    await log.getByLabel('服务时长（分钟）').fill('90');
    await log.getByRole('button', { name: '按调整后的时长通过' }).click();
    await log.getByRole('alert').getByText('调整了时长，请在备注里写明原因。').waitFor();
    await log.getByLabel('备注').fill('忘记签退，按实际 1.5 小时计');
    await log.getByRole('button', { name: '按调整后的时长通过' }).click();
    await page.getByText('已通过：陈师傅 1 小时 30 分钟，获得 90 积分。').waitFor();
    expect(await focusedText(page)).toBe('已通过：陈师傅 1 小时 30 分钟，获得 90 积分。');
    await pending.getByText('没有待审核的服务时长。').waitFor();
    const approved = (await asOrganiser('GET', `/communities/${C}/hours?status=approved&limit=100`)).items.filter(
      (item: { volunteerId: string; slotId?: string }) => item.volunteerId === fixture.volunteerId && item.slotId === fixture.slotId,
    );
    expect(approved).toHaveLength(1);
    expect(approved[0]).toMatchObject({ approvedMinutes: 90, points: 90 });
    expect(approved[0].decisions.at(-1).note).toBe('忘记签退，按实际 1.5 小时计');

    // This month's chart: an SVG picture per team with its name, the same numbers in a table. The
    // approval just made is this month's (it counts by check-in); the entered hours are last month's.
    const report_ = region(page, '每月统计');
    const thisMonth = DateTime.fromMillis(clock.nowMs(), { zone: ZONE });
    await expectMonthReport(report_, thisMonth, '陈师傅');

    // Last month: the hours entered for the 15th, focus staying on the button.
    await report_.getByRole('button', { name: /上个月/ }).click();
    await expectMonthReport(report_, lastMonth(), '张桂芳');
    expect(await focusedText(page)).toContain('上个月');
    await readyForScreenshot(page);
    await page.locator('.report').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'console-hours.png');

    // The month before that: nothing yet. Then the same page in English.
    await report_.getByRole('button', { name: /上个月/ }).click();
    await report_.locator('#report-month').getByText(monthLabel(lastMonth().minus({ months: 1 }))).waitFor();
    await report_.getByText('这个月还没有已通过的服务时长。').waitFor();
    expect(await text(report_.locator('#total-hours'))).toBe(duration(0));
    await page.getByRole('button', { name: 'English' }).click();
    await loaded(page, 'Volunteer hours');
    expect(await page.getByRole('img', { name: /^Hours approved per team, / }).count()).toBe(1);
    expect(await focusedText(page)).toBe('中文');
    await page.getByRole('button', { name: '中文' }).click();
    await loaded(page, '志愿服务时长');
  });

  anyDate('hands over a reservation by its pickup code on a phone, restocks, and shows the earning standard', async () => {
    const page = await signedIn({ laptop: false });
    await openTab(page, '积分超市');
    const { pickupCode } = (await asOrganiser('GET', `/communities/${C}/redemptions?status=reserved`)).items.find((item: { id: string }) => item.id === fixture.redemptionId);

    // The volunteer shows the code at the counter: typing its start finds the reservation.
    const reserved = page.getByRole('region', { name: /^待领取/ });
    await reserved.getByLabel('按取货码查找').fill(pickupCode.slice(0, 4).toLowerCase());
    await reserved.getByText('找到 1 个').waitFor();
    const reservation = reserved.getByRole('listitem').filter({ hasText: pickupCode });
    expect(await reservation.isVisible()).toBe(true);
    expect(await text(reservation)).toContain('大米 × 1');
    expect(await text(reservation)).toContain('陈师傅');
    await reservation.getByRole('button', { name: /^已领取/ }).dblclick();
    await page.getByText('已领取：大米 × 1（陈师傅）。').waitFor();
    expect(await focusedText(page)).toBe('已领取：大米 × 1（陈师傅）。');
    const collected = await asOrganiser('GET', `/communities/${C}/redemptions?status=collected`);
    expect(collected.items.map((item: { id: string }) => item.id)).toContain(fixture.redemptionId);
    expect(await page.getByText(pickupCode).count()).toBe(0);

    // Restocking adds to what is there.
    const rice = card(region(page, '物品和库存'), '大米');
    expect(await text(rice)).toContain('49 件');
    await rice.getByLabel('补货数量').fill('10');
    await rice.getByRole('button', { name: /^补货/ }).click();
    await page.getByText('已补货：大米 现有 59 件。').waitFor();
    const catalogue = await ok(api.call('GET', `/communities/${C}/catalogue`), 'catalogue');
    expect(catalogue.items.find((item: { id: string }) => item.id === fixture.itemId).stock).toBe(59);

    // The earning standard now, and since when.
    const standard = region(page, '积分标准');
    expect(await text(standard.locator('#standard-now'))).toBe('每服务 1 小时得 60 积分');
    expect(await text(standard.getByRole('list', { name: '积分标准的变化' }))).toMatch(/\d+月\d+日 周.起 每服务 1 小时得 60 积分/);

    // One column on the phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
  anyDate('asks for the community’s settings first when it has none, then opens on tonight', async () => {
    const page = await pages.open({ laptop: true });
    await page.goto(`${api.url}/#/console`);
    await page.getByLabel('组织者令牌').fill(await api.organiserToken('hexie'));
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await loaded(page, '先填写社区信息');
    expect(await page.getByRole('navigation', { name: '组织者工作台' }).count()).toBe(0);
    expect(await page.getByLabel('时区').inputValue()).toBe('Asia/Shanghai');
    await page.getByLabel('提前多久提醒（分钟）').fill('1440, 一小时');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.locator('.field', { has: page.getByLabel('社区名称') }).getByText('请填写名称').waitFor();
    expect(await text(page.locator('.field', { has: page.getByLabel('提前多久提醒（分钟）') }))).toContain('请填分钟数');

    await page.getByLabel('社区名称').fill('和谐家园社区');
    await page.getByLabel('提前多久提醒（分钟）').fill('1440，60');
    await page.getByLabel('组织者联系方式').fill('staff@example.org\n138 0013 8000');
    // A robot address on another host is refused, in words the organiser can act on.
    await page.getByLabel('企业微信群机器人地址').fill('https://qyapi.weixin.qq.com.example.net/cgi-bin/webhook/send?key=693a91f6-7bc4-4bc4-97a0-0ec2f5a5a5aa');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.locator('.field', { has: page.getByLabel('企业微信群机器人地址') }).getByText(/请粘贴企业微信群机器人的 Webhook 地址/).waitFor();
    await page.getByLabel('企业微信群机器人地址').fill('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7bc4-4bc4-97a0-0ec2f5a5a5aa');
    await page.getByRole('button', { name: '保存设置' }).click();
    await loaded(page, '今晚');
    expect(await focusedText(page)).toBe('设置已保存。');
    expect(await text(page.locator('main'))).toContain('近期没有延时服务的安排。');
    const settings = await ok(api.call('GET', '/communities/hexie/settings', { token: await api.organiserToken('hexie') }), 'settings');
    expect(settings).toMatchObject({
      name: '和谐家园社区',
      reminderOffsetsMinutes: [1440, 60],
      organiserContacts: ['staff@example.org', '+8613800138000'],
      wecomWebhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****a5aa',
    });
    // Shown masked in the form; saving the form again keeps the robot.
    await openTab(page, '社区设置');
    expect(await page.getByLabel('企业微信群机器人地址').inputValue()).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****a5aa');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('设置已保存。').waitFor();
    const again = await ok(api.call('GET', '/communities/hexie/settings', { token: await api.organiserToken('hexie') }), 'settings');
    expect(again.wecomWebhookUrl).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****a5aa');
  });

  anyDate('adds a volunteer and hands over the code once: copied, printed as a card, opened on the volunteer’s phone', async () => {
    const page = await signedIn();
    await page.evaluate(() => {
      window.printed = 0;
      window.print = () => (window.printed += 1);
    });
    await openTab(page, '志愿者');
    expect(page.url()).toBe(`${api.url}/#/console/volunteers`);
    expect(await focusedText(page)).toBe('志愿者');

    // Hours and points as the API counts them, the team in Chinese, the phone to call.
    const listed = (await asOrganiser('GET', `/communities/${C}/volunteers?limit=100`)).items as any[];
    const zhang = listed.find((volunteer) => volunteer.name === '张桂芳');
    const zhangCard = card(page, '张桂芳');
    expect(await text(zhangCard)).toContain('暖邻帮扶队');
    expect(await text(zhangCard)).toContain('在岗');
    expect(await text(zhangCard)).toContain(duration(zhang.hours.approvedMinutes));
    expect(await text(zhangCard)).toContain(`${zhang.points.balance} 积分`);
    expect(await zhangCard.getByRole('link', { name: zhang.phone }).getAttribute('href')).toBe(`tel:${zhang.phone}`);

    // Adding: what is missing is said beside each field.
    await page.getByRole('link', { name: '添加志愿者' }).click();
    await loaded(page, '添加志愿者');
    expect(await focusedText(page)).toBe('添加志愿者');
    await page.getByRole('button', { name: '添加志愿者' }).click();
    expect(await focusedText(page)).toContain('请检查以下内容');
    await page.locator('.field', { has: page.getByLabel('姓名') }).getByText('请填写志愿者的姓名').waitFor();
    await page.locator('#f-team-error').getByText('请选择志愿服务队').waitFor();
    await page.getByLabel('姓名').fill('吴秀兰');
    await page.getByLabel('手机号码').fill('12345');
    await page.getByRole('radio', { name: '洁邻管护队' }).check();
    await page.getByRole('button', { name: '添加志愿者' }).click();
    await page.locator('.field', { has: page.getByLabel('手机号码') }).getByText('请填写正确的手机号码').waitFor();
    await page.getByLabel('手机号码').fill(newPhone());
    await page.getByRole('button', { name: '添加志愿者' }).dblclick();

    // The code, once: focused news on top, the link to open and the code to paste.
    await loaded(page, '吴秀兰的志愿者码');
    expect(await focusedText(page)).toBe('已添加志愿者吴秀兰。');
    const added = ((await asOrganiser('GET', `/communities/${C}/volunteers?limit=100`)).items as any[]).filter((volunteer) => volunteer.name === '吴秀兰');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ team: 'cleaning', status: 'active' });
    expect(page.url()).toBe(`${api.url}/#/console/volunteers/${added[0].id}/code`);
    const link = await page.locator('#volunteer-link').inputValue();
    const token = await page.locator('#volunteer-code').inputValue();
    expect(token).toMatch(/^vt_/);
    expect(link).toBe(`${api.url}/#/volunteer/${token}`);
    expect(await text(page.locator('#code-once'))).toContain('志愿者码只显示这一次');
    expect(await copyLink(page, api.url)).toBe(link);

    // The card, and only the card, prints: name, community, the link as text.
    const printCard = page.locator('#volunteer-card');
    expect(await text(printCard)).toContain('吴秀兰');
    expect(await text(printCard)).toContain('幸福邻里社区 · 志愿者卡');
    expect(await text(printCard)).toContain(link);
    await page.getByRole('button', { name: '打印志愿者卡' }).click();
    expect(await page.evaluate(() => window.printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await printCard.isVisible()).toBe(true);
    expect(await page.locator('#volunteer-link').isVisible()).toBe(false);
    expect(await page.locator('.console-bar').isVisible()).toBe(false);
    expect(await page.getByRole('navigation', { name: '组织者工作台' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // The volunteer opens the link on their phone and is in.
    const phone = await pages.open();
    await phone.goto(link);
    await phone.getByRole('heading', { level: 1, name: '您好，吴秀兰' }).waitFor();

    // Gone after a reload: shown only once.
    await page.reload();
    await page.locator('#code-gone').getByText('志愿者码只显示一次').waitFor();
    expect(await page.locator('#volunteer-code').count()).toBe(0);

    // Deactivating asks first; the code stops at once. Reactivating brings it back.
    await page.getByRole('link', { name: '返回志愿者名单' }).click();
    await loaded(page, '志愿者');
    const wu = card(page, '吴秀兰');
    expect(await text(wu)).toContain('洁邻管护队');
    await wu.getByRole('button', { name: /^停用/ }).click();
    await page.getByRole('heading', { name: '停用吴秀兰？' }).waitFor();
    expect(await focusedText(page)).toBe('停用吴秀兰？');
    await page.getByRole('button', { name: '确定停用' }).click();
    await page.getByText('已停用吴秀兰，TA 的志愿者码已失效。').waitFor();
    expect(await focusedText(page)).toBe('已停用吴秀兰，TA 的志愿者码已失效。');
    expect(await text(card(page, '吴秀兰'))).toContain('已停用');
    expect((await api.call('GET', '/me', { token })).status).toBe(401);
    await card(page, '吴秀兰').getByRole('button', { name: /^重新启用/ }).click();
    await page.getByText(/^已重新启用吴秀兰/).waitFor();
    expect(await focusedText(page)).toMatch(/^已重新启用吴秀兰/);
    expect((await api.call('GET', '/me', { token })).status).toBe(200);

    // A new code asks first and says the old one stops; then it is shown once, and the old one is refused.
    await card(page, '吴秀兰').getByRole('button', { name: /^换新志愿者码/ }).click();
    await page.getByRole('heading', { name: '给吴秀兰换一个新的志愿者码？' }).waitFor();
    expect(await text(card(page, '吴秀兰'))).toContain('旧的志愿者码和二维码链接会马上失效');
    await page.getByRole('button', { name: '确定换新码' }).click();
    await loaded(page, '吴秀兰的志愿者码');
    expect(await focusedText(page)).toBe('已给吴秀兰换了新的志愿者码，旧码已失效。');
    const fresh = await page.locator('#volunteer-code').inputValue();
    expect(fresh).toMatch(/^vt_/);
    expect(fresh).not.toBe(token);
    expect((await api.call('GET', '/me', { token })).status).toBe(401);
    expect((await api.call('GET', '/me', { token: fresh })).status).toBe(200);
  });

  anyDate('puts a volunteer of any team on the understaffed evening from the banner, and says it in words', async () => {
    const page = await signedIn();
    const banner = page.locator('#staffing');
    await banner.getByRole('link', { name: '安排志愿者补位' }).click();
    await loaded(page, '志愿者');
    expect(page.url()).toBe(`${api.url}/#/console/volunteers/cover/${fixture.slotId}`);
    const cover = page.getByRole('region', { name: /^找人补位：/ });
    expect(await text(cover.locator('#cover-short'))).toBe('还差 3 名志愿者。');
    const names = await cover.getByRole('listitem').locator('.person__name').allInnerTexts();
    // Those already on this evening are not listed; active volunteers of every team are, each with team and phone.
    expect(names).not.toContain('陈师傅');
    expect(names).not.toContain('李建华');
    expect(names).toEqual(expect.arrayContaining(['张桂芳', '王建国', '赵德明', '周玉梅']));
    const zhang = cover.getByRole('listitem').filter({ hasText: '张桂芳' });
    expect(await text(zhang)).toContain('暖邻帮扶队');
    expect(await zhang.getByRole('link', { name: /^\+86/ }).count()).toBe(1);

    // Asked once (call first), then put on: said on top, gone from the list, one fewer short.
    await zhang.getByRole('button', { name: /^安排值班\s*：张桂芳$/ }).click();
    await page.getByRole('heading', { name: /^安排张桂芳值班：.+？$/ }).waitFor();
    expect(await focusedText(page)).toMatch(/^安排张桂芳值班：/);
    await page.getByRole('button', { name: '确定安排' }).click();
    await page.getByText(/^已安排张桂芳（暖邻帮扶队）值班：/).waitFor();
    expect(await focusedText(page)).toMatch(/^已安排张桂芳（暖邻帮扶队）值班：.+。还差 2 名志愿者。$/);
    expect(await text(page.locator('#cover-short'))).toBe('还差 2 名志愿者。');
    expect(await page.getByRole('region', { name: /^找人补位：/ }).locator('.person__name').allInnerTexts()).not.toContain('张桂芳');
    const roster = await asOrganiser('GET', `/communities/${C}/slots/${fixture.slotId}`);
    expect(roster.volunteers.map((volunteer: { name: string }) => volunteer.name)).toContain('张桂芳');
  });

  anyDate('puts a volunteer on a festival short of volunteers, and refuses one already on it in words', async () => {
    const already = await newVolunteer('黄丽华', 'patrol');
    await ok(api.call('POST', `/communities/${C}/events/${fixture.eventId}/shifts`, { token: already.token }), 'festival shift');
    const page = await signedIn();
    await openTab(page, '活动');
    const festival = page.locator(`[data-event-id="${fixture.eventId}"]`);
    await festival.getByRole('link', { name: /^安排志愿者\s*：/ }).click();
    await loaded(page, '志愿者');
    expect(page.url()).toBe(`${api.url}/#/console/volunteers/cover-event/${fixture.eventId}`);
    const cover = page.getByRole('region', { name: /^找人补位：与邻相约·多彩邻里节/ });
    expect(await text(cover.locator('#cover-short'))).toBe('还差 2 名志愿者。');

    // No route names who is on a festival, so 黄丽华 is listed: the API's already_signed_up is said in words.
    await cover.getByRole('button', { name: /^安排值班\s*：黄丽华$/ }).click();
    await page.getByRole('button', { name: '确定安排' }).click();
    await page.getByText('这名志愿者已经在这次值班里了。').waitFor();
    expect((await asOrganiser('GET', `/communities/${C}/organiser/events?limit=100`)).items.find((event: { id: string }) => event.id === fixture.eventId).volunteersStaffed).toBe(1);

    await cover.getByRole('button', { name: /^安排值班\s*：王建国$/ }).click();
    await page.getByRole('button', { name: '确定安排' }).click();
    await page.getByText(/^已安排王建国（睦邻调解队）值班：与邻相约·多彩邻里节/).waitFor();
    expect(await focusedText(page)).toMatch(/还差 1 名志愿者。$/);
    expect((await asOrganiser('GET', `/communities/${C}/organiser/events?limit=100`)).items.find((event: { id: string }) => event.id === fixture.eventId).volunteersStaffed).toBe(2);
  });

  anyDate('fits a 360 px wide phone in every section: one column, large text, large targets', async () => {
    const page = await signedIn({ laptop: false });
    await page.setViewportSize({ width: 360, height: 740 });
    for (const [section, heading] of [
      ['tonight', '今晚'],
      [`tonight/${fixture.slotId}`, '延时服务名单'],
      ['events', '活动'],
      ['events/new', '新建活动'],
      [`events/${fixture.eventId}`, /^报名名单/],
      ['volunteers', '志愿者'],
      ['volunteers/new', '添加志愿者'],
      [`volunteers/cover/${fixture.slotId}`, '志愿者'],
      [`volunteers/cover-event/${fixture.eventId}`, '志愿者'],
      ['hours', '志愿服务时长'],
      ['shop', '积分超市'],
      ['messages', '消息记录'],
      ['settings', '社区设置'],
    ] as const) {
      await page.goto(`${api.url}/#/console/${section}`);
      await loaded(page, heading);
      const layout = await phoneLayout(page);
      expect({ section, wider: layout.scrollWidth > 360, smallTargets: layout.smallTargets, fontSize: layout.fontSize >= 18 }).toEqual({ section, wider: false, smallTargets: [], fontSize: true });
    }
  });
  anyDate('signs in through a hosted login with the authorization code and PKCE when the site’s settings name one (Cognito stubbed)', async () => {
    const page = await pages.open({ laptop: true });
    const domain = 'https://linli-test.auth.ap-east-1.amazoncognito.com';
    const redirectUri = `${api.url}/`;
    const seen: { authorize?: URL; token?: URLSearchParams; logout?: URL } = {};
    // The page as a deployment with a hosted login serves it: its settings name the login (lib/constructs/web.ts).
    // Every load of it, the one the hosted login sends back with ?code=&state= included.
    await page.context().route((url) => url.origin === new URL(api.url).origin && url.pathname === '/', async (route) => {
      const served = await route.fetch();
      const settings = { apiBaseUrl: '', defaultCommunity: '', cognito: { domain, clientId: 'console-client', redirectUri } };
      await route.fulfill({ status: served.status(), contentType: served.headers()['content-type'], body: withSiteConfig(await served.text(), settings) });
    });
    // Cognito's three endpoints, as far as the page sees them.
    await page.context().route(`${domain}/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/oauth2/authorize') {
        seen.authorize = url;
        // The hosted login's page, which sends the browser back once the organiser has signed in (a
        // page that navigates, not a 302: Playwright does not route the target of a redirect, and the
        // page it goes back to must be the one with the login in its settings).
        const back = `${redirectUri}?code=code-from-cognito&state=${url.searchParams.get('state')}`;
        return route.fulfill({ status: 200, contentType: 'text/html', body: `<!doctype html><meta http-equiv="refresh" content="0;url=${back.replace(/&/g, '&amp;')}"><title>登录</title>` });
      }
      if (url.pathname === '/oauth2/token') {
        seen.token = new URLSearchParams(route.request().postData() ?? '');
        const tokens = { id_token: organiser, access_token: 'not-for-the-api', token_type: 'Bearer', expires_in: 3600 };
        return route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify(tokens) });
      }
      seen.logout = url;
      const back = url.searchParams.get('logout_uri')!;
      return route.fulfill({ status: 200, contentType: 'text/html', body: `<!doctype html><meta http-equiv="refresh" content="0;url=${back.replace(/&/g, '&amp;')}"><title>退出</title>` });
    });
    const requests: { url: string; authorization?: string }[] = [];
    page.on('request', (request) => requests.push({ url: request.url(), authorization: request.headers().authorization }));

    await page.goto(`${api.url}/#/console`);
    expect(await page.getByLabel('组织者令牌').count()).toBe(0);
    await page.getByRole('button', { name: '使用账号登录' }).click();
    await loaded(page, '今晚');

    // The code came back in the query string and left the address bar at once.
    expect(page.url()).toBe(`${api.url}/#/console/tonight`);
    expect(seen.authorize!.searchParams.get('response_type')).toBe('code');
    expect(seen.authorize!.searchParams.get('client_id')).toBe('console-client');
    expect(seen.authorize!.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(seen.authorize!.searchParams.get('scope')!.split(' ')).toContain('openid');
    expect(seen.authorize!.searchParams.get('code_challenge_method')).toBe('S256');
    // PKCE: the verifier sent with the code hashes to the challenge sent to the login page.
    expect(seen.token!.get('grant_type')).toBe('authorization_code');
    expect(seen.token!.get('code')).toBe('code-from-cognito');
    expect(seen.token!.get('redirect_uri')).toBe(redirectUri);
    const challenge = createHash('sha256').update(seen.token!.get('code_verifier')!).digest('base64url');
    expect(seen.authorize!.searchParams.get('code_challenge')).toBe(challenge);
    // The ID token (it carries custom:communityId) is the bearer, and the community comes from it.
    expect(requests.some((request) => new URL(request.url).pathname === `/communities/${C}/settings` && request.authorization === `Bearer ${organiser}`)).toBe(true);

    // Signing out ends the hosted login's session too, and comes back to the console.
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('已退出登录。').waitFor();
    expect(page.url()).toBe(`${api.url}/#/console`);
    expect(await page.getByRole('button', { name: '使用账号登录' }).count()).toBe(1);
    expect(seen.logout!.pathname).toBe('/logout');
    expect(seen.logout!.searchParams.get('client_id')).toBe('console-client');
    expect(await sessionToken(page)).toBeNull();

    // An answer this tab did not ask for is refused, and taken out of the address bar too.
    await page.goto(`${api.url}/?code=someone-elses&state=forged#/console`);
    await page.getByText('登录没有完成，请重试。').waitFor();
    expect(page.url()).toBe(`${api.url}/#/console`);
    expect(await sessionToken(page)).toBeNull();
  });
});
