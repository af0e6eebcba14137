// Signing organisers in on AWS: the authorization-code flow with PKCE (a public client, no secret),
// at Cognito's hosted login or at any OpenID Connect provider (where Cognito is absent, as in AWS's
// China regions). The site's settings' cognito (js/site-config.js) turns it on:
//   { login: 'cognito', domain, clientId, redirectUri }: Cognito's /oauth2/authorize, /oauth2/token, /logout;
//   { login: 'oidc', issuer, clientId, redirectUri }: the endpoints the issuer's discovery document
//     (<issuer>/.well-known/openid-configuration) names: authorization_endpoint, token_endpoint and,
//     if it has one, end_session_endpoint.
// Without it the console takes a pasted token (`npm run token` locally).
//
//   console ──(1) authorize?code_challenge=S256(verifier)&state──► login page
//   console ◄─(2) redirectUri?code&state ──────────────────────────── (query string: removed at once)
//   console ──(3) POST token: code + verifier ──────────────────────► { id_token, … }
//
// The ID token is the bearer: only it carries the community claim (Cognito's access token does not).

import { SIGNED_OUT_KEY } from './login-answer.js';
import { siteConfig } from './site-config.js';

const PKCE_KEY = 'linli.pkce';
const SCOPES = 'openid email profile';

/** The OIDC provider's endpoints, kept for this tab once read (the sign-out needs them at once). */
const DISCOVERY_KEY = 'linli.oidcDiscovery';

/** The login's settings, or null when this deployment has none (local mode). */
export function cognitoConfig() {
  const cognito = siteConfig().cognito;
  if (!cognito?.clientId) return null;
  const login = cognito.login === 'oidc' ? 'oidc' : 'cognito';
  const base = login === 'oidc' ? cognito.issuer : cognito.domain;
  if (!base) return null;
  return {
    login,
    // domain: Cognito's hosted login; issuer: the OIDC provider's `iss`, without a trailing slash.
    [login === 'oidc' ? 'issuer' : 'domain']: String(base).replace(/\/+$/, ''),
    clientId: String(cognito.clientId),
    redirectUri: String(cognito.redirectUri || `${location.origin}${location.pathname}`),
  };
}

/**
 * Where to send the organiser, where to exchange the code, where to end the session: Cognito's
 * fixed paths, or what the issuer's discovery document says. Rejects with 'network' when the
 * document cannot be read, 'loginRefused' when it is not the issuer's.
 */
export async function loginEndpoints(config = cognitoConfig()) {
  if (config.login !== 'oidc') {
    return {
      authorize: `${config.domain}/oauth2/authorize`,
      token: `${config.domain}/oauth2/token`,
      endSession: `${config.domain}/logout`,
    };
  }
  const cached = readDiscovery(config.issuer);
  if (cached) return cached;
  let document;
  try {
    const response = await fetch(`${config.issuer}/.well-known/openid-configuration`, { cache: 'no-store', credentials: 'omit' });
    if (!response.ok) throw failure('network');
    document = await response.json();
  } catch {
    throw failure('network');
  }
  // A document for another issuer, or endpoints that are not https, are not this deployment's.
  const https = (url) => typeof url === 'string' && url.startsWith('https://');
  if (String(document.issuer ?? '').replace(/\/+$/, '') !== config.issuer || !https(document.authorization_endpoint) || !https(document.token_endpoint)) {
    throw failure('loginRefused');
  }
  const endpoints = {
    authorize: document.authorization_endpoint,
    token: document.token_endpoint,
    endSession: https(document.end_session_endpoint) ? document.end_session_endpoint : null,
  };
  try {
    sessionStorage.setItem(DISCOVERY_KEY, JSON.stringify({ issuer: config.issuer, endpoints }));
  } catch {
    // Private browsing without storage: the document is read again next time.
  }
  return endpoints;
}

function readDiscovery(issuer) {
  try {
    const kept = JSON.parse(sessionStorage.getItem(DISCOVERY_KEY) ?? 'null');
    return kept?.issuer === issuer ? kept.endpoints : null;
  } catch {
    return null;
  }
}

const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomText = (size) => base64url(crypto.getRandomValues(new Uint8Array(size)));

/** (1) Off to the login page, with a fresh verifier and state kept in this tab for the way back. */
export async function startHostedLogin() {
  const cognito = cognitoConfig();
  const endpoints = await loginEndpoints(cognito);
  const verifier = randomText(48);
  const state = randomText(24);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: cognito.clientId,
    redirect_uri: cognito.redirectUri,
    scope: SCOPES,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${endpoints.authorize}${endpoints.authorize.includes('?') ? '&' : '?'}${params}`);
}

// (2) The hosted login's answer: takeLoginAnswer() in login-answer.js, small enough for every page load.
export { takeLoginAnswer } from './login-answer.js';

/**
 * (3) The code for tokens: the ID token, or an Error whose `code` says what went wrong
 * ('loginRefused' for a refusal or an answer that is not ours, 'network' for no answer).
 */
export async function finishHostedLogin(answer) {
  const cognito = cognitoConfig();
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null');
  } catch {
    pending = null;
  }
  sessionStorage.removeItem(PKCE_KEY);
  // A code that this tab did not ask for (another tab's, or a forged link) is refused.
  if (!cognito || answer.error || !answer.code || !pending || pending.state !== answer.state) throw failure('loginRefused');
  const endpoints = await loginEndpoints(cognito);
  let response;
  try {
    response = await fetch(endpoints.token, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: cognito.clientId,
        code: answer.code,
        redirect_uri: cognito.redirectUri,
        code_verifier: pending.verifier,
      }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw failure('network');
  }
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || typeof tokens.id_token !== 'string') throw failure('loginRefused');
  return tokens.id_token;
}

/**
 * After signing out here: the login's own session ends too, then it comes back to the console.
 * An OIDC provider is sent there only if its discovery document (read at sign-in) named an
 * end_session_endpoint (RP-initiated logout); otherwise the sign-out is this console's alone.
 */
export function endHostedSession() {
  const cognito = cognitoConfig();
  if (!cognito) return;
  let url;
  if (cognito.login === 'oidc') {
    const endSession = readDiscovery(cognito.issuer)?.endSession;
    if (!endSession) return;
    const params = new URLSearchParams({ client_id: cognito.clientId, post_logout_redirect_uri: cognito.redirectUri });
    url = `${endSession}${endSession.includes('?') ? '&' : '?'}${params}`;
  } else {
    const params = new URLSearchParams({ client_id: cognito.clientId, logout_uri: cognito.redirectUri });
    url = `${cognito.domain}/logout?${params}`;
  }
  sessionStorage.setItem(SIGNED_OUT_KEY, '1');
  location.assign(url);
}

function failure(code) {
  const error = new Error(code);
  error.code = code;
  return error;
}
