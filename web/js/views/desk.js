// The evening help desk (每晚一小时延时服务), the community's second tab: the evenings one can book,
// one evening's booking form, and the confirmation that replaces it.

import { api, findSlot } from '../api.js';
import { badge, communityTabs, errorPanel, eventLink, hash, heading, loading, pagedList, showListError } from '../common.js';
import { bookingDetails, categoryName, slotDetails, slotState } from '../desk.js';
import { h } from '../dom.js';
import { contactFields, field, fieldErrorText, keepLink, radioGroup } from '../forms.js';
import { CATEGORIES } from '../glossary.js';
import { formatDay, formatTimes, t } from '../i18n.js';
import { codeStep, formState, residentForm } from '../resident-items.js';
import { manageUrl, updateSaved } from '../saved.js';

/** Per evening, for this page load: the booking form's state (resident-items.js). */
const states = new Map();

/** Answers that mean this evening cannot be booked any more: the summary then points to the other evenings. */
const EVENING_GONE = new Set(['slot_full', 'slot_cancelled', 'invalid_state', 'not_found']);

export async function showDesk(view) {
  const { c } = view.route;
  view.title(t('deskTitle'));
  // A language switch leaves the list in place until it is drawn again in the new language.
  if (!view.rerendered) view.render(communityTabs(c, 'desk'), heading(t('deskTitle')), loading());

  let profile;
  let page;
  try {
    [profile, page] = await Promise.all([view.community(c), api.slots(c)]);
  } catch (error) {
    showListError(view, t('deskTitle'), error);
    return;
  }
  const timeZone = profile.timezone;
  view.title(`${profile.name} · ${t('deskTitle')}`);

  const { list, more } = pagedList(page, {
    item: (slot) => slotCard(c, slot, timeZone),
    fetchPage: (cursor) => api.slots(c, { cursor }),
    moreLabel: t('deskMore'),
  });
  view.render(
    communityTabs(c, 'desk'),
    heading(t('deskTitle')),
    h('p', { class: 'lead' }, t('deskIntro')),
    page.items.length ? list : h('p', { class: 'notice' }, t('deskEmpty')),
    more,
  );
  view.focusHeading();
}

function slotCard(c, slot, timeZone) {
  const state = slotState(slot);
  const day = formatDay(slot.startsAt, timeZone);
  return h(
    'li',
    { class: `card${state.kind === 'cancelled' ? ' card--cancelled' : ''}` },
    h('h2', { class: 'card__title' }, day),
    badge(state),
    slotDetails(slot, timeZone),
    state.open ? eventLink(hash('c', c, 'desk', slot.id), t('deskBook'), day) : null,
    state.kind === 'full' ? h('p', { class: 'hint' }, t('deskFullHint')) : null,
  );
}

export async function showDeskForm(view) {
  const { c, slotId } = view.route;
  const state = formState(states, `${c}/${slotId}`, view);
  const back = h('p', {}, h('a', { href: hash('c', c, 'desk'), class: 'back-link' }, t('deskBack')));
  view.title(t('deskFormTitle'));
  view.render(back, heading(t('deskFormTitle')), loading());

  let profile;
  let slot;
  try {
    // After booking, the evening as it was then (it may have filled up since, or no longer be listed).
    [profile, slot] = await Promise.all([view.community(c), state.result?.slot ?? findSlot(c, slotId)]);
  } catch (error) {
    view.render(back, heading(t('deskFormTitle')), errorPanel(error, error.code === 'not_found' ? null : () => view.rerender(), 'deskErrors'));
    view.focusHeading();
    return;
  }
  if (!slot) {
    view.render(back, heading(t('deskFormTitle')), errorPanel({ code: 'not_found' }, null, 'deskErrors'));
    view.focusHeading();
    return;
  }
  const timeZone = profile.timezone;
  if (state.result) renderConfirmation(view, c, timeZone, state.result);
  else renderForm(view, c, slot, timeZone, state, back);
  view.focusHeading();
}

function renderForm(view, c, slot, timeZone, state, back) {
  const booking = slotState(slot);
  view.title(`${t('deskFormTitle')}${t('registerFor', { title: formatDay(slot.startsAt, timeZone) })}`);
  const intro = [back, heading(t('deskFormTitle')), badge(booking), bookingDetails(slot, null, timeZone)];
  if (!booking.open) {
    view.render(
      ...intro,
      booking.kind === 'full' ? h('p', { class: 'notice notice--warn' }, t('deskFullHint')) : null,
      h('a', { class: 'button button--secondary', href: hash('c', c, 'desk') }, t('deskSeeOthers')),
    );
    return;
  }

  const categories = CATEGORIES.map(({ id: value }) => ({ value, label: categoryName(value), hint: t(`categoryHints.${value}`) }));
  const form = residentForm(view, state, {
    fields: ['category', 'description', 'name', 'phone', 'building'],
    controls: [
      radioGroup('category', t('categoryLabel'), { mark: 'required', hint: t('categoryHint') }, categories),
      field(
        'description',
        t('descriptionLabel'),
        { mark: 'required', hint: t('descriptionHint') },
        h('textarea', { id: 'f-description', name: 'description', rows: 3, maxlength: 500, required: true }),
      ),
      contactFields(),
    ],
    words: { title: t('deskFormSection'), hint: t('deskFormIntro'), submit: t('deskSubmit') },
    answers: ['category', 'description', 'name', 'phone'],
    required: ['category', 'description', 'name', 'phone'],
    errors: {
      scope: 'deskErrors',
      message: (path, serverMessage, problem) =>
        problem.code === 'duplicate_registration' ? t('deskFieldErrors.phoneDuplicate') : fieldErrorText(path, serverMessage, 'deskFieldErrors'),
      extra: (problem) => (EVENING_GONE.has(problem.code) ? h('p', {}, h('a', { href: hash('c', c, 'desk') }, t('deskSeeOthers'))) : null),
    },
    send: (body, key) => api.bookHelp(c, slot.id, body, key),
    sent: ({ request, manageToken }) => {
      const result = { request, token: manageToken, slot };
      return {
        result,
        entry: { kind: 'desk', communityId: c, slotId: slot.id, id: request.id, token: manageToken },
        details: { category: request.category, startsAt: slot.startsAt, endsAt: slot.endsAt, venue: slot.venue, timeZone, status: request.status },
        draw: () => renderConfirmation(view, c, timeZone, result),
      };
    },
  });
  view.render(...intro, ...form);
}

function renderConfirmation(view, c, timeZone, result) {
  const { request, token, slot } = result;
  const booked = h('section', { class: 'panel', 'aria-labelledby': 'done-slot' }, h('h2', { id: 'done-slot' }, t('deskTitle')), bookingDetails(slot, request, timeZone));
  if (request.status === 'pending_verification') {
    // Where the community verifies phones: held until the code from the SMS is typed here.
    codeStep(view, {
      phoneHint: request.phoneHint,
      verify: async (code) => (await api.verifyHelpRequest(c, slot.id, request.id, token, code)).request,
      placed: (placed) => {
        result.request = placed;
        updateSaved(placed.id, { status: placed.status });
        renderConfirmation(view, c, timeZone, result);
      },
      details: booked,
    });
    return;
  }
  const url = manageUrl({ kind: 'desk', communityId: c, slotId: slot.id, id: request.id, token });
  view.title(t('deskDone'));
  view.render(
    h(
      'div',
      { class: 'result result--confirmed' },
      heading(t('deskDone')),
      h('p', { class: 'result__position' }, formatDay(slot.startsAt, timeZone), ' ', formatTimes(slot.startsAt, slot.endsAt, timeZone)),
      h('p', {}, t('deskDoneText', { category: categoryName(request.category) })),
    ),
    booked,
    keepLink(url, { title: t('deskKeepTitle'), keep: t('deskKeep'), label: t('deskLinkLabel'), saved: t('deskSaved'), open: t('deskOpenManage') }),
    h('p', {}, h('a', { href: hash('c', c, 'desk') }, t('deskSeeOthers'))),
  );
}
