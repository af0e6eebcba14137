// A help-desk booking's manage link: its status, the evening, what was booked, and cancelling.

import { manageActions } from '../actions.js';
import { api, findSlot } from '../api.js';
import { DEFAULT_TIME_ZONE, hash, heading, loading, showManageLoadError } from '../common.js';
import { bookingDetails, requestStatusText } from '../desk.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { savedRegistrations, updateSaved } from '../saved.js';
import { verifyPanel } from '../verify.js';

export async function showDeskManage(view) {
  const { c, slotId, id, token } = view.route;
  view.title(t('deskManageHeading'));
  view.render(heading(t('deskManageHeading')), loading());

  let profile;
  let data;
  let slot;
  try {
    [profile, data, slot] = await Promise.all([
      view.community(c).catch(() => null),
      api.helpRequest(c, slotId, id, token),
      findSlot(c, slotId).catch(() => undefined),
    ]);
  } catch (error) {
    showManageLoadError(view, error, t('deskManageHeading'), 'deskManageErrors');
    return;
  }
  // An evening no longer listed (over or cancelled) is still known on the phone that booked it.
  const saved = savedRegistrations().find((item) => item.id === id && item.kind === 'desk');
  if (!slot && saved?.startsAt) slot = { id: slotId, startsAt: saved.startsAt, endsAt: saved.endsAt, venue: saved.venue };
  renderManage(view, data.request, slot, profile?.timezone ?? saved?.timeZone ?? DEFAULT_TIME_ZONE);
  view.focusHeading();
}

function renderManage(view, request, slot, timeZone, justCancelled = false) {
  const { c, slotId, id, token } = view.route;
  updateSaved(id, { status: request.status });
  const actions =
    request.status === 'booked'
      ? manageActions({
          words: {
            cancel: t('deskCancelButton'),
            confirmTitle: t('deskCancelConfirmTitle'),
            confirmText: t('deskCancelConfirmText'),
            yes: t('cancelYes'),
            no: t('cancelNo'),
          },
          scope: 'deskManageErrors',
          refresh: async () => {
            const data = await api.helpRequest(c, slotId, id, token);
            if (!view.current) return;
            renderManage(view, data.request, slot, timeZone);
            document.getElementById('status-box')?.focus(); // read out the new status
          },
          cancel: async () => {
            const result = await api.cancelHelpRequest(c, slotId, id, token);
            if (!view.current) return;
            renderManage(view, { ...request, ...result.request }, slot, timeZone, true);
            document.getElementById('cancel-done')?.focus();
          },
        })
      : null;

  view.title(`${t('deskManageHeading')} · ${requestStatusText(request.status)}`);
  view.render(
    heading(t('deskManageHeading')),
    justCancelled ? h('p', { class: 'notice notice--ok', id: 'cancel-done', tabindex: '-1', role: 'status' }, t('deskCancelDone')) : null,
    h(
      'div',
      { class: `status status--${request.status}`, id: 'status-box', tabindex: '-1' },
      h('p', { class: 'status__label' }, t('deskStatusLabel')),
      h('p', { class: 'status__value', id: 'request-status' }, requestStatusText(request.status)),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'manage-slot' },
      h('h2', { id: 'manage-slot' }, t('deskTitle')),
      slot ? null : h('p', { class: 'notice' }, t('deskSlotGone')),
      bookingDetails(slot, request, timeZone),
    ),
    request.status === 'pending_verification'
      ? verifyPanel({
          phoneHint: request.phoneHint,
          verify: async (code) => (await api.verifyHelpRequest(c, slotId, id, token, code)).request,
          done: (placed) => {
            if (!view.current) return;
            renderManage(view, placed, slot, timeZone);
            document.getElementById('status-box')?.focus(); // read out the new status
          },
        })
      : null,
    actions,
    h('p', {}, h('a', { href: hash('c', c, 'desk') }, t('deskSeeOthers'))),
  );
}
