// Reporting a problem (问题上报, 派单) from the community's pages: the form, then (the address becoming
// the order's manage page) where the order stands in words, and once it is resolved a rating that
// closes it. Where the community verifies phones, the code from the SMS comes first. What a report
// shares with a wish (the form, sending it, the manage page) is in resident-items.js.

import { api } from '../api.js';
import { categoryName } from '../desk.js';
import { h } from '../dom.js';
import { buildingField, contactFields, errorSummary, field, fieldErrorText, idempotencyKeyFor, radioGroup, rememberFailure, setBusy, showProblem } from '../forms.js';
import { CATEGORIES } from '../glossary.js';
import { t } from '../i18n.js';
import { itemPage, phoneHintOf, showFilingPage, showItemManage } from '../resident-items.js';
import { updateSaved } from '../saved.js';
import { workOrderFacts, workOrderState } from '../work-orders.js';

/** Per order, for this page load: the rating form's answers, problem and key. */
const ratings = new Map();

const RATING_FIELDS = ['rating', 'comment'];

/** A work order as a resident's item (resident-items.js says what each part is). */
const REPORT = {
  kind: 'report',
  table: 'wo',
  states: new Map(),
  fields: ['name', 'phone', 'category', 'description', 'building'],
  answers: ['name', 'phone', 'category', 'description'],
  required: ['name', 'phone', 'category', 'description'],
  controls: () => [
    contactFields({ building: false }),
    radioGroup(
      'category',
      t('wo.categoryLabel'),
      { mark: 'required', hint: t('categoryHint') },
      CATEGORIES.map(({ id: value }) => ({ value, label: categoryName(value), hint: t(`categoryHints.${value}`) })),
    ),
    field(
      'description',
      t('wo.descriptionLabel'),
      { mark: 'required', hint: t('wo.descriptionHint') },
      h('textarea', { id: 'f-description', name: 'description', rows: 4, maxlength: 500, required: true }),
    ),
    buildingField({ label: t('wo.whereLabel'), hint: t('wo.whereHint') }),
  ],
  send: (c, body, key) => api.reportProblem(c, body, key),
  placed: ({ workOrder, manageToken }, body) => {
    // The reporter's view as it is now, for the name and building typed (the answer has them too).
    const order = { ...workOrder };
    return { item: order, token: manageToken, phoneHint: order.phoneHint ?? phoneHintOf(body.phone) };
  },
  saved: (order) => ({ category: order.category }),
  load: async (c, id, token) => (await api.workOrder(c, id, token)).workOrder,
  verify: async (c, id, token, code) => (await api.verifyWorkOrder(c, id, token, code)).workOrder,
  ids: 'order',
  final: ['closed', 'rejected', 'pending_verification'],
  draw: renderOrder,
};

export const showReport = (view) => showFilingPage(view, REPORT);

export const showReportManage = (view) => showItemManage(view, REPORT);

/** The order as its reporter sees it (itemPage); `said`: what just happened, focused ('rated'). */
function renderOrder(view, c, order, token, timeZone, { justSent = false, said = null, phoneHint } = {}) {
  updateSaved(order.id, { status: order.status, team: order.team, acceptedByName: order.acceptedByName });
  const state = workOrderState(order);
  itemPage(view, REPORT, { c, item: order, token, timeZone, justSent, phoneHint }, {
    status: { text: state.text, kind: order.status === 'rejected' ? 'cancelled' : state.kind === 'full' ? 'waitlisted' : 'confirmed' },
    doneText: t('wo.doneText', { category: categoryName(order.category) }),
    refusals: { rate_limited: t('wo.verifyTooMany'), not_found: t('wo.verifyGone') },
    notice: said === 'rated' ? h('p', { class: 'notice notice--ok', id: 'rated', tabindex: '-1', role: 'status' }, t('wo.rated')) : null,
    details: [
      h('section', { class: 'panel', 'aria-labelledby': 'order-title' }, h('h2', { id: 'order-title' }, t('wo.orderTitle')), workOrderFacts(order, timeZone)),
      order.status === 'resolved' ? ratingForm(view, c, order, token, timeZone) : null,
    ],
  });
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
    showProblem(form, summary, state.problem, {
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
