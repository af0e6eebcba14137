import type { Page, Request } from 'playwright-core';
import { anyDate, browserSuite, card, consoleSignedIn, escapeRegExp, focusedName, focusedText, organiserWithSettings, phoneLayout, readyForScreenshot, screenshot, text } from '../support/browser';
import type { TestApi } from '../support/test-api';
import type { Envelope } from '../../functions/delivery/adapter';
import { useDeliveryAdapter } from '../../functions/delivery';

/**
 * Micro-wishes (微心愿) on the pages, in headless Chromium against the real local API: a resident
 * posts a wish on a phone and follows it, the organiser publishes wishes and records a partner unit
 * adopting one in the console, volunteers race to adopt one and the winner marks it fulfilled, and
 * the wish wall shows them all, on a 360 px phone and on the festival's 1920 × 1080 screen, without
 * a resident's name or phone.
 */

// page.evaluate callbacks run in the page; tsconfig has no DOM library, so the little they use is declared here.
declare const document: any;
declare function getComputedStyle(element: unknown): { fontSize: string };

const C = 'xingfu';

interface Volunteer {
  volunteer: { id: string; name: string; team: string };
  token: string;
}

// Every page a test opens must run without an uncaught error, a CSP violation, an outside request or an axe finding (checked after each test).
const suite = browserSuite();
let api: TestApi;
let organiser: string;
let serial = 0;

beforeAll(async () => {
  ({ api } = suite);
  organiser = await organiserWithSettings(api, C, { name: '幸福邻里社区' });
});

const newPhone = () => `138${String(process.pid % 10_000).padStart(4, '0')}${String((serial += 1)).padStart(4, '0')}`;
const path = (id: string, action = '') => `/communities/${C}/wishes/${id}${action ? `/${action}` : ''}`;
const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

async function ok(pending: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const response = await pending;
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
const asOrganiser = (method: string, route: string, body?: unknown) => ok(api.call(method, route, { token: organiser, body }), `${method} ${route}`);

async function newVolunteer(name: string, team = 'convenience'): Promise<Volunteer> {
  return ok(api.call('POST', `/communities/${C}/volunteers`, { token: organiser, body: { name, phone: `+86${newPhone()}`, team } }), 'volunteer');
}

/** A resident's wish through the API (the resident is 孙秀英 unless said): its id and manage token. */
async function posted(title: string, description: string, { name = '孙秀英', tel = newPhone(), building = '7栋' } = {}) {
  const body = await ok(api.call('POST', `/communities/${C}/wishes`, { body: { name, phone: tel, title, description, building } }), 'wish');
  return { id: body.wish.id as string, token: body.manageToken as string, tel };
}

async function openVolunteer(v: Volunteer): Promise<Page> {
  const page = await suite.pages.open();
  await page.goto(`${api.url}/#/volunteer/${v.token}`);
  await page.getByRole('heading', { level: 1, name: `您好，${v.volunteer.name}` }).waitFor();
  return page;
}

async function openConsole(): Promise<Page> {
  const page = await suite.pages.open({ laptop: true });
  await consoleSignedIn(page, api.url, organiser, '微心愿');
  return page;
}

/** The console's group of wishes under the heading `id` (named by its heading, which adds the count). */
const group = async (page: Page, id: string) => region(page, (await page.locator(`#${id}`).innerText()).trim());

// One story, its steps in order (each test takes up the wishes the one before left): posted on a phone,
// published in the console, adopted and fulfilled by a volunteer, then on the wall.
describe('a wish from a resident’s phone to the wall', () => {
  const resident = { name: '周桂兰', tel: newPhone() };
  const glasses = '想要一副老花镜';
  const video = '想学用手机和孙子视频';
  const chair = '楼下想要一张休息的长椅';
  let manageLink = '';
  let other: { id: string; token: string; tel: string };

  it('posts a wish from the community’s tab (a double tap sends once) and keeps the manage page', async () => {
    const page = await suite.pages.open();
    await page.goto(`${api.url}/#/c/${C}/report`);
    const tabs = page.getByRole('navigation', { name: '社区服务' });
    await tabs.getByRole('link', { name: '微心愿' }).click();
    await page.getByRole('heading', { level: 1, name: '微心愿' }).waitFor();
    expect(await tabs.getByRole('link', { name: '微心愿' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('button', { name: '提交心愿' }).waitFor();

    // One column: name, phone, the wish, more about it, the building; and the honeypot out of reach.
    const textboxes = await page.getByRole('textbox').evaluateAll((els) => els.map((el) => el.getAttribute('name')));
    expect(textboxes).toEqual(['name', 'phone', 'title', 'description', 'building']);
    expect(await page.locator('input[name="website"]').getAttribute('tabindex')).toBe('-1');
    expect(await page.getByLabel('您的心愿').getAttribute('maxlength')).toBe('40');

    await page.getByLabel('姓名').fill(resident.name);
    await page.getByLabel('手机号码').fill(resident.tel);
    await page.getByLabel('您的心愿').fill(glasses);
    await page.getByLabel('说说详细情况').fill('平时看报纸用，度数大约 200 度');
    await page.getByLabel('楼栋门牌').fill('3栋2单元');
    await readyForScreenshot(page);
    await screenshot(page, 'wish-form.png');

    const posts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === `/communities/${C}/wishes`) posts.push(request);
    });
    await page.getByRole('button', { name: '提交心愿' }).dblclick();
    await page.getByRole('heading', { level: 1, name: '心愿已提交' }).waitFor();
    expect(await focusedText(page)).toContain('心愿已提交');
    expect(posts).toHaveLength(1);
    expect(await text(page.locator('#wish-status'))).toBe('已提交，等待审核');
    manageLink = await page.getByLabel('心愿查看链接').inputValue();
    expect(manageLink).toMatch(new RegExp(`^${escapeRegExp(api.url)}/#/manage-wish/${C}/[0-9A-Za-z]+/[\\w-]+$`));
    expect(page.url()).toBe(manageLink);

    // A reload keeps the wish; "我的报名" has it, labelled.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '我的微心愿' }).waitFor();
    expect(await text(page.locator('#wish-status'))).toBe('已提交，等待审核');
    expect(await text(page.locator('main'))).toContain('平时看报纸用，度数大约 200 度');
    await page.getByRole('link', { name: '我的报名' }).click();
    await page.getByRole('heading', { level: 1, name: '我的报名' }).waitFor();
    const saved = card(page, `微心愿：${glasses}`);
    expect(await text(saved)).toContain('已提交，等待审核');
    expect(await saved.getByRole('link', { name: /查看进展/ }).getAttribute('href')).toBe(manageLink.slice(manageLink.indexOf('#')));
  });

  it('is published by the organiser from the console, who records a partner unit adopting another and refuses one with a note', async () => {
    other = await posted(video, '家里只有老人，想学会微信视频');
    const third = await posted(chair, '3栋楼下没有地方坐');
    const refused = await posted('想要社区帮忙买菜', '每周一次');
    await asOrganiser('POST', path(other.id, 'publish'));
    await asOrganiser('POST', path(third.id, 'publish'));

    const page = await openConsole();
    expect(await page.locator('main h2').first().innerText()).toMatch(/^待审核/);
    const fresh = card(await group(page, 'wishes-submitted'), glasses);
    expect(await text(fresh)).toContain(resident.name);
    expect(await fresh.getByRole('link', { name: new RegExp(resident.tel.slice(-8)) }).getAttribute('href')).toMatch(/^tel:/);

    // 发布: asked first; then it is among the published.
    await fresh.getByRole('button', { name: /^发布/ }).click();
    await page.getByRole('heading', { name: `发布：${glasses}` }).waitFor();
    await page.getByRole('button', { name: '确定发布' }).click();
    await page.locator('#flash').getByText(`已发布“${glasses}”。`).waitFor();
    expect(await focusedText(page)).toBe(`已发布“${glasses}”。`);
    expect(await text(card(await group(page, 'wishes-published'), glasses))).toContain('已发布，等待认领');

    // 登记共建单位认领: the unit's name is needed; then the wish is adopted by it.
    await card(await group(page, 'wishes-published'), video).getByRole('button', { name: /^登记共建单位认领/ }).click();
    await page.getByRole('button', { name: '确定登记' }).click();
    await page.getByText('请填写共建单位名称（1 到 40 个字）。').waitFor();
    await page.getByLabel('共建单位名称').fill('幸福里超市');
    await page.getByRole('button', { name: '确定登记' }).click();
    await page.locator('#flash').getByText(`已登记：幸福里超市 认领“${video}”。`).waitFor();
    expect(await text(card(await group(page, 'wishes-adopted'), video))).toContain('幸福里超市（共建单位）');

    // 不予发布: the note is needed; the resident reads it.
    await card(await group(page, 'wishes-submitted'), '想要社区帮忙买菜').getByRole('button', { name: /^不予发布/ }).click();
    await page.getByRole('button', { name: '确定不予发布' }).click();
    await page.getByText('请写明不予发布的原因。').waitFor();
    await page.getByLabel('原因').fill('已由助餐点每周送菜');
    await page.getByRole('button', { name: '确定不予发布' }).click();
    await page.locator('#flash').getByText('已不予发布“想要社区帮忙买菜”。').waitFor();
    const seen = await ok(api.call('GET', path(refused.id), { headers: { 'x-manage-token': refused.token } }), 'resident view');
    expect(seen.wish).toMatchObject({ status: 'rejected', rejectionNote: '已由助餐点每周送菜' });
  });

  it('is adopted by one of two volunteers (the other is told and the page refreshed), marked fulfilled, and followed on the resident’s page', async () => {
    const following = await suite.pages.open();
    await following.goto(manageLink);
    await following.getByRole('heading', { level: 1, name: '我的微心愿' }).waitFor();
    expect(await text(following.locator('#wish-status'))).toBe('已发布，等待认领');

    const [first, second] = [await newVolunteer('王建国', 'convenience'), await newVolunteer('李春花', 'assistance')];
    const [a, b] = [await openVolunteer(first), await openVolunteer(second)];
    for (const page of [a, b]) {
      const open = card(region(page, '微心愿'), glasses);
      expect(await text(open)).toContain('待认领');
      expect(await text(open)).not.toContain(resident.name);
      expect(await text(open)).not.toMatch(/\+86|1[3-9]\d{9}/);
    }

    await card(region(a, '微心愿'), glasses).getByRole('button', { name: /^认领/ }).click();
    await a.locator('#flash').getByText(/^认领成功/).waitFor();
    expect(await focusedText(a)).toBe(`认领成功：“${glasses}”。实现后，请在“我认领的心愿”里点“已实现”。`);

    // Beaten to it: said on top, and the page as it is now (the wish no longer offered).
    await card(region(b, '微心愿'), glasses).getByRole('button', { name: /^认领/ }).click();
    await b.locator('#flash').getByText(/刚刚被别人认领了/).waitFor();
    expect(await focusedText(b)).toContain(`“${glasses}”刚刚被别人认领了`);
    expect(await b.locator('#flash').getAttribute('role')).toBe('alert');
    expect(await card(region(b, '微心愿'), glasses).count()).toBe(0);

    await following.getByRole('button', { name: '刷新状态' }).click();
    await following.locator('#wish-status').getByText('惠邻便民队 已认领').waitFor();
    expect(await focusedText(following)).toContain('惠邻便民队 已认领');
    expect(await text(following.locator('main'))).not.toContain('王建国');

    // 已实现, with a note the resident reads.
    const mine = card(region(a, '微心愿'), glasses);
    expect(await text(mine)).toContain('惠邻便民队 已认领');
    await mine.getByRole('button', { name: /^已实现/ }).click();
    await a.getByRole('heading', { name: `心愿已实现：${glasses}` }).waitFor();
    await a.getByLabel('怎么实现的').fill('已送去老花镜，试戴合适');
    await a.getByRole('button', { name: '确认已实现' }).click();
    await a.locator('#flash').getByText(`谢谢您！“${glasses}”已实现。`).waitFor();
    expect(await text(card(region(a, '微心愿'), glasses))).toContain('已实现');
    expect(await card(region(a, '微心愿'), glasses).getByRole('button').count()).toBe(0);

    await following.getByRole('button', { name: '刷新状态' }).click();
    await following.locator('#wish-status').getByText('已实现').waitFor();
    expect(await text(following.locator('main'))).toContain('已送去老花镜，试戴合适');
    expect(await following.getByRole('button', { name: '刷新状态' }).count()).toBe(0);
  });

  it('shows on the wall on the festival’s 1920 × 1080 screen and on a 360 px phone, with the adopters and no resident’s name or phone', async () => {
    const screen = await suite.pages.open({ laptop: true });
    await screen.setViewportSize({ width: 1920, height: 1080 });
    await screen.goto(`${api.url}/#/c/${C}/wishes`);
    await screen.getByRole('heading', { level: 1, name: '心愿墙' }).waitFor();
    const wall = screen.locator('.wish-wall');
    await wall.waitFor();

    expect(await text(card(wall, glasses))).toMatch(/已实现[\s\S]*惠邻便民队/);
    expect(await text(card(wall, video))).toMatch(/已认领[\s\S]*幸福里超市/);
    expect(await text(card(wall, chair))).toContain('待认领');
    expect(await card(wall, '想要社区帮忙买菜').count()).toBe(0);
    expect(await text(screen.locator('.wall-counts'))).toBe('1 个已实现\n1 个已认领\n1 个待认领');
    const everything = await text(screen.locator('body'));
    for (const secret of [resident.name, '孙秀英', '王建国', resident.tel, other.tel]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/\+86|1[3-9]\d{9}/);

    // Read from across the room: bigger type, cards side by side, nothing wider than the screen.
    const boxes = await Promise.all([glasses, video, chair].map((title) => card(wall, title).boundingBox()));
    expect(new Set(boxes.map((box) => Math.round(box!.y))).size).toBe(1);
    const big = await screen.evaluate(() => ({ root: parseFloat(getComputedStyle(document.documentElement).fontSize), width: document.documentElement.scrollWidth }));
    expect(big.root).toBeGreaterThanOrEqual(24);
    expect(big.width).toBeLessThanOrEqual(1920);
    await readyForScreenshot(screen);
    await screenshot(screen, 'wish-wall.png');

    const phone = await suite.pages.open();
    await phone.setViewportSize({ width: 360, height: 740 });
    await phone.goto(`${api.url}/#/c/${C}/wishes`);
    await phone.locator('.wish-wall').waitFor();
    const layout = await phoneLayout(phone);
    expect(layout.scrollWidth).toBeLessThanOrEqual(360);
    expect(layout.fontSize).toBeGreaterThanOrEqual(18);
    expect(layout.smallTargets).toEqual([]);
    expect(await text(phone.locator('body'))).not.toContain(resident.name);
    // The tab stands for the section (the wall is one of its pages, the form the other).
    expect(await phone.getByRole('navigation', { name: '社区服务' }).getByRole('link', { name: '微心愿' }).getAttribute('aria-current')).toBe('true');
    await readyForScreenshot(phone);
    await screenshot(phone, 'wish-wall-phone.png');
  });
});

describe('on a 360 px phone', () => {
  anyDate('the wish form and a wish’s page fit (one column, large text, large targets), and the form says what is missing beside its field', async () => {
    const wish = await posted('想请人帮忙修收音机', '收音机没有声音了');
    const page = await suite.pages.open();
    await page.setViewportSize({ width: 360, height: 740 });
    for (const hash of [`#/manage-wish/${C}/${wish.id}/${wish.token}`, `#/c/${C}/wish`]) {
      await page.goto(`${api.url}/${hash}`);
      await page.locator('main h1').waitFor();
      await page.locator('main .loading').waitFor({ state: 'detached' });
      const layout = await phoneLayout(page);
      expect(layout.scrollWidth).toBeLessThanOrEqual(360);
      expect(layout.fontSize).toBeGreaterThanOrEqual(18);
      expect(layout.smallTargets).toEqual([]);
    }

    await page.getByLabel('姓名').fill('钱志强');
    await page.getByRole('button', { name: '提交心愿' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await focusedText(page)).toContain('请检查以下内容');
    const title = page.getByLabel('您的心愿');
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    expect(await text(page.locator('.field', { has: title }))).toContain('请写下您的心愿（最多 40 个字）');
    expect(await page.getByLabel('手机号码').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('姓名').getAttribute('aria-invalid')).toBeNull();
  });
});

describe('where the community verifies phones', () => {
  it('asks for the code from the SMS first: a wrong one is said beside the field, the right one sends the wish', async () => {
    const V = 'yanzheng';
    await organiserWithSettings(api, V, { name: '验证社区', verifyPhone: true });
    const codes: Envelope[] = [];
    useDeliveryAdapter({ name: 'recording', deliver: async (envelope) => void codes.push(envelope) });
    try {
      const page = await suite.pages.open();
      await page.goto(`${api.url}/#/c/${V}/wish`);
      const number = newPhone();
      await page.getByLabel('姓名').fill('吴淑芬');
      await page.getByLabel('手机号码').fill(number);
      await page.getByLabel('您的心愿').fill('想要一个助行器');
      await page.getByRole('button', { name: '提交心愿' }).click();
      await page.getByRole('heading', { level: 1, name: '输入短信验证码' }).waitFor();
      expect(await text(page.locator('main'))).toContain(`••••${number.slice(-4)}`);
      expect(await text(page.locator('#wish-status'))).toBe('待验证手机');
      const code = codes.find((envelope) => envelope.address === `+86${number}`)!.params.code!;

      const field = page.getByLabel('6 位验证码');
      await field.fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
      await page.getByRole('button', { name: '确认' }).click();
      await page.getByText('验证码不对或已过期，请核对短信后再输入').waitFor();
      expect(await focusedName(page)).toBe('code');

      await field.fill(code);
      await page.getByRole('button', { name: '确认' }).click();
      await page.getByRole('heading', { level: 1, name: '心愿已提交' }).waitFor();
      expect(await text(page.locator('#wish-status'))).toBe('已提交，等待审核');
      await page.getByLabel('心愿查看链接').waitFor();
    } finally {
      useDeliveryAdapter(undefined);
    }
  });
});
