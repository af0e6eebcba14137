// "My registrations": the manage links made on this phone, kept in localStorage (newest first):
// event registrations, help-desk bookings (entries with kind 'desk'), reported problems (kind 'report')
// and micro-wishes (kind 'wish').

const KEY = 'linli.registrations';
const MAX = 20;

export function savedRegistrations() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((item) => item && item.id && item.token) : [];
  } catch {
    return [];
  }
}

function write(list) {
  try {
    localStorage.setItem(KEY, JSON.stringify(list.slice(0, MAX)));
  } catch {
    // Storage full or disabled: the link on the confirmation page is still there to copy.
  }
}

/**
 * Add or update one entry. An event registration: { communityId, eventId, id, token, title, startsAt, endsAt,
 * timeZone, status, waitlistPosition }; a help-desk booking: { kind: 'desk', communityId, slotId, id, token,
 * category, startsAt, endsAt, venue, timeZone, status }; a reported problem: { kind: 'report', communityId, id,
 * token, category, status, timeZone, startsAt (when it was reported) }; a micro-wish: { kind: 'wish', communityId,
 * id, token, title, status, timeZone, startsAt (when it was posted), phoneHint }.
 */
export function saveRegistration(entry) {
  const others = savedRegistrations().filter((item) => item.id !== entry.id);
  const previous = savedRegistrations().find((item) => item.id === entry.id) ?? {};
  write([{ ...previous, ...entry, savedAt: previous.savedAt ?? new Date().toISOString() }, ...others]);
}

/** Update what is known about a saved entry (after viewing or cancelling), if this phone has it. */
export function updateSaved(id, changes) {
  const list = savedRegistrations();
  const index = list.findIndex((item) => item.id === id);
  if (index < 0) return;
  list[index] = { ...list[index], ...changes };
  write(list);
}

export function forgetRegistration(id) {
  write(savedRegistrations().filter((item) => item.id !== id));
}

/**
 * The manage page's route for an entry: #/manage/… for a registration, #/manage-request/… for a
 * help-desk booking, #/manage-report/… for a reported problem, #/manage-wish/… for a micro-wish.
 */
export function manageHash({ kind, communityId, eventId, slotId, id, token }) {
  const segments =
    kind === 'desk'
      ? ['manage-request', communityId, slotId, id, token]
      : kind === 'report'
        ? ['manage-report', communityId, id, token]
        : kind === 'wish'
          ? ['manage-wish', communityId, id, token]
          : ['manage', communityId, eventId, id, token];
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

/** The manage link: the token lives in the fragment, so it is never sent to a server or a log. */
export function manageUrl(entry) {
  return `${location.origin}${location.pathname}${manageHash(entry)}`;
}
