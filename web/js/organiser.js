// An organiser's session in the console (组织者): the JWT kept for this browser tab only, what its
// claims say (for display and routing; the API checks the token itself), and the words for the
// states of events, redemptions and messages.

import { h } from './dom.js';
import { named } from './i18n.js';
import { siteConfig } from './site-config.js';

/**
 * sessionStorage, not localStorage: the community room's laptop is shared, and closing the tab (or
 * the browser) signs out. Only the token is kept, never in an address or a log.
 */
const SESSION_KEY = 'linli.organiserSession';
/** Where errorText looks first for the console's words. */
export const CONSOLE_SCOPE = 'console.errors';
/** The token's claim naming the organiser's community: Cognito's by default, the OIDC provider's where the stack says so. */
const COMMUNITY_CLAIM = siteConfig().cognito?.communityClaim ?? 'custom:communityId';
const COMMUNITY_ID = /^[a-z0-9-]{2,40}$/;

/** Where storage is refused (private browsing), the session lasts for this page load only. */
let inMemory = null;

/**
 * The claims of a JWT, read without checking its signature (the API does that on every call).
 * Null when the text is not a JWT at all.
 */
function readClaims(jwt) {
  const parts = String(jwt ?? '').split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (char) => char.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : null;
  } catch {
    return null;
  }
}

/** The JWT in what was pasted (the token alone, or a line with it and more around it); null when there is none. */
export function jwtIn(text) {
  return /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/.exec(String(text ?? ''))?.[0] ?? null;
}

/**
 * What the console needs from a token: { token, communityId, expiresAt (ms or null), method }, or a
 * reason it cannot be used: { problem: 'notToken' | 'noCommunity' | 'expired' }.
 * `method`: 'token' (pasted) or 'cognito' (hosted login), to sign out the right way.
 */
export function sessionFrom(token, method = 'token', now = Date.now()) {
  const claims = token ? readClaims(token) : null;
  if (!claims) return { problem: 'notToken' };
  const communityId = claims[COMMUNITY_CLAIM];
  if (typeof communityId !== 'string' || !COMMUNITY_ID.test(communityId)) return { problem: 'noCommunity' };
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  if (expiresAt !== null && expiresAt <= now) return { problem: 'expired' };
  return { token, communityId, expiresAt, method };
}

export function storedSession() {
  let kept = inMemory;
  try {
    kept = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') ?? inMemory;
  } catch {
    // Storage disabled or a broken entry: what this page load knows.
  }
  if (!kept?.token) return null;
  const session = sessionFrom(kept.token, kept.method);
  return session.problem ? null : session;
}

export function keepSession(session) {
  inMemory = { token: session.token, method: session.method };
  try {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(inMemory));
  } catch {
    // Signed in until this page is closed.
  }
}

/** Where the hosted login should come back to when it was started from another page than the console (the kiosk). */
const RETURN_KEY = 'linli.afterSignIn';
/** Only the pages' own routes: never an address elsewhere. */
const OWN_ROUTE = /^#\/c\/[a-z0-9-]{2,40}\/kiosk$/;

export function rememberReturn(route) {
  try {
    sessionStorage.setItem(RETURN_KEY, route);
  } catch {
    // The console it is, then.
  }
}

/** The page to go back to after the hosted login (once), or null for the console. */
export function takeReturn() {
  try {
    const route = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    return route && OWN_ROUTE.test(route) ? route : null;
  } catch {
    return null;
  }
}

export function forgetSession() {
  inMemory = null;
  try {
    sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // Nothing was stored.
  }
}

/** The console's address for a section and its parts: consoleHash('events', id, 'edit'). */
export const consoleHash = (...segments) => `#/${['console', ...segments].map(encodeURIComponent).join('/')}`;

/** A telephone number to call with one tap. */
export const phoneLink = (phone) => (phone ? h('a', { href: `tel:${phone}`, class: 'phone' }, phone) : null);

/** The words for `table.value` in the console's strings, or the value as it came when there are none. */
export const consoleWord = (table, value) => named(`console.${table}`, value);

/** An event's state for its badge: 草稿 / 已发布 / 已取消. */
export function eventStatus(event) {
  const kind = { draft: 'closed', published: 'ok', cancelled: 'cancelled' }[event.status] ?? 'closed';
  return { kind, text: consoleWord('eventStatus', event.status) };
}

/** A message's delivery state for its badge: 待发送 / 已发送 / 发送失败. */
export function messageStatus(status) {
  const kind = { pending: 'full', sending: 'full', sent: 'ok', failed: 'cancelled' }[status] ?? 'closed';
  return { kind, text: consoleWord('messageStatus', status) };
}

/** "2026-11": the month of an instant in the community's time zone, as the hours report takes it. */
export function monthOf(instant, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date(instant)).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}`;
}

/** The month `delta` months from "YYYY-MM". */
export function shiftMonth(month, delta) {
  const [year, number] = month.split('-').map(Number);
  const index = year * 12 + (number - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The whole settings body for PUT (it replaces them all): what they are now, with `changes`. */
export function settingsBody(settings, changes = {}) {
  return {
    name: settings.name,
    timezone: settings.timezone,
    pointsPerHour: settings.pointsPerHour,
    reminderOffsetsMinutes: settings.reminderOffsetsMinutes,
    organiserContacts: settings.organiserContacts,
    // Masked as the API shows it: sent back so, the robot is kept.
    wecomWebhookUrl: settings.wecomWebhookUrl ?? null,
    verifyPhone: settings.verifyPhone ?? false,
    checkInProof: settings.checkInProof ?? 'none',
    ...changes,
  };
}

/** A problem whose field errors name the form's fields ("organiserContacts.1" is the organiserContacts field). */
export function problemByField(problem) {
  const errors = (problem.errors ?? []).map((error) => ({ ...error, path: String(error.path ?? '').split('.')[0] }));
  return { ...problem, errors: errors.filter((error, index) => errors.findIndex((other) => other.path === error.path) === index) };
}
