// "My registrations": the manage links made on this phone, kept in localStorage (newest first).

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

/** Add or update one entry: { communityId, eventId, id, token, title, startsAt, endsAt, timeZone, status, waitlistPosition }. */
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

/** The manage link: the token lives in the fragment, so it is never sent to a server or a log. */
export function manageUrl({ communityId, eventId, id, token }) {
  const path = ['manage', communityId, eventId, id, token].map(encodeURIComponent).join('/');
  return `${location.origin}${location.pathname}#/${path}`;
}
