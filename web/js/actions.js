// Buttons that ask first: the confirmation box that takes a button's place (cancelling a
// registration or a booking, redeeming points, signing out on a phone), the buttons under a
// manage page (an event registration or a help-desk booking): refresh the status, and cancel;
// a volunteer's button that takes one thing (a shift, a wish, a work order) that only one can get;
// and a button that downloads a file (a calendar, a roster as CSV).

import { errorText } from './common.js';
import { h, replace } from './dom.js';
import { idempotencyKeyFor, rememberFailure, setBusy } from './forms.js';
import { t } from './i18n.js';

/**
 * Ask before doing something, in place of what `container` shows: a titled box (its title focused),
 * its text, `body` (more to read or choose), a line for a failure, and the yes / no buttons.
 * words: { title, text?, yes, no, busy }; `heading`: the title's tag, under the page's own headings;
 * `danger`: a red box and button (cancelling, signing out) rather than a green one.
 * onYes() does it: an ApiError it throws is shown here (in words from `scope` first, see errorText)
 * and the buttons work again. onNo() puts back what was there.
 * Returns { yes, failure } for a caller that changes them while the box is open.
 */
export function confirmStep(container, { words, body = null, onYes, onNo, scope, heading = 'h2', danger = true }) {
  const yes = h('button', { type: 'button', class: danger ? 'button button--danger' : 'button' }, words.yes);
  const no = h('button', { type: 'button', class: 'button button--secondary' }, words.no);
  const failure = h('div', { role: 'alert' });
  const title = h(heading, { id: 'confirm-title', class: 'confirm__title', tabindex: '-1' }, words.title);
  no.addEventListener('click', onNo);
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    yes.textContent = words.busy;
    try {
      await onYes();
    } catch (error) {
      yes.disabled = false;
      no.disabled = false;
      yes.textContent = words.yes;
      replace(failure, h('p', { class: 'field-error' }, errorText(error.code, scope)));
      // The words are announced (role alert); focus goes back to the button it left while disabled.
      if (yes.isConnected) yes.focus();
    }
  });
  replace(
    container,
    h('section', { class: danger ? 'confirm' : 'confirm confirm--go', 'aria-labelledby': 'confirm-title' }, title, words.text ? h('p', {}, words.text) : null, body, failure, yes, no),
  );
  title.focus();
  return { yes, failure };
}

/**
 * One button that asks first: tapped, it gives way to confirmStep's box; "no" (or close()) brings it
 * back. ask() gives confirmStep's options afresh each time the box opens, with `opened(step)` if
 * the caller wants the box's parts. Returns { place, close }: `place` goes on the page.
 */
export function askingButton(button, ask) {
  const place = h('div', { class: 'actions' }, button);
  const close = () => replace(place, button);
  button.addEventListener('click', () => {
    const options = ask();
    const step = confirmStep(place, {
      onNo: () => {
        close();
        button.focus();
      },
      ...options,
    });
    options.opened?.(step);
  });
  return { place, close };
}

/**
 * words: { cancel, confirmTitle, confirmText, yes, no }: the page's own words for cancelling.
 * refresh() and cancel() call the API and draw the page again; an ApiError they throw is shown here
 * (in words from `scope` first, see errorText) and the buttons work again.
 */
export function manageActions({ words, refresh, cancel, scope }) {
  const actions = h('div', { class: 'actions' });
  const problem = h('div', { role: 'alert' });

  async function onRefresh(clicked) {
    const button = clicked.currentTarget;
    button.disabled = true;
    try {
      await refresh();
    } catch (error) {
      button.disabled = false;
      replace(problem, h('p', { class: 'field-error' }, errorText(error.code, scope)));
    }
  }

  const showActions = () =>
    replace(
      actions,
      problem,
      h('button', { type: 'button', class: 'button button--secondary', onclick: onRefresh }, t('refresh')),
      h('button', { type: 'button', class: 'button button--danger', onclick: askToCancel }, words.cancel),
    );

  function askToCancel() {
    confirmStep(actions, {
      words: { title: words.confirmTitle, text: words.confirmText, yes: words.yes, no: words.no, busy: t('cancelling') },
      scope,
      onYes: cancel,
      onNo: () => {
        showActions();
        actions.querySelector('.button--danger')?.focus();
      },
    });
  }

  showActions();
  return actions;
}

/**
 * A button that takes one thing for a volunteer (报名值班, 认领 a wish, 接单 an order), of which only one
 * taker gets each. Taken, `done()` follows; refused, the reason is said beside it: where the button
 * can no longer help (a code of `gone`) it goes and the words take focus, otherwise the button stays
 * focused to try again under the same Idempotency-Key.
 * label(): the button's content; send(keyFor): the call, `keyFor(body)` giving the key for what it
 * sends; on: { code: handle() } for refusals the page handles itself (the code no longer working);
 * words(code): the words for any other, in an element of id `problemId`.
 * Returns what goes at the foot of the card: the problem's line and the button.
 */
export function claimButton({ view, label, send, on = {}, gone, words, problemId, done }) {
  const button = h('button', { type: 'button', class: 'button' }, label());
  const problem = h('div', { role: 'alert' });
  const state = { key: null, keyBody: null };
  button.addEventListener('click', async () => {
    if (button.disabled) return undefined;
    setBusy(button, true);
    replace(problem);
    try {
      await send((body) => idempotencyKeyFor(state, body));
    } catch (error) {
      if (!view.current) return undefined;
      rememberFailure(state, error);
      if (Object.hasOwn(on, error.code)) return on[error.code]();
      setBusy(button, false, '');
      button.append(...label());
      const said = h('p', { class: 'field-error', id: problemId, tabindex: '-1' }, words(error.code));
      replace(problem, said);
      if (gone.has(error.code)) {
        button.remove();
        said.focus();
      } else button.focus();
      return undefined;
    }
    return done();
  });
  return [problem, h('div', { class: 'actions' }, button)];
}

/**
 * A button that fetches a file with the caller's credential (in a header, never in an address) and
 * hands it over as a download, and the line that says how it went.
 * `fetchFile()` returns a Blob; words: { label, done }; `describedBy`: the id of a hint, if any.
 * Returns [button, status] to place on the page.
 */
export function downloadButton({ words, fileName, type, fetchFile, scope, describedBy, id }) {
  const status = h('p', { class: 'copy-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'button button--secondary', id, 'aria-describedby': describedBy }, words.label);
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    status.textContent = '';
    try {
      const file = await fetchFile();
      const url = URL.createObjectURL(new Blob([file], { type }));
      const link = h('a', { href: url, download: fileName, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      status.textContent = words.done;
    } catch (error) {
      status.textContent = errorText(error.code, scope);
    } finally {
      button.disabled = false;
    }
  });
  return [button, status];
}
