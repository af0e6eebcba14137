// A volunteer's phone (志愿者): the volunteer code kept on it, the pickup codes it has shown, and the
// words for teams (the teams themselves are in glossary.js), hours-log states and points-ledger entries.

import { named } from './i18n.js';

const TOKEN_KEY = 'linli.volunteerToken';
const PICKUPS_KEY = 'linli.pickupCodes';
const MAX_PICKUPS = 20;

/** Where storage is refused (private browsing), the code lasts for this page load only. */
let inMemory = null;

export function storedToken() {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? inMemory;
  } catch {
    return inMemory;
  }
}

export function keepToken(token) {
  inMemory = token;
  try {
    localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage full or disabled: signed in until the page is closed.
  }
}

/** Signing out on this phone: the code and the pickup codes it remembered go. */
export function forgetToken() {
  inMemory = null;
  try {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(PICKUPS_KEY);
  } catch {
    // Nothing was stored.
  }
}

/**
 * The volunteer code in what was pasted: the code itself, or a whole QR-code link that holds it
 * (…#/volunteer/vt_…). Null when there is none.
 */
export function tokenIn(text) {
  return /vt_[A-Za-z0-9_-]+/.exec(String(text ?? ''))?.[0] ?? null;
}

function pickups() {
  try {
    const map = JSON.parse(localStorage.getItem(PICKUPS_KEY) ?? '{}');
    return map && typeof map === 'object' && !Array.isArray(map) ? map : {};
  } catch {
    return {};
  }
}

/** The API shows a pickup code once: this phone keeps the latest few, to show beside their ledger entries. */
export function rememberPickup(redemption) {
  const kept = Object.entries({ ...pickups(), [redemption.id]: redemption.pickupCode }).slice(-MAX_PICKUPS);
  try {
    localStorage.setItem(PICKUPS_KEY, JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // The code is still on the screen to write down.
  }
}

export const pickupCodeOf = (redemptionId) => pickups()[redemptionId] ?? null;

/** 惠邻便民队 / Neighbourly Services team */
export const teamName = (team) => named('teams', team);

/** An hours log's state in words (服务中 / 待审核 / 已通过 / 未通过) and the colour of its badge. */
export function logState(status) {
  const kind = { open: 'ok', pending: 'full', approved: 'ok', rejected: 'cancelled' }[status] ?? 'closed';
  return { kind, text: named('logStatus', status) };
}

/** 志愿服务获得 / 积分超市兑换 / … */
export const ledgerKindText = (kind) => named('ledgerKinds', kind);

/** The organiser's latest note on a log (approving with changed minutes, rejecting, entering it by hand). */
export function organiserNote(log) {
  return [...(log.decisions ?? [])].reverse().find((decision) => decision.note)?.note ?? null;
}
