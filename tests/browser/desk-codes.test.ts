import type { Page } from 'playwright-core';
import { anyDate, browserSuite, card, consoleSignedIn, focusedName, organiserWithSettings, readyForScreenshot, screenshot, text } from '../support/browser';
import type { TestApi } from '../support/test-api';
import { wallClock } from '../support/zoned';
import * as clock from '../../functions/clock';
import { readQrCode } from './qr-reader';

/**
 * Desk codes (issue 17) in headless Chromium against the real local API: the community room's
 * kiosk (an organiser signs in; the code, its QR code and the countdown; asked again when it
 * changes), a volunteer checking in with the code typed from it or through its QR code's link (and
 * refused without it), the approval queue's shift, proof and flags, and the volunteer card's QR code.
 * The QR codes are read back from screenshots (./qr-reader.ts), as a phone's camera would.
 */

// page.evaluate callbacks run in the page; tsconfig has no DOM library, so the little they use is declared here.
declare const document: any;
declare const window: any;

const DESK = 'qiandao';
const ZONE = 'Asia/Shanghai';

interface Volunteer {
  volunteer: { id: string; name: string; team: string };
  token: string;
}

// Every page a test opens must run without an uncaught error, a CSP violation, an outside request or an axe finding (checked after each test).
const suite = browserSuite();
let api: TestApi;
let organiser: string;
let serial = 0;
let minutesAgo = 2;

beforeAll(async () => {
  ({ api } = suite);
  organiser = await organiserWithSettings(api, DESK, { name: '签到社区', checkInProof: 'desk_code' });
});

async function ok(pending: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const response = await pending;
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A community of the test's own, starting with `checkInProof`; its organiser's token. */
async function community(c: string, checkInProof: 'none' | 'desk_code'): Promise<string> {
  return organiserWithSettings(api, c, { name: `${c}社区`, checkInProof });
}

const setProof = (c: string, token: string, checkInProof: 'none' | 'desk_code') =>
  ok(api.call('PUT', `/communities/${c}/settings`, { token, body: { name: `${c}社区`, checkInProof } }), 'settings');

async function newVolunteer(c: string, token: string, name: string): Promise<Volunteer> {
  serial += 1;
  const phone = `137${String(process.pid % 10_000).padStart(4, '0')}${String(serial).padStart(4, '0')}`;
  return ok(api.call('POST', `/communities/${c}/volunteers`, { token, body: { name, phone, team: 'convenience' } }), 'volunteer');
}

/** An hour's evening slot that started a few minutes ago (check-in is open), with `v` on it. Slot ids are the minute: each its own. */
async function shiftNow(c: string, token: string, ...volunteers: Volunteer[]): Promise<string> {
  const { date, time } = wallClock(clock.nowMs() - ++minutesAgo * 60_000, ZONE);
  const body = await ok(api.call('POST', `/communities/${c}/slots/series`, { token, body: { from: date, to: date, startTime: time, volunteerCapacity: 4, venue: '社区活动室' } }), 'slot');
  const slotId = body.slots[0].id as string;
  for (const v of volunteers) await ok(api.call('POST', `/communities/${c}/slots/${slotId}/shifts`, { token: v.token }), 'take shift');
  return slotId;
}

const deskCodeNow = async (c: string, token: string) => (await ok(api.call('GET', `/communities/${c}/desk-code`, { token }), 'desk code')) as { code: string; checkInUrl: string };

/** A code the kiosk is not showing (wrong, or long expired). */
const otherThan = (code: string) => String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');

/** The kiosk on the room's tablet, signed in there with the organiser's token. */
async function openKiosk(c: string, token: string): Promise<Page> {
  const page = await suite.pages.open({ laptop: true });
  await page.goto(`${api.url}/#/c/${c}/kiosk`);
  await page.getByRole('heading', { level: 1, name: '签到码屏幕' }).waitFor();
  await page.getByLabel('组织者令牌').fill(token);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '志愿者签到码' }).waitFor();
  return page;
}

const kioskCode = async (page: Page) => (await page.locator('#desk-code').innerText()).replace(/\D/g, '');

/** A volunteer's phone with the volunteer code kept on it (opened from the card's QR code once). */
async function volunteerPhone(v: Volunteer): Promise<Page> {
  const page = await suite.pages.open();
  await page.goto(`${api.url}/#/volunteer/${v.token}`);
  await page.getByRole('heading', { level: 1, name: `您好，${v.volunteer.name}` }).waitFor();
  return page;
}

const shiftPanel = (page: Page) => page.getByRole('region', { name: '当前值班', exact: true });

describe('the community room’s kiosk', () => {
  anyDate('opens from the console’s settings, shows the code in big digits and its QR code, and asks again when the code changes', async () => {
    const page = await suite.pages.open({ laptop: true });
    await consoleSignedIn(page, api.url, organiser);
    await page.getByRole('navigation', { name: '组织者工作台' }).getByRole('link', { name: '社区设置', exact: true }).click();
    const proof = page.getByLabel('志愿者签到方式');
    expect(await proof.inputValue()).toBe('desk_code');
    expect(await proof.locator('option').allInnerTexts()).toEqual(['无需签到码', '需要现场签到码']);

    // The kiosk takes the session into its memory: this tab's console is signed out.
    await page.getByRole('link', { name: '打开签到码屏幕' }).click();
    await page.getByRole('heading', { level: 1, name: '志愿者签到码' }).waitFor();
    expect(page.url()).toBe(`${api.url}/#/c/${DESK}/kiosk`);
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await text(page.locator('main'))).toContain('Volunteer check-in code');

    const code = await kioskCode(page);
    expect(code).toMatch(/^\d{6}$/);
    expect(readQrCode(await page.locator('#desk-qr svg').screenshot())).toBe(`${api.url}/#/check-in/${DESK}/${code}`);
    expect(await page.getByRole('img', { name: /签到二维码/ }).count()).toBe(1);
    expect(await text(page.locator('#desk-countdown'))).toMatch(/^([1-9]|[12]\d|30) 秒后换新码$/);
    expect(await text(page.locator('#kiosk-awake'))).not.toBe('');
    await page.getByRole('button', { name: '全屏显示' }).waitFor();
    await readyForScreenshot(page);
    await screenshot(page, 'kiosk.png');

    // At the change (at most 30 s on), the kiosk asks for the next code.
    const asked = page.waitForRequest((request) => new URL(request.url()).pathname === `/communities/${DESK}/desk-code`);
    await page.clock.fastForward(31_000);
    await asked;

    // Full screen on a tap, and back.
    await page.getByRole('button', { name: '全屏显示' }).click();
    await page.getByRole('button', { name: '退出全屏' }).waitFor();
    expect(await page.evaluate(() => document.fullscreenElement?.tagName)).toBe('HTML');
    await page.getByRole('button', { name: '退出全屏' }).click();
    await page.getByRole('button', { name: '全屏显示' }).waitFor();

    // Leaving it: the console asks for a sign-in (nobody opens it on the room's tablet).
    await page.getByRole('link', { name: '离开签到码屏幕' }).click();
    await page.getByLabel('组织者令牌').waitFor();
    expect(await page.locator('.site-header').isVisible()).toBe(true);
  });

  anyDate('asks an organiser to sign in, and refuses another community’s token beside the field', async () => {
    const page = await suite.pages.open({ laptop: true });
    await page.goto(`${api.url}/#/c/${DESK}/kiosk`);
    await page.getByRole('heading', { level: 1, name: '签到码屏幕' }).waitFor();
    const token = page.getByLabel('组织者令牌');
    await token.fill(await api.organiserToken('biede-shequ'));
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.locator('.field', { has: token }).getByText('这个令牌是另一个社区的组织者的').waitFor();
    expect(await token.getAttribute('aria-invalid')).toBe('true');
    await token.fill(organiser);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '志愿者签到码' }).waitFor();
    expect(await kioskCode(page)).toMatch(/^\d{6}$/);
  });
});

describe('a volunteer checking in where the community asks for the desk code', () => {
  anyDate('is refused without the code, is told a wrong one beside the field, and checks in with the code typed from the kiosk', async () => {
    // The volunteer's page was opened before the community began to ask for the code.
    const c = 'qiandao-shuru';
    const token = await community(c, 'none');
    const v = await newVolunteer(c, token, '周志明');
    await shiftNow(c, token, v);
    const page = await volunteerPhone(v);
    await setProof(c, token, 'desk_code');
    const kiosk = await openKiosk(c, token);

    await shiftPanel(page).getByRole('button', { name: '签到', exact: true }).click();
    const field = page.getByLabel('签到码');
    await field.waitFor();
    expect(await focusedName(page)).toBe('deskCode');
    expect(await text(page.locator('#f-deskCode-error'))).toBe('这个社区签到要输入活动室屏幕上的签到码。');
    expect(await field.getAttribute('inputmode')).toBe('numeric');
    expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
    expect((await ok(api.call('GET', '/me', { token: v.token }), 'me')).openCheckIn).toBeNull();

    // Not six digits; then a wrong code: each said beside the field, which keeps the focus.
    await field.fill('12');
    await shiftPanel(page).getByRole('button', { name: '签到', exact: true }).click();
    await page.locator('#f-deskCode-error').getByText('请输入屏幕上的 6 位数字').waitFor();
    const shown = await kioskCode(kiosk);
    await field.fill(otherThan(shown));
    await shiftPanel(page).getByRole('button', { name: '签到', exact: true }).click();
    await page.locator('#f-deskCode-error').getByText('签到码不对或已过期，请看屏幕上现在的签到码再输入。').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await focusedName(page)).toBe('deskCode');

    await field.fill(`${shown.slice(0, 3)} ${shown.slice(3)}`);
    await shiftPanel(page).getByRole('button', { name: '签到', exact: true }).click();
    await page.getByText('签到成功。离开时请记得签退。').waitFor();
    const open = (await ok(api.call('GET', '/me', { token: v.token }), 'me')).openCheckIn;
    expect(open).toMatchObject({ status: 'open', proof: 'desk_code' });

    // After 签退 the shift is done: no 签到 on it again, and it can no longer be given back.
    await shiftPanel(page).getByRole('button', { name: '签退', exact: true }).and(page.locator(':enabled')).click();
    await page.getByText(/签退成功/).waitFor();
    expect(await shiftPanel(page).getByRole('button', { name: '签到', exact: true }).count()).toBe(0);
    expect(await page.getByLabel('签到码').count()).toBe(0);
    expect(await text(page.getByRole('region', { name: '我的值班安排', exact: true }))).toContain('这次值班已签退');
  });

  anyDate('checks in through the kiosk’s QR code in one tap, and says why not when it cannot', async () => {
    const v = await newVolunteer(DESK, organiser, '林秀珍');
    const kiosk = await openKiosk(DESK, organiser);
    const link = readQrCode(await kiosk.locator('#desk-qr svg').screenshot());

    // A phone without the volunteer code: how to get it first.
    const stranger = await suite.pages.open();
    await stranger.goto(link);
    await stranger.getByRole('heading', { level: 1, name: '扫码签到' }).waitFor();
    expect(await text(stranger.locator('#scan-said'))).toBe('这部手机上还没有保存志愿者码，不能扫码签到。');
    await stranger.getByRole('link', { name: '打开志愿者页面' }).waitFor();

    // No shift now: said, with nothing to tap.
    const page = await volunteerPhone(v);
    await page.goto(link);
    await page.getByText('现在没有可以签到的值班。').waitFor();
    expect(await page.getByRole('button', { name: '签到', exact: true }).count()).toBe(0);

    // An expired code: 请重新扫码, and the field for the one on screen now.
    await shiftNow(DESK, organiser, v);
    const shown = await kioskCode(kiosk);
    await page.goto(`${api.url}/#/check-in/${DESK}/${otherThan(shown)}`);
    await page.locator('#scan-code').getByText(otherThan(shown)).waitFor();
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await page.getByText('这个签到码已过期，请重新扫码，或输入屏幕上现在的签到码。').waitFor();
    expect(await focusedName(page)).toBe('deskCode');

    // Scanned again: one tap, then the volunteer page says so.
    const again = readQrCode(await kiosk.locator('#desk-qr svg').screenshot());
    await page.goto(again);
    await page.locator('#scan-code').getByText(again.split('/').pop()!).waitFor();
    expect(await text(page.locator('main'))).toContain('每晚一小时延时服务');
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '您好，林秀珍' }).waitFor();
    await page.locator('#flash').getByText('签到成功。离开时请记得签退。').waitFor();
    expect(page.url()).toBe(`${api.url}/#/volunteer`);
    expect((await ok(api.call('GET', '/me', { token: v.token }), 'me')).openCheckIn).toMatchObject({ status: 'open', proof: 'desk_code' });

    // The same link again: already checked in.
    await page.goto(link);
    await page.locator('#scan-said').getByText(/^您已经签到了/).waitFor();
  });
});

describe('the approval queue', () => {
  anyDate('shows each log’s shift, its proof and its flags as badges', async () => {
    const c = 'qiandao-shenhe';
    const token = await community(c, 'none');
    const [before, after] = [await newVolunteer(c, token, '赵德胜'), await newVolunteer(c, token, '钱玉兰')];
    const slotId = await shiftNow(c, token, before, after);
    // One checked in before the community asked for the code, one with it.
    await ok(api.call('POST', '/me/check-ins', { token: before.token, body: { slotId } }), 'check in');
    await ok(api.call('POST', '/me/check-outs', { token: before.token }), 'check out');
    await setProof(c, token, 'desk_code');
    await ok(api.call('POST', '/me/check-ins', { token: after.token, body: { slotId, deskCode: (await deskCodeNow(c, token)).code } }), 'check in');
    await ok(api.call('POST', '/me/check-outs', { token: after.token }), 'check out');
    const pending = (await ok(api.call('GET', `/communities/${c}/hours?status=pending`, { token }), 'queue')).items as any[];
    const slot = pending.find((log) => log.volunteerName === '钱玉兰').shift;

    const page = await suite.pages.open({ laptop: true });
    await consoleSignedIn(page, api.url, token);
    await page.getByRole('navigation', { name: '组织者工作台' }).getByRole('link', { name: '服务时长', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '志愿服务时长' }).waitFor();

    // The shift by name and time, the proof in words; no flags on the log with the code.
    const withCode = card(page, '钱玉兰');
    expect(await text(withCode)).toContain(`每晚一小时延时服务 · `);
    expect(await text(withCode)).toContain(`${wallClock(slot.startsAt, ZONE).time}–`);
    expect(await text(withCode.locator('.proof'))).toBe('现场签到码');
    expect(await withCode.getByRole('list', { name: '需要留意' }).count()).toBe(0);

    const without = card(page, '赵德胜');
    expect(await text(without.locator('.proof'))).toBe('无');
    expect(await without.getByRole('list', { name: '需要留意' }).getByRole('listitem').allInnerTexts()).toEqual(['未出示签到码']);
  });

  anyDate('names every flag the API can give', async () => {
    // A second log on one shift and one longer than its shift come from organisers' entries, which
    // are approved at once: the queue's page is given them here, on a log of the queue.
    const c = 'qiandao-biaoji';
    const token = await community(c, 'desk_code');
    const v = await newVolunteer(c, token, '孙建华');
    const slotId = await shiftNow(c, token, v);
    await ok(api.call('POST', '/me/check-ins', { token: v.token, body: { slotId, deskCode: (await deskCodeNow(c, token)).code } }), 'check in');
    await ok(api.call('POST', '/me/check-outs', { token: v.token }), 'check out');
    const page = await suite.pages.open({ laptop: true });
    const queue = (url: URL) => url.pathname === `/communities/${c}/hours` && url.searchParams.get('status') === 'pending';
    await page.route(queue, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.items = body.items.map((log: any) => ({ ...log, proof: 'none', flags: ['no_proof', 'second_log', 'longer_than_shift'] }));
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${api.url}/#/console`);
    await page.getByLabel('组织者令牌').fill(token);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('navigation', { name: '组织者工作台' }).getByRole('link', { name: '服务时长', exact: true }).click();
    const flags = card(page, '孙建华').getByRole('list', { name: '需要留意' }).getByRole('listitem');
    await flags.first().waitFor();
    expect(await flags.allInnerTexts()).toEqual(['未出示签到码', '同一班次第二条记录', '超过班次时长']);
  });
});

describe('the volunteer card', () => {
  anyDate('carries the volunteer page’s link as a QR code that reads back to it, and prints alone', async () => {
    const page = await suite.pages.open({ laptop: true });
    await page.goto(`${api.url}/#/console`);
    await page.evaluate(() => {
      window.print = () => undefined;
    });
    await page.getByLabel('组织者令牌').fill(organiser);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('navigation', { name: '组织者工作台' }).getByRole('link', { name: '志愿者', exact: true }).click();
    await page.getByRole('link', { name: '添加志愿者' }).click();
    await page.getByLabel('姓名').fill('郑桂英');
    await page.getByLabel('手机号码').fill(`137${String(process.pid % 10_000).padStart(4, '0')}9999`);
    await page.getByRole('radio', { name: '暖邻帮扶队' }).check();
    await page.getByRole('button', { name: '添加志愿者' }).click();
    await page.getByRole('heading', { level: 1, name: '郑桂英的志愿者码' }).waitFor();
    const link = await page.locator('#volunteer-link').inputValue();
    expect(link).toMatch(new RegExp(`^${api.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/#/volunteer/vt_`));

    const cardBox = page.locator('#volunteer-card');
    const qr = cardBox.getByRole('img', { name: '郑桂英的志愿者二维码：用手机相机扫码进入志愿者页面' });
    expect(readQrCode(await qr.screenshot())).toBe(link);
    expect(await text(cardBox)).toContain(link);
    expect(await text(cardBox)).toContain('暖邻帮扶队');
    await page.getByRole('button', { name: '打印志愿者卡' }).waitFor();

    // Printed: the card alone, its QR code as large as on screen or larger.
    await page.emulateMedia({ media: 'print' });
    expect(await cardBox.isVisible()).toBe(true);
    expect(await page.locator('#volunteer-link').isVisible()).toBe(false);
    expect(readQrCode(await qr.screenshot())).toBe(link);
    await readyForScreenshot(page);
    await screenshot(page, 'volunteer-card.png');
    await page.emulateMedia({ media: 'screen' });
  });
});
