// The landing page (no community in the link) and a community's list of events (its first tab).

import { api } from '../api.js';
import { badge, communityTabs, eventDetails, eventLink, hash, heading, loading, pagedList, showListError, signUpState } from '../common.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { savedRegistrations } from '../saved.js';

const COMMUNITY_ID = /^[a-z0-9-]{2,40}$/;

export function showLanding(view) {
  view.title(t('landingTitle'));
  const input = h('input', {
    id: 'community-code',
    name: 'community',
    type: 'text',
    autocomplete: 'off',
    autocapitalize: 'none',
    spellcheck: 'false',
    'aria-describedby': 'community-code-hint',
  });
  const error = h('p', { id: 'community-code-error', class: 'field-error', hidden: true });
  const onsubmit = (submitted) => {
    submitted.preventDefault();
    const code = input.value.trim().toLowerCase();
    if (COMMUNITY_ID.test(code)) {
      location.hash = hash('c', code);
      return;
    }
    error.textContent = t('landingCodeInvalid');
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'community-code-hint community-code-error');
    input.focus();
  };
  view.render(
    heading(t('landingTitle')),
    h('p', { class: 'lead' }, t('landingIntro')),
    h(
      'form',
      { class: 'panel', novalidate: true, onsubmit },
      h('div', { class: 'field' }, h('label', { for: 'community-code' }, t('landingCodeLabel')), h('p', { class: 'hint', id: 'community-code-hint' }, t('landingCodeHint')), error, input),
      h('button', { type: 'submit', class: 'button' }, t('landingCodeGo')),
    ),
    savedRegistrations().length ? h('p', {}, t('landingMine'), ' ', h('a', { href: '#/mine' }, t('navMine'))) : null,
    h('p', {}, t('landingVolunteer'), ' ', h('a', { href: '#/volunteer' }, t('navVolunteer'))),
  );
  view.focusHeading();
}

export async function showEvents(view) {
  const { c } = view.route;
  view.title(t('eventsTitle'));
  // A language switch leaves the list in place until it is drawn again in the new language.
  if (!view.rerendered) view.render(communityTabs(c, 'events'), heading(t('eventsTitle')), loading());

  let profile;
  let page;
  try {
    [profile, page] = await Promise.all([view.community(c), api.events(c)]);
  } catch (error) {
    showListError(view, t('eventsTitle'), error);
    return;
  }
  const timeZone = profile.timezone;
  view.title(`${profile.name} · ${t('eventsTitle')}`);

  const { list, more } = pagedList(page, {
    item: (event) => eventCard(c, event, timeZone),
    fetchPage: (cursor) => api.events(c, cursor),
    moreLabel: t('eventsMore'),
  });

  view.render(
    communityTabs(c, 'events'),
    heading(t('eventsTitle')),
    h('p', { class: 'lead' }, profile.name),
    page.items.length ? list : h('p', { class: 'notice' }, t('eventsEmpty')),
    more,
  );
  view.focusHeading();
}

function eventCard(c, event, timeZone) {
  const state = signUpState(event, timeZone);
  return h(
    'li',
    { class: `card${state.kind === 'cancelled' ? ' card--cancelled' : ''}` },
    h('h2', { class: 'card__title' }, event.title),
    badge(state),
    eventDetails(event, timeZone),
    state.open ? eventLink(hash('c', c, 'e', event.id), state.full ? t('registerWaitlist') : t('register'), event.title) : null,
  );
}
