// Reporting a problem (问题上报, 派单) from the community's pages: the form, then (the address becoming
// the order's manage page) where the order stands in words, and once it is resolved a rating that
// closes it. Where the community verifies phones, the code from the SMS comes first.

import { api } from '../api.js';
import { communityTabs, DEFAULT_TIME_ZONE, errorText, hash, heading, loading, showListError, showManageLoadError } from '../common.js';
import { categoryName } from '../desk.js';
import { h } from '../dom.js';
import {
  buildingField,
  contactFields,
  errorSummary,
  field,
  fieldErrorText,
  honeypot,
  idempotencyKeyFor,
  keepLink,
  radioGroup,
  rememberFailure,
  setBusy,
  showConfirmation,
  showProblem as showFormProblem,
} from '../forms.js';
import { CATEGORIES } from '../glossary.js';
import { t } from '../i18n.js';
import { manageUrl, saveRegistration, savedRegistrations, updateSaved } from '../saved.js';
import { verifyPanel } from '../verify.js';
import { workOrderFacts, workOrderState } from '../work-orders.js';

/** Per community, for this page load: what was typed, the last problem, the idempotency key, the result. */
const states = new Map();
/** Per order, for this page load: the rating form's answers, problem and key. */
const ratings = new Map();

const FIELDS = ['name', 'phone', 'category', 'description', 'building'];
const RATING_FIELDS = ['rating', 'comment'];
const SCOPE = 'wo.errors';

/** "••••8000": the phone's last digits, as the API shows them elsewhere, for the code step's hint. */
const phoneHintOf = (phone) => `••••${String(phone ?? '').replace(/\D/g, '').slice(-4)}`;

export async function showReport(view) {
  const { c } = view.route;
  let state = states.get(c);
  if (!state || (state.result && !view.rerendered)) {
    state = { values: {}, problem: null, key: null, keyBody: null, result: null };
    states.set(c, state);
  }
  view.title(t('wo.formTitle'));
  if (!view.rerendered) view.render(communityTabs(c, 'report'), heading(t('wo.formTitle')), loading());
  let profile;
  try {
    profile = await view.community(c);
  } catch (error) {
    showListError(view, t('wo.formTitle'), error);
    return;
  }
  const timeZone = profile.timezone;
  if (state.result) renderOrder(view, c, state.result.order, state.result.token, timeZone, { justSent: true, phoneHint: state.result.phoneHint });
  else renderForm(view, c, timeZone, state, profile);
  view.focusHeading();
}

function renderForm(view, c, timeZone, state, profile) {
  view.title(`${profile.name} · ${t('wo.formTitle')}`);
  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, t('wo.submit'));
  const categories = CATEGORIES.map(({ id: value }) => ({ value, label: categoryName(value), hint: t(`categoryHints.${value}`) }));
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'form-title' },
    contactFields({ building: false }),
    radioGroup('category', t('wo.categoryLabel'), { mark: 'required', hint: t('categoryHint') }, categories),
    field(
      'description',
      t('wo.descriptionLabel'),
      { mark: 'required', hint: t('wo.descriptionHint') },
      h('textarea', { id: 'f-description', name: 'description', rows: 4, maxlength: 500, required: true }),
    ),
    buildingField({ label: t('wo.whereLabel'), hint: t('wo.whereHint') }),
    honeypot(),
    submit,
  );
  for (const name of FIELDS) {
    if (!state.values[name]) continue;
    if (name === 'category') {
      const choice = form.querySelector(`input[name="category"][value="${CSS.escape(state.values.category)}"]`);
      if (choice) choice.checked = true;
    } else form.elements.namedItem(name).value = state.values[name];
  }
  const remember = () => {
    for (const name of FIELDS) state.values[name] = form.elements.namedItem(name).value;
  };
  form.addEventListener('input', remember);
  form.addEventListener('change', remember);
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    send(view, c, timeZone, state, form, summary, submit);
  });
  view.render(
    communityTabs(c, 'report'),
    heading(t('wo.formTitle')),
    h('p', { class: 'lead' }, t('wo.intro')),
    h('h2', { id: 'form-title' }, t('wo.formSection')),
    h('p', { class: 'hint' }, t('wo.formHint')),
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
    category: value('category'),
    description: value('description').trim(),
    website: value('website'),
  };
  if (value('building').trim()) body.building = value('building').trim();
  const missing = ['name', 'phone', 'category', 'description'].filter((name) => !body[name]).map((path) => ({ path }));
  if (missing.length) {
    state.problem = { code: 'validation_failed', errors: missing };
    showProblem(form, summary, state.problem, { focus: true });
    return;
  }
  // A new key for a new report; the same key when the same answers are sent again after a failure.
  const key = idempotencyKeyFor(state, body);
  setBusy(submit, true);
  try {
    const { workOrder, manageToken } = await api.reportProblem(c, body, key);
    // The reporter's view as it is now, for the name and building typed (the answer has them too).
    const order = { ...workOrder };
    const phoneHint = order.phoneHint ?? phoneHintOf(body.phone);
    state.result = { order, token: manageToken, phoneHint };
    state.problem = null;
    state.values = {};
    const entry = { kind: 'report', communityId: c, id: order.id, token: manageToken };
    saveRegistration({ ...entry, category: order.category, status: order.status, timeZone, startsAt: order.createdAt, phoneHint });
    showConfirmation(view, () => renderOrder(view, c, order, manageToken, timeZone, { justSent: true, phoneHint }), entry);
  } catch (error) {
    rememberFailure(state, error);
    if (!view.current) return;
    setBusy(submit, false, t('wo.submit'));
    showProblem(form, summary, state.problem, { focus: true });
  }
}

function showProblem(form, summary, problem, { focus }) {
  showFormProblem(form, summary, problem, {
    fields: FIELDS,
    focus,
    scope: SCOPE,
    message: (path, serverMessage) => fieldErrorText(path, serverMessage, 'wo.fieldErrors'),
  });
}

// ---- the order's manage page ----

export async function showReportManage(view) {
  const { c, id, token } = view.route;
  view.title(t('wo.manageHeading'));
  view.render(heading(t('wo.manageHeading')), loading());
  let profile;
  let data;
  try {
    [profile, data] = await Promise.all([view.community(c).catch(() => null), api.workOrder(c, id, token)]);
  } catch (error) {
    showManageLoadError(view, error, t('wo.manageHeading'), 'wo.manageErrors');
    return;
  }
  const saved = savedRegistrations().find((item) => item.id === id);
  renderOrder(view, c, data.workOrder, token, profile?.timezone ?? saved?.timeZone ?? DEFAULT_TIME_ZONE, { phoneHint: saved?.phoneHint });
  view.focusHeading();
}

/**
 * The order as its reporter sees it: just sent (with the link to keep), or opened from the link.
 * While it waits for the phone's code, the code's panel comes first; the link is kept on this phone
 * already. `said`: what just happened, focused ('rated').
 */
function renderOrder(view, c, order, token, timeZone, { justSent = false, said = null, phoneHint } = {}) {
  updateSaved(order.id, { status: order.status, team: order.team, acceptedByName: order.acceptedByName });
  const state = workOrderState(order);
  const url = manageUrl({ kind: 'report', communityId: c, id: order.id, token });
  const held = order.status === 'pending_verification';
  const title = held ? t('verifyTitle') : justSent ? t('wo.done') : t('wo.manageHeading');
  view.title(`${title} · ${state.text}`);
  const refresh = h('button', { type: 'button', class: 'button button--secondary' }, t('refresh'));
  const problem = h('div', { role: 'alert' });
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    try {
      const data = await api.workOrder(c, order.id, token);
      if (!view.current) return;
      renderOrder(view, c, data.workOrder, token, timeZone, { phoneHint });
      document.getElementById('status-box')?.focus(); // read out the new status
    } catch (error) {
      refresh.disabled = false;
      problem.replaceChildren(h('p', { class: 'field-error' }, errorText(error.code, 'wo.manageErrors')));
    }
  });
  const verify = held
    ? verifyPanel({
        phoneHint: order.phoneHint ?? phoneHint ?? t('wo.yourPhone'),
        verify: async (code) => (await api.verifyWorkOrder(c, order.id, token, code)).workOrder,
        refusals: { rate_limited: t('wo.verifyTooMany'), not_found: t('wo.verifyGone') },
        done: (placed) => {
          // The form's confirmation, drawn again (a language switch), shows the order as it is now.
          const result = states.get(c)?.result;
          if (result?.order.id === placed.id) result.order = placed;
          if (!view.current) return;
          renderOrder(view, c, placed, token, timeZone, { justSent, phoneHint });
          document.querySelector('main h1')?.focus();
        },
      })
    : null;
  view.render(
    justSent && !held
      ? h('div', { class: 'result result--confirmed' }, heading(title), h('p', {}, t('wo.doneText', { category: categoryName(order.category) })))
      : heading(title),
    verify,
    said === 'rated' ? h('p', { class: 'notice notice--ok', id: 'rated', tabindex: '-1', role: 'status' }, t('wo.rated')) : null,
    h(
      'div',
      { class: `status status--${order.status === 'rejected' ? 'cancelled' : state.kind === 'full' ? 'waitlisted' : 'confirmed'}`, id: 'status-box', tabindex: '-1' },
      h('p', { class: 'status__label' }, t('wo.statusLabel')),
      h('p', { class: 'status__value', id: 'order-status' }, state.text),
      order.status === 'rejected' && order.rejectionNote ? h('p', { id: 'order-reason' }, t('wo.rejectedBecause', { note: order.rejectionNote })) : null,
      h('p', { class: 'hint' }, t(`wo.next.${order.status}`)),
    ),
    h('section', { class: 'panel', 'aria-labelledby': 'order-title' }, h('h2', { id: 'order-title' }, t('wo.orderTitle')), workOrderFacts(order, timeZone)),
    order.status === 'resolved' ? ratingForm(view, c, order, token, timeZone) : null,
    justSent && !held ? keepLink(url, { title: t('wo.keepTitle'), keep: t('wo.keep'), label: t('wo.linkLabel'), saved: t('wo.saved'), open: t('wo.openManage') }) : null,
    ['closed', 'rejected', 'pending_verification'].includes(order.status) ? null : h('div', { class: 'actions' }, problem, refresh),
    h('p', {}, h('a', { href: hash('c', c, 'report') }, t('wo.another'))),
  );
}

/** 1–5 as a group of big radio buttons and an optional comment: the reporter confirms the order and it closes. */
function ratingForm(view, c, order, token, timeZone) {
  let state = ratings.get(order.id);
  if (!state) {
    state = { values: {}, problem: null, key: null, keyBody: null };
    ratings.set(order.id, state);
  }
  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, t('wo.rateSubmit'));
  const options = [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: t(`wo.ratingOptions.${n}`) }));
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'rate-title' },
    radioGroup('rating', t('wo.ratingLabel'), { mark: 'required', hint: t('wo.ratingHint') }, options),
    field('comment', t('wo.commentLabel'), { mark: 'optional', hint: t('wo.commentHint') }, h('textarea', { id: 'f-comment', name: 'comment', rows: 3, maxlength: 300 })),
    submit,
  );
  if (state.values.rating) {
    const choice = form.querySelector(`input[name="rating"][value="${CSS.escape(state.values.rating)}"]`);
    if (choice) choice.checked = true;
  }
  if (state.values.comment) form.elements.namedItem('comment').value = state.values.comment;
  const remember = () => {
    state.values = { rating: form.elements.namedItem('rating').value, comment: form.elements.namedItem('comment').value };
  };
  form.addEventListener('input', remember);
  form.addEventListener('change', remember);
  const show = (focus) =>
    showFormProblem(form, summary, state.problem, {
      fields: RATING_FIELDS,
      focus,
      scope: 'wo.manageErrors',
      message: (path, serverMessage) => fieldErrorText(path, serverMessage, 'wo.fieldErrors'),
    });
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    if (submit.disabled) return;
    const rating = form.elements.namedItem('rating').value;
    const comment = form.elements.namedItem('comment').value.trim();
    if (!rating) {
      state.problem = { code: 'validation_failed', errors: [{ path: 'rating' }] };
      show(true);
      return;
    }
    const body = comment ? { rating: Number(rating), comment } : { rating: Number(rating) };
    setBusy(submit, true);
    try {
      const result = await api.rateWorkOrder(c, order.id, token, body, idempotencyKeyFor(state, body));
      ratings.delete(order.id);
      if (!view.current) return;
      renderOrder(view, c, result.workOrder, token, timeZone, { said: 'rated' });
      document.getElementById('rated')?.focus();
    } catch (error) {
      rememberFailure(state, error);
      if (!view.current) return;
      setBusy(submit, false, t('wo.rateSubmit'));
      show(true);
    }
  });
  const section = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'rate-title' },
    h('h2', { id: 'rate-title' }, t('wo.rateTitle')),
    h('p', {}, t('wo.rateIntro')),
    summary,
    form,
  );
  if (state.problem) show(false);
  return section;
}
