// What a resident's "file something, then manage it" pages share (an event sign-up, a help-desk
// booking, a reported problem, a micro-wish): the form's state for this page load; the form itself
// (its answers kept through a language switch, the required ones checked, sent once under an
// Idempotency-Key, saved to 我的报名 and replaced by the confirmation); and, for a report or a wish,
// the page with its form, the manage page's loader and the item as its resident sees it; for a
// sign-up or a booking, the code step of its confirmation. Each page
// says what differs (fields, words, the API call, what is saved) as data and small callbacks.

import { communityTabs, DEFAULT_TIME_ZONE, errorText, hash, heading, loading, showListError, showManageLoadError } from './common.js';
import { h } from './dom.js';
import { errorSummary, fieldErrorText, honeypot, idempotencyKeyFor, keepLink, rememberFailure, setBusy, showConfirmation, showProblem } from './forms.js';
import { t } from './i18n.js';
import { manageUrl, saveRegistration, savedRegistrations } from './saved.js';
import { verifyPanel } from './verify.js';

/** "••••8000": the phone's last digits, as the API shows them elsewhere, for the code step's hint. */
export const phoneHintOf = (phone) => `••••${String(phone ?? '').replace(/\D/g, '').slice(-4)}`;

/**
 * The form's state under `key` (a community, an evening, an event) in `states`, for this page load:
 * what was typed, the last problem, the idempotency key, the result. Arriving afresh (not a language
 * switch) after a finished one starts a new form.
 */
export function formState(states, key, view) {
  let state = states.get(key);
  if (!state || (state.result && !view.rerendered)) {
    state = { values: {}, problem: null, key: null, keyBody: null, result: null };
    states.set(key, state);
  }
  return state;
}

/** What is sent: `answers` trimmed (or read by `parse[name]`), the honeypot as typed, then each of `optional` that is filled in. */
function readAnswers(form, { answers, parse = {}, optional = ['building'] }) {
  const value = (name) => form.elements.namedItem(name).value;
  const body = {};
  for (const name of answers) body[name] = parse[name] ? parse[name](value(name)) : value(name).trim();
  body.website = value('website');
  for (const name of optional) if (value(name).trim()) body[name] = value(name).trim();
  return body;
}

/**
 * A resident's form and what comes before it, in the page's order: the section's title (#form-title,
 * which names the form) and hint, the error summary, the form (`controls`, the honeypot, the submit
 * button). The state's answers are drawn again and kept as typed, its problem shown again.
 *
 * - fields: the names kept, drawn again and cleared of errors; `preset`: those whose controls are drawn
 *   with the kept answer already.
 * - words: { title, hint, submit }.
 * - answers, parse, optional: what is sent (readAnswers); `required`: the names that must not be empty.
 * - errors: { scope, fieldErrors?, message?(path, serverMessage, problem), extra?(problem) }: the words of a
 *   problem (see showProblem); a field's words come from the `fieldErrors` table unless `message` says.
 * - send(body, key): the API call; sent(answer, body): { result, entry, details, draw } — the state's
 *   result, the manage entry (the address it becomes), what else 我的报名 keeps, and the confirmation.
 */
export function residentForm(view, state, spec) {
  const { fields, preset = [], controls, words, required, errors } = spec;
  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, words.submit);
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'form-title' }, controls, honeypot(), submit);
  for (const name of fields) {
    // A group of radio buttons (a RadioNodeList) checks the choice of that value.
    if (!preset.includes(name) && state.values[name]) form.elements.namedItem(name).value = state.values[name];
  }
  const remember = () => {
    for (const name of fields) state.values[name] = form.elements.namedItem(name).value;
  };
  form.addEventListener('input', remember);
  form.addEventListener('change', remember);
  const message = errors.message ?? ((path, serverMessage) => fieldErrorText(path, serverMessage, errors.fieldErrors));
  const show = (focus) =>
    showProblem(form, summary, state.problem, {
      fields,
      focus,
      scope: errors.scope,
      message: (path, serverMessage) => message(path, serverMessage, state.problem),
      extra: errors.extra?.(state.problem) ?? null,
    });

  const send = async () => {
    if (submit.disabled) return; // a second tap while the first is on its way
    const body = readAnswers(form, spec);
    const missing = required.filter((name) => !body[name]).map((path) => ({ path }));
    if (missing.length) {
      state.problem = { code: 'validation_failed', errors: missing };
      show(true);
      return;
    }
    // A new key for new answers; the same key when the same answers are sent again after a failure.
    const key = idempotencyKeyFor(state, body);
    setBusy(submit, true);
    try {
      const { result, entry, details, draw } = spec.sent(await spec.send(body, key), body);
      state.result = result;
      state.problem = null;
      state.values = {};
      saveRegistration({ ...entry, ...details });
      showConfirmation(view, draw, entry);
    } catch (error) {
      rememberFailure(state, error);
      if (!view.current) return;
      setBusy(submit, false, words.submit);
      show(true);
    }
  };
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    send();
  });
  if (state.problem) show(false);
  return [h('h2', { id: 'form-title' }, words.title), h('p', { class: 'hint' }, words.hint), summary, form];
}

/**
 * A sign-up's or a booking's confirmation while the community verifies phones: held until the code
 * from the SMS is typed here, above `details` (what was signed up for or booked). `verify(code)`
 * resolves with the placed request; `placed(request)` keeps it and draws the confirmation again,
 * whose heading is then focused.
 */
export function codeStep(view, { phoneHint, verify, placed, details }) {
  view.title(t('verifyTitle'));
  view.render(
    heading(t('verifyTitle')),
    verifyPanel({
      phoneHint,
      verify,
      done: (request) => {
        if (!view.current) return;
        placed(request);
        document.querySelector('main h1')?.focus();
      },
    }),
    details,
  );
}

// ---- a report or a wish: the community's tab with its form, the manage page, the item ----
//
// `item`, the page's own description of its kind of item:
// - kind: 'report' | 'wish' (the tab, the form's route and the manage entry's kind); table: where its
//   words are ('wo' | 'wish': formTitle, intro, formSection, formHint, submit, errors, fieldErrors,
//   manageHeading, manageErrors, done, statusLabel, rejectedBecause, next.<status>, yourPhone,
//   keepTitle, keep, linkLabel, saved, openManage, another).
// - states: the forms' states by community (formState).
// - fields, answers, required, controls(): the form (residentForm).
// - send(c, body, key): the API call; placed(answer, body): { item, token, phoneHint } of the answer;
//   saved(item, body): what 我的报名 keeps of it besides its status, time zone, date and phone hint.
// - load(c, id, token): the item as it is now; verify(c, id, token, code): the item once its code is right.
// - ids: the prefix of the status box's ids; final: the statuses with nothing to refresh.
// - draw(view, c, item, token, timeZone, { justSent, phoneHint }): the page's own drawing, which calls itemPage.

/** The community's tab of `item`: its form, or once sent (a language switch draws it again) the item. `intro`: more under the lead. */
export async function showFilingPage(view, item, intro = () => null) {
  const { c } = view.route;
  const state = formState(item.states, c, view);
  const { table } = item;
  view.title(t(`${table}.formTitle`));
  if (!view.rerendered) view.render(communityTabs(c, item.kind), heading(t(`${table}.formTitle`)), loading());
  let profile;
  try {
    profile = await view.community(c);
  } catch (error) {
    showListError(view, t(`${table}.formTitle`), error);
    return;
  }
  const timeZone = profile.timezone;
  if (state.result) {
    const { item: sent, token, phoneHint } = state.result;
    item.draw(view, c, sent, token, timeZone, { justSent: true, phoneHint });
  } else {
    view.title(`${profile.name} · ${t(`${table}.formTitle`)}`);
    const form = residentForm(view, state, {
      fields: item.fields,
      controls: item.controls(),
      words: { title: t(`${table}.formSection`), hint: t(`${table}.formHint`), submit: t(`${table}.submit`) },
      answers: item.answers,
      required: item.required,
      errors: { scope: `${table}.errors`, fieldErrors: `${table}.fieldErrors` },
      send: (body, key) => item.send(c, body, key),
      sent: (answer, body) => {
        const { item: placed, token, phoneHint } = item.placed(answer, body);
        const entry = { kind: item.kind, communityId: c, id: placed.id, token };
        return {
          result: { item: placed, token, phoneHint },
          entry,
          details: { ...item.saved(placed, body), status: placed.status, timeZone, startsAt: placed.createdAt, phoneHint },
          draw: () => item.draw(view, c, placed, token, timeZone, { justSent: true, phoneHint }),
        };
      },
    });
    view.render(communityTabs(c, item.kind), heading(t(`${table}.formTitle`)), h('p', { class: 'lead' }, t(`${table}.intro`)), intro(c), ...form);
  }
  view.focusHeading();
}

/** The item's manage page (its manage link): loaded, or why not; the time zone and phone hint from this phone where the community's are not known. */
export async function showItemManage(view, item) {
  const { c, id, token } = view.route;
  const { table } = item;
  view.title(t(`${table}.manageHeading`));
  view.render(heading(t(`${table}.manageHeading`)), loading());
  let profile;
  let found;
  try {
    [profile, found] = await Promise.all([view.community(c).catch(() => null), item.load(c, id, token)]);
  } catch (error) {
    showManageLoadError(view, error, t(`${table}.manageHeading`), `${table}.manageErrors`);
    return;
  }
  const saved = savedRegistrations().find((entry) => entry.id === id);
  item.draw(view, c, found, token, profile?.timezone ?? saved?.timeZone ?? DEFAULT_TIME_ZONE, { phoneHint: saved?.phoneHint });
  view.focusHeading();
}

/**
 * The item as its resident sees it: just sent (with the link to keep), or opened from the link.
 * While it waits for the phone's code, the code's panel comes first; the link is kept on this phone
 * already. `shown`: { c, item, token, timeZone, justSent, phoneHint } as drawn; `page`: the page's
 * own parts: status { text, kind (the box's colour) }, doneText, refusals (the code's), notice
 * (above the status), details (below it), links (above "another").
 */
export function itemPage(view, item, shown, page) {
  const { c, item: current, token, timeZone, justSent = false, phoneHint } = shown;
  const { table } = item;
  const held = current.status === 'pending_verification';
  const title = held ? t('verifyTitle') : justSent ? t(`${table}.done`) : t(`${table}.manageHeading`);
  view.title(`${title} · ${page.status.text}`);
  const refresh = h('button', { type: 'button', class: 'button button--secondary' }, t('refresh'));
  const problem = h('div', { role: 'alert' });
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    try {
      const fresh = await item.load(c, current.id, token);
      if (!view.current) return;
      item.draw(view, c, fresh, token, timeZone, { phoneHint });
      document.getElementById('status-box')?.focus(); // read out the new status
    } catch (error) {
      refresh.disabled = false;
      problem.replaceChildren(h('p', { class: 'field-error' }, errorText(error.code, `${table}.manageErrors`)));
    }
  });
  const verify = held
    ? verifyPanel({
        phoneHint: current.phoneHint ?? phoneHint ?? t(`${table}.yourPhone`),
        verify: (code) => item.verify(c, current.id, token, code),
        refusals: page.refusals,
        done: (placed) => {
          // The form's confirmation, drawn again (a language switch), shows the item as it is now.
          const result = item.states.get(c)?.result;
          if (result?.item.id === placed.id) result.item = placed;
          if (!view.current) return;
          item.draw(view, c, placed, token, timeZone, { justSent, phoneHint });
          document.querySelector('main h1')?.focus();
        },
      })
    : null;
  const url = manageUrl({ kind: item.kind, communityId: c, id: current.id, token });
  const keepWords = { title: t(`${table}.keepTitle`), keep: t(`${table}.keep`), label: t(`${table}.linkLabel`), saved: t(`${table}.saved`), open: t(`${table}.openManage`) };
  view.render(
    justSent && !held ? h('div', { class: 'result result--confirmed' }, heading(title), h('p', {}, page.doneText)) : heading(title),
    verify,
    page.notice,
    h(
      'div',
      { class: `status status--${page.status.kind}`, id: 'status-box', tabindex: '-1' },
      h('p', { class: 'status__label' }, t(`${table}.statusLabel`)),
      h('p', { class: 'status__value', id: `${item.ids}-status` }, page.status.text),
      current.status === 'rejected' && current.rejectionNote ? h('p', { id: `${item.ids}-reason` }, t(`${table}.rejectedBecause`, { note: current.rejectionNote })) : null,
      h('p', { class: 'hint' }, t(`${table}.next.${current.status}`)),
    ),
    page.details,
    justSent && !held ? keepLink(url, keepWords) : null,
    item.final.includes(current.status) ? null : h('div', { class: 'actions' }, problem, refresh),
    page.links,
    h('p', {}, h('a', { href: hash('c', c, item.kind) }, t(`${table}.another`))),
  );
}
