// A micro-wish (微心愿) from the community's pages: the form, then (the address becoming the wish's
// manage page) where it stands in words: waiting for review, on the wall, adopted by a team or a
// partner unit, fulfilled, or not published and why. Where the community verifies phones, the
// code from the SMS comes first.

import { api } from '../api.js';
import { communityTabs, DEFAULT_TIME_ZONE, errorText, hash, heading, loading, showListError, showManageLoadError } from '../common.js';
import { h } from '../dom.js';
import {
  buildingField,
  contactFields,
  errorSummary,
  field,
  fieldErrorText,
  honeypot,
  idempotencyKeyFor,
  input,
  keepLink,
  rememberFailure,
  setBusy,
  showConfirmation,
  showProblem as showFormProblem,
} from '../forms.js';
import { t } from '../i18n.js';
import { manageUrl, saveRegistration, savedRegistrations, updateSaved } from '../saved.js';
import { verifyPanel } from '../verify.js';
import { wishFacts, wishState } from '../wishes.js';

/** Per community, for this page load: what was typed, the last problem, the idempotency key, the result. */
const states = new Map();

const FIELDS = ['name', 'phone', 'title', 'description', 'building'];
const REQUIRED = ['name', 'phone', 'title'];
const TITLE_MAX = 40;
const DESCRIPTION_MAX = 300;
const SCOPE = 'wish.errors';

/** "••••8000": the phone's last digits, as the API shows them elsewhere, for the code step's hint. */
const phoneHintOf = (phone) => `••••${String(phone ?? '').replace(/\D/g, '').slice(-4)}`;

export async function showWish(view) {
  const { c } = view.route;
  let state = states.get(c);
  if (!state || (state.result && !view.rerendered)) {
    state = { values: {}, problem: null, key: null, keyBody: null, result: null };
    states.set(c, state);
  }
  view.title(t('wish.formTitle'));
  if (!view.rerendered) view.render(communityTabs(c, 'wish'), heading(t('wish.formTitle')), loading());
  let profile;
  try {
    profile = await view.community(c);
  } catch (error) {
    showListError(view, t('wish.formTitle'), error);
    return;
  }
  const timeZone = profile.timezone;
  if (state.result) renderWish(view, c, state.result.wish, state.result.token, timeZone, { justSent: true, phoneHint: state.result.phoneHint });
  else renderForm(view, c, timeZone, state, profile);
  view.focusHeading();
}

function renderForm(view, c, timeZone, state, profile) {
  view.title(`${profile.name} · ${t('wish.formTitle')}`);
  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, t('wish.submit'));
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'form-title' },
    contactFields({ building: false, phoneHint: t('wish.phoneHint') }),
    field('title', t('wish.titleLabel'), { mark: 'required', hint: t('wish.titleHint') }, input('title', { maxlength: TITLE_MAX, required: true, autocomplete: 'off' })),
    field(
      'description',
      t('wish.descriptionLabel'),
      { mark: 'optional', hint: t('wish.descriptionHint') },
      h('textarea', { id: 'f-description', name: 'description', rows: 4, maxlength: DESCRIPTION_MAX }),
    ),
    buildingField(),
    honeypot(),
    submit,
  );
  for (const name of FIELDS) if (state.values[name]) form.elements.namedItem(name).value = state.values[name];
  const remember = () => {
    for (const name of FIELDS) state.values[name] = form.elements.namedItem(name).value;
  };
  form.addEventListener('input', remember);
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    send(view, c, timeZone, state, form, summary, submit);
  });
  view.render(
    communityTabs(c, 'wish'),
    heading(t('wish.formTitle')),
    h('p', { class: 'lead' }, t('wish.intro')),
    h('p', {}, h('a', { href: hash('c', c, 'wishes') }, t('wish.toWall'))),
    h('h2', { id: 'form-title' }, t('wish.formSection')),
    h('p', { class: 'hint' }, t('wish.formHint')),
    summary,
    form,
  );
  if (state.problem) showProblem(form, summary, state.problem, { focus: false });
}

async function send(view, c, timeZone, state, form, summary, submit) {
  if (submit.disabled) return; // a second tap while the first is on its way
  const value = (name) => form.elements.namedItem(name).value;
  const body = {
    name: value('name').trim(),
    phone: value('phone').trim(),
    title: value('title').trim(),
    description: value('description').trim(),
    website: value('website'),
  };
  if (value('building').trim()) body.building = value('building').trim();
  const missing = REQUIRED.filter((name) => !body[name]).map((path) => ({ path }));
  if (missing.length) {
    state.problem = { code: 'validation_failed', errors: missing };
    showProblem(form, summary, state.problem, { focus: true });
    return;
  }
  // A new key for a new wish; the same key when the same answers are sent again after a failure.
  const key = idempotencyKeyFor(state, body);
  setBusy(submit, true);
  try {
    const { wish, manageToken } = await api.postWish(c, body, key);
    const phoneHint = phoneHintOf(body.phone);
    state.result = { wish, token: manageToken, phoneHint };
    state.problem = null;
    state.values = {};
    const entry = { kind: 'wish', communityId: c, id: wish.id, token: manageToken };
    saveRegistration({ ...entry, title: wish.title ?? body.title, status: wish.status, timeZone, startsAt: wish.createdAt, phoneHint });
    showConfirmation(view, () => renderWish(view, c, wish, manageToken, timeZone, { justSent: true, phoneHint }), entry);
  } catch (error) {
    rememberFailure(state, error);
    if (!view.current) return;
    setBusy(submit, false, t('wish.submit'));
    showProblem(form, summary, state.problem, { focus: true });
  }
}

function showProblem(form, summary, problem, { focus }) {
  showFormProblem(form, summary, problem, {
    fields: FIELDS,
    focus,
    scope: SCOPE,
    message: (path, serverMessage) => fieldErrorText(path, serverMessage, 'wish.fieldErrors'),
  });
}

// ---- the wish's manage page ----

export async function showWishManage(view) {
  const { c, id, token } = view.route;
  view.title(t('wish.manageHeading'));
  view.render(heading(t('wish.manageHeading')), loading());
  let profile;
  let data;
  try {
    [profile, data] = await Promise.all([view.community(c).catch(() => null), api.wish(c, id, token)]);
  } catch (error) {
    showManageLoadError(view, error, t('wish.manageHeading'), 'wish.manageErrors');
    return;
  }
  const saved = savedRegistrations().find((item) => item.id === id);
  renderWish(view, c, data.wish, token, profile?.timezone ?? saved?.timeZone ?? DEFAULT_TIME_ZONE, { phoneHint: saved?.phoneHint });
  view.focusHeading();
}

/** The status box's colour: waiting (submitted, published, held for the code), adopted or fulfilled, not published. */
const statusKind = (wish) => (wish.status === 'rejected' ? 'cancelled' : ['adopted', 'fulfilled'].includes(wish.status) ? 'confirmed' : 'waitlisted');

/**
 * The wish as its resident sees it: just sent (with the link to keep), or opened from the link.
 * While it waits for the phone's code, the code's panel comes first; the link is kept on this phone already.
 */
function renderWish(view, c, wish, token, timeZone, { justSent = false, phoneHint } = {}) {
  updateSaved(wish.id, { status: wish.status, title: wish.title, adoptedBy: wish.adoptedBy, adopterKind: wish.adopterKind });
  const state = wishState(wish);
  const url = manageUrl({ kind: 'wish', communityId: c, id: wish.id, token });
  const held = wish.status === 'pending_verification';
  const title = held ? t('verifyTitle') : justSent ? t('wish.done') : t('wish.manageHeading');
  view.title(`${title} · ${state.text}`);
  const refresh = h('button', { type: 'button', class: 'button button--secondary' }, t('refresh'));
  const problem = h('div', { role: 'alert' });
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    try {
      const data = await api.wish(c, wish.id, token);
      if (!view.current) return;
      renderWish(view, c, data.wish, token, timeZone, { phoneHint });
      document.getElementById('status-box')?.focus(); // read out the new status
    } catch (error) {
      refresh.disabled = false;
      problem.replaceChildren(h('p', { class: 'field-error' }, errorText(error.code, 'wish.manageErrors')));
    }
  });
  const verify = held
    ? verifyPanel({
        phoneHint: wish.phoneHint ?? phoneHint ?? t('wish.yourPhone'),
        verify: async (code) => (await api.verifyWish(c, wish.id, token, code)).wish,
        done: (placed) => {
          // The form's confirmation, drawn again (a language switch), shows the wish as it is now.
          const result = states.get(c)?.result;
          if (result?.wish.id === placed.id) result.wish = placed;
          if (!view.current) return;
          renderWish(view, c, placed, token, timeZone, { justSent, phoneHint });
          document.querySelector('main h1')?.focus();
        },
      })
    : null;
  view.render(
    held
      ? heading(title)
      : justSent
        ? h('div', { class: 'result result--confirmed' }, heading(title), h('p', {}, t('wish.doneText')))
        : heading(title),
    verify,
    h(
      'div',
      { class: `status status--${statusKind(wish)}`, id: 'status-box', tabindex: '-1' },
      h('p', { class: 'status__label' }, t('wish.statusLabel')),
      h('p', { class: 'status__value', id: 'wish-status' }, state.text),
      wish.status === 'rejected' && wish.rejectionNote ? h('p', { id: 'wish-reason' }, t('wish.rejectedBecause', { note: wish.rejectionNote })) : null,
      h('p', { class: 'hint' }, t(`wish.next.${wish.status}`)),
    ),
    h('section', { class: 'panel', 'aria-labelledby': 'wish-title' }, h('h2', { id: 'wish-title' }, wish.title), wishFacts(wish, timeZone)),
    justSent && !held ? keepLink(url, { title: t('wish.keepTitle'), keep: t('wish.keep'), label: t('wish.linkLabel'), saved: t('wish.saved'), open: t('wish.openManage') }) : null,
    ['fulfilled', 'rejected'].includes(wish.status) || held ? null : h('div', { class: 'actions' }, problem, refresh),
    ['published', 'adopted', 'fulfilled'].includes(wish.status) ? h('p', {}, h('a', { href: hash('c', c, 'wishes') }, t('wish.toWall'))) : null,
    h('p', {}, h('a', { href: hash('c', c, 'wish') }, t('wish.another'))),
  );
}
