import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { anyDate, browserSuite, card, chineseDay, focusedText, organiserWithSettings, phoneLayout, readyForScreenshot, screenshot, text } from '../support/browser';
import type { TestApi } from '../support/test-api';
import { wallClock } from '../support/zoned';
import * as clock from '../../functions/clock';

/**
 * The volunteers' page (志愿者) in headless Chromium on a phone, against the real local API. The
 * organiser sets up volunteers, evening slots, hours and the points supermarket through the API;
 * each test has a volunteer (and slots and goods) of its own.
 */

// page.evaluate callbacks run in the page; tsconfig has no DOM library, so the little they use is declared here.
declare const document: any;
declare const localStorage: { getItem(key: string): string | null };
declare function getComputedStyle(element: unknown): { fontSize: string };

const C = 'xingfu';
const ZONE = 'Asia/Shanghai';
const POINTS_PER_HOUR = 20;
const TOKEN_KEY = 'linli.volunteerToken';

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
  organiser = await organiserWithSettings(api, C, { name: '幸福邻里社区', pointsPerHour: POINTS_PER_HOUR });
});

const phone = (): Promise<Page> => suite.pages.open();

/** A volunteer of the community, with a distinct phone number, and the code the organiser hands over. */
async function newVolunteer(name: string, team = 'convenience'): Promise<Volunteer> {
  serial += 1;
  const phoneNumber = `136${String(process.pid % 10_000).padStart(4, '0')}${String(serial).padStart(4, '0')}`;
  const response = await api.call('POST', `/communities/${C}/volunteers`, { token: organiser, body: { name, phone: phoneNumber, team } });
  expect(response.status).toBe(201);
  return response.body as Volunteer;
}


/** One evening slot of an hour with places for volunteers, from `start` (each test its own minute: slot ids are the minute). */
async function slotAt(start: Date): Promise<string> {
  const { date, time } = wallClock(start, ZONE);
  slotStarts.set(`${date.replaceAll('-', '')}-${time.replace(':', '')}`, DateTime.fromISO(`${date}T${time}`, { zone: ZONE }));
  const response = await api.call('POST', `/communities/${C}/slots/series`, {
    token: organiser,
    body: { from: date, to: date, startTime: time, volunteerCapacity: 2, venue: '幸福邻里 community room' },
  });
  expect(response.status).toBe(201);
  return response.body.slots[0].id;
}

/** When each slot made here starts, by slot id. */
const slotStarts = new Map<string, DateTime>();
let minutesAgo = 2;
/** A slot that started a few minutes ago: check-in is open. */
const slotNow = () => slotAt(new Date(clock.nowMs() - ++minutesAgo * 60_000));
/** A slot in two days' time: check-in is not open yet. */
const slotLater = () => slotAt(new Date(clock.nowMs() + 2 * 86_400_000 + ++minutesAgo * 60_000));

async function takeShift(slotId: string, v: Volunteer) {
  expect((await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: v.token })).status).toBe(201);
}

/** Hours entered by the organiser (approved at once): minutes / 60 × pointsPerHour points. */
async function enterHours(v: Volunteer, minutes: number) {
  const end = clock.nowMs() - 86_400_000;
  const response = await api.call('POST', `/communities/${C}/hours`, {
    token: organiser,
    body: { volunteerId: v.volunteer.id, startedAt: new Date(end - minutes * 60_000).toISOString(), endedAt: new Date(end).toISOString(), note: '忘记签到，组织者补录' },
  });
  expect(response.status).toBe(201);
}

async function addItem(name: string, pointsCost: number, stock: number): Promise<string> {
  const response = await api.call('POST', `/communities/${C}/catalogue`, { token: organiser, body: { name, pointsCost, stock } });
  expect(response.status).toBe(201);
  return response.body.item.id;
}

async function stockOf(itemId: string): Promise<number> {
  const response = await api.call('GET', `/communities/${C}/catalogue`);
  return response.body.items.find((item: { id: string }) => item.id === itemId).stock;
}

/** A phone that opens the volunteer's QR-code link, as scanning it would. */
async function openAs(v: Volunteer): Promise<Page> {
  const page = await phone();
  await page.goto(`${api.url}/#/volunteer/${v.token}`);
  await page.getByRole('heading', { level: 1, name: `您好，${v.volunteer.name}` }).waitFor();
  return page;
}

const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const storedToken = (page: Page) => page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY);

describe('volunteers on their phones', () => {
  anyDate('signs in by pasting the code (a wrong one is said in words), keeps it on the phone, and signs out', async () => {
    const v = await newVolunteer('张桂芳', 'assistance');
    const page = await phone();
    const requests: { url: string; authorization?: string }[] = [];
    page.on('request', (request) => requests.push({ url: request.url(), authorization: request.headers().authorization }));

    // The landing page leads volunteers to their page.
    await page.goto(`${api.url}/#/`);
    await page.locator('main').getByRole('link', { name: '志愿者入口' }).click();
    await page.getByRole('heading', { level: 1, name: '志愿者入口' }).waitFor();
    const code = page.getByLabel('志愿者码');
    expect(await text(page.locator('.field', { has: code }))).toContain('组织者给您的志愿者码，以 vt_ 开头');
    const submit = page.getByRole('button', { name: '进入' });

    // Not a code at all: said beside the field, without asking the API.
    await code.fill('12345');
    await submit.click();
    await page.locator('.field', { has: code }).getByText('请粘贴完整的志愿者码，它以 vt_ 开头').waitFor();
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    expect(await focusedText(page)).toContain('请检查以下内容');

    // A code the API does not know.
    await code.fill('vt_this-is-not-anyones-code');
    await submit.click();
    await page.locator('.error-summary').getByText('这个志愿者码不对，或已经失效。请检查是否完整复制').waitFor();
    expect(await text(page.locator('.field', { has: code }))).toContain('这个志愿者码不对，或已经失效');
    expect(await storedToken(page)).toBeNull();

    // The right one, pasted with spaces around it.
    await code.fill(`  ${v.token} `);
    await submit.click();
    await page.getByRole('heading', { level: 1, name: '您好，张桂芳' }).waitFor();
    expect(await focusedText(page)).toBe('您好，张桂芳');
    expect(await text(page.locator('main .lead'))).toBe('暖邻帮扶队 · 幸福邻里社区');
    expect(await storedToken(page)).toBe(v.token);

    // Kept on this phone: opening the page again needs no code.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '您好，张桂芳' }).waitFor();

    // The code went only in the Authorization header, never in an address.
    expect(requests.filter((request) => request.url.includes(v.token))).toEqual([]);
    expect(requests.some((request) => new URL(request.url).pathname === '/me' && request.authorization === `Bearer ${v.token}`)).toBe(true);

    // Signing out asks first; "no" keeps the code.
    const signOut = page.getByRole('button', { name: '在这部手机上退出' });
    await signOut.click();
    await page.getByRole('heading', { name: '确定要在这部手机上退出吗？' }).waitFor();
    expect(await focusedText(page)).toBe('确定要在这部手机上退出吗？');
    await page.getByRole('button', { name: '不退出，返回' }).click();
    expect(await focusedText(page)).toBe('在这部手机上退出');
    expect(await storedToken(page)).toBe(v.token);
    await signOut.click();
    await page.getByRole('button', { name: '确定退出' }).click();
    await page.getByRole('heading', { level: 1, name: '志愿者入口' }).waitFor();
    expect(await focusedText(page)).toContain('已在这部手机上退出');
    expect(await storedToken(page)).toBeNull();
    await page.reload();
    await page.getByLabel('志愿者码').waitFor();
  });

  anyDate('opens the QR-code link once: the code is kept, and gone from the address bar', async () => {
    const v = await newVolunteer('周建军', 'patrol');
    const page = await openAs(v);
    expect(page.url()).toBe(`${api.url}/#/volunteer`);
    expect(await page.evaluate(() => document.location.href)).not.toContain('vt_');
    expect(await storedToken(page)).toBe(v.token);
    expect(await text(page.locator('main .lead'))).toContain('安邻巡逻队');

    // A link with a wrong code says so, and the code kept before still works.
    await page.goto(`${api.url}/#/volunteer/vt_not-the-right-code`);
    await page.getByText('二维码里的志愿者码不对，或已经失效').waitFor();
    expect(page.url()).toBe(`${api.url}/#/volunteer`);
    expect(await storedToken(page)).toBe(v.token);
    await page.getByRole('heading', { level: 1, name: '您好，周建军' }).waitFor();
  });

  it('checks in and out with the big button; the log then waits for review', async () => {
    const v = await newVolunteer('李建华', 'convenience');
    const slotId = await slotNow();
    await takeShift(slotId, v);
    await enterHours(v, 150);
    const page = await openAs(v);

    const shift = region(page, '当前值班');
    const shiftText = await text(shift);
    expect(shiftText).toContain('幸福邻里 community room');
    // The day and the hour; a shift that crosses midnight (this test's slot starts minutes ago) names
    // the second day too, and one that crosses into a new year names its year.
    const start = slotStarts.get(slotId)!;
    const end = start.plus({ hours: 1 });
    expect(shiftText).toContain(`${chineseDay(start)} ${start.toFormat('HH:mm')}–${end.hasSame(start, 'day') ? '' : `${chineseDay(end)} `}${end.toFormat('HH:mm')}`);

    // A double tap checks in once.
    await shift.getByRole('button', { name: '签到', exact: true }).dblclick();
    await page.getByText('签到成功。离开时请记得签退。').waitFor();
    expect(await focusedText(page)).toContain('签到成功');
    const checkedIn = await text(shift);
    expect(checkedIn).toContain('已签到');
    expect(checkedIn).toMatch(/已服务 \d+ 分钟/);
    expect(checkedIn).toMatch(/签到时间：\d+月\d+日 周. \d\d:\d\d/);
    const me = await api.call('GET', '/me', { token: v.token });
    expect(me.body.openCheckIn).toMatchObject({ status: 'open', slotId });
    const logs = await api.call('GET', '/me/hours', { token: v.token });
    expect(logs.body.items.filter((log: { status: string }) => log.status === 'open')).toHaveLength(1);

    await shift.getByRole('button', { name: '签退', exact: true }).and(page.locator(':enabled')).waitFor();
    await readyForScreenshot(page);
    await screenshot(page, 'volunteer-home.png');

    await shift.getByRole('button', { name: '签退', exact: true }).click();
    await page.getByText(/签退成功：本次服务 \d+ 分钟，等待组织者审核。/).waitFor();
    expect(await focusedText(page)).toContain('签退成功');
    const latest = region(page, '最近的服务记录').getByRole('listitem').first();
    expect(await text(latest)).toContain('待审核');
    expect(await shift.getByRole('button', { name: '签退', exact: true }).count()).toBe(0);

    // The organiser sees it among the logs to review.
    const review = await api.call('GET', `/communities/${C}/hours`, { token: organiser });
    const pending = review.body.items.filter((log: { volunteerId: string }) => log.volunteerId === v.volunteer.id);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ status: 'pending', slotId });
  });

  it('says in words why a check-in is refused, and downloads the shifts for the calendar', async () => {
    const v = await newVolunteer('陈丽华', 'cleaning');
    const slotId = await slotLater();
    await takeShift(slotId, v);
    const page = await openAs(v);

    const shift = region(page, '下一次值班');
    expect(await text(shift)).toMatch(/\d+月\d+日 周. \d\d:\d\d 起可以签到/);
    await shift.getByRole('button', { name: '签到', exact: true }).click();
    await shift.getByRole('alert').getByText('现在不在签到时间内').waitFor();
    expect(await shift.getByRole('button', { name: '签到', exact: true }).isEnabled()).toBe(true);
    expect((await api.call('GET', '/me', { token: v.token })).body.openCheckIn).toBeNull();

    const shifts = region(page, '我的值班安排');
    const [download] = await Promise.all([page.waitForEvent('download'), shifts.getByRole('button', { name: '加入日历' }).click()]);
    expect(download.suggestedFilename()).toBe('linli-shifts.ics');
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const calendar = Buffer.concat(chunks).toString('utf8');
    expect(calendar).toContain('BEGIN:VCALENDAR');
    expect(calendar).toContain('BEGIN:VEVENT');
    await shifts.getByRole('status').getByText('已下载值班日历文件').waitFor();
  });

  it('shows hours, points, the ledger and the points supermarket, and redeems with a pickup code', async () => {
    const v = await newVolunteer('王秀英', 'mediation');
    await enterHours(v, 120);
    const rice = await addItem('东北大米 5 斤', 15, 5);
    const page = await openAs(v);

    const stats = await text(region(page, '我的时长和积分'));
    expect(stats).toContain('2 小时');
    expect(stats).toContain(`${(120 / 60) * POINTS_PER_HOUR} 积分`);
    const log = await text(region(page, '最近的服务记录').getByRole('listitem').first());
    expect(log).toContain('已通过');
    expect(log).toContain('忘记签到，组织者补录');
    expect(log).toMatch(/获得积分\s*40 积分/);
    const ledger = region(page, '积分明细');
    expect(await text(ledger)).toContain('志愿服务获得');
    expect(await text(ledger)).toContain('+40 积分');

    const shop = region(page, '积分超市');
    const item = card(shop, '东北大米 5 斤');
    expect(await text(item)).toContain('15 积分');
    expect(await text(item)).toContain('5 件');

    // Redeeming asks first, with the quantity, the cost and the balance after.
    await item.getByRole('button', { name: /^兑换/ }).click();
    await page.getByRole('heading', { name: '兑换“东北大米 5 斤”' }).waitFor();
    expect(await focusedText(page)).toBe('兑换“东北大米 5 斤”');
    await item.getByLabel('数量').selectOption('2');
    await item.getByText('共需 30 积分，兑换后还剩 10 积分。').waitFor();
    await item.getByRole('button', { name: '确认兑换' }).dblclick();

    // The pickup code, large, and the new balance.
    const result = page.locator('#flash');
    await result.getByText('兑换成功').waitFor();
    expect(await focusedText(page)).toContain('兑换成功');
    const pickupCode = (await page.locator('#pickup-code').innerText()).trim();
    expect(pickupCode).toMatch(/^[A-Z2-9]{6}$/);
    expect(parseFloat(await page.locator('#pickup-code').evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(40);
    expect(await text(result)).toContain('现在的积分余额：10 积分');
    expect(await text(page.locator('#points-balance'))).toBe('10 积分');
    expect(await text(card(region(page, '积分超市'), '东北大米 5 斤'))).toContain('3 件');

    // One redemption (the double tap sent one), the stock down by two, and the code beside it in the ledger.
    expect(await stockOf(rice)).toBe(3);
    const points = await api.call('GET', '/me/points', { token: v.token });
    expect(points.body.balance).toBe(10);
    expect(points.body.items.filter((entry: { kind: string }) => entry.kind === 'redeem')).toHaveLength(1);
    const spent = region(page, '积分明细').getByRole('listitem').first();
    expect(await text(spent)).toContain('积分超市兑换');
    expect(await text(spent)).toContain(`取货码 ${pickupCode}`);
    expect(await text(spent)).toContain('−30 积分');
  });

  anyDate('says when the points are not enough, before confirming and when the API refuses', async () => {
    const v = await newVolunteer('赵德明', 'grid_inspection');
    await enterHours(v, 60);
    await addItem('食用油 1 桶', 50, 3);
    const towel = await addItem('毛巾', 8, 5);
    const page = await openAs(v);
    const shop = region(page, '积分超市');

    // More than the balance: said in the confirmation, with nothing to confirm.
    const oil = card(shop, '食用油 1 桶');
    await oil.getByRole('button', { name: /^兑换/ }).click();
    await oil.getByText('共需 50 积分，您现有 20 积分，还差 30 积分，暂时不能兑换。').waitFor();
    expect(await oil.getByRole('button', { name: '确认兑换' }).count()).toBe(0);
    await oil.getByRole('button', { name: '不兑换，返回' }).click();
    expect(await focusedText(page)).toContain('兑换');

    // Enough when the box opened, not any more when confirmed: the API's answer in words.
    const towels = card(shop, '毛巾');
    await towels.getByRole('button', { name: /^兑换/ }).click();
    await towels.getByLabel('数量').selectOption('2');
    await towels.getByText('共需 16 积分，兑换后还剩 4 积分。').waitFor();
    const elsewhere = await api.call('POST', '/me/redemptions', { token: v.token, body: { itemId: towel, quantity: 2 } });
    expect(elsewhere.status).toBe(201);
    await towels.getByRole('button', { name: '确认兑换' }).click();
    await towels.getByRole('alert').getByText('积分不够，兑换不了。').waitFor();
    expect(await stockOf(towel)).toBe(3);
    expect((await api.call('GET', '/me', { token: v.token })).body.points.balance).toBe(4);
  });

  it('takes a shift from the ones that need volunteers and gives it back, each refusal said beside its shift', async () => {
    const v = await newVolunteer('刘淑珍', 'convenience');
    const other = await newVolunteer('马志刚', 'patrol');
    // Two evenings in three days' time with places, and a festival in five days with one place.
    const first = await slotAt(new Date(clock.nowMs() + 3 * 86_400_000 + ++minutesAgo * 60_000));
    const second = await slotAt(new Date(clock.nowMs() + 3 * 86_400_000 + ++minutesAgo * 60_000));
    const festivalStart = new Date(clock.nowMs() + 5 * 86_400_000);
    const festival = await api.call('POST', `/communities/${C}/events`, {
      token: organiser,
      body: {
        title: `邻里节志愿服务 ${v.volunteer.id.slice(-4)}`,
        venue: '幸福邻里广场',
        startsAt: festivalStart.toISOString(),
        endsAt: new Date(festivalStart.getTime() + 3 * 3_600_000).toISOString(),
        capacity: 50,
        volunteerCapacity: 1,
        status: 'published',
      },
    });
    expect(festival.status).toBe(201);
    const festivalTitle = festival.body.event.title as string;
    const page = await openAs(v);

    // No shift yet: the panel says where to find one (not "ask the organiser").
    expect(await text(region(page, '下一次值班'))).toContain('可以在下面的“可以报名的值班”里报名');
    expect(await region(page, '我的值班安排').count()).toBe(0);
    const open = region(page, '可以报名的值班');
    const when = (slotId: string) => `${chineseDay(slotStarts.get(slotId)!)} ${slotStarts.get(slotId)!.toFormat('HH:mm')}`;
    const openCard = (words: string) => open.getByRole('listitem').filter({ hasText: words });
    expect(await text(openCard(when(first)))).toContain('每晚一小时延时服务');
    expect(await text(openCard(when(first)))).toContain('还差 2 名志愿者');
    expect(await text(openCard(festivalTitle))).toContain('还差 1 名志愿者');
    // The button's accessible name says which shift it is.
    const take = openCard(when(first)).getByRole('button', { name: /^报名值班/ });
    expect(await take.getAttribute('aria-busy')).toBeNull();
    expect((await take.textContent())!.replace(/\u2060/g, '')).toContain(when(first));

    // Taken (a double tap takes it once): said on top and focused, and now among the volunteer's own.
    await take.dblclick();
    await page.getByText(/^已报名值班：/).waitFor();
    expect(await focusedText(page)).toContain('值班开始前 30 分钟起可以签到');
    let mine = (await api.call('GET', '/me/shifts', { token: v.token })).body.items;
    expect(mine.map((shift: { slotId?: string }) => shift.slotId)).toEqual([first]);
    expect(await openCard(when(first)).count()).toBe(0);
    const myShifts = region(page, '我的值班安排');
    expect(await text(myShifts)).toContain(when(first));

    // The festival's last place goes to someone else meanwhile: said beside it, focused, no button left.
    expect((await api.call('POST', `/communities/${C}/events/${festival.body.event.id}/shifts`, { token: other.token })).status).toBe(201);
    await openCard(festivalTitle).getByRole('button', { name: /^报名值班/ }).click();
    await openCard(festivalTitle).getByRole('alert').getByText('这次值班的名额刚刚满了，请选择其他时间。').waitFor();
    expect(await focusedText(page)).toBe('这次值班的名额刚刚满了，请选择其他时间。');
    expect(await openCard(festivalTitle).getByRole('button').count()).toBe(0);

    // Taken on another phone already: said so.
    expect((await api.call('POST', `/communities/${C}/slots/${second}/shifts`, { token: v.token })).status).toBe(201);
    await openCard(when(second)).getByRole('button', { name: /^报名值班/ }).click();
    await openCard(when(second)).getByText('您已经报名了这次值班，在“我的值班安排”里可以看到。').waitFor();
    expect(await focusedText(page)).toContain('您已经报名了这次值班');

    // Giving one back asks first; "keep" keeps it.
    const myCard = (slotId: string) => myShifts.getByRole('listitem').filter({ hasText: when(slotId) });
    await myCard(first).getByRole('button', { name: /^退出值班/ }).click();
    await page.getByRole('heading', { name: /^确定退出这次值班吗？/ }).waitFor();
    expect(await focusedText(page)).toMatch(/^确定退出这次值班吗？/);
    expect(await text(myCard(first))).toContain('退出后，名额会让给其他志愿者。');
    await page.getByRole('button', { name: '保留这次值班' }).click();
    expect(await focusedText(page)).toMatch(/^退出值班/);
    await myCard(first).getByRole('button', { name: /^退出值班/ }).click();
    await page.getByRole('button', { name: '确定退出值班' }).click();
    await page.getByText(/^已退出值班：/).waitFor();
    expect(await focusedText(page)).toContain('名额已让给其他志愿者');
    mine = (await api.call('GET', '/me/shifts', { token: v.token })).body.items;
    expect(mine.map((shift: { slotId?: string }) => shift.slotId)).toEqual([second]);
    await openCard(when(first)).getByRole('button', { name: /^报名值班/ }).waitFor();

    // Given back on another phone meanwhile: the refusal in the box, focus back on its button.
    expect((await api.call('DELETE', `/communities/${C}/slots/${second}/shifts/me`, { token: v.token })).status).toBe(200);
    await myCard(second).getByRole('button', { name: /^退出值班/ }).click();
    await page.getByRole('button', { name: '确定退出值班' }).click();
    await myCard(second).getByRole('alert').getByText(/^没有找到这次值班/).waitFor();
    expect(await focusedText(page)).toBe('确定退出值班');
  });

  it('warns that giving back a shift under 24 hours away alerts the organisers', async () => {
    const v = await newVolunteer('黄美玲', 'cleaning');
    const soon = await slotAt(new Date(clock.nowMs() + 5 * 3_600_000 + ++minutesAgo * 60_000));
    await takeShift(soon, v);
    const page = await openAs(v);
    await region(page, '我的值班安排').getByRole('button', { name: /^退出值班/ }).click();
    await page.getByText('离值班开始已不到 24 小时：退出后组织者会马上收到提醒，去找人补位。').waitFor();
  });

  anyDate('switches to English and back, and fits a 360 px wide phone', async () => {
    const v = await newVolunteer('孙玉梅', 'assistance');
    await takeShift(await slotLater(), v);
    await enterHours(v, 45);
    const page = await phone();
    await page.setViewportSize({ width: 360, height: 740 });
    for (const hash of ['#/volunteer', `#/volunteer/${v.token}`]) {
      await page.goto(`${api.url}/${hash}`);
      await page.locator('main h1').waitFor();
      await page.locator('main .loading').waitFor({ state: 'detached' });
      await page.locator('main form, main #check-button').first().waitFor();
      const layout = await phoneLayout(page);
      expect(layout.scrollWidth).toBeLessThanOrEqual(360);
      expect(layout.fontSize).toBeGreaterThanOrEqual(18);
      expect(layout.smallTargets).toEqual([]);
    }
    expect(parseFloat(await page.locator('#check-button').evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(28);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hello, 孙玉梅' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await text(page.locator('main .lead'))).toContain('Helping Hands team');
    expect(await region(page, 'Next shift').getByRole('button', { name: 'Check in', exact: true }).count()).toBe(1);
    expect(await region(page, 'My shifts').getByRole('button', { name: /^Give back this shift/ }).count()).toBe(1);
    expect(await region(page, 'Shifts you can take').count()).toBe(1);
    expect(await text(region(page, 'My hours and points'))).toContain('45 min');
    expect(await focusedText(page)).toBe('中文');

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '您好，孙玉梅' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  });
});
