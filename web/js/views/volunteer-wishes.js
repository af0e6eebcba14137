// The volunteers' side of micro-wishes (微心愿) on their page: the published wishes anyone may adopt,
// with 认领 (exactly one adopter gets each: a volunteer who was beaten to it is told so and the page
// is drawn again as it is now), and those the volunteer adopted, with 已实现 (an optional note the
// resident reads). volunteer.js places this section and draws the page again after each step.

import { askingButton, claimButton } from '../actions.js';
import { api } from '../api.js';
import { errorText } from '../common.js';
import { h, srOnly } from '../dom.js';
import { field, idempotencyKeyFor, rememberFailure } from '../forms.js';
import { t } from '../i18n.js';
import { wallState, wishFacts, wishState } from '../wishes.js';

const SCOPE = 'wish.volErrors';
/** Answers that mean the code no longer works: the page is drawn again (and signs out). */
const REFUSED = new Set(['unauthorized']);
/** Refusals of 认领 after which the button cannot help any more: it goes, and the words take focus. */
const WISH_GONE = new Set(['forbidden', 'invalid_state', 'not_found']);

/**
 * `wishes`: the items of GET /me/wishes, or null when they could not be fetched.
 * `done(message)`: say `message` ({ text() }) on top and draw the page again; `failed(message)`: the
 * same as a refusal; `refused()`: draw it again as it is; `claimBox(asking)`: the one confirmation box
 * open on the page is this one.
 */
export function wishesSection({ wishes, timeZone, me }, actions) {
  const c = me.volunteer.communityId;
  let body;
  if (wishes === null) body = h('p', { class: 'notice notice--error' }, t('wish.volUnavailable'));
  else {
    const open = wishes.filter((wish) => wish.status === 'published' && !wish.adoptedByMe);
    const mine = wishes.filter((wish) => wish.adoptedByMe);
    body = [
      h('h3', { id: 'wishes-open-title' }, t('wish.volOpen')),
      open.length
        ? h('ul', { class: 'event-list', 'aria-labelledby': 'wishes-open-title' }, open.map((wish) => openCard(wish, { c, timeZone, ...actions })))
        : h('p', { class: 'notice' }, t('wish.volOpenEmpty')),
      h('h3', { id: 'wishes-mine-title' }, t('wish.volMine')),
      mine.length
        ? h('ul', { class: 'event-list', 'aria-labelledby': 'wishes-mine-title' }, mine.map((wish) => mineCard(wish, { c, timeZone, ...actions })))
        : h('p', { class: 'notice' }, t('wish.volMineEmpty')),
    ];
  }
  return h('section', { 'aria-labelledby': 'wishes-title' }, h('h2', { id: 'wishes-title' }, t('wish.volTitle')), h('p', { class: 'hint' }, t('wish.volIntro')), body);
}

/** 认领: adopted, the page is drawn again with it under 我认领的心愿; adopted by another first, said on top and the page drawn again. */
function openCard(wish, { c, timeZone, token, view, done, failed, refused }) {
  return h(
    'li',
    { class: 'card card--wish', 'data-wish-id': wish.id },
    h('h4', { class: 'card__title' }, wish.title),
    h('p', { class: `badge badge--${wallState(wish).kind}` }, wallState(wish).text),
    wishFacts(wish, timeZone),
    claimButton({
      view,
      label: () => [t('wish.adopt'), srOnly(t('registerFor', { title: wish.title }))],
      send: (keyFor) => api.adoptWish(token, c, wish.id, keyFor({ adopt: wish.id })),
      on: { unauthorized: refused, already_taken: () => failed({ text: () => t('wish.takenFlash', { title: wish.title }) }) },
      gone: WISH_GONE,
      words: (code) => errorText(code, SCOPE),
      problemId: `adopt-problem-${wish.id}`,
      done: () => done({ text: () => t('wish.adoptedFlash', { title: wish.title }) }),
    }),
  );
}

/** An adopted wish: 已实现 while it is in hand (with a note, if the volunteer likes); afterwards just where it stands. */
function mineCard(wish, { c, timeZone, token, view, done, refused, claimBox }) {
  let action = null;
  if (wish.status === 'adopted') {
    const state = { key: null, keyBody: null };
    const button = h('button', { type: 'button', class: 'button' }, t('wish.fulfil'), srOnly(t('registerFor', { title: wish.title })));
    const asking = askingButton(button, () => {
      claimBox(asking);
      const note = h('textarea', { id: 'f-note', name: 'note', rows: 3, maxlength: 300 });
      return {
        words: { title: t('wish.fulfilTitle', { title: wish.title }), yes: t('wish.fulfilYes'), no: t('wish.fulfilNo'), busy: t('submitting') },
        body: field('note', t('wish.fulfilNote'), { mark: 'optional', hint: t('wish.fulfilNoteHint') }, note),
        heading: 'h5',
        danger: false,
        scope: SCOPE,
        onYes: async () => {
          const body = note.value.trim() ? { note: note.value.trim() } : {};
          try {
            await api.fulfilWish(token, c, wish.id, body, idempotencyKeyFor(state, body));
          } catch (error) {
            rememberFailure(state, error);
            if (REFUSED.has(error.code)) return refused();
            if (!view.current) return undefined;
            throw error;
          }
          return done({ text: () => t('wish.fulfilledFlash', { title: wish.title }) });
        },
      };
    });
    action = asking.place;
  }
  return h(
    'li',
    { class: 'card card--wish', 'data-wish-id': wish.id },
    h('h4', { class: 'card__title' }, wish.title),
    h('p', { class: `badge badge--${wishState(wish).kind}` }, wishState(wish).text),
    wishFacts(wish, timeZone),
    action,
  );
}
