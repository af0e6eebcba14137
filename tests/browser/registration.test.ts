import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { anyDate, browserSuite, card, chineseDay, copyLink, escapeRegExp, focusedName, focusedText, organiserWithSettings, phoneLayout, readyForScreenshot, screenshot, text } from '../support/browser';
import { eventBody, type TestApi } from '../support/test-api';
import * as clock from '../../functions/clock';
import type { Envelope } from '../../functions/delivery/adapter';
import { useDeliveryAdapter } from '../../functions/delivery';

/**
 * The residents' pages in headless Chromium on a phone-sized screen, against the real local API.
 * Each test sets up its own events through the organiser API and asserts what a resident sees.
 */

const C = 'xingfu';
const FESTIVAL = '与邻相约·多彩邻里节';

// Every page a test opens must run without an uncaught error, a CSP violation or an outside request (checked after each test).
const suite = browserSuite();
let api: TestApi;
let organiser: string;
let phoneSerial = 0;

beforeAll(async () => {
  ({ api } = suite);
  organiser = await organiserWithSettings(api, C, { name: '幸福邻里社区' });
});

async function createEvent(overrides: Record<string, unknown> = {}, daysAhead = 10) {
  const response = await api.call('POST', `/communities/${C}/events`, { token: organiser, body: eventBody(overrides, daysAhead) });
  expect(response.status).toBe(201);
  return response.body.event as { id: string; title: string };
}

/** A distinct, valid Chinese mobile number per call (the API limits registrations per phone). */
function newPhone(): string {
  phoneSerial += 1;
  return `139${String(process.pid % 10_000).padStart(4, '0')}${String(phoneSerial).padStart(4, '0')}`;
}

async function registerThroughApi(eventId: string, name = '张建国') {
  const response = await api.call('POST', `/communities/${C}/events/${eventId}/registrations`, { body: { name, phone: newPhone() } });
  expect(response.status).toBe(201);
  return response.body as { registration: { id: string; status: string }; manageToken: string };
}

const phone = (): Promise<Page> => suite.pages.open();

async function openForm(page: Page, title: string): Promise<void> {
  await page.goto(`${api.url}/#/c/${C}`);
  await card(page, title).getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}


describe('residents sign up for an event on a phone', () => {
  it('lists events with readable times in the community time zone, seats, full, cancelled and not-yet-open ones', async () => {
    const open = await createEvent({ title: '冬至包饺子', startsAt: '2030-12-20T09:00:00+08:00', endsAt: '2030-12-20T12:00:00+08:00', capacity: 30 });
    const full = await createEvent({ title: '义诊与健康讲座', capacity: 1 }, 11);
    await registerThroughApi(full.id);
    // One household of three waits: counted as households and as people.
    expect((await api.call('POST', `/communities/${C}/events/${full.id}/registrations`, { body: { name: '候补一家', phone: newPhone(), partySize: 3 } })).body.registration.status).toBe('waitlisted');
    const cancelled = await createEvent({ title: '旧物交换集市' }, 12);
    expect((await api.call('PATCH', `/communities/${C}/events/${cancelled.id}`, { token: organiser, body: { status: 'cancelled' } })).status).toBe(200);
    const opensAt = DateTime.fromMillis(clock.nowMs(), { zone: 'Asia/Shanghai' }).plus({ days: 5 });
    await createEvent({ title: '书法兴趣班', registrationOpensAt: opensAt.toISO() }, 20);

    const page = await phone();
    await page.goto(`${api.url}/#/c/${C}`);
    await card(page, open.title).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.getByRole('link', { name: '幸福邻里社区' }).count()).toBe(1);

    const openCard = await text(card(page, open.title));
    expect(openCard).toContain('2030年12月20日 周五 09:00–12:00');
    expect(openCard).toContain('幸福邻里 community room');
    expect(openCard).toContain('剩余 30 个名额');
    expect(await card(page, open.title).getByRole('link', { name: /^报名/ }).count()).toBe(1);

    expect(await text(card(page, full.title))).toContain('已满，可候补');
    expect(await text(card(page, full.title))).toContain('已有 1 户（3 人）在候补');
    expect(await card(page, full.title).getByRole('link', { name: /报名候补/ }).count()).toBe(1);

    expect(await text(card(page, cancelled.title))).toContain('已取消');
    expect(await card(page, cancelled.title).getByRole('link').count()).toBe(0);

    expect(await text(card(page, '书法兴趣班'))).toContain(`报名将于 ${chineseDay(opensAt)} ${opensAt.toFormat('HH:mm')} 开始`);
    expect(await card(page, '书法兴趣班').getByRole('link').count()).toBe(0);
  });

  it('registers, shows the confirmation with the manage link in the fragment, and remembers it on this phone', async () => {
    const event = await createEvent({ title: FESTIVAL, description: '包饺子、猜灯谜、文艺表演，欢迎全家参加。', capacity: 40 });
    const page = await phone();
    await openForm(page, FESTIVAL);

    // Real labels, phone-friendly inputs, and a honeypot no person or screen reader meets.
    const name = page.getByLabel('姓名');
    const tel = page.getByLabel('手机号码');
    expect(await name.getAttribute('autocomplete')).toBe('name');
    expect(await tel.getAttribute('type')).toBe('tel');
    expect(await tel.getAttribute('inputmode')).toBe('tel');
    expect(await tel.getAttribute('autocomplete')).toBe('tel');
    const textboxes = await page.getByRole('textbox').evaluateAll((els) => els.map((el) => el.getAttribute('name')));
    expect(textboxes).toEqual(['name', 'phone', 'building', 'note']);
    expect(await page.locator('input[name="website"]').getAttribute('tabindex')).toBe('-1');

    const number = newPhone();
    await name.fill('王秀英');
    await tel.fill(`${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}`);
    await page.getByLabel('参加人数').selectOption('2');
    await page.getByLabel('楼栋门牌').fill('3栋2单元501');
    await readyForScreenshot(page);
    await screenshot(page, 'registration-form.png');

    // A double tap sends one registration.
    await page.getByRole('button', { name: '提交报名' }).dblclick();
    await page.getByRole('heading', { level: 1, name: '报名成功' }).waitFor();
    expect(await focusedText(page)).toContain('报名成功');
    const body = await text(page.locator('main'));
    expect(body).toContain('2 人');
    expect(body).toContain(`••••${number.slice(-4)}`);
    expect(body).toContain('链接只显示这一次');

    const link = await page.getByLabel('报名管理链接').inputValue();
    expect(link).toMatch(new RegExp(`^${escapeRegExp(api.url)}/#/manage/${C}/${event.id}/[0-9A-Za-z]+/mt_[\\w-]+$`));
    expect(link).not.toContain('?');
    await screenshot(page, 'registration-confirmed.png');

    const roster = await api.call('GET', `/communities/${C}/events/${event.id}/registrations`, { token: organiser });
    expect(roster.body.items.filter((r: { name: string }) => r.name === '王秀英')).toHaveLength(1);

    // The copy button puts the link on the clipboard.
    expect(await copyLink(page, api.url)).toBe(link);

    // The address is the manage page's now: a reload shows the registration, not an empty form.
    expect(page.url()).toBe(link);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '我的报名详情' }).waitFor();
    expect(await text(page.locator('#registration-status'))).toBe('报名成功');

    // "我的报名" on this phone finds it again.
    await page.getByRole('link', { name: '我的报名' }).click();
    await page.getByRole('heading', { level: 1, name: '我的报名' }).waitFor();
    const mine = card(page, FESTIVAL);
    expect(await text(mine)).toContain('报名成功');
    expect(await mine.getByRole('link', { name: /查看或取消/ }).getAttribute('href')).toBe(link.slice(link.indexOf('#')));
  });

  anyDate('keeps trying through a 503 and a short 429 with the same Idempotency-Key, says so on the button, and registers once', async () => {
    await createEvent({ title: '重试也只报一次', capacity: 10 });
    const page = await suite.pages.open({ expect503: true });
    await openForm(page, '重试也只报一次');
    const keys: (string | undefined)[] = [];
    const problem = (status: number, code: string, title: string) => ({
      status,
      contentType: 'application/problem+json',
      headers: { 'retry-after': '1' },
      body: JSON.stringify({ type: `/problems/${code}`, title, status, code }),
    });
    // The first attempt meets an unavailable database, the second the throttle; the third gets through.
    await page.route(/\/communities\/[^/]+\/events\/[^/]+\/registrations$/, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length === 1) return route.fulfill(problem(503, 'unavailable', 'Service temporarily unavailable'));
      if (keys.length === 2) return route.fulfill(problem(429, 'rate_limited', 'Too many requests'));
      return route.continue();
    });
    await page.getByLabel('姓名').fill('赵重试');
    await page.getByLabel('手机号码').fill(newPhone());
    await page.getByRole('button', { name: '提交报名' }).click();
    await page.getByRole('button', { name: '网络不稳，正在重试…' }).waitFor();
    await page.getByRole('heading', { level: 1, name: '报名成功' }).waitFor();
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[\w-]{16,}$/);
    expect(new Set(keys).size).toBe(1);
    const roster = await api.call('GET', `/communities/${C}/events?limit=100`);
    const eventId = roster.body.items.find((item: { title: string }) => item.title === '重试也只报一次').id as string;
    const registrations = await api.call('GET', `/communities/${C}/events/${eventId}/registrations`, { token: organiser });
    expect(registrations.body.items.filter((r: { name: string }) => r.name === '赵重试')).toHaveLength(1);
  });

  anyDate('shows field errors beside their fields, with a focused summary, and recovers', async () => {
    const event = await createEvent({ title: '社区健步走' }, 13);
    const taken = newPhone();
    expect((await api.call('POST', `/communities/${C}/events/${event.id}/registrations`, { body: { name: '李桂兰', phone: taken } })).status).toBe(201);
    const page = await phone();
    await openForm(page, event.title);

    const tel = page.getByLabel('手机号码');
    await page.getByLabel('姓名').fill('赵德明');
    await tel.fill('12345');
    await page.getByRole('button', { name: '提交报名' }).click();

    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await focusedText(page)).toContain('请检查以下内容');
    expect(await tel.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('姓名').getAttribute('aria-invalid')).toBeNull();
    const describedBy = (await tel.getAttribute('aria-describedby'))!.split(' ');
    const messages = await Promise.all(describedBy.map((id) => page.locator(`#${id}`).innerText()));
    expect(messages).toContain('请填写正确的手机号码，例如 138 0013 8000');
    // Beside the field: the message sits in the phone field's own block, above the input.
    expect(await text(page.locator('.field', { has: tel }))).toContain('请填写正确的手机号码');

    // The summary links to the field.
    await summary.getByRole('link', { name: /手机号码/ }).click();
    expect(await focusedName(page)).toBe('phone');

    // A phone already registered for this event is told beside the phone field too.
    await tel.fill(taken);
    await page.getByRole('button', { name: '提交报名' }).click();
    await page.locator('.field', { has: tel }).getByText('这个手机号已经报过这个活动了').waitFor();
    expect(await focusedText(page)).toContain('请检查以下内容');
    // …with the way to that registration: a link to 我的报名.
    expect(await summary.getByRole('link', { name: /我的报名/ }).getAttribute('href')).toBe('#/mine');

    await tel.fill(newPhone());
    await page.getByRole('button', { name: '提交报名' }).click();
    await page.getByRole('heading', { level: 1, name: '报名成功' }).waitFor();
  });

  it('asks for the code from the SMS where the community verifies phones: a wrong one is said beside the field, the right one confirms', async () => {
    const V = 'yanzheng';
    const verifying = await organiserWithSettings(api, V, { name: '验证社区', verifyPhone: true });
    const made = await api.call('POST', `/communities/${V}/events`, { token: verifying, body: eventBody({ title: '社区运动会', capacity: 10 }) });
    expect(made.status).toBe(201);
    const codes: Envelope[] = [];
    useDeliveryAdapter({ name: 'recording', deliver: async (envelope) => void codes.push(envelope) });
    try {
      const page = await phone();
      await page.goto(`${api.url}/#/c/${V}`);
      await card(page, '社区运动会').getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: '社区运动会' }).waitFor();
      const number = newPhone();
      await page.getByLabel('姓名').fill('周桂兰');
      await page.getByLabel('手机号码').fill(number);
      await page.getByRole('button', { name: '提交报名' }).click();
      await page.getByRole('heading', { level: 1, name: '输入短信验证码' }).waitFor();
      expect(await text(page.locator('main'))).toContain(`••••${number.slice(-4)}`);
      const code = codes.find((envelope) => envelope.address === `+86${number}`)!.params.code!;
      const field = page.getByLabel('6 位验证码');
      expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
      expect(await field.getAttribute('inputmode')).toBe('numeric');

      await field.fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
      await page.getByRole('button', { name: '确认' }).click();
      await page.getByText('验证码不对或已过期，请核对短信后再输入').waitFor();
      expect(await focusedName(page)).toBe('code');

      await field.fill(code);
      await page.getByRole('button', { name: '确认' }).click();
      await page.getByRole('heading', { level: 1, name: '报名成功' }).waitFor();
      const roster = await api.call('GET', `/communities/${V}/events/${made.body.event.id}/registrations`, { token: verifying });
      expect(roster.body.items.map((r: { name: string; status: string }) => [r.name, r.status])).toEqual([['周桂兰', 'confirmed']]);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: '我的报名详情' }).waitFor();
      expect(await text(page.locator('#registration-status'))).toBe('报名成功');
    } finally {
      useDeliveryAdapter(undefined);
    }
  });

  it('joins the waitlist of a full event and shows the position', async () => {
    const event = await createEvent({ title: '老年智能手机课', capacity: 1 }, 14);
    await registerThroughApi(event.id);
    const page = await phone();
    await openForm(page, event.title);
    expect(await text(page.locator('main'))).toContain('现在提交会进入候补名单');

    await page.getByLabel('姓名').fill('孙玉梅');
    await page.getByLabel('手机号码').fill(newPhone());
    await page.getByRole('button', { name: '提交，进入候补' }).click();
    await page.getByRole('heading', { level: 1, name: '已进入候补' }).waitFor();
    expect(await text(page.locator('main'))).toContain('候补第 1 位');
  });

  it('opens the manage link on a fresh page, follows the live waitlist position and cancels', async () => {
    const event = await createEvent({ title: '亲子手工课', capacity: 1 }, 15);
    await registerThroughApi(event.id);
    const ahead = await registerThroughApi(event.id, '周文华');

    const first = await phone();
    await openForm(first, event.title);
    await first.getByLabel('姓名').fill('吴晓东');
    await first.getByLabel('手机号码').fill(newPhone());
    await first.getByRole('button', { name: '提交，进入候补' }).click();
    await first.getByText('候补第 2 位').waitFor();
    const link = await first.getByLabel('报名管理链接').inputValue();

    // Another phone (no saved state) opens the link.
    const page = await phone();
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: '我的报名详情' }).waitFor();
    const status = page.locator('#registration-status');
    expect(await text(status)).toBe('候补中 · 第 2 位');
    expect(await text(page.locator('main'))).toContain(event.title);

    // Someone ahead cancels: the refreshed page shows the new position.
    const dropped = await api.call('DELETE', `/communities/${C}/events/${event.id}/registrations/${ahead.registration.id}`, {
      headers: { 'x-manage-token': ahead.manageToken },
    });
    expect(dropped.status).toBe(200);
    await page.getByRole('button', { name: '刷新状态' }).click();
    await page.getByText('候补中 · 第 1 位').waitFor();

    // Cancelling asks first; "no" keeps the registration.
    await page.getByRole('button', { name: '取消报名' }).click();
    await page.getByRole('heading', { name: '确定要取消报名吗？' }).waitFor();
    expect(await focusedText(page)).toBe('确定要取消报名吗？');
    await page.getByRole('button', { name: '不取消，返回' }).click();
    await page.getByRole('button', { name: '取消报名' }).click();
    await page.getByRole('button', { name: '确定取消' }).click();
    await page.getByText('报名已取消').waitFor();
    expect(await text(status)).toBe('已取消');
    expect(await page.getByRole('button', { name: '取消报名' }).count()).toBe(0);

    const [, , , , id, token] = new URL(link).hash.split('/');
    const stored = await api.call('GET', `/communities/${C}/events/${event.id}/registrations/${id}`, { headers: { 'x-manage-token': token! } });
    expect(stored.body.registration.status).toBe('cancelled');

    // A link with a wrong token says so in words.
    await page.goto(link.replace(/mt_[\w-]+$/, 'mt_not-the-right-token'));
    await page.getByText('这个报名管理链接无效').waitFor();
  });

  anyDate('names each community in its own footer', async () => {
    await organiserWithSettings(api, 'heping', { name: '和平里社区' });
    const page = await phone();
    await page.goto(`${api.url}/#/c/heping`);
    await page.locator('#site-footer').getByText('和平里社区服务').waitFor();
    expect(await text(page.locator('#site-footer'))).not.toContain('幸福邻里');
  });

  it('leads with the cancelled event on the manage page: no "报名成功" above it and nothing to cancel', async () => {
    const event = await createEvent({ title: '重阳登高' }, 12);
    const held = await registerThroughApi(event.id);
    expect(held.registration.status).toBe('confirmed');
    expect((await api.call('PATCH', `/communities/${C}/events/${event.id}`, { token: organiser, body: { status: 'cancelled' } })).status).toBe(200);
    const page = await phone();
    await page.goto(`${api.url}/#/manage/${C}/${event.id}/${held.registration.id}/${held.manageToken}`);
    await page.getByRole('heading', { level: 1, name: '我的报名详情' }).waitFor();
    expect(await text(page.locator('#registration-status'))).toBe('活动已取消');
    expect(await text(page.locator('main'))).not.toContain('报名成功');
    expect(await page.getByRole('button', { name: '取消报名' }).count()).toBe(0);
    expect(await page.title()).toContain('活动已取消');
  });

  anyDate('switches to English, keeps what was typed, and remembers the choice', async () => {
    const event = await createEvent({ title: '邻里读书会' }, 16);
    const page = await phone();
    await openForm(page, event.title);
    await page.getByLabel('姓名').fill('Li Na');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Your details' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByLabel('Name').inputValue()).toBe('Li Na');
    expect(await page.getByLabel('Mobile number').getAttribute('type')).toBe('tel');
    expect(await page.getByRole('button', { name: 'Sign up' }).count()).toBe(1);
    expect(await focusedText(page)).toBe('中文');

    await page.reload();
    await page.getByLabel('Mobile number').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await text(page.locator('main'))).toMatch(/When\s+\w{3} \d{1,2} \w{3}/);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByLabel('手机号码').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  });

  anyDate('fits a 360 px wide phone: one column, large text, large targets', async () => {
    await createEvent({ title: '垃圾分类宣传' }, 17);
    const page = await phone();
    await page.setViewportSize({ width: 360, height: 740 });
    for (const hash of ['#/', `#/c/${C}`]) {
      await page.goto(`${api.url}/${hash}`);
      await page.locator('main h1').waitFor();
      await page.locator('main .loading').waitFor({ state: 'detached' });
      const layout = await phoneLayout(page);
      expect(layout.scrollWidth).toBeLessThanOrEqual(360);
      expect(layout.fontSize).toBeGreaterThanOrEqual(18);
      expect(layout.smallTargets).toEqual([]);
    }
    // The landing page explains how to get to a community's events.
    await page.goto(`${api.url}/#/`);
    expect(await text(page.locator('main'))).toContain('扫描社区张贴的二维码');
  });
});
