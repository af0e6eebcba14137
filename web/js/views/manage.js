// A manage link's page (status, live waitlist position, cancel) and "My registrations" on this phone.

import { api } from '../api.js';
import { DEFAULT_TIME_ZONE, errorPanel, errorText, eventDetails, hash, heading, loading, registrant } from '../common.js';
import { h, replace, srOnly } from '../dom.js';
import { formatRange, t } from '../i18n.js';
import { forgetRegistration, savedRegistrations, updateSaved } from '../saved.js';

function statusText(status, position) {
  if (status === 'confirmed') return t('statusConfirmed');
  if (status === 'waitlisted') return position ? t('statusWaitlisted', { n: position }) : t('statusWaitlistedNoPos');
  return t('statusCancelled');
}

export async function showManage(view) {
  const { c, eventId, id, token } = view.route;
  view.title(t('manageHeading'));
  view.render(heading(t('manageHeading')), loading());

  let profile;
  let data;
  try {
    [profile, data] = await Promise.all([view.community(c).catch(() => null), api.registration(c, eventId, id, token)]);
  } catch (error) {
    const final = ['forbidden', 'unauthorized', 'not_found', 'validation_failed'].includes(error.code);
    view.render(
      heading(t('manageHeading')),
      errorPanel(error.code === 'validation_failed' ? { code: 'forbidden' } : error, final ? null : () => view.rerender()),
      h('p', {}, h('a', { href: '#/mine' }, t('navMine'))),
    );
    view.focusHeading();
    return;
  }
  renderManage(view, data, profile?.timezone ?? DEFAULT_TIME_ZONE);
  view.focusHeading();
}

function renderManage(view, { registration, event }, timeZone, justCancelled = false) {
  const { c, eventId, id, token } = view.route;
  updateSaved(id, { status: registration.status, waitlistPosition: registration.waitlistPosition ?? null });
  const active = registration.status !== 'cancelled';
  const actions = h('div', { class: 'actions' });

  const problem = h('div', { role: 'alert' });
  async function refresh(clicked) {
    const button = clicked.currentTarget;
    button.disabled = true;
    try {
      const data = await api.registration(c, eventId, id, token);
      if (!view.current) return;
      renderManage(view, data, timeZone);
      document.getElementById('status-box')?.focus(); // read out the new status
    } catch (error) {
      button.disabled = false;
      replace(problem, h('p', { class: 'field-error' }, errorText(error.code)));
    }
  }

  const showActions = () =>
    replace(
      actions,
      problem,
      h('button', { type: 'button', class: 'button button--secondary', onclick: refresh }, t('refresh')),
      h('button', { type: 'button', class: 'button button--danger', onclick: askToCancel }, t('cancelButton')),
    );

  function askToCancel() {
    const yes = h('button', { type: 'button', class: 'button button--danger' }, t('cancelYes'));
    const no = h('button', { type: 'button', class: 'button button--secondary' }, t('cancelNo'));
    const failure = h('div', { role: 'alert' });
    const title = h('h2', { id: 'confirm-title', tabindex: '-1' }, t('cancelConfirmTitle'));
    no.addEventListener('click', () => {
      showActions();
      actions.querySelector('.button--danger')?.focus();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      no.disabled = true;
      yes.textContent = t('cancelling');
      try {
        const result = await api.cancelRegistration(c, eventId, id, token);
        if (!view.current) return;
        renderManage(view, { registration: { ...registration, ...result.registration }, event }, timeZone, true);
        document.getElementById('cancel-done')?.focus();
      } catch (error) {
        yes.disabled = false;
        no.disabled = false;
        yes.textContent = t('cancelYes');
        replace(failure, h('p', { class: 'field-error' }, errorText(error.code)));
      }
    });
    replace(actions, h('section', { class: 'confirm', 'aria-labelledby': 'confirm-title' }, title, h('p', {}, t('cancelConfirmText')), failure, yes, no));
    title.focus();
  }

  if (active) showActions();
  view.title(`${t('manageHeading')} · ${statusText(registration.status, registration.waitlistPosition)}`);
  view.render(
    heading(t('manageHeading')),
    justCancelled ? h('p', { class: 'notice notice--ok', id: 'cancel-done', tabindex: '-1', role: 'status' }, t('cancelDone')) : null,
    h(
      'div',
      { class: `status status--${registration.status}`, id: 'status-box', tabindex: '-1' },
      h('p', { class: 'status__label' }, t('statusLabel')),
      h('p', { class: 'status__value', id: 'registration-status' }, statusText(registration.status, registration.waitlistPosition)),
    ),
    event
      ? h(
          'section',
          { class: 'panel', 'aria-labelledby': 'manage-event' },
          h('h2', { id: 'manage-event' }, event.title),
          eventDetails(event, timeZone),
          registrant(registration),
          event.status === 'cancelled' ? h('p', { class: 'notice notice--warn' }, t('eventCancelledNote')) : null,
        )
      : [h('p', { class: 'notice' }, t('eventGone')), registrant(registration)],
    active ? actions : null,
    h('p', {}, h('a', { href: hash('c', c) }, t('moreEvents'))),
  );
}

export function showMine(view) {
  view.title(t('mineTitle'));
  const saved = savedRegistrations();
  const list = h(
    'ul',
    { class: 'event-list' },
    saved.map((item) =>
      h(
        'li',
        { class: 'card' },
        h('h2', { class: 'card__title' }, item.title ?? t('manageHeading')),
        h('p', { class: `badge badge--${item.status === 'cancelled' ? 'cancelled' : item.status === 'waitlisted' ? 'full' : 'ok'}` }, statusText(item.status, item.waitlistPosition)),
        item.startsAt ? h('p', {}, formatRange(item.startsAt, item.endsAt, item.timeZone ?? DEFAULT_TIME_ZONE)) : null,
        h('a', { class: 'button', href: hash('manage', item.communityId, item.eventId, item.id, item.token) }, t('mineView'), srOnly(t('registerFor', { title: item.title ?? '' }))),
        h(
          'button',
          {
            type: 'button',
            class: 'button button--secondary',
            onclick: () => {
              forgetRegistration(item.id);
              view.rerender();
              document.querySelector('main h1')?.focus();
            },
          },
          t('mineForget'),
          srOnly(t('registerFor', { title: item.title ?? '' })),
        ),
      ),
    ),
  );
  view.render(
    heading(t('mineTitle')),
    h('p', { class: 'lead' }, t('mineIntro')),
    saved.length ? [list, h('p', { class: 'hint' }, t('mineForgetNote'))] : h('p', { class: 'notice' }, t('mineEmpty')),
  );
  view.focusHeading();
}
