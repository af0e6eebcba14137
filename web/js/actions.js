// The buttons under a manage page (an event registration or a help-desk booking): refresh the
// status, and cancel, which asks first.

import { errorText } from './common.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';

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
    const yes = h('button', { type: 'button', class: 'button button--danger' }, words.yes);
    const no = h('button', { type: 'button', class: 'button button--secondary' }, words.no);
    const failure = h('div', { role: 'alert' });
    const title = h('h2', { id: 'confirm-title', tabindex: '-1' }, words.confirmTitle);
    no.addEventListener('click', () => {
      showActions();
      actions.querySelector('.button--danger')?.focus();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      no.disabled = true;
      yes.textContent = t('cancelling');
      try {
        await cancel();
      } catch (error) {
        yes.disabled = false;
        no.disabled = false;
        yes.textContent = words.yes;
        replace(failure, h('p', { class: 'field-error' }, errorText(error.code, scope)));
      }
    });
    replace(actions, h('section', { class: 'confirm', 'aria-labelledby': 'confirm-title' }, title, h('p', {}, words.confirmText), failure, yes, no));
    title.focus();
  }

  showActions();
  return actions;
}
