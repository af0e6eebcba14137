/**
 * The console's sign-in (web/js/cognito.js) against Cognito's fixed paths and against an OpenID
 * Connect provider's discovery document, in a stand-in browser: window, location, history,
 * sessionStorage and fetch are globals here, as they are in the page.
 */
type Json = Record<string, any>;

const issuer = 'https://id.example.cn/oidc';
const discovery = {
  issuer,
  authorization_endpoint: 'https://id.example.cn/oidc/auth',
  token_endpoint: 'https://id.example.cn/oidc/token',
  end_session_endpoint: 'https://id.example.cn/oidc/session/end',
};

let assigned: string[];
let fetched: { url: string; init?: Json }[];
let answers: Record<string, () => { ok: boolean; body: unknown }>;
let store: Map<string, string>;

function browserAt(search = ''): void {
  assigned = [];
  fetched = [];
  store ??= new Map();
  Object.assign(globalThis, {
    window: globalThis,
    location: { origin: 'https://linli.example.cn', pathname: '/', search, assign: (url: string) => assigned.push(url) },
    history: { replaceState: () => undefined },
    sessionStorage: {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => store.set(key, value),
      removeItem: (key: string) => store.delete(key),
    },
    fetch: async (url: string, init?: Json) => {
      fetched.push({ url, init });
      const answer = answers[url]?.() ?? { ok: false, body: {} };
      return { ok: answer.ok, json: async () => answer.body };
    },
  });
}

/** The settings index.html's data block carries (web/js/site-config.js reads them from the page). */
function configure(settings: Json): void {
  (globalThis as Json).document = { getElementById: (id: string) => (id === 'linli-config' ? { textContent: JSON.stringify(settings) } : null) };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const login = () => require('../../../web/js/cognito.js') as Json;

beforeEach(() => {
  store = new Map();
  answers = {
    [`${issuer}/.well-known/openid-configuration`]: () => ({ ok: true, body: discovery }),
    [discovery.token_endpoint]: () => ({ ok: true, body: { id_token: 'header.payload.signature' } }),
  };
  browserAt();
});

describe('with an OpenID Connect provider (login: oidc)', () => {
  beforeEach(() => {
    configure({
      cognito: { login: 'oidc', issuer: `${issuer}/`, clientId: 'linli-console', redirectUri: 'https://linli.example.cn/' },
    });
  });

  it('sends the organiser to the authorization endpoint the discovery document names, with PKCE', async () => {
    await login().startHostedLogin();
    expect(fetched.map(({ url }) => url)).toEqual([`${issuer}/.well-known/openid-configuration`]);
    const url = new URL(assigned[0]!);
    expect(`${url.origin}${url.pathname}`).toBe(discovery.authorization_endpoint);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'linli-console',
      redirect_uri: 'https://linli.example.cn/',
      code_challenge_method: 'S256',
    });
  });

  it('exchanges the code at the token endpoint for the ID token, and signs out at the end-session endpoint', async () => {
    await login().startHostedLogin();
    const state = new URL(assigned[0]!).searchParams.get('state');
    const token = await login().finishHostedLogin({ code: 'the-code', state });
    expect(token).toBe('header.payload.signature');
    const exchange = fetched.find(({ url }) => url === discovery.token_endpoint)!;
    expect(Object.fromEntries(new URLSearchParams(exchange.init!.body as URLSearchParams))).toMatchObject({
      grant_type: 'authorization_code',
      code: 'the-code',
      client_id: 'linli-console',
    });
    login().endHostedSession();
    expect(assigned.at(-1)).toBe(
      `${discovery.end_session_endpoint}?client_id=linli-console&post_logout_redirect_uri=${encodeURIComponent('https://linli.example.cn/')}`,
    );
  });

  it('refuses a discovery document of another issuer, and says so when there is none', async () => {
    answers[`${issuer}/.well-known/openid-configuration`] = () => ({ ok: true, body: { ...discovery, issuer: 'https://evil.example' } });
    await expect(login().startHostedLogin()).rejects.toMatchObject({ code: 'loginRefused' });
    answers[`${issuer}/.well-known/openid-configuration`] = () => ({ ok: false, body: {} });
    await expect(login().startHostedLogin()).rejects.toMatchObject({ code: 'network' });
    expect(assigned).toEqual([]);
  });
});

describe('with Cognito (login: cognito, or a config without login)', () => {
  it('uses the hosted login’s own paths, reading no discovery document', async () => {
    const domain = 'https://linli-dev-123456789012.auth.ap-east-1.amazoncognito.com';
    configure({ cognito: { domain, clientId: 'abc', redirectUri: 'https://linli.example.org/' } });
    expect(login().cognitoConfig()).toMatchObject({ login: 'cognito', domain });
    await login().startHostedLogin();
    expect(new URL(assigned[0]!).pathname).toBe('/oauth2/authorize');
    expect(fetched).toEqual([]);
    login().endHostedSession();
    expect(assigned.at(-1)).toMatch(new RegExp(`^${domain}/logout\\?client_id=abc&logout_uri=`));
  });

  it('is off without a login (the console takes a pasted token)', () => {
    configure({ cognito: null });
    expect(login().cognitoConfig()).toBeNull();
  });
});
