import type { Page, Request } from 'playwright-core';
import { DateTime } from 'luxon';
import { anyDate, browserSuite, card, consoleSignedIn, escapeRegExp, focusedName, focusedText, organiserWithSettings, phoneLayout, readyForScreenshot, screenshot, text } from '../support/browser';
import type { TestApi } from '../support/test-api';
import type { Envelope } from '../../functions/delivery/adapter';
import { useDeliveryAdapter } from '../../functions/delivery';
import * as clock from '../../functions/clock';
import { setClock } from '../../functions/clock';

/**
 * Work orders (派单) on the pages, in headless Chromium against the real local API: a resident
 * reports a problem and follows it to a rating, volunteers of the team race to take it and resolve
 * it, a volunteer reports from a round, and the organiser dispatches or refuses in the console.
 */

const C = 'xingfu';
const ZONE = 'Asia/Shanghai';

interface Volunteer {
  volunteer: { id: string; name: string; team: string };
  token: string;
}

// Every page a test opens must run without an uncaught error, a CSP violation or an outside request (checked after each test).
const suite = browserSuite();
let api: TestApi;
let organiser: string;
let serial = 0;

beforeAll(async () => {
  ({ api } = suite);
  organiser = await organiserWithSettings(api, C, { name: '幸福邻里社区', pointsPerHour: 20 });
});

const newPhone = () => `139${String(process.pid % 10_000).padStart(4, '0')}${String((serial += 1)).padStart(4, '0')}`;
const phone = (): Promise<Page> => suite.pages.open();
const path = (id: string, action = '') => `/communities/${C}/work-orders/${id}${action ? `/${action}` : ''}`;

async function ok(pending: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const response = await pending;
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
const asOrganiser = (method: string, route: string, body?: unknown) => ok(api.call(method, route, { token: organiser, body }), `${method} ${route}`);
const asOrganiserOf = (token: string, route: string) => ok(api.call('GET', route, { token }), `GET ${route}`);

async function newVolunteer(name: string, team = 'convenience'): Promise<Volunteer> {
  return ok(api.call('POST', `/communities/${C}/volunteers`, { token: organiser, body: { name, phone: `+86${newPhone()}`, team } }), 'volunteer');
}

/** A resident's report through the API: its id and manage token. */
async function reported(description: string, building = '7栋') {
  const body = await ok(
    api.call('POST', `/communities/${C}/work-orders`, { body: { name: '孙秀英', phone: newPhone(), category: 'greening_sanitation', description, building } }),
    'report',
  );
  return { id: body.workOrder.id as string, token: body.manageToken as string };
}

async function openVolunteer(v: Volunteer): Promise<Page> {
  const page = await phone();
  await page.goto(`${api.url}/#/volunteer/${v.token}`);
  await page.getByRole('heading', { level: 1, name: `您好，${v.volunteer.name}` }).waitFor();
  return page;
}

const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

async function fillReport(page: Page, { description = '3栋2单元楼道灯不亮，晚上很黑', tel = newPhone(), category = '其他' } = {}) {
  await page.getByLabel('姓名').fill('周桂兰');
  await page.getByLabel('手机号码').fill(tel);
  await page.getByRole('radio', { name: category, exact: true }).check();
  await page.getByLabel('出了什么问题').fill(description);
  await page.getByLabel('在哪里').fill('3栋2单元');
  return tel;
}

describe('a resident reports a problem and follows it to a rating', () => {
  it('reports from the community’s tab (a double tap sends once), keeps the address, and rates it once resolved', async () => {
    const page = await phone();
    await page.goto(`${api.url}/#/c/${C}/desk`);
    const tabs = page.getByRole('navigation', { name: '社区服务' });
    await tabs.getByRole('link', { name: '问题上报' }).click();
    await page.getByRole('heading', { level: 1, name: '问题上报' }).waitFor();
    expect(await tabs.getByRole('link', { name: '问题上报' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('button', { name: '提交上报' }).waitFor();

    // One column: name, phone, the kind as big radio buttons, what is wrong, where; and the honeypot.
    const textboxes = await page.getByRole('textbox').evaluateAll((els) => els.map((el) => el.getAttribute('name')));
    expect(textboxes).toEqual(['name', 'phone', 'description', 'building']);
    expect(await page.getByRole('radiogroup', { name: /是哪方面的问题/ }).getByRole('radio').count()).toBe(7);
    expect(await page.locator('input[name="website"]').getAttribute('tabindex')).toBe('-1');

    const tel = await fillReport(page);
    await readyForScreenshot(page);
    await screenshot(page, 'work-order-form.png');
    const posts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === `/communities/${C}/work-orders`) posts.push(request);
    });
    await page.getByRole('button', { name: '提交上报' }).dblclick();
    await page.getByRole('heading', { level: 1, name: '上报成功' }).waitFor();
    expect(await focusedText(page)).toContain('上报成功');
    expect(posts).toHaveLength(1);
    expect(await text(page.locator('#order-status'))).toBe('已提交');
    const link = await page.getByLabel('上报查看链接').inputValue();
    expect(link).toMatch(new RegExp(`^${escapeRegExp(api.url)}/#/manage-report/${C}/[0-9A-Za-z]+/mt_[\\w-]+$`));
    expect(page.url()).toBe(link);

    // The organiser sees exactly one, with the phone.
    const listed = await asOrganiser('GET', `/communities/${C}/work-orders?status=new&limit=100`);
    const mine = listed.items.filter((o: { reporterPhone?: string }) => o.reporterPhone?.endsWith(tel));
    expect(mine).toHaveLength(1);
    const id = mine[0].id as string;

    // Dispatched: said with the team after a refresh; a reload keeps the page.
    await asOrganiser('POST', path(id, 'dispatch'), { team: 'convenience' });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '我上报的问题' }).waitFor();
    await page.locator('#order-status').waitFor();
    expect(await text(page.locator('#order-status'))).toBe('已派给惠邻便民队');

    const v = await newVolunteer('王建国');
    await ok(api.call('POST', path(id, 'accept'), { token: v.token }), 'accept');
    await page.getByRole('button', { name: '刷新状态' }).click();
    await page.locator('#order-status').getByText('王建国 已接单').waitFor();
    expect(await focusedText(page)).toContain('王建国 已接单');

    await ok(api.call('POST', path(id, 'resolve'), { token: v.token, body: { note: '换了灯泡，试过正常', minutes: 40 } }), 'resolve');
    await page.getByRole('button', { name: '刷新状态' }).click();
    await page.locator('#order-status').getByText('已处理').waitFor();
    expect(await text(page.locator('main'))).toContain('换了灯泡，试过正常');
    expect(await text(page.locator('main'))).toContain('惠邻便民队');

    // Rating: required, said beside the group; then closed.
    await page.getByRole('button', { name: '确认完成' }).click();
    const group = page.getByRole('radiogroup', { name: /您的评分/ });
    await group.getByText('请选一个评分').waitFor();
    expect(await group.getAttribute('aria-invalid')).toBe('true');
    expect(await focusedText(page)).toContain('请检查以下内容');
    await page.getByRole('radio', { name: '5 分 · 很满意' }).check();
    await page.getByLabel('想说的话').fill('谢谢王师傅！');
    await page.getByRole('button', { name: '确认完成' }).click();
    await page.getByText('已确认完成，谢谢您的评价！').waitFor();
    expect(await focusedText(page)).toBe('已确认完成，谢谢您的评价！');
    expect(await text(page.locator('#order-status'))).toBe('已完成');
    expect(await page.getByRole('button', { name: '确认完成' }).count()).toBe(0);
    const stored = await asOrganiser('GET', `/communities/${C}/work-orders?status=closed&limit=100`);
    expect(stored.items.find((o: { id: string }) => o.id === id)).toMatchObject({ rating: 5, feedback: '谢谢王师傅！' });

    // "我的报名" has it, labelled, with where it stands.
    await page.getByRole('link', { name: '我的报名' }).click();
    await page.getByRole('heading', { level: 1, name: '我的报名' }).waitFor();
    const saved = card(page, '问题上报：其他');
    expect(await text(saved)).toContain('已完成');
    expect(await saved.getByRole('link', { name: /查看进度/ }).getAttribute('href')).toBe(link.slice(link.indexOf('#')));
  });

  anyDate('says missing answers beside their fields, and sends a retry under the same Idempotency-Key', async () => {
    const page = await phone();
    await page.goto(`${api.url}/#/c/${C}/report`);
    await page.getByRole('button', { name: '提交上报' }).waitFor();
    await page.getByLabel('姓名').fill('钱志强');
    await page.getByLabel('手机号码').fill(newPhone());
    await page.getByRole('button', { name: '提交上报' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await focusedText(page)).toContain('请检查以下内容');
    expect(await page.getByRole('radiogroup').getAttribute('aria-invalid')).toBe('true');
    const description = page.getByLabel('出了什么问题');
    expect(await description.getAttribute('aria-invalid')).toBe('true');
    expect(await text(page.locator('.field', { has: description }))).toContain('请说说出了什么问题');

    // The report is made, but the answer that comes back is a refusal to wait a minute: tapped again,
    // the same report goes under the same Idempotency-Key, and it is made once.
    await page.getByRole('radio', { name: '管道疏通' }).check();
    await description.fill('小区东门雨水井堵了，下雨积水');
    const keys: string[] = [];
    await page.route(`**/communities/${C}/work-orders`, async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length > 1) return route.continue();
      await route.fetch();
      const problem = { type: '/problems/rate_limited', title: 'Too many requests', status: 429, code: 'rate_limited' };
      return route.fulfill({ status: 429, contentType: 'application/problem+json', headers: { 'retry-after': '60' }, body: JSON.stringify(problem) });
    });
    await page.getByRole('button', { name: '提交上报' }).click();
    await summary.getByText('这个手机号这一小时内提交得太多了').waitFor();
    expect(await focusedText(page)).toContain('请检查以下内容');
    await page.getByRole('button', { name: '提交上报' }).click();
    await page.getByRole('heading', { level: 1, name: '上报成功' }).waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/\S/);
    expect(keys[1]).toBe(keys[0]);
    const listed = await asOrganiser('GET', `/communities/${C}/work-orders?status=new&limit=100`);
    expect(listed.items.filter((o: { description: string }) => o.description === '小区东门雨水井堵了，下雨积水')).toHaveLength(1);
  });

  anyDate('shows a refused report as 未受理 with the reason, in either language', async () => {
    const order = await reported('楼下有人占用消防通道停车');
    await asOrganiser('POST', path(order.id, 'reject'), { note: '属于物业负责，已转物业' });
    const page = await phone();
    await page.goto(`${api.url}/#/manage-report/${C}/${order.id}/${order.token}`);
    await page.locator('#order-status').waitFor();
    expect(await text(page.locator('#order-status'))).toBe('未受理');
    expect(await text(page.locator('#status-box'))).toContain('原因：属于物业负责，已转物业');
    expect(await page.getByRole('button', { name: '刷新状态' }).count()).toBe(0);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'My reported problem' }).waitFor();
    await page.locator('#order-status').getByText('Not taken up').waitFor();
    expect(await text(page.locator('#status-box'))).toContain('Why: 属于物业负责，已转物业');

    // A wrong token says so in words.
    await page.goto(`${api.url}/#/manage-report/${C}/${order.id}/mt_not-the-right-token`);
    await page.getByText('This link to a report does not work').waitFor();
  });
});

describe('volunteers take work orders and report from their rounds', () => {
  it('of two volunteers of the team, one takes it (the other is told beside it); resolving it makes pending hours', async () => {
    const order = await reported('3号楼垃圾桶满了没人清');
    await asOrganiser('POST', path(order.id, 'dispatch'), { team: 'cleaning' });
    const [first, second] = [await newVolunteer('李春花', 'cleaning'), await newVolunteer('赵国庆', 'cleaning')];
    const [a, b] = [await openVolunteer(first), await openVolunteer(second)];

    const title = '绿化环境卫生 · 7栋';
    for (const page of [a, b]) {
      const waiting = card(region(page, '派单'), title);
      await waiting.waitFor();
      expect(await text(waiting)).toContain('已派给洁邻管护队');
      expect(await text(waiting)).toContain('孙秀英');
      expect(await text(waiting)).not.toMatch(/\+86|139\d{8}/);
    }
    await readyForScreenshot(a);
    await a.getByRole('heading', { name: '派单', exact: true }).scrollIntoViewIfNeeded();
    await screenshot(a, 'work-order-volunteer.png');

    await card(region(a, '派单'), title).getByRole('button', { name: /^接单/ }).click();
    await a.locator('#flash').getByText(/^接单成功/).waitFor();
    expect(await focusedText(a)).toMatch(/^接单成功：绿化环境卫生/);

    const late = card(region(b, '派单'), title);
    await late.getByRole('button', { name: /^接单/ }).click();
    await late.getByText('这张单已经被同队的其他志愿者接了，不用再去。').waitFor();
    expect(await focusedText(b)).toBe('这张单已经被同队的其他志愿者接了，不用再去。');
    expect(await late.getByRole('button').count()).toBe(0);

    // 处理完成: a note is needed; then 已处理 and the hours waiting for approval.
    const taken = card(region(a, '派单'), title);
    expect(await text(taken)).toContain('李春花 已接单');
    await taken.getByRole('button', { name: /^处理完成/ }).click();
    await a.getByRole('heading', { name: '处理完成：绿化环境卫生' }).waitFor();
    await a.getByLabel('用了多少分钟').fill('30');
    await a.getByRole('button', { name: '提交', exact: true }).click();
    await a.getByText('请写一句是怎么处理的。').waitFor();
    await a.getByLabel('怎么处理的').fill('清运完毕，桶已冲洗');
    await a.getByRole('button', { name: '提交', exact: true }).click();
    await a.locator('#flash').getByText(/^已处理：绿化环境卫生。30 分钟已记入服务时长/).waitFor();
    const done = card(region(a, '派单'), title);
    expect(await text(done)).toContain('已处理');
    expect(await text(done)).toContain('时长待审核');
    expect(await done.getByRole('button').count()).toBe(0);
    const hours = await asOrganiser('GET', `/communities/${C}/hours?status=pending&limit=100`);
    expect(hours.items.filter((log: { volunteerId: string }) => log.volunteerId === first.volunteer.id)).toEqual([expect.objectContaining({ minutes: 30 })]);
  });

  anyDate('reports from a round: the kind, a sentence and where, and the organisers have it', async () => {
    const v = await newVolunteer('钱卫东', 'grid_inspection');
    const page = await openVolunteer(v);
    const form = region(page, '巡查上报');
    await form.getByRole('button', { name: '上报' }).click();
    await form.locator('.error-summary').waitFor();
    expect(await form.getByLabel('什么问题').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('什么问题').selectOption({ label: '治安巡逻值守' });
    await form.getByLabel('一句话说明').fill('5栋门口地砖翘起，容易绊倒');
    await form.getByLabel('在哪里').fill('5栋门口');
    await form.getByRole('button', { name: '上报' }).dblclick();
    await page.locator('#flash').getByText('已上报：治安巡逻值守。组织者会派给合适的队伍。').waitFor();
    expect(await focusedText(page)).toBe('已上报：治安巡逻值守。组织者会派给合适的队伍。');
    const listed = await asOrganiser('GET', `/communities/${C}/work-orders?status=new&limit=100`);
    expect(listed.items.filter((o: { description: string }) => o.description === '5栋门口地砖翘起，容易绊倒')).toEqual([
      expect.objectContaining({ reportedBy: 'volunteer', reporterName: '钱卫东', building: '5栋门口', category: 'security_patrol' }),
    ]);
  });
});

describe('organisers dispatch work orders in the console', () => {
  it('lists new reports first with the phone to call, dispatches one to a team with a due time, and refuses one with a note', async () => {
    const first = await reported('健身器材螺丝松了', '中心花园');
    const second = await reported('有人在绿地里种菜', '9栋后面');
    const page = await suite.pages.open({ laptop: true });
    await consoleSignedIn(page, api.url, organiser, '派单');
    expect(await page.locator('main h2').first().innerText()).toMatch(/^新上报/);

    const fresh = region(page, (await page.locator('#orders-new').innerText()).trim());
    const one = card(fresh, '绿化环境卫生 · 中心花园');
    expect(await text(one)).toContain('孙秀英');
    expect(await text(one)).toContain('健身器材螺丝松了');
    expect(await one.getByRole('link', { name: /^\+86139|^139/ }).getAttribute('href')).toMatch(/^tel:/);
    await readyForScreenshot(page);
    await screenshot(page, 'work-order-console.png');

    // 派给: a team is needed; with a due time two days ahead.
    await one.getByRole('button', { name: /^派给/ }).click();
    await page.getByRole('heading', { name: '派单：绿化环境卫生 · 中心花园' }).waitFor();
    await page.getByRole('button', { name: '确定派单' }).click();
    await page.getByText('请选择派给哪个队。').waitFor();
    await page.getByLabel('派给哪个队').selectOption({ label: '洁邻管护队' });
    const due = DateTime.fromMillis(clock.nowMs(), { zone: ZONE }).plus({ days: 2 }).startOf('hour');
    await page.getByLabel('要求完成时间').fill(due.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByRole('button', { name: '确定派单' }).click();
    await page.locator('#flash').getByText('已把“绿化环境卫生 · 中心花园”派给洁邻管护队。').waitFor();
    expect(await focusedText(page)).toBe('已把“绿化环境卫生 · 中心花园”派给洁邻管护队。');
    const sent = card(region(page, (await page.locator('#orders-dispatched').innerText()).trim()), '绿化环境卫生 · 中心花园');
    expect(await text(sent)).toContain('已派给洁邻管护队');
    const stored = await asOrganiser('GET', `/communities/${C}/work-orders?status=dispatched&limit=100`);
    const dispatched = stored.items.find((o: { id: string }) => o.id === first.id);
    expect(dispatched).toMatchObject({ team: 'cleaning' });
    expect(Date.parse(dispatched.dueBy)).toBe(due.toMillis());

    // 不受理: the note is needed; then it is among the refused.
    const other = card(region(page, (await page.locator('#orders-new').innerText()).trim()), '绿化环境卫生 · 9栋后面');
    await other.getByRole('button', { name: /^不受理/ }).click();
    await page.getByRole('button', { name: '确定不受理' }).click();
    await page.getByText('请写明不受理的原因。').waitFor();
    await page.getByLabel('原因').fill('属于物业负责，已转物业');
    await page.getByRole('button', { name: '确定不受理' }).click();
    await page.locator('#flash').getByText('已不受理“绿化环境卫生 · 9栋后面”。').waitFor();
    const refused = await api.call('GET', path(second.id), { headers: { 'x-manage-token': second.token } });
    expect(refused.body.workOrder).toMatchObject({ status: 'rejected', rejectionNote: '属于物业负责，已转物业' });
  });
});

describe('the work-order report in the console', () => {
  anyDate('counts orders by state and kind, and draws each team’s median time to resolve, for this month or all time', async () => {
    // A community of its own, so that the numbers are exactly these: three orders reported six and two
    // hours ago, two resolved by 惠邻便民队 (after 6 h and 2 h: median 4 h), one by 洁邻管护队 (6 h).
    const R = 'report-wo';
    const boss = await organiserWithSettings(api, R, { name: '和谐里社区', pointsPerHour: 20 });
    const at = (route: string) => `/communities/${R}/work-orders${route}`;
    // The run's own now, moving on while the clock is set back: where it started, plus time elapsed.
    const base = clock.nowMs();
    const started = performance.now();
    const runNow = () => base + (performance.now() - started);
    const hoursAgo = (hours: number) => setClock(new Date(runNow() - hours * 3_600_000));
    const report = async (category: string, description: string) =>
      (await ok(api.call('POST', at(''), { body: { name: '孙秀英', phone: newPhone(), category, description, building: '2栋' } }), 'report')).workOrder.id as string;
    let ids: string[];
    try {
      hoursAgo(6);
      ids = [await report('pipe_unclogging', '厨房下水道堵了'), await report('greening_sanitation', '垃圾桶满了')];
      hoursAgo(2);
      ids.push(await report('pipe_unclogging', '卫生间地漏返水'));
      ids.push(await report('other', '楼道灯不亮'));
    } finally {
      setClock(new Date(runNow()));
    }
    const [drain, bins, floor, lamp] = ids;
    const volunteer = async (team: string) =>
      ok(api.call('POST', `/communities/${R}/volunteers`, { token: boss, body: { name: `${team}志愿者`, phone: `+86${newPhone()}`, team } }), 'volunteer');
    const fixer = await volunteer('convenience');
    const cleaner = await volunteer('cleaning');
    for (const [id, team, who] of [
      [drain, 'convenience', fixer],
      [floor, 'convenience', fixer],
      [bins, 'cleaning', cleaner],
    ] as const) {
      await ok(api.call('POST', at(`/${id}/dispatch`), { token: boss, body: { team } }), 'dispatch');
      await ok(api.call('POST', at(`/${id}/accept`), { token: who.token }), 'accept');
      await ok(api.call('POST', at(`/${id}/resolve`), { token: who.token, body: { note: '已处理', minutes: 30 } }), 'resolve');
    }
    await ok(api.call('POST', at(`/${lamp}/reject`), { token: boss, body: { note: '属于物业负责' } }), 'reject');

    const page = await suite.pages.open({ laptop: true });
    await consoleSignedIn(page, api.url, boss, '派单');
    const panel = region(page, '派单统计');

    // This month first, as the API reports it (the orders fall in it unless the month turned in the last six hours).
    const month = DateTime.fromMillis(clock.nowMs(), { zone: ZONE }).toFormat('yyyy-MM');
    const thisMonth = await asOrganiserOf(boss, `/communities/${R}/reports/work-orders?month=${month}`);
    const picker = panel.getByLabel('统计时段');
    expect(await picker.inputValue()).toBe(month);
    expect(await text(panel.locator('#orders-report-total'))).toContain(`共上报 ${thisMonth.total} 个问题`);

    // All time: the counts by state and by kind, and the chart with its table, in words.
    await picker.selectOption({ label: '全部时间' });
    await panel.locator('#orders-report-total').getByText('全部时间共上报 4 个问题（按上报时间统计）。').waitFor();
    const counts = async (id: string) =>
      Object.fromEntries(await panel.locator(`#${id} .counts__row`).evaluateAll((rows: any[]) => rows.map((row) => [row.querySelector('dt').textContent, Number(row.querySelector('dd').textContent)])));
    expect(await counts('orders-by-status')).toEqual({ 新上报: 0, 已派单: 0, 处理中: 0, 已处理: 3, 已完成: 0, 未受理: 1 });
    expect(await counts('orders-by-category')).toEqual({ 家电维修: 0, 管道疏通: 2, 困难家庭帮扶: 0, 治安巡逻值守: 0, 邻里纠纷协调: 0, 绿化环境卫生: 1, 其他: 1 });
    const chart = panel.getByRole('img', { name: '全部时间各队从上报到处理完成的用时（中位数）' });
    expect(await chart.evaluate((el) => el.tagName)).toBe('svg');
    const table = panel.getByRole('table', { name: '全部时间各队从上报到处理完成的用时（中位数）' });
    expect(await table.getByRole('row').count()).toBe(1 + 6);
    expect(await text(table.getByRole('row', { name: /^惠邻便民队/ }))).toMatch(/^惠邻便民队\s+4 小时\s+2 单$/);
    expect(await text(table.getByRole('row', { name: /^洁邻管护队/ }))).toMatch(/^洁邻管护队\s+6 小时\s+1 单$/);
    expect(await text(table.getByRole('row', { name: /^安邻巡逻队/ }))).toMatch(/^安邻巡逻队\s+暂无\s+0 单$/);
    expect(await panel.locator('.chart__row', { hasText: '惠邻便民队' }).textContent()).toContain('4 小时');
    const allTime = await asOrganiserOf(boss, `/communities/${R}/reports/work-orders`);
    expect(allTime.teams).toEqual([
      { team: 'convenience', resolved: 2, medianHoursToResolve: 4 },
      { team: 'cleaning', resolved: 1, medianHoursToResolve: 6 },
    ]);
    // The bars are to scale: 4 h is two thirds of 6 h.
    const widths = await Promise.all(['convenience', 'cleaning'].map((team) => panel.locator(`.chart__row--${team} .chart__bar`).getAttribute('width')));
    expect(widths.map((width) => Math.round(parseFloat(width!)))).toEqual([67, 100]);

    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.evaluate(() => (globalThis as any).document.getElementById('orders-report-title').scrollIntoView());
    await screenshot(page, 'work-order-report.png');
  });
});

describe('on a 360 px phone', () => {
  anyDate('the report form, its page and the volunteer’s orders fit: one column, large text, large targets', async () => {
    const order = await reported('路灯坏了');
    await asOrganiser('POST', path(order.id, 'dispatch'), { team: 'patrol' });
    const v = await newVolunteer('郑小明', 'patrol');
    const page = await phone();
    await page.setViewportSize({ width: 360, height: 740 });
    for (const hash of [`#/c/${C}/report`, `#/manage-report/${C}/${order.id}/${order.token}`, `#/volunteer/${v.token}`]) {
      await page.goto(`${api.url}/${hash}`);
      await page.locator('main h1').waitFor();
      await page.locator('main .loading').waitFor({ state: 'detached' });
      const layout = await phoneLayout(page);
      expect(layout.scrollWidth).toBeLessThanOrEqual(360);
      expect(layout.fontSize).toBeGreaterThanOrEqual(18);
      expect(layout.smallTargets).toEqual([]);
    }
  });
});

describe('where the community verifies phones', () => {
  anyDate('asks for the code from the SMS on the form’s answer and again on its page after a reload; the right code files the report', async () => {
    const V = 'yanzheng-wo';
    await organiserWithSettings(api, V, { name: '验证社区', verifyPhone: true });
    const codes: Envelope[] = [];
    useDeliveryAdapter({ name: 'recording', deliver: async (envelope) => void codes.push(envelope) });
    try {
      const page = await phone();
      await page.goto(`${api.url}/#/c/${V}/report`);
      const tel = await fillReport(page);
      await page.getByRole('button', { name: '提交上报' }).click();
      await page.getByRole('heading', { level: 1, name: '输入短信验证码' }).waitFor();
      expect(await text(page.locator('main'))).toContain(`••••${tel.slice(-4)}`);
      expect(await text(page.locator('#order-status'))).toBe('待验证手机');
      expect(await text(page.locator('main'))).toContain('输入短信验证码后，上报才算提交。');
      // Nothing to refresh or keep until it is filed.
      expect(await page.getByRole('button', { name: '刷新状态' }).count()).toBe(0);
      expect(await page.getByLabel('上报查看链接').count()).toBe(0);
      const code = codes.find((envelope) => envelope.address === `+86${tel}`)!.params.code!;

      const field = page.getByLabel('6 位验证码');
      expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
      await field.fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
      await page.getByRole('button', { name: '确认' }).click();
      await page.getByText('验证码不对或已过期，请核对短信后再输入').waitFor();
      expect(await focusedName(page)).toBe('code');

      // The address is the order's page already: a reload asks for the code again, with the same hint.
      expect(page.url()).toMatch(new RegExp(`#/manage-report/${V}/`));
      await page.reload();
      await page.getByRole('heading', { level: 1, name: '输入短信验证码' }).waitFor();
      expect(await text(page.locator('main'))).toContain(`••••${tel.slice(-4)}`);
      await page.getByLabel('6 位验证码').fill(code);
      await page.getByRole('button', { name: '确认' }).click();
      await page.getByRole('heading', { level: 1, name: '我上报的问题' }).waitFor();
      expect(await text(page.locator('#order-status'))).toBe('已提交');
      await page.getByRole('button', { name: '刷新状态' }).waitFor();

      await page.goto(`${api.url}/#/mine`);
      await card(page, '问题上报：其他').getByText('已提交', { exact: true }).waitFor();
    } finally {
      useDeliveryAdapter(undefined);
    }
  });
});
