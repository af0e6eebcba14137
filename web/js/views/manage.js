// A manage link's page (status, live waitlist position, cancel) and "My registrations" on this phone
// (event registrations, help-desk bookings, reported problems and micro-wishes).

import { manageActions } from '../actions.js';
import { api } from '../api.js';
import { badge, DEFAULT_TIME_ZONE, eventDetails, hash, heading, loading, registrant, showManageLoadError } from '../common.js';
import { categoryName, requestStatusText } from '../desk.js';
import { h, srOnly } from '../dom.js';
import { formatRange, t } from '../i18n.js';
import { forgetRegistration, manageHash, savedRegistrations, updateSaved } from '../saved.js';
import { verifyPanel } from '../verify.js';
import { wishState } from '../wishes.js';
import { workOrderState } from '../work-orders.js';

function statusText(status, position) {
  if (status === 'confirmed') return t('statusConfirmed');
  if (status === 'waitlisted') return position ? t('statusWaitlisted', { n: position }) : t('statusWaitlistedNoPos');
  if (status === 'pending_verification') return t('statusPendingVerification');
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
    showManageLoadError(view, error, t('manageHeading'));
    return;
  }
  renderManage(view, data, profile?.timezone ?? DEFAULT_TIME_ZONE);
  view.focusHeading();
}

/**
 * What the page leads with: a cancelled event comes first, whatever the registration's own status
 * (a resident must not read "报名成功" above "活动已取消"); then the registration's status.
 */
function leadStatus(registration, event) {
  if (event?.status === 'cancelled') return { kind: 'cancelled', text: t('statusEventCancelled') };
  return { kind: registration.status, text: statusText(registration.status, registration.waitlistPosition) };
}

function renderManage(view, { registration, event }, timeZone, justCancelled = false) {
  const { c, eventId, id, token } = view.route;
  updateSaved(id, { status: registration.status, waitlistPosition: registration.waitlistPosition ?? null });
  // Nothing to cancel once the event itself is cancelled.
  const active = registration.status !== 'cancelled' && event?.status !== 'cancelled';
  const lead = leadStatus(registration, event);
  const actions = active
    ? manageActions({
        words: { cancel: t('cancelButton'), confirmTitle: t('cancelConfirmTitle'), confirmText: t('cancelConfirmText'), yes: t('cancelYes'), no: t('cancelNo') },
        refresh: async () => {
          const data = await api.registration(c, eventId, id, token);
          if (!view.current) return;
          renderManage(view, data, timeZone);
          document.getElementById('status-box')?.focus(); // read out the new status
        },
        cancel: async () => {
          const result = await api.cancelRegistration(c, eventId, id, token);
          if (!view.current) return;
          renderManage(view, { registration: { ...registration, ...result.registration }, event }, timeZone, true);
          document.getElementById('cancel-done')?.focus();
        },
      })
    : null;

  view.title(`${t('manageHeading')} · ${lead.text}`);
  view.render(
    heading(t('manageHeading')),
    justCancelled ? h('p', { class: 'notice notice--ok', id: 'cancel-done', tabindex: '-1', role: 'status' }, t('cancelDone')) : null,
    h(
      'div',
      { class: `status status--${lead.kind}`, id: 'status-box', tabindex: '-1' },
      h('p', { class: 'status__label' }, t('statusLabel')),
      h('p', { class: 'status__value', id: 'registration-status' }, lead.text),
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
    registration.status === 'pending_verification' && event?.status !== 'cancelled'
      ? verifyPanel({
          phoneHint: registration.phoneHint,
          verify: async (code) => (await api.verifyRegistration(c, eventId, id, token, code)).registration,
          done: (placed) => {
            if (!view.current) return;
            renderManage(view, { registration: placed, event }, timeZone);
            document.getElementById('status-box')?.focus(); // read out the new status
          },
        })
      : null,
    actions,
    h('p', {}, h('a', { href: hash('c', c) }, t('moreEvents'))),
  );
}

export function showMine(view) {
  view.title(t('mineTitle'));
  const saved = savedRegistrations();
  const list = h('ul', { class: 'event-list' }, saved.map((item) => mineCard(view, item)));
  view.render(
    heading(t('mineTitle')),
    h('p', { class: 'lead' }, t('mineIntro')),
    saved.length ? [list, h('p', { class: 'hint' }, t('mineForgetNote'))] : h('p', { class: 'notice' }, t('mineEmpty')),
  );
  view.focusHeading();
}

/**
 * One saved entry: an event registration, a help-desk booking (kind 'desk'), a reported problem
 * (kind 'report') or a micro-wish (kind 'wish'), each labelled as such.
 */
function mineCard(view, item) {
  if (item.kind === 'report') return reportCard(view, item);
  if (item.kind === 'wish') return wishCard(view, item);
  const desk = item.kind === 'desk';
  const title = desk ? t('mineDeskTitle', { category: categoryName(item.category) }) : (item.title ?? t('manageHeading'));
  const badgeKind = item.status === 'cancelled' ? 'cancelled' : item.status === 'waitlisted' || item.status === 'pending_verification' ? 'full' : 'ok';
  return h(
    'li',
    { class: `card card--${desk ? 'desk' : 'event'}` },
    h('p', { class: 'card__kind' }, desk ? t('mineKindDesk') : t('mineKindEvent')),
    h('h2', { class: 'card__title' }, title),
    h('p', { class: `badge badge--${badgeKind}` }, desk ? requestStatusText(item.status) : statusText(item.status, item.waitlistPosition)),
    item.startsAt ? h('p', {}, formatRange(item.startsAt, item.endsAt, item.timeZone ?? DEFAULT_TIME_ZONE)) : null,
    h('a', { class: 'button', href: manageHash(item) }, t('mineView'), srOnly(t('registerFor', { title }))),
    forgetButton(view, item, title),
  );
}

/** A reported problem: where it stood when last seen here, when it was reported, and its page. */
function reportCard(view, item) {
  const title = t('wo.mineTitle', { category: categoryName(item.category) });
  return h(
    'li',
    { class: 'card card--report' },
    h('p', { class: 'card__kind' }, t('wo.mineKind')),
    h('h2', { class: 'card__title' }, title),
    badge(workOrderState(item)),
    item.startsAt ? h('p', {}, t('wo.reportedOn', { time: formatRange(item.startsAt, null, item.timeZone ?? DEFAULT_TIME_ZONE) })) : null,
    h('a', { class: 'button', href: manageHash(item) }, t('wo.mineView'), srOnly(t('registerFor', { title }))),
    forgetButton(view, item, title),
  );
}

/** A micro-wish: where it stood when last seen here, when it was posted, and its page. */
function wishCard(view, item) {
  const title = t('wish.mineTitle', { title: item.title ?? '' });
  return h(
    'li',
    { class: 'card card--wish' },
    h('p', { class: 'card__kind' }, t('wish.mineKind')),
    h('h2', { class: 'card__title' }, title),
    badge(wishState(item)),
    item.startsAt ? h('p', {}, t('wish.postedOn', { time: formatRange(item.startsAt, null, item.timeZone ?? DEFAULT_TIME_ZONE) })) : null,
    h('a', { class: 'button', href: manageHash(item) }, t('wish.mineView'), srOnly(t('registerFor', { title }))),
    forgetButton(view, item, title),
  );
}

function forgetButton(view, item, title) {
  const forget = () => {
    forgetRegistration(item.id);
    view.rerender();
    document.querySelector('main h1')?.focus();
  };
  return h('button', { type: 'button', class: 'button button--secondary', onclick: forget }, t('mineForget'), srOnly(t('registerFor', { title })));
}
