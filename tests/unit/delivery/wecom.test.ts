import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { DeliveryError, type Envelope } from '../../../functions/delivery/adapter';
import { parseWecomWebhook, wecomMarkdown, wecomRobot } from '../../../functions/delivery/wecom';
import { startFakeWecom, type FakeWecom } from '../../support/fake-wecom';

const KEY = 'd4da4f73-3667-49a2-b2f3-f79235e984e7';
const OTHER_KEY = '0b2c9e4a-51f7-4a66-8d2e-7c1f00a35aaa';
const BASE = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=';

function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    notificationId: 'n1',
    communityId: 'xingfu',
    kind: 'event_digest',
    channel: 'wecom',
    address: KEY,
    shownAs: '企业微信群',
    community: '幸福里',
    subject: '【幸福里】活动提醒 Event reminder',
    body: '【幸福里】「端午包粽子」6月19日 14:00：报名 12/40，候补 0，志愿者 3/4（缺人）。 "端午包粽子" 19 Jun 14:00: 12/40 seats, 0 waiting, volunteers 3/4 (understaffed).',
    params: {},
    ...overrides,
  };
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('parseWecomWebhook', () => {
  it.each([
    ['the address as 企业微信 shows it', `${BASE}${KEY}`, KEY],
    ['another real-shaped key', `${BASE}${OTHER_KEY}`, OTHER_KEY],
    ['pasted with surrounding blanks and a newline', `  ${BASE}${KEY}\n`, KEY],
    ['a key whose version and variant digits are not those of a v4 UUID', `${BASE}0123abcd-ef01-1234-0567-89abcdef0123`, '0123abcd-ef01-1234-0567-89abcdef0123'],
  ])('accepts %s', (_, url, key) => {
    expect(parseWecomWebhook(url)).toEqual({ key });
  });

  it.each([
    ['empty', ''],
    ['only the key', KEY],
    ['http', `http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    ['upper-case scheme', `HTTPS://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    ['no scheme', `qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    ['protocol-relative', `//qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    ['javascript:', `javascript:fetch('${BASE}${KEY}')`],
    ['another host', `https://example.com/cgi-bin/webhook/send?key=${KEY}`],
    ['another Tencent host', `https://qyapi.weixin.qq.com.cn/cgi-bin/webhook/send?key=${KEY}`],
    ['a look-alike host', `https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=${KEY}`],
    ['a look-alike prefix', `https://evilqyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    ['a subdomain', `https://a.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    ['a trailing dot', `https://qyapi.weixin.qq.com./cgi-bin/webhook/send?key=${KEY}`],
    ['upper-case host', `https://QYAPI.WEIXIN.QQ.COM/cgi-bin/webhook/send?key=${KEY}`],
    ['ideographic full stops', `https://qyapi。weixin。qq。com/cgi-bin/webhook/send?key=${KEY}`],
    ['full-width letters', `https://ｑyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    ['a percent-encoded host', `https://qyapi%2Eweixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    ['the real host as userinfo', `https://qyapi.weixin.qq.com@evil.cn/cgi-bin/webhook/send?key=${KEY}`],
    ['the real host as user:password', `https://qyapi.weixin.qq.com:443@evil.cn/cgi-bin/webhook/send?key=${KEY}`],
    ['userinfo before the real host', `https://evil.cn@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    ['a backslash before @', `https://qyapi.weixin.qq.com\\@evil.cn/cgi-bin/webhook/send?key=${KEY}`],
    ['backslashes for slashes', `https:\\\\qyapi.weixin.qq.com\\cgi-bin\\webhook\\send?key=${KEY}`],
    ['port 443', `https://qyapi.weixin.qq.com:443/cgi-bin/webhook/send?key=${KEY}`],
    ['another port', `https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=${KEY}`],
    ['an IPv4 literal', `https://101.91.22.57/cgi-bin/webhook/send?key=${KEY}`],
    ['an IPv6 literal', `https://[::1]/cgi-bin/webhook/send?key=${KEY}`],
    ['another path', `https://qyapi.weixin.qq.com/cgi-bin/webhook/upload_media?key=${KEY}`],
    ['a trailing slash on the path', `https://qyapi.weixin.qq.com/cgi-bin/webhook/send/?key=${KEY}`],
    ['a dot segment', `https://qyapi.weixin.qq.com/cgi-bin/x/../webhook/send?key=${KEY}`],
    ['a double slash', `https://qyapi.weixin.qq.com//cgi-bin/webhook/send?key=${KEY}`],
    ['an encoded slash', `https://qyapi.weixin.qq.com/cgi-bin%2Fwebhook/send?key=${KEY}`],
    ['a tab inside', `https://qyapi.weixin.qq.com/cgi-bin/web\thook/send?key=${KEY}`],
    ['a newline inside', `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=\n${KEY}`],
    ['no key', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send'],
    ['an empty key', `${BASE}`],
    ['an extra parameter after', `${BASE}${KEY}&debug=1`],
    ['an extra parameter before', `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?debug=1&key=${KEY}`],
    ['the key twice', `${BASE}${KEY}&key=${OTHER_KEY}`],
    ['a semicolon separator', `${BASE}${KEY};key=${OTHER_KEY}`],
    ['a fragment', `${BASE}${KEY}#x`],
    ['an empty fragment', `${BASE}${KEY}#`],
    ['a percent-encoded key', `${BASE}%64${KEY.slice(1)}`],
    ['a percent-encoded parameter name', `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?%6bey=${KEY}`],
    ['an upper-case key', `${BASE}${KEY.toUpperCase()}`],
    ['the documentation placeholder', `${BASE}693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa`],
    ['a key too short', `${BASE}${KEY.slice(0, -1)}`],
    ['a key too long', `${BASE}${KEY}0`],
    ['a key without dashes', `${BASE}${KEY.replaceAll('-', '')}`],
    ['a key in braces', `${BASE}{${KEY}}`],
  ])('refuses %s', (_, url) => {
    const parsed = parseWecomWebhook(url);
    expect(parsed).toEqual({ error: expect.any(String) });
    const { error } = parsed as { error: string };
    expect(error.length).toBeGreaterThan(0);
    expect(error.length).toBeLessThan(80);
    expect(error).not.toContain(KEY);
    expect(error).not.toContain(KEY.slice(-12));
    expect(error).not.toMatch(/evil/);
  });

  it('says what is wrong, briefly', () => {
    expect(parseWecomWebhook(`http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`)).toEqual({ error: expect.stringMatching(/https/) });
    expect(parseWecomWebhook(`https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=${KEY}`)).toEqual({ error: expect.stringMatching(/qyapi\.weixin\.qq\.com/) });
    expect(parseWecomWebhook(`${BASE}${KEY}&debug=1`)).toEqual({ error: expect.stringMatching(/nothing else/) });
    expect(parseWecomWebhook(`${BASE}abc`)).toEqual({ error: expect.stringMatching(/key/) });
  });
});

describe('wecomMarkdown', () => {
  it('is a heading with the community and the subject, then the whole body, Chinese and English', () => {
    const content = wecomMarkdown(envelope());
    const [heading, ...rest] = content.split('\n');
    expect(heading).toBe('## 【幸福里】活动提醒 Event reminder');
    expect(rest.join('\n')).toContain('「端午包粽子」6月19日 14:00：报名 12/40');
    expect(rest.join('\n')).toContain('"端午包粽子" 19 Jun 14:00: 12/40 seats, 0 waiting, volunteers 3/4 (understaffed).');
    expect(content.indexOf('报名')).toBeLessThan(content.indexOf('seats'));
  });

  it('names the community in the heading when the subject does not', () => {
    expect(wecomMarkdown(envelope({ subject: '值班提醒 Shift reminder' })).split('\n')[0]).toBe('## 【幸福里】值班提醒 Shift reminder');
  });

  it("turns an organiser's markup into plain text: no link, colour, mention, heading or quote", () => {
    const hostile =
      '<font color="warning">紧急</font>[点我领奖](http://evil.cn/x) **粗** _斜_ `code` ~~删~~ <@all> &lt;b&gt; \\[x\\](http://a.b)\n' +
      '# 假标题\n> 假引用\n    缩进代码\n- 列表\n1. 列表\n===\n<https://evil.cn>';
    const content = wecomMarkdown(envelope({ community: '幸福里<font color="info">', subject: '【x】[a](http://evil.cn)', body: hostile }));
    const lines = content.split('\n');
    expect(lines[0]!.startsWith('## ')).toBe(true);
    expect(content).not.toMatch(/[<>[\]*_`~\\&]/);
    expect(content).not.toMatch(/https?:\/\//);
    expect(content).not.toMatch(/\]\(/);
    for (const line of lines.slice(1)) expect(line).not.toMatch(/^(\s*[#>+=|-]|\s*\d+[.)]| {4})/);
    // Still readable: the words are all there.
    for (const word of ['紧急', '点我领奖', 'evil.cn', '粗', '假标题', '假引用', '缩进代码', '列表']) expect(content).toContain(word);
    expect(content).toContain('＜font color="warning"＞紧急＜/font＞［点我领奖］(http：//evil.cn/x)');
  });

  it('fits 4096 UTF-8 bytes, cut between characters with an ellipsis, heading kept', () => {
    const long = '邻'.repeat(5000); // 15000 bytes
    const content = wecomMarkdown(envelope({ body: long }));
    expect(bytes(content)).toBeLessThanOrEqual(4096);
    expect(bytes(content)).toBeGreaterThan(4096 - 6);
    expect(content.startsWith('## 【幸福里】活动提醒 Event reminder\n')).toBe(true);
    expect(content.endsWith('邻…')).toBe(true);
    expect(Buffer.from(content, 'utf8').toString('utf8')).toBe(content);
  });

  it('never cuts an emoji or a surrogate pair, and counts what escaping adds', () => {
    for (let pad = 0; pad < 4; pad += 1) {
      const content = wecomMarkdown(envelope({ body: `${'a'.repeat(pad)}${'👨‍👩‍👧😀'.repeat(400)}` }));
      expect(bytes(content)).toBeLessThanOrEqual(4096);
      expect(content).not.toMatch(loneSurrogate);
      expect(content).toMatch(/(😀|👨‍👩‍👧)…$/u);
    }
    const angles = wecomMarkdown(envelope({ body: '<'.repeat(4000) })); // 4000 bytes before, 12000 after
    expect(bytes(angles)).toBeLessThanOrEqual(4096);
    expect(angles.endsWith('＜…')).toBe(true);
  });

  it('leaves a message that fits as it is', () => {
    const content = wecomMarkdown(envelope());
    expect(content.endsWith('(understaffed).')).toBe(true);
    expect(content).not.toContain('…');
  });

  it('fits and carries no markup whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.string({ maxLength: 300 }), fc.string({ maxLength: 50 }), (body, subject, community) => {
        const content = wecomMarkdown({ body, subject, community });
        expect(bytes(content)).toBeLessThanOrEqual(4096);
        expect(content).not.toMatch(loneSurrogate);
        expect(content.startsWith('## ')).toBe(true);
        expect(content).not.toMatch(/[<>[\]*_`~\\&]/);
        for (const line of content.split('\n').slice(1)) expect(line).not.toMatch(/^\s*[#>]/);
      }),
      { numRuns: 200 },
    );
  });
});

/** The failure `deliver` ends in, checked to be a DeliveryError that quotes no key anywhere. */
async function failure(attempt: Promise<unknown>, keys: string[] = [KEY]): Promise<DeliveryError> {
  const error = await attempt.then(
    () => {
      throw new Error('expected the delivery to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const failed = error as DeliveryError;
  const shown = [failed.code, failed.message, failed.stack ?? '', String(failed), JSON.stringify(failed), String(failed.cause ?? '')].join('\n');
  for (const key of keys) {
    expect(shown).not.toContain(key);
    expect(shown).not.toContain(key.slice(0, 8));
    expect(shown).not.toContain(key.slice(-12));
  }
  expect(failed.code).toMatch(/^wecom:[a-z0-9-]+$/);
  expect(failed.message).toBe(failed.code);
  return failed;
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

describe('the 企业微信 robot adapter', () => {
  let fake: FakeWecom;
  beforeEach(async () => {
    fake = await startFakeWecom();
  });
  afterEach(() => fake.stop());

  it('posts the event as a markdown message to the robot with that key', async () => {
    const robot = wecomRobot({ base: fake.base });
    expect(robot.name).toBe('wecom');
    await robot.deliver(envelope());
    expect(fake.messages).toHaveLength(1);
    const [message] = fake.messages;
    expect(message!.key).toBe(KEY);
    expect(message!.body.msgtype).toBe('markdown');
    expect(message!.body.markdown.content).toContain('端午包粽子');
    expect(message!.body.markdown.content).toBe(wecomMarkdown(envelope()));
  });

  it('builds the address from the base and the key alone', async () => {
    const urls: string[] = [];
    const inits: RequestInit[] = [];
    const robot = wecomRobot({
      base: 'https://robot.test/',
      fetch: async (input, init) => {
        urls.push(String(input));
        inits.push(init!);
        return new Response('{"errcode":0,"errmsg":"ok"}');
      },
    });
    await robot.deliver(envelope());
    expect(urls).toEqual([`https://robot.test/cgi-bin/webhook/send?key=${KEY}`]);
    expect(inits[0]).toMatchObject({ method: 'POST', redirect: 'error' });
    expect(inits[0]!.signal).toBeInstanceOf(AbortSignal);
    expect(JSON.parse(String(inits[0]!.body))).toEqual({ msgtype: 'markdown', markdown: { content: wecomMarkdown(envelope()) } });
  });

  it('sends to qyapi.weixin.qq.com unless told otherwise', async () => {
    const urls: string[] = [];
    await wecomRobot({ fetch: async (input) => (urls.push(String(input)), new Response('{"errcode":0}')) }).deliver(envelope());
    expect(urls).toEqual([`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`]);
  });

  it("refuses an address that is not a robot key without sending anything (it could steer the request's path)", async () => {
    for (const address of ['../../evil', `${KEY}&x=1`, `${KEY}#`, 'x'.repeat(36), '']) {
      const error = await failure(wecomRobot({ base: fake.base }).deliver(envelope({ address })));
      expect(error).toMatchObject({ code: 'wecom:invalid-key', permanent: true });
    }
    const error = await failure(wecomRobot({ base: fake.base }).deliver(envelope({ channel: 'sms' })));
    expect(error).toMatchObject({ code: 'wecom:wrong-channel', permanent: true });
    expect(fake.messages).toHaveLength(0);
  });

  it('asks for a minute’s pause on 45009, the frequency limit', async () => {
    fake.failNext(45009);
    const error = await failure(wecomRobot({ base: fake.base }).deliver(envelope()));
    expect(error).toMatchObject({ code: 'wecom:45009', permanent: false, retryAfterMs: 60_000 });
    expect(fake.messages).toHaveLength(0);
  });

  it('meets the fake’s own limit of 20 messages a minute per robot as 45009', async () => {
    const robot = wecomRobot({ base: fake.base });
    for (let i = 0; i < 20; i += 1) await robot.deliver(envelope());
    const error = await failure(robot.deliver(envelope()));
    expect(error).toMatchObject({ code: 'wecom:45009', retryAfterMs: 60_000 });
    await robot.deliver(envelope({ address: OTHER_KEY })); // another robot has its own minute
    expect(fake.messages.filter((m) => m.key === KEY)).toHaveLength(20);
    expect(fake.messages.filter((m) => m.key === OTHER_KEY)).toHaveLength(1);
  });

  it('gives up on 93000, an invalid or removed robot key, and on a refused message', async () => {
    for (const errcode of [93000, 93004, 40008, 40058, 45002]) {
      fake.failNext(errcode);
      const error = await failure(wecomRobot({ base: fake.base }).deliver(envelope()));
      expect(error).toMatchObject({ code: `wecom:${errcode}`, permanent: true });
      expect(error.retryAfterMs).toBeUndefined();
    }
  });

  it('retries when 企业微信 is busy', async () => {
    fake.failNext(-1, 2);
    const robot = wecomRobot({ base: fake.base });
    expect(await failure(robot.deliver(envelope()))).toMatchObject({ code: 'wecom:-1', permanent: false });
    expect(await failure(robot.deliver(envelope()))).toMatchObject({ code: 'wecom:-1', permanent: false });
    await robot.deliver(envelope());
    expect(fake.messages).toHaveLength(1);
  });

  it('refuses a redirect: the target is never contacted', async () => {
    let contacted = 0;
    const target = await listen((_, outgoing) => {
      contacted += 1;
      outgoing.end('{"errcode":0,"errmsg":"ok"}');
    });
    try {
      fake.redirectNext(`${target.url}/cgi-bin/webhook/send?key=${KEY}`);
      const error = await failure(wecomRobot({ base: fake.base }).deliver(envelope()));
      expect(error).toMatchObject({ code: 'wecom:redirect', permanent: false });
      expect(contacted).toBe(0);
      expect(fake.messages).toHaveLength(0);
    } finally {
      await close(target.server);
    }
  });

  it('retries on a server error or an answer that is not JSON', async () => {
    const answering = (response: () => Response) => wecomRobot({ fetch: async () => response() });
    expect(await failure(answering(() => new Response('<html>bad gateway</html>', { status: 502 })).deliver(envelope()))).toMatchObject({ code: 'wecom:http-502', permanent: false });
    expect(await failure(answering(() => new Response('{"errcode":0}', { status: 503 })).deliver(envelope()))).toMatchObject({ code: 'wecom:http-503', permanent: false });
    expect(await failure(answering(() => new Response('<html>portal</html>')).deliver(envelope()))).toMatchObject({ code: 'wecom:bad-answer', permanent: false });
    expect(await failure(answering(() => new Response('{"errmsg":"ok"}')).deliver(envelope()))).toMatchObject({ code: 'wecom:bad-answer', permanent: false });
    expect(await failure(answering(() => new Response('')).deliver(envelope()))).toMatchObject({ code: 'wecom:bad-answer', permanent: false });
  });

  it('retries when nothing answers at that address', async () => {
    const gone = await startFakeWecom();
    await gone.stop();
    const error = await failure(wecomRobot({ base: gone.base }).deliver(envelope()));
    expect(error).toMatchObject({ code: 'wecom:network', permanent: false });
  });

  it('gives up waiting after the timeout and retries later', async () => {
    const silent = await listen(() => undefined);
    try {
      const started = performance.now();
      const error = await failure(wecomRobot({ base: silent.url, timeoutMs: 200 }).deliver(envelope()));
      expect(error).toMatchObject({ code: 'wecom:timeout', permanent: false });
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await close(silent.server);
    }
  });

  it("does not pass on a fetch error's text, which quotes the URL and its key", async () => {
    const robot = wecomRobot({
      fetch: async (input) => {
        throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${String(input)}`, {
          cause: new Error(`connect ECONNRESET ${String(input)}`),
        });
      },
    });
    const error = await failure(robot.deliver(envelope()));
    expect(error).toMatchObject({ code: 'wecom:network', permanent: false });
    expect(error.cause).toBeUndefined();
  });
});

describe('the fake robot', () => {
  it('frees a place in its per-minute window as the minute passes', async () => {
    let now = 1_000_000;
    const fake = await startFakeWecom({ now: () => now });
    try {
      const robot = wecomRobot({ base: fake.base });
      for (let i = 0; i < 20; i += 1) {
        now += 1_000;
        await robot.deliver(envelope());
      }
      await failure(robot.deliver(envelope()));
      now += 41_000; // the first message is now a minute old
      await robot.deliver(envelope());
      await failure(robot.deliver(envelope()));
      expect(fake.messages).toHaveLength(21);
    } finally {
      await fake.stop();
    }
  });

  it('answers only POST /cgi-bin/webhook/send with a robot key, and refuses oversized or unknown messages', async () => {
    const fake = await startFakeWecom();
    try {
      const post = (path: string, body: unknown) => fetch(`${fake.base}${path}`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => [r.status, (await r.json()) as { errcode: number }] as const);
      const ok = { msgtype: 'markdown', markdown: { content: 'x' } };
      expect((await post(`/cgi-bin/webhook/send?key=${KEY}`, ok))[1].errcode).toBe(0);
      expect((await post('/cgi-bin/webhook/send?key=nope', ok))[1].errcode).toBe(93000);
      expect((await post(`/cgi-bin/webhook/send?key=${KEY}&x=1`, ok))[1].errcode).toBe(93000);
      expect((await post(`/elsewhere?key=${KEY}`, ok))[0]).toBe(404);
      expect((await post(`/cgi-bin/webhook/send?key=${KEY}`, { msgtype: 'markdown', markdown: { content: '邻'.repeat(1366) } }))[1].errcode).toBe(40058);
      expect((await post(`/cgi-bin/webhook/send?key=${KEY}`, { msgtype: 'voice', voice: {} }))[1].errcode).toBe(40008);
      const get = await fetch(`${fake.base}/cgi-bin/webhook/send?key=${KEY}`);
      expect(get.status).toBe(405);
      expect(fake.messages).toHaveLength(1);
    } finally {
      await fake.stop();
    }
  });
});
