import type { Page } from 'playwright-core';
import { anyDate, browserSuite, card, copyLink, escapeRegExp, focusedName, focusedText, organiserWithSettings, phoneLayout, readyForScreenshot, screenshot, text } from '../support/browser';
import { eventBody, type TestApi } from '../support/test-api';
import * as clock from '../../functions/clock';

/**
 * The evening help desk (每晚一小时延时服务) on the residents' pages, in headless Chromium on a phone,
 * against the real local API. The organiser makes a week of evenings a few days ahead; each test
 * uses evenings of its own.
 */

const C = 'xingfu';
const ZONE = 'Asia/Shanghai';
const CAPACITY = 4;
const CATEGORY_NAMES = ['家电维修', '管道疏通', '困难家庭帮扶', '治安巡逻值守', '邻里纠纷协调', '绿化环境卫生', '其他'];

interface Slot {
  id: string;
  startsAt: string;
  endsAt: string;
  venue: string;
  requestCapacity: number;
  requestsLeft: number;
  status: string;
}

// Every page a test opens must run without an uncaught error, a CSP violation or an outside request (checked after each test).
const suite = browserSuite();
let api: TestApi;
let organiser: string;
/** One evening a day, 19:30–20:30, from 3 days ahead; each test takes its own. */
let evenings: Slot[];
let phoneSerial = 0;

/** The date of an instant as the community (Shanghai) writes it: YYYY-MM-DD. */
const shanghaiDate = (instant: Date | string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
const daysAhead = (days: number) => shanghaiDate(new Date(clock.nowMs() + days * 86_400_000));

beforeAll(async () => {
  ({ api } = suite);
  organiser = await organiserWithSettings(api, C, { name: '幸福邻里社区' });
  const series = await api.call('POST', `/communities/${C}/slots/series`, {
    token: organiser,
    body: { from: daysAhead(3), to: daysAhead(9), requestCapacity: CAPACITY },
  });
  expect(series.status).toBe(201);
  evenings = series.body.slots;
  expect(evenings).toHaveLength(7);
});

/** A distinct, valid Chinese mobile number per call (the API limits bookings per phone). */
function newPhone(): string {
  phoneSerial += 1;
  return `137${String(process.pid % 10_000).padStart(4, '0')}${String(phoneSerial).padStart(4, '0')}`;
}

const phone = (): Promise<Page> => suite.pages.open();

/** The evening as the public list shows it now. */
async function publicSlot(slot: Slot): Promise<Slot> {
  const date = shanghaiDate(slot.startsAt);
  const listed = await api.call('GET', `/communities/${C}/slots?from=${date}&to=${date}`);
  expect(listed.status).toBe(200);
  return listed.body.items.find((item: Slot) => item.id === slot.id);
}

async function bookThroughApi(slot: Slot, name = '刘淑芬') {
  const response = await api.call('POST', `/communities/${C}/slots/${slot.id}/requests`, {
    body: { name, phone: newPhone(), category: 'appliance_repair', description: '电风扇不转了' },
  });
  expect(response.status).toBe(201);
  return response.body as { request: { id: string }; manageToken: string };
}

async function setCapacity(slot: Slot, requestCapacity: number) {
  const response = await api.call('PATCH', `/communities/${C}/slots/${slot.id}`, { token: organiser, body: { requestCapacity } });
  expect(response.status).toBe(200);
}

/** How the list heads an evening's card: "12月20日 周五" (with the year when it is not this year's). */
function dayHeading(slot: Slot): string {
  const parts = (date: Date) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' })
        .formatToParts(date)
        .map((part) => [part.type, part.value]),
    );
  const day = parts(new Date(slot.startsAt));
  const thisYear = parts(clock.now()).year;
  return `${day.year === thisYear ? '' : `${day.year}年`}${day.month}月${day.day}日 ${day.weekday}`;
}

async function openForm(page: Page, slot: Slot): Promise<void> {
  await page.goto(`${api.url}/#/c/${C}/desk/${slot.id}`);
  await page.getByRole('heading', { level: 1, name: '预约延时服务' }).waitFor();
  await page.getByRole('button', { name: '提交预约' }).waitFor();
}

/** Fill in a valid booking (the category by its Chinese name). */
async function fillForm(page: Page, { category = '家电维修', description = '洗衣机不排水', name = '陈玉珍', tel = newPhone() } = {}) {
  await page.getByRole('radio', { name: category, exact: true }).check();
  await page.getByLabel('问题描述').fill(description);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('手机号码').fill(tel);
  return tel;
}


describe('residents book the evening help desk on a phone', () => {
  it('books from the community home with a category, sees the confirmation and finds it beside an event in 我的报名', async () => {
    const evening = evenings[0]!;
    const event = await api.call('POST', `/communities/${C}/events`, { token: organiser, body: eventBody({ title: '邻里百家宴' }, 12) });
    expect(event.status).toBe(201);
    const page = await phone();

    // An event registration first, so that "我的报名" holds both kinds.
    await page.goto(`${api.url}/#/c/${C}/e/${event.body.event.id}`);
    await page.getByLabel('姓名').fill('陈玉珍');
    await page.getByLabel('手机号码').fill(newPhone());
    await page.getByRole('button', { name: '提交报名' }).click();
    await page.getByRole('heading', { level: 1, name: '报名成功' }).waitFor();

    // The community home has the help desk as its second big tab.
    await page.goto(`${api.url}/#/c/${C}`);
    const tabs = page.getByRole('navigation', { name: '社区服务' });
    await tabs.getByRole('link', { name: '活动报名' }).waitFor();
    expect(await tabs.getByRole('link', { name: '活动报名' }).getAttribute('aria-current')).toBe('page');
    await tabs.getByRole('link', { name: '延时服务预约' }).click();
    await page.getByRole('heading', { level: 1, name: '每晚一小时延时服务' }).waitFor();
    expect(await tabs.getByRole('link', { name: '延时服务预约' }).getAttribute('aria-current')).toBe('page');

    // Each evening: the date, 19:30–20:30, the venue and the places left.
    const day = dayHeading(evening);
    const eveningCard = card(page, day);
    await eveningCard.waitFor();
    expect(await page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) }).count()).toBe(evenings.length);
    const cardText = await text(eveningCard);
    expect(cardText).toContain('19:30–20:30');
    expect(cardText).toContain('幸福邻里 community room');
    expect(cardText).toContain(`剩余 ${CAPACITY} 个名额`);
    await eveningCard.getByRole('link', { name: /^预约/ }).click();

    // The form: the evening, the seven categories as large radio buttons, real labels.
    await page.getByRole('button', { name: '提交预约' }).waitFor();
    const intro = await text(page.locator('main'));
    expect(intro).toContain(day);
    expect(intro).toContain('19:30–20:30');
    expect(await page.locator('.choice__label').allInnerTexts()).toEqual(CATEGORY_NAMES);
    expect(await page.getByRole('radiogroup', { name: /需要哪方面的帮助/ }).getByRole('radio').count()).toBe(7);
    const textboxes = await page.getByRole('textbox').evaluateAll((els) => els.map((el) => el.getAttribute('name')));
    expect(textboxes).toEqual(['description', 'name', 'phone', 'building']);
    expect(await page.getByLabel('手机号码').getAttribute('type')).toBe('tel');
    expect(await page.locator('input[name="website"]').getAttribute('tabindex')).toBe('-1');

    const number = await fillForm(page, { category: '管道疏通', description: '厨房下水道堵了，水下不去' });
    await page.getByLabel('楼栋门牌').fill('5栋1单元302');
    expect(await page.getByRole('radio', { name: '管道疏通' }).isChecked()).toBe(true);
    await readyForScreenshot(page);
    await screenshot(page, 'help-desk-form.png');

    // A double tap books once.
    await page.getByRole('button', { name: '提交预约' }).dblclick();
    await page.getByRole('heading', { level: 1, name: '预约成功' }).waitFor();
    expect(await focusedText(page)).toContain('预约成功');
    const done = await text(page.locator('main'));
    expect(done).toContain(`${day} 19:30–20:30`);
    expect(done).toContain('管道疏通');
    expect(done).toContain('厨房下水道堵了');
    expect(done).toContain(`••••${number.slice(-4)}`);
    expect(done).toContain('5栋1单元302');
    expect(done).toContain('链接只显示这一次');

    const link = await page.getByLabel('预约管理链接').inputValue();
    expect(link).toMatch(new RegExp(`^${escapeRegExp(api.url)}/#/manage-request/${C}/${evening.id}/[0-9A-Za-z]+/mt_[\\w-]+$`));
    const roster = await api.call('GET', `/communities/${C}/slots/${evening.id}`, { token: organiser });
    const mine = roster.body.requests.filter((r: { name: string }) => r.name === '陈玉珍');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ category: 'pipe_unclogging', status: 'booked' });
    expect((await publicSlot(evening)).requestsLeft).toBe(CAPACITY - 1);

    expect(await copyLink(page, api.url)).toBe(link);
    // The address is the booking's manage page now: a reload keeps it.
    expect(page.url()).toBe(link);
    await page.reload();
    // The heading shows while the page still loads: wait for the booking itself (or the refusal).
    await page.locator('main').getByText('陈玉珍').or(page.getByText('这个预约管理链接无效')).first().waitFor();
    expect(await page.getByText('这个预约管理链接无效').count()).toBe(0);
    expect(await text(page.locator('main'))).toContain('陈玉珍');

    // "我的报名": the booking, labelled as the help desk, next to the event registration.
    await page.getByRole('link', { name: '我的报名' }).click();
    await page.getByRole('heading', { level: 1, name: '我的报名' }).waitFor();
    const booking = card(page, '延时服务预约：管道疏通');
    const bookingText = await text(booking);
    expect(bookingText).toContain('每晚一小时延时服务');
    expect(bookingText).toContain('已预约');
    expect(bookingText).toContain(`${day} 19:30–20:30`);
    expect(await booking.getByRole('link', { name: /查看或取消/ }).getAttribute('href')).toBe(link.slice(link.indexOf('#')));
    expect(await text(card(page, '邻里百家宴'))).toContain('活动报名');
  });

  anyDate('shows a missing category and description, and a wrong phone number, beside their fields', async () => {
    const page = await phone();
    await openForm(page, evenings[1]!);
    await page.getByLabel('姓名').fill('赵德明');
    const tel = page.getByLabel('手机号码');
    await tel.fill('12345');
    await page.getByRole('button', { name: '提交预约' }).click();

    // Nothing chosen, nothing described: said in a focused summary and beside each of the two.
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await focusedText(page)).toContain('请检查以下内容');
    const group = page.getByRole('radiogroup');
    const description = page.getByLabel('问题描述');
    expect(await group.getAttribute('aria-invalid')).toBe('true');
    expect(await description.getAttribute('aria-invalid')).toBe('true');
    expect(await tel.getAttribute('aria-invalid')).toBeNull();
    const describedBy = (await description.getAttribute('aria-describedby'))!.split(' ');
    const messages = await Promise.all(describedBy.map((id) => page.locator(`#${id}`).innerText()));
    expect(messages).toContain('请简单描述问题（最多 500 个字）');
    expect(await text(page.locator('.field', { has: description }))).toContain('请简单描述问题');
    expect(await text(group)).toContain('请选择需要哪方面的帮助');

    // The summary's link to the category goes to its first choice.
    await summary.getByRole('link', { name: '请选择需要哪方面的帮助' }).click();
    expect(await focusedName(page)).toBe('category');

    // The API finds the phone number wrong: said beside the phone field, the others clear.
    await page.getByRole('radio', { name: '邻里纠纷协调' }).check();
    await description.fill('楼上晚上噪音太大，想请人帮忙协调');
    await page.getByRole('button', { name: '提交预约' }).click();
    await page.locator('.field', { has: tel }).getByText('请填写正确的手机号码，例如 138 0013 8000').waitFor();
    expect(await focusedText(page)).toContain('请检查以下内容');
    expect(await tel.getAttribute('aria-invalid')).toBe('true');
    expect(await description.getAttribute('aria-invalid')).toBeNull();
    expect(await group.getAttribute('aria-invalid')).toBeNull();
    await summary.getByRole('link', { name: /手机号码/ }).click();
    expect(await focusedName(page)).toBe('phone');

    await tel.fill(newPhone());
    await page.getByRole('button', { name: '提交预约' }).click();
    await page.getByRole('heading', { level: 1, name: '预约成功' }).waitFor();
    expect(await text(page.locator('main'))).toContain('邻里纠纷协调');
  });

  it('shows a full evening as 已约满 with no way to book, and says so when an evening fills while the form is open', async () => {
    const [full, last] = [evenings[2]!, evenings[3]!];
    await setCapacity(full, 1);
    await bookThroughApi(full);
    await setCapacity(last, 1);

    const page = await phone();
    await page.goto(`${api.url}/#/c/${C}/desk`);
    const fullCard = card(page, dayHeading(full));
    await fullCard.waitFor();
    expect(await text(fullCard)).toContain('已约满');
    expect(await fullCard.getByRole('link').count()).toBe(0);
    expect(await text(card(page, dayHeading(last)))).toContain('剩余 1 个名额');

    // Opening a full evening's form by its address shows why there is no form.
    await page.goto(`${api.url}/#/c/${C}/desk/${full.id}`);
    await page.getByText('这天晚上已约满，请选择其他日期。').waitFor();
    expect(await page.getByRole('button', { name: '提交预约' }).count()).toBe(0);

    // The last place goes to someone else between opening the form and sending it.
    await openForm(page, last);
    await fillForm(page);
    await bookThroughApi(last, '黄志强');
    await page.getByRole('button', { name: '提交预约' }).click();
    const summary = page.locator('.error-summary');
    await summary.getByText('这天晚上的名额刚刚约满了，请选择其他日期。').waitFor();
    expect(await focusedText(page)).toContain('请检查以下内容');
    await summary.getByRole('link', { name: '查看其他日期' }).click();
    await page.getByRole('heading', { level: 1, name: '每晚一小时延时服务' }).waitFor();
    expect(await text(card(page, dayHeading(last)))).toContain('已约满');
  });

  it('cancels through the manage link on another phone, after asking, and the place is free again', async () => {
    const evening = evenings[4]!;
    const first = await phone();
    await openForm(first, evening);
    await fillForm(first, { category: '困难家庭帮扶', description: '独居老人，需要帮忙买菜' });
    await first.getByRole('button', { name: '提交预约' }).click();
    await first.getByRole('heading', { level: 1, name: '预约成功' }).waitFor();
    const link = await first.getByLabel('预约管理链接').inputValue();
    expect((await publicSlot(evening)).requestsLeft).toBe(CAPACITY - 1);

    // Another phone (nothing saved) opens the link: the booking and its evening.
    const page = await phone();
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: '我的延时服务预约' }).waitFor();
    const status = page.locator('#request-status');
    expect(await text(status)).toBe('已预约');
    const body = await text(page.locator('main'));
    expect(body).toContain('困难家庭帮扶');
    expect(body).toContain('独居老人，需要帮忙买菜');
    expect(body).toContain(dayHeading(evening));
    expect(body).toContain('19:30–20:30');

    // Cancelling asks first; "no" keeps the booking.
    await page.getByRole('button', { name: '取消预约' }).click();
    await page.getByRole('heading', { name: '确定要取消预约吗？' }).waitFor();
    expect(await focusedText(page)).toBe('确定要取消预约吗？');
    await page.getByRole('button', { name: '不取消，返回' }).click();
    expect(await focusedText(page)).toBe('取消预约');
    await page.getByRole('button', { name: '取消预约' }).click();
    await page.getByRole('button', { name: '确定取消' }).click();
    await page.getByText('预约已取消').waitFor();
    expect(await text(status)).toBe('已取消');
    expect(await page.getByRole('button', { name: '取消预约' }).count()).toBe(0);

    // The place is free again, and the booking is cancelled.
    expect((await publicSlot(evening)).requestsLeft).toBe(CAPACITY);
    const [, , , , id, token] = new URL(link).hash.split('/');
    const stored = await api.call('GET', `/communities/${C}/slots/${evening.id}/requests/${id}`, { headers: { 'x-manage-token': token! } });
    expect(stored.body.request.status).toBe('cancelled');

    // A link with a wrong token says so in words.
    await page.goto(link.replace(/mt_[\w-]+$/, 'mt_not-the-right-token'));
    await page.getByText('这个预约管理链接无效').waitFor();
  });

  anyDate('switches to English and back, keeping the chosen category and what was typed', async () => {
    const evening = evenings[5]!;
    const page = await phone();
    await page.goto(`${api.url}/#/c/${C}/desk`);
    await card(page, dayHeading(evening)).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Evening help desk' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('navigation', { name: 'Community services' }).getByRole('link', { name: 'Evening help desk' }).getAttribute('aria-current')).toBe(
      'page',
    );
    expect(await text(page.locator('main'))).toContain(`${CAPACITY} places left`);

    await page.goto(`${api.url}/#/c/${C}/desk/${evening.id}`);
    await page.getByRole('radio', { name: 'Appliance repair' }).check();
    await page.getByLabel('Describe the problem').fill('The fridge is noisy');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '预约延时服务' }).waitFor();
    expect(await page.getByRole('radio', { name: '家电维修' }).isChecked()).toBe(true);
    expect(await page.getByLabel('问题描述').inputValue()).toBe('The fridge is noisy');
    expect(await focusedText(page)).toBe('English');
  });

  anyDate('fits a 360 px wide phone: one column, large text, large targets on the tabs, the list and the form', async () => {
    const page = await phone();
    await page.setViewportSize({ width: 360, height: 740 });
    for (const hash of [`#/c/${C}`, `#/c/${C}/desk`, `#/c/${C}/desk/${evenings[6]!.id}`]) {
      await page.goto(`${api.url}/${hash}`);
      await page.locator('main h1').waitFor();
      await page.locator('main .loading').waitFor({ state: 'detached' });
      // A radio button's target is its whole labelled box.
      const layout = await phoneLayout(page);
      expect(layout.scrollWidth).toBeLessThanOrEqual(360);
      expect(layout.fontSize).toBeGreaterThanOrEqual(18);
      expect(layout.smallTargets).toEqual([]);
    }
  });
});
