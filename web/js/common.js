// Pieces shared by the views: headings, notices, the community's tabs, paged lists, facts, the event
// summary and an event's sign-up state.

import { h, srOnly } from './dom.js';
import { formatInstant, formatRange, t } from './i18n.js';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export const hash = (...segments) => `#/${segments.map(encodeURIComponent).join('/')}`;

/** The page's one h1; focusable so that navigation can move focus to it. */
export const heading = (text, attrs = {}) => h('h1', { tabindex: '-1', ...attrs }, text);

export const loading = () => h('p', { class: 'loading', role: 'status' }, t('loading'));

/**
 * The friendly text for an API error code (or 'network' / 'unknown'); `scope` names a table of words
 * for one kind of page (e.g. 'deskErrors') that is looked at before the common 'errors'.
 */
export function errorText(code, scope) {
  for (const key of [scope ? `${scope}.${code}` : null, `errors.${code}`]) {
    if (!key) continue;
    const known = t(key);
    if (known !== key) return known;
  }
  return t('errors.unknown');
}

/**
 * A community's list (its events, its evenings) that could not be loaded: an unknown community is
 * said so with a way to enter another code, anything else with a retry.
 */
export function showListError(view, title, error) {
  const code = error.code === 'not_found' || error.code === 'validation_failed' ? 'community_not_found' : error.code;
  view.render(heading(title), errorPanel({ code }, code === 'community_not_found' ? null : () => view.rerender()), h('p', {}, h('a', { href: '#/' }, t('landingLink'))));
  view.focusHeading();
}

/** A whole-page error with a retry button. */
export function errorPanel(error, onRetry, scope) {
  return h(
    'div',
    { class: 'notice notice--error', role: 'alert' },
    h('p', {}, errorText(error?.code ?? 'unknown', scope)),
    onRetry ? h('button', { type: 'button', class: 'button button--secondary', onclick: onRetry }, t('retry')) : null,
  );
}

/**
 * A manage page whose item could not be loaded: the reason in words (a wrong link reads as
 * forbidden), a retry unless the answer is final, and the way to 我的报名. One for every kind of
 * item a resident manages (registrations, bookings, reports, wishes).
 */
export function showManageLoadError(view, error, headingText, scope) {
  const final = ['forbidden', 'unauthorized', 'not_found', 'validation_failed'].includes(error.code);
  view.render(
    heading(headingText),
    errorPanel(error.code === 'validation_failed' ? { code: 'forbidden' } : error, final ? null : () => view.rerender(), scope),
    h('p', {}, h('a', { href: '#/mine' }, t('navMine'))),
  );
  view.focusHeading();
}

/**
 * The community's services as big tabs at the top of their pages: events (活动报名), the evening help
 * desk (延时服务预约), reporting a problem (问题上报) and micro-wishes (微心愿: the form and the wall).
 * `active`: 'events' | 'desk' | 'report' | 'wish'; `within`: the page is another page of that service
 * (the wish wall), so the tab marks the current section rather than the current page.
 */
export function communityTabs(c, active, { within = false } = {}) {
  return tabNav(t('tabsLabel'), active, [
    { name: 'events', href: hash('c', c), label: t('tabEvents') },
    { name: 'desk', href: hash('c', c, 'desk'), label: t('tabDesk') },
    { name: 'report', href: hash('c', c, 'report'), label: t('tabReport') },
    { name: 'wish', href: hash('c', c, 'wish'), label: t('tabWish') },
  ], 'tabs', within ? 'true' : 'page');
}

/**
 * Big tabs (links) in a labelled nav, the `active` one marked as the current page (or, with
 * `current` 'true', the current section). tabs: [{ name, href, label }].
 */
export function tabNav(label, active, tabs, className = 'tabs', current = 'page') {
  return h(
    'nav',
    { class: className, 'aria-label': label },
    tabs.map((tab) => h('a', { class: 'tabs__link', href: tab.href, 'aria-current': active === tab.name ? current : null }, tab.label)),
  );
}

/**
 * A list that grows a page at a time: the first page's items, then a "more" button while the API
 * has a nextCursor. `item(x)` draws one entry; `fetchPage(cursor)` gets the next page.
 * Returns { list, more } to place on the page.
 */
export function pagedList(firstPage, { item, fetchPage, moreLabel }) {
  const list = h('ul', { class: 'event-list' });
  const more = h('div', { class: 'more' });
  const addPage = ({ items, nextCursor }) => {
    list.append(...items.map(item));
    more.replaceChildren();
    if (nextCursor) {
      const button = h('button', { type: 'button', class: 'button button--secondary' }, moreLabel);
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          addPage(await fetchPage(nextCursor));
        } catch (error) {
          button.disabled = false;
          more.append(h('p', { class: 'field-error', role: 'alert' }, errorText(error.code)));
        }
      });
      more.append(button);
    }
  };
  addPage(firstPage);
  return { list, more };
}

/** One term and its value in a <dl class="facts">. */
export const fact = (term, value, attrs = {}) => h('div', {}, h('dt', {}, term), h('dd', attrs, value));

/** Time and venue: the same block on the list, the form and the manage page (and a volunteer's shift). */
export function eventDetails(event, timeZone) {
  return h(
    'dl',
    { class: 'facts' },
    fact(t('when'), formatRange(event.startsAt, event.endsAt, timeZone)),
    fact(t('where'), event.venue),
  );
}

/**
 * Whether a resident can sign up now, and the words that say so:
 * { open: boolean, full: boolean, text: string, kind: 'ok'|'full'|'cancelled'|'closed' }.
 */
export function signUpState(event, timeZone, now = new Date()) {
  if (event.status === 'cancelled') return { open: false, full: false, kind: 'cancelled', text: t('cancelled') };
  if (event.registrationOpensAt && new Date(event.registrationOpensAt) > now) {
    return { open: false, full: false, kind: 'closed', text: t('notOpenYet', { time: formatInstant(event.registrationOpensAt, timeZone) }) };
  }
  const closesAt = event.registrationClosesAt ?? event.startsAt;
  if (closesAt && new Date(closesAt) <= now) return { open: false, full: false, kind: 'closed', text: t('closed') };
  if (event.seatsLeft > 0) return { open: true, full: false, kind: 'ok', text: t('seatsLeft', { n: event.seatsLeft }) };
  const waiting = event.waitlistLength > 0 ? ` · ${t('waitlistLength', { n: event.waitlistLength, people: event.waitlistPeople ?? event.waitlistLength })}` : '';
  return { open: true, full: true, kind: 'full', text: `${t('fullWaitlist')}${waiting}` };
}

/** Who registered: name, the last digits of the phone, party size. */
export function registrant(registration) {
  return h(
    'dl',
    { class: 'facts' },
    fact(t('registrant'), registration.name),
    fact(t('phoneUsed'), registration.phoneHint),
    fact(t('partySize'), t('people', { n: registration.partySize })),
  );
}

export const badge = (state) => h('p', { class: `badge badge--${state.kind}` }, state.text);

/** A link styled as a big button whose accessible name also says which event it is for. */
export function eventLink(href, label, eventTitle) {
  return h('a', { class: 'button', href }, label, srOnly(t('registerFor', { title: eventTitle })));
}
