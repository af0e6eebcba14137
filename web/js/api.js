// The API calls the pages make: the residents' public ones, a volunteer's own (with the volunteer
// code in the Authorization header, and nowhere else) and an organiser's (the console, with the
// organiser's JWT in that header too). Errors become ApiError with the problem's `code`.

import { siteConfig } from './site-config.js';

const BASE = String(siteConfig().apiBaseUrl ?? '').replace(/\/+$/, '');
/** Attempts after the first for a lost connection, a 503 or a short 429 (about 15 s in all). */
const RETRIES = 4;
/** A 429 whose Retry-After is longer than this is an answer for the person, not a retry. */
const MAX_RETRY_AFTER_S = 10;

export class ApiError extends Error {
  /** @param {string} code problem `code`, or 'network' when no answer came back */
  constructor(code, status = 0, problem = {}) {
    super(problem.detail ?? problem.title ?? code);
    this.code = code;
    this.status = status;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

const seg = (value) => encodeURIComponent(value);

/** `?a=1&b=2` from the values that are set, or ''. */
function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full jitter: a random pause up to the bound, so a crowd retrying does not arrive together again. */
const jittered = (boundMs) => wait(Math.random() * boundMs);

/** How long to wait before retrying an answer, or undefined when it is final. */
function retryDelay(response, attempt) {
  if (response.status !== 503 && response.status !== 429) return undefined;
  const after = Number(response.headers.get('Retry-After'));
  const seconds = Number.isFinite(after) && after > 0 ? after : 1;
  if (response.status === 429 && seconds > MAX_RETRY_AFTER_S) return undefined;
  return Math.min(seconds * 1000, 5000) + Math.random() * 250 * (attempt + 1);
}

/** Tells the page that a call is being retried, so it can say it is still trying. */
function announceRetry(attempt) {
  window.dispatchEvent(new CustomEvent('linli:retrying', { detail: { attempt } }));
}

/**
 * One call. A lost connection, a 503 or a short 429 is retried with jitter with the same request
 * (and so the same Idempotency-Key): the server answers a repeat with the first answer and never
 * applies it twice, so a retried POST can never register twice. Each retry is announced
 * (`linli:retrying`). `as: 'blob'`: the answer as a file (a calendar) rather than JSON.
 */
async function request(method, path, { body, headers = {}, as = 'json' } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, cache: 'no-store', credentials: 'omit' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await fetch(`${BASE}${path}`, init);
    } catch {
      if (attempt < RETRIES) {
        announceRetry(attempt + 1);
        await jittered(500 * 2 ** attempt);
        continue;
      }
      throw new ApiError('network');
    }
    const delay = attempt < RETRIES ? retryDelay(response, attempt) : undefined;
    if (delay !== undefined) {
      announceRetry(attempt + 1);
      await wait(delay);
      continue;
    }
    if (response.ok && as === 'blob') return response.blob();
    const data = await response.json().catch(() => ({}));
    if (response.ok) return data;
    throw new ApiError(typeof data.code === 'string' ? data.code : 'unknown', response.status, data);
  }
}

export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Where a volunteer's shifts on an evening ({ slotId }) or a festival ({ eventId }) are. */
const shiftPath = (c, target) =>
  target.slotId ? `/communities/${seg(c)}/slots/${seg(target.slotId)}/shifts` : `/communities/${seg(c)}/events/${seg(target.eventId)}/shifts`;

/** A volunteer's or an organiser's credential: only ever this header, never a URL (nor a query string, nor a log). */
const bearer = (token, headers = {}) => ({ Authorization: `Bearer ${token}`, ...headers });

export const api = {
  community: (c) => request('GET', `/communities/${seg(c)}`),
  events: (c, cursor) => request('GET', `/communities/${seg(c)}/events${cursor ? `?cursor=${seg(cursor)}` : ''}`),
  event: (c, eventId) => request('GET', `/communities/${seg(c)}/events/${seg(eventId)}`),
  /** Published events between two dates or instants (a volunteer's page looks for festivals that need volunteers). */
  eventsBetween: (c, { from, to, cursor, limit } = {}) => request('GET', `/communities/${seg(c)}/events${query({ from, to, cursor, limit })}`),
  register: (c, eventId, body, idempotencyKey) =>
    request('POST', `/communities/${seg(c)}/events/${seg(eventId)}/registrations`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  registration: (c, eventId, id, token) =>
    request('GET', `/communities/${seg(c)}/events/${seg(eventId)}/registrations/${seg(id)}`, {
      headers: { 'X-Manage-Token': token },
    }),
  verifyRegistration: (c, eventId, id, token, code) =>
    request('POST', `/communities/${seg(c)}/events/${seg(eventId)}/registrations/${seg(id)}/verify`, {
      body: { code },
      headers: { 'X-Manage-Token': token },
    }),
  cancelRegistration: (c, eventId, id, token) =>
    request('DELETE', `/communities/${seg(c)}/events/${seg(eventId)}/registrations/${seg(id)}`, {
      headers: { 'X-Manage-Token': token },
    }),

  // The evening help desk (每晚一小时延时服务).
  slots: (c, { from, to, cursor, limit } = {}) => request('GET', `/communities/${seg(c)}/slots${query({ from, to, cursor, limit })}`),
  bookHelp: (c, slotId, body, idempotencyKey) =>
    request('POST', `/communities/${seg(c)}/slots/${seg(slotId)}/requests`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  helpRequest: (c, slotId, id, token) =>
    request('GET', `/communities/${seg(c)}/slots/${seg(slotId)}/requests/${seg(id)}`, {
      headers: { 'X-Manage-Token': token },
    }),
  verifyHelpRequest: (c, slotId, id, token, code) =>
    request('POST', `/communities/${seg(c)}/slots/${seg(slotId)}/requests/${seg(id)}/verify`, {
      body: { code },
      headers: { 'X-Manage-Token': token },
    }),
  cancelHelpRequest: (c, slotId, id, token) =>
    request('DELETE', `/communities/${seg(c)}/slots/${seg(slotId)}/requests/${seg(id)}`, {
      headers: { 'X-Manage-Token': token },
    }),

  // Work orders (派单): a resident reports a problem, follows it with the manage token, and rates it once resolved.
  reportProblem: (c, body, idempotencyKey) =>
    request('POST', `/communities/${seg(c)}/work-orders`, { body, headers: { 'Idempotency-Key': idempotencyKey } }),
  workOrder: (c, id, token) => request('GET', `/communities/${seg(c)}/work-orders/${seg(id)}`, { headers: { 'X-Manage-Token': token } }),
  verifyWorkOrder: (c, id, token, code) =>
    request('POST', `/communities/${seg(c)}/work-orders/${seg(id)}/verify`, { body: { code }, headers: { 'X-Manage-Token': token } }),
  rateWorkOrder: (c, id, token, body, idempotencyKey) =>
    request('POST', `/communities/${seg(c)}/work-orders/${seg(id)}/feedback`, { body, headers: { 'X-Manage-Token': token, 'Idempotency-Key': idempotencyKey } }),

  // Micro-wishes (微心愿): a resident posts one and follows it with the manage token; the wall shows them to all.
  postWish: (c, body, idempotencyKey) => request('POST', `/communities/${seg(c)}/wishes`, { body, headers: { 'Idempotency-Key': idempotencyKey } }),
  wish: (c, id, token) => request('GET', `/communities/${seg(c)}/wishes/${seg(id)}`, { headers: { 'X-Manage-Token': token } }),
  verifyWish: (c, id, token, code) =>
    request('POST', `/communities/${seg(c)}/wishes/${seg(id)}/verify`, { body: { code }, headers: { 'X-Manage-Token': token } }),
  /** The wall: published, adopted and fulfilled wishes, with no names or phones. */
  wishWall: (c, { status, cursor, limit } = {}) => request('GET', `/communities/${seg(c)}/wishes${query({ status, cursor, limit })}`),

  // A volunteer's own pages (志愿者): profile, shifts, check-in and out, hours, points, the points supermarket.
  me: (token) => request('GET', '/me', { headers: bearer(token) }),
  myShifts: (token) => request('GET', '/me/shifts', { headers: bearer(token) }),
  myHours: (token, { cursor, limit } = {}) => request('GET', `/me/hours${query({ cursor, limit })}`, { headers: bearer(token) }),
  myPoints: (token, { cursor, limit } = {}) => request('GET', `/me/points${query({ cursor, limit })}`, { headers: bearer(token) }),
  myCalendar: (token) => request('GET', '/me/calendar.ics', { headers: bearer(token, { Accept: 'text/calendar' }), as: 'blob' }),
  /** `target`: { slotId } or { eventId }, and `deskCode` where the community asks for the kiosk's code. */
  checkIn: (token, target, idempotencyKey) =>
    request('POST', '/me/check-ins', { body: target, headers: bearer(token, { 'Idempotency-Key': idempotencyKey }) }),
  /** `target`: { slotId } or { eventId }: take a shift on an evening of the help desk or a festival. */
  takeShift: (token, c, target, idempotencyKey) =>
    request('POST', shiftPath(c, target), { headers: bearer(token, { 'Idempotency-Key': idempotencyKey }) }),
  giveBackShift: (token, c, target) => request('DELETE', `${shiftPath(c, target)}/me`, { headers: bearer(token) }),
  checkOut: (token, idempotencyKey) =>
    request('POST', '/me/check-outs', { headers: bearer(token, { 'Idempotency-Key': idempotencyKey }) }),
  catalogue: (c) => request('GET', `/communities/${seg(c)}/catalogue`),
  redeem: (token, body, idempotencyKey) =>
    request('POST', '/me/redemptions', { body, headers: bearer(token, { 'Idempotency-Key': idempotencyKey }) }),
  /** Work orders dispatched to my team and not yet taken, and those I took. */
  myWorkOrders: (token, { cursor, limit } = {}) => request('GET', `/me/work-orders${query({ cursor, limit })}`, { headers: bearer(token) }),
  /** 巡查上报: a problem found on a round. */
  reportOnRound: (token, body, idempotencyKey) =>
    request('POST', '/me/work-orders', { body, headers: bearer(token, { 'Idempotency-Key': idempotencyKey }) }),
  acceptWorkOrder: (token, c, id, idempotencyKey) =>
    request('POST', `/communities/${seg(c)}/work-orders/${seg(id)}/accept`, { headers: bearer(token, { 'Idempotency-Key': idempotencyKey }) }),
  resolveWorkOrder: (token, c, id, body, idempotencyKey) =>
    request('POST', `/communities/${seg(c)}/work-orders/${seg(id)}/resolve`, { body, headers: bearer(token, { 'Idempotency-Key': idempotencyKey }) }),
  /** Published wishes anyone may adopt, and those I adopted (adoptedByMe). */
  myWishes: (token, { cursor, limit } = {}) => request('GET', `/me/wishes${query({ cursor, limit })}`, { headers: bearer(token) }),
  adoptWish: (token, c, id, idempotencyKey) =>
    request('POST', `/communities/${seg(c)}/wishes/${seg(id)}/adopt`, { headers: bearer(token, { 'Idempotency-Key': idempotencyKey }) }),
  fulfilWish: (token, c, id, body, idempotencyKey) =>
    request('POST', `/communities/${seg(c)}/wishes/${seg(id)}/fulfil`, { body, headers: bearer(token, { 'Idempotency-Key': idempotencyKey }) }),
};

/**
 * The organiser console's calls, bound to one organiser's token (a Cognito ID token on AWS, one from
 * `npm run token` locally): organiserApi(token).events(c). Every POST carries the Idempotency-Key it is given.
 */
export function organiserApi(token) {
  const get = (path, params = {}) => request('GET', `${path}${query(params)}`, { headers: bearer(token) });
  const post = (path, body, idempotencyKey) => request('POST', path, { body, headers: bearer(token, { 'Idempotency-Key': idempotencyKey }) });
  const patch = (path, body) => request('PATCH', path, { body, headers: bearer(token) });
  const file = (path, params = {}) => request('GET', `${path}${query(params)}`, { headers: bearer(token, { Accept: 'text/csv' }), as: 'blob' });
  const at = (c, ...rest) => `/communities/${[c, ...rest].map(seg).join('/')}`;
  return {
    settings: (c) => get(at(c, 'settings')),
    saveSettings: (c, body) => request('PUT', at(c, 'settings'), { body, headers: bearer(token) }),
    /** The kiosk's code now: { code, changesAt, expiresAt, checkInUrl } (it changes every 30 s). */
    deskCode: (c) => get(at(c, 'desk-code')),
    /** Every event not yet ended, drafts included, with confirmedSeats and version. */
    events: (c, { cursor, limit } = {}) => get(at(c, 'organiser', 'events'), { cursor, limit }),
    createEvent: (c, body, idempotencyKey) => post(at(c, 'events'), body, idempotencyKey),
    updateEvent: (c, eventId, body) => patch(at(c, 'events', eventId), body),
    roster: (c, eventId, { cursor, limit } = {}) => get(at(c, 'events', eventId, 'registrations'), { cursor, limit }),
    rosterCsv: (c, eventId) => file(`${at(c, 'events', eventId)}/registrations.csv`),
    slot: (c, slotId) => get(at(c, 'slots', slotId)),
    /** Put a volunteer on an evening (`slot`) or a festival (`event`), as the volunteer could: `{ volunteerId }`. */
    assignShift: (c, kind, targetId, body, idempotencyKey) => post(at(c, kind === 'slot' ? 'slots' : 'events', targetId, 'assignments'), body, idempotencyKey),
    hours: (c, { status = 'pending', cursor, limit } = {}) => get(at(c, 'hours'), { status, cursor, limit }),
    approveHours: (c, logId, body, idempotencyKey) => post(at(c, 'hours', logId, 'approve'), body, idempotencyKey),
    rejectHours: (c, logId, body, idempotencyKey) => post(at(c, 'hours', logId, 'reject'), body, idempotencyKey),
    hoursReport: (c, month) => get(at(c, 'reports', 'hours'), { month }),
    hoursReportCsv: (c, month) => file(`${at(c, 'reports')}/hours.csv`, { month }),
    addItem: (c, body, idempotencyKey) => post(at(c, 'catalogue'), body, idempotencyKey),
    updateItem: (c, itemId, body) => patch(at(c, 'catalogue', itemId), body),
    redemptions: (c, { status, cursor, limit } = {}) => get(at(c, 'redemptions'), { status, cursor, limit }),
    collect: (c, id, idempotencyKey) => post(at(c, 'redemptions', id, 'collect'), undefined, idempotencyKey),
    cancelRedemption: (c, id, idempotencyKey) => post(at(c, 'redemptions', id, 'cancel'), undefined, idempotencyKey),
    notifications: (c, { cursor, limit } = {}) => get(at(c, 'notifications'), { cursor, limit }),
    /** The volunteers with their phones, hours and points (volunteer admin: phones in full). */
    volunteers: (c, { cursor, limit } = {}) => get(at(c, 'volunteers'), { cursor, limit }),
    /** A new volunteer and their code, shown only in this answer. */
    addVolunteer: (c, body, idempotencyKey) => post(at(c, 'volunteers'), body, idempotencyKey),
    updateVolunteer: (c, volunteerId, body) => patch(at(c, 'volunteers', volunteerId), body),
    /** A new code for a volunteer: the old one stops working at once. */
    newVolunteerCode: (c, volunteerId, idempotencyKey) => post(at(c, 'volunteers', volunteerId, 'token'), undefined, idempotencyKey),
    /** Work orders (派单), newest first, with reporters' names and phones; `status` narrows them. */
    workOrders: (c, { status, cursor, limit } = {}) => get(at(c, 'work-orders'), { status, cursor, limit }),
    /** Orders by state and kind, and each team's median hours to resolve: for `month` ("YYYY-MM"), or all time without one. */
    workOrderReport: (c, month) => get(at(c, 'reports', 'work-orders'), { month }),
    dispatchWorkOrder: (c, id, body, idempotencyKey) => post(at(c, 'work-orders', id, 'dispatch'), body, idempotencyKey),
    rejectWorkOrder: (c, id, body, idempotencyKey) => post(at(c, 'work-orders', id, 'reject'), body, idempotencyKey),
    /** Micro-wishes (微心愿), with residents' names and phones; `status` narrows them. */
    wishes: (c, { status, cursor, limit } = {}) => get(at(c, 'organiser', 'wishes'), { status, cursor, limit }),
    publishWish: (c, id, idempotencyKey) => post(at(c, 'wishes', id, 'publish'), undefined, idempotencyKey),
    rejectWish: (c, id, body, idempotencyKey) => post(at(c, 'wishes', id, 'reject'), body, idempotencyKey),
    /** A partner unit (共建单位) adopts it: `{ adopterName }`. */
    adoptWish: (c, id, body, idempotencyKey) => post(at(c, 'wishes', id, 'adopt'), body, idempotencyKey),
    fulfilWish: (c, id, body, idempotencyKey) => post(at(c, 'wishes', id, 'fulfil'), body, idempotencyKey),
  };
}

/**
 * One help-desk evening as the public list shows it, or undefined when it is not listed (cancelled,
 * over, or no such evening). There is no public call for a single slot, so it is found in the list:
 * when the id reads as a date (the API's ids are YYYYMMDD-HHmm today) only that day is asked for,
 * otherwise the list is walked a few pages of 100.
 */
export async function findSlot(c, slotId) {
  const day = /^(\d{4})(\d{2})(\d{2})-\d{4}$/.exec(slotId);
  if (day) {
    const date = `${day[1]}-${day[2]}-${day[3]}`;
    try {
      return (await api.slots(c, { from: date, to: date, limit: 100 })).items.find((slot) => slot.id === slotId);
    } catch (error) {
      if (error.code !== 'validation_failed') throw error; // not a real date after all: walk the list
    }
  }
  let cursor;
  for (let page = 0; page < 5; page++) {
    const { items, nextCursor } = await api.slots(c, { cursor, limit: 100 });
    const found = items.find((slot) => slot.id === slotId);
    if (found || !nextCursor) return found;
    cursor = nextCursor;
  }
  return undefined;
}
