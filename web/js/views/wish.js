// A micro-wish (微心愿) from the community's pages: the form, then (the address becoming the wish's
// manage page) where it stands in words: waiting for review, on the wall, adopted by a team or a
// partner unit, fulfilled, or not published and why. Where the community verifies phones, the
// code from the SMS comes first. What a wish shares with a report (the form, sending it, the manage
// page) is in resident-items.js.

import { api } from '../api.js';
import { hash } from '../common.js';
import { h } from '../dom.js';
import { buildingField, contactFields, field, input } from '../forms.js';
import { t } from '../i18n.js';
import { itemPage, phoneHintOf, showFilingPage, showItemManage } from '../resident-items.js';
import { updateSaved } from '../saved.js';
import { wishFacts, wishState } from '../wishes.js';

const TITLE_MAX = 40;
const DESCRIPTION_MAX = 300;

/** A micro-wish as a resident's item (resident-items.js says what each part is). */
const WISH = {
  kind: 'wish',
  table: 'wish',
  states: new Map(),
  fields: ['name', 'phone', 'title', 'description', 'building'],
  answers: ['name', 'phone', 'title', 'description'],
  required: ['name', 'phone', 'title'],
  controls: () => [
    contactFields({ building: false, phoneHint: t('wish.phoneHint') }),
    field('title', t('wish.titleLabel'), { mark: 'required', hint: t('wish.titleHint') }, input('title', { maxlength: TITLE_MAX, required: true, autocomplete: 'off' })),
    field(
      'description',
      t('wish.descriptionLabel'),
      { mark: 'optional', hint: t('wish.descriptionHint') },
      h('textarea', { id: 'f-description', name: 'description', rows: 4, maxlength: DESCRIPTION_MAX }),
    ),
    buildingField(),
  ],
  send: (c, body, key) => api.postWish(c, body, key),
  placed: ({ wish, manageToken }, body) => ({ item: wish, token: manageToken, phoneHint: phoneHintOf(body.phone) }),
  saved: (wish, body) => ({ title: wish.title ?? body.title }),
  load: async (c, id, token) => (await api.wish(c, id, token)).wish,
  verify: async (c, id, token, code) => (await api.verifyWish(c, id, token, code)).wish,
  ids: 'wish',
  final: ['fulfilled', 'rejected', 'pending_verification'],
  draw: renderWish,
};

const toWall = (c) => h('p', {}, h('a', { href: hash('c', c, 'wishes') }, t('wish.toWall')));

export const showWish = (view) => showFilingPage(view, WISH, toWall);

export const showWishManage = (view) => showItemManage(view, WISH);

/** The status box's colour: waiting (submitted, published, held for the code), adopted or fulfilled, not published. */
const statusKind = (wish) => (wish.status === 'rejected' ? 'cancelled' : ['adopted', 'fulfilled'].includes(wish.status) ? 'confirmed' : 'waitlisted');

/** The wish as its resident sees it (itemPage), with the way to the wall once it is on it. */
function renderWish(view, c, wish, token, timeZone, { justSent = false, phoneHint } = {}) {
  updateSaved(wish.id, { status: wish.status, title: wish.title, adoptedBy: wish.adoptedBy, adopterKind: wish.adopterKind });
  itemPage(view, WISH, { c, item: wish, token, timeZone, justSent, phoneHint }, {
    status: { text: wishState(wish).text, kind: statusKind(wish) },
    doneText: t('wish.doneText'),
    details: h('section', { class: 'panel', 'aria-labelledby': 'wish-title' }, h('h2', { id: 'wish-title' }, wish.title), wishFacts(wish, timeZone)),
    links: ['published', 'adopted', 'fulfilled'].includes(wish.status) ? toWall(c) : null,
  });
}
