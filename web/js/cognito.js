// Signing organisers in through Cognito's hosted login on AWS: the authorization-code flow with PKCE
// (a public client, no secret). window.LINLI_CONFIG.cognito = { domain, clientId, redirectUri } turns
// it on; without it the console takes a pasted token (`npm run token` locally).
//
//   console ──(1) /oauth2/authorize?code_challenge=S256(verifier)&state──► hosted login
//   console ◄─(2) redirectUri?code&state ─────────────────────────────────── (query string: removed at once)
//   console ──(3) POST /oauth2/token code + verifier ─────────────────────► { id_token, … }
//
// The ID token is the bearer: only it carries custom:communityId (the access token does not).

const PKCE_KEY = 'linli.pkce';
/** Set while the hosted login signs out, so that the page it comes back to is the console's sign-in. */
const SIGNED_OUT_KEY = 'linli.hostedSignOut';
const SCOPES = 'openid email profile';

/** The hosted login's settings, or null when this deployment has none (local mode). */
export function cognitoConfig() {
  const cognito = (window.LINLI_CONFIG ?? {}).cognito;
  if (!cognito?.domain || !cognito?.clientId) return null;
  return {
    domain: String(cognito.domain).replace(/\/+$/, ''),
    clientId: String(cognito.clientId),
    redirectUri: String(cognito.redirectUri || `${location.origin}${location.pathname}`),
  };
}

const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomText = (size) => base64url(crypto.getRandomValues(new Uint8Array(size)));

/** (1) Off to the hosted login, with a fresh verifier and state kept in this tab for the way back. */
export async function startHostedLogin() {
  const cognito = cognitoConfig();
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
  location.assign(`${cognito.domain}/oauth2/authorize?${params}`);
}

/**
 * (2) The hosted login's answer, if this page load is one: { code, state, error }. The code and state
 * leave the address bar (and the history) before anything else happens. Back from signing out:
 * { signedOut: true }. Null on an ordinary load.
 */
export function takeLoginAnswer() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return cameBackFromSignOut() ? { signedOut: true } : null;
  history.replaceState(null, '', `${location.pathname}#/console`);
  return { code: params.get('code'), state: params.get('state'), error: params.get('error') };
}

function cameBackFromSignOut() {
  try {
    if (!sessionStorage.getItem(SIGNED_OUT_KEY)) return false;
    sessionStorage.removeItem(SIGNED_OUT_KEY);
  } catch {
    return false;
  }
  history.replaceState(null, '', `${location.pathname}#/console`);
  return true;
}

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
  let response;
  try {
    response = await fetch(`${cognito.domain}/oauth2/token`, {
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

/** After signing out here: the hosted login's own session ends too, then it comes back to the console. */
export function endHostedSession() {
  const cognito = cognitoConfig();
  if (!cognito) return;
  const params = new URLSearchParams({ client_id: cognito.clientId, logout_uri: cognito.redirectUri });
  sessionStorage.setItem(SIGNED_OUT_KEY, '1');
  location.assign(`${cognito.domain}/logout?${params}`);
}

function failure(code) {
  const error = new Error(code);
  error.code = code;
  return error;
}
