// The API calls the pages make: the residents' public ones, and a volunteer's own (with the
// volunteer code in the Authorization header, and nowhere else). Errors become ApiError with the
// problem's `code`.

const config = window.LINLI_CONFIG ?? {};
const BASE = String(config.apiBaseUrl ?? '').replace(/\/+$/, '');
const RETRIES = 2;

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

/**
 * One call. A lost connection or a 503 is retried a couple of times with the same request (and so
 * the same Idempotency-Key): a retried POST can never register twice. `as: 'blob'`: the answer as a
 * file (a calendar) rather than JSON.
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
        await wait(500 * (attempt + 1));
        continue;
      }
      throw new ApiError('network');
    }
    if (response.status === 503 && attempt < RETRIES) {
      const after = Number(response.headers.get('Retry-After'));
      await wait(Math.min(Number.isFinite(after) && after > 0 ? after * 1000 : 1000, 5000));
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

/** A volunteer's credential: only ever this header, never a URL (nor a query string, nor a log). */
const asVolunteer = (token, headers = {}) => ({ Authorization: `Bearer ${token}`, ...headers });

export const api = {
  community: (c) => request('GET', `/communities/${seg(c)}`),
  events: (c, cursor) => request('GET', `/communities/${seg(c)}/events${cursor ? `?cursor=${seg(cursor)}` : ''}`),
  event: (c, eventId) => request('GET', `/communities/${seg(c)}/events/${seg(eventId)}`),
  register: (c, eventId, body, idempotencyKey) =>
    request('POST', `/communities/${seg(c)}/events/${seg(eventId)}/registrations`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  registration: (c, eventId, id, token) =>
    request('GET', `/communities/${seg(c)}/events/${seg(eventId)}/registrations/${seg(id)}`, {
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
  cancelHelpRequest: (c, slotId, id, token) =>
    request('DELETE', `/communities/${seg(c)}/slots/${seg(slotId)}/requests/${seg(id)}`, {
      headers: { 'X-Manage-Token': token },
    }),

  // A volunteer's own pages (志愿者): profile, shifts, check-in and out, hours, points, the points supermarket.
  me: (token) => request('GET', '/me', { headers: asVolunteer(token) }),
  myShifts: (token) => request('GET', '/me/shifts', { headers: asVolunteer(token) }),
  myHours: (token, { cursor, limit } = {}) => request('GET', `/me/hours${query({ cursor, limit })}`, { headers: asVolunteer(token) }),
  myPoints: (token, { cursor, limit } = {}) => request('GET', `/me/points${query({ cursor, limit })}`, { headers: asVolunteer(token) }),
  myCalendar: (token) => request('GET', '/me/calendar.ics', { headers: asVolunteer(token, { Accept: 'text/calendar' }), as: 'blob' }),
  /** `target`: { slotId } or { eventId }. */
  checkIn: (token, target, idempotencyKey) =>
    request('POST', '/me/check-ins', { body: target, headers: asVolunteer(token, { 'Idempotency-Key': idempotencyKey }) }),
  checkOut: (token, idempotencyKey) =>
    request('POST', '/me/check-outs', { headers: asVolunteer(token, { 'Idempotency-Key': idempotencyKey }) }),
  catalogue: (c) => request('GET', `/communities/${seg(c)}/catalogue`),
  redeem: (token, body, idempotencyKey) =>
    request('POST', '/me/redemptions', { body, headers: asVolunteer(token, { 'Idempotency-Key': idempotencyKey }) }),
};

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
