// Micro-wishes (微心愿) in the console: the wishes residents posted, by state (待审核 first), each with
// who posted it (the phone to call with one tap), the wish and where. A new one is published to the
// wall (发布) or not, with a note the resident reads (不予发布); a published one can be recorded as
// adopted by a partner unit (登记共建单位认领: its name goes on the wall); an adopted one is marked 已实现.

import { askingButton } from '../actions.js';
import { ApiError } from '../api.js';
import { fact, hash } from '../common.js';
import { h, srOnly } from '../dom.js';
import { field, idempotencyKeyFor, input, rememberFailure } from '../forms.js';
import { t } from '../i18n.js';
import { CONSOLE_SCOPE, phoneLink } from '../organiser.js';
import { adopterName, WISH_STATUSES, wishFacts, wishState } from '../wishes.js';

/** Wishes fetched at once: those to review, and the newest of all the others. */
const PAGE = 100;
const ADOPTER_MAX = 40;

/** The one box open at a time: opening another closes it (their fields share ids). */
let closeOpenBox = null;

export async function showWishes(ctx) {
  const title = t('console.wishes.title');
  ctx.loading(title);
  let fresh;
  let all;
  try {
    [fresh, all] = await Promise.all([ctx.api.wishes(ctx.c, { status: 'submitted', limit: PAGE }), ctx.api.wishes(ctx.c, { limit: PAGE })]);
  } catch (error) {
    ctx.fail(title, error);
    return;
  }
  if (!ctx.view.current) return;
  closeOpenBox = null;
  const wishes = [...fresh.items, ...all.items.filter((wish) => wish.status !== 'submitted')];
  const groups = WISH_STATUSES.map((status) => ({ status, items: wishes.filter((wish) => wish.status === status) }));
  ctx.render(
    title,
    h('p', { class: 'lead' }, t('console.wishes.intro')),
    h('p', {}, h('a', { href: hash('c', ctx.c, 'wishes') }, t('console.wishes.openWall'))),
    groups.map(({ status, items }) =>
      status === 'submitted' || items.length
        ? h(
            'section',
            { 'aria-labelledby': `wishes-${status}` },
            h('h2', { id: `wishes-${status}` }, t(`console.wishes.groups.${status}`), items.length ? ` (${items.length})` : ''),
            items.length
              ? h('ul', { class: 'event-list' }, items.map((wish) => wishCard(ctx, wish)))
              : h('p', { class: 'notice notice--ok' }, t('console.wishes.nothingNew')),
          )
        : null,
    ),
  );
  ctx.focus();
}

function wishCard(ctx, wish) {
  const state = { key: null, keyBody: null };
  const resident = [
    fact(t('console.wishes.resident'), wish.residentName ?? '—'),
    wish.residentPhone ? fact(t('console.wishes.phone'), phoneLink(wish.residentPhone)) : null,
  ];
  const buttons = {
    submitted: () => [publishButton(ctx, wish, state), rejectButton(ctx, wish, state)],
    published: () => [adoptButton(ctx, wish, state)],
    adopted: () => [fulfilButton(ctx, wish, state)],
  }[wish.status];
  return h(
    'li',
    { class: 'card card--console card--wish', 'data-wish-id': wish.id },
    h('h3', { class: 'card__title' }, wish.title),
    h('p', { class: `badge badge--${wishState(wish).kind}` }, wishState(wish).text),
    wishFacts(wish, ctx.timeZone, { resident, withVolunteer: true }),
    buttons ? h('div', { class: 'card__actions' }, buttons()) : null,
  );
}

function oneBox(asking, options) {
  closeOpenBox?.();
  closeOpenBox = asking.close;
  return { heading: 'h4', scope: CONSOLE_SCOPE, danger: false, ...options };
}

const CALLS = { publish: 'publishWish', reject: 'rejectWish', adopt: 'adoptWish', fulfil: 'fulfilWish' };

/** One step under an Idempotency-Key, then the section drawn again with what happened on top. */
async function decide(ctx, wish, action, body, state) {
  let result;
  try {
    const key = idempotencyKeyFor(state, { action, ...body });
    result = action === 'publish' ? await ctx.api.publishWish(ctx.c, wish.id, key) : await ctx.api[CALLS[action]](ctx.c, wish.id, body, key);
  } catch (error) {
    if (ctx.ended(error)) return;
    rememberFailure(state, error);
    throw error;
  }
  const decided = result.wish;
  const what = decided.title;
  const words = {
    publish: () => t('console.wishes.published', { what }),
    reject: () => t('console.wishes.rejected', { what }),
    adopt: () => t('console.wishes.adopted', { what, adopter: adopterName(decided) ?? body.adopterName }),
    fulfil: () => t('console.wishes.fulfilled', { what }),
  }[action];
  ctx.say({ kind: 'ok', text: words });
  await ctx.reload();
}

/** The button that opens a step's box; its accessible name says which wish. */
const stepButton = (label, title, danger = false) =>
  h('button', { type: 'button', class: `button button--small${danger ? ' button--danger' : ''}` }, label, srOnly(t('registerFor', { title })));

/** 发布: asked first, since it makes the wish public (without the resident's name and phone). */
function publishButton(ctx, wish, state) {
  const button = stepButton(t('console.wishes.publish'), wish.title);
  const asking = askingButton(button, () =>
    oneBox(asking, {
      words: { title: t('console.wishes.publishTitle', { what: wish.title }), text: t('console.wishes.publishText'), yes: t('console.wishes.publishYes'), no: t('console.wishes.keep'), busy: t('submitting') },
      onYes: () => decide(ctx, wish, 'publish', {}, state),
    }),
  );
  return asking.place;
}

/** 不予发布: always with a note that says why (the resident reads it). */
function rejectButton(ctx, wish, state) {
  const button = stepButton(t('console.wishes.reject'), wish.title, true);
  const asking = askingButton(button, () =>
    oneBox(asking, {
      words: { title: t('console.wishes.rejectTitle', { what: wish.title }), yes: t('console.wishes.rejectYes'), no: t('console.wishes.keep'), busy: t('submitting') },
      danger: true,
      body: field('note', t('console.wishes.note'), { mark: 'required', hint: t('console.wishes.noteHint') }, h('textarea', { id: 'f-note', name: 'note', rows: 2, maxlength: 300 })),
      onYes: async () => {
        const note = document.getElementById('f-note').value.trim();
        if (!note) throw new ApiError('wishNoteNeeded');
        await decide(ctx, wish, 'reject', { note }, state);
      },
    }),
  );
  return asking.place;
}

/** 登记共建单位认领: the partner unit's name (1–40), which the wall shows as the adopter. */
function adoptButton(ctx, wish, state) {
  const button = stepButton(t('console.wishes.adopt'), wish.title);
  const asking = askingButton(button, () => {
    const name = input('adopterName', { maxlength: ADOPTER_MAX, autocomplete: 'organization' });
    return oneBox(asking, {
      words: { title: t('console.wishes.adoptTitle', { what: wish.title }), yes: t('console.wishes.adoptYes'), no: t('console.wishes.keep'), busy: t('submitting') },
      body: field('adopterName', t('console.wishes.adopterName'), { mark: 'required', hint: t('console.wishes.adopterNameHint') }, name),
      onYes: async () => {
        const adopterName = name.value.trim();
        if (!adopterName || adopterName.length > ADOPTER_MAX) throw new ApiError('adopterNameNeeded');
        await decide(ctx, wish, 'adopt', { adopterName }, state);
      },
    });
  });
  return asking.place;
}

/** 已实现: with a note, if there is something to say (the resident reads it). */
function fulfilButton(ctx, wish, state) {
  const button = stepButton(t('console.wishes.fulfil'), wish.title);
  const asking = askingButton(button, () =>
    oneBox(asking, {
      words: { title: t('console.wishes.fulfilTitle', { what: wish.title }), yes: t('console.wishes.fulfilYes'), no: t('console.wishes.keep'), busy: t('submitting') },
      body: field('note', t('console.wishes.fulfilNote'), { mark: 'optional', hint: t('console.wishes.fulfilNoteHint') }, h('textarea', { id: 'f-note', name: 'note', rows: 2, maxlength: 300 })),
      onYes: async () => {
        const note = document.getElementById('f-note').value.trim();
        await decide(ctx, wish, 'fulfil', note ? { note } : {}, state);
      },
    }),
  );
  return asking.place;
}
