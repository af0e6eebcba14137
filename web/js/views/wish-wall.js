// The wish wall (心愿墙): the community's published, adopted and fulfilled wishes as a grid of cards,
// for a phone and for the big screen at the festival (styles.css widens the page and its type from
// 80rem up). Public: no names, no phones, only what the API gives everyone. It looks again every
// minute on its own, so a screen left on at the festival shows wishes as they are adopted.

import { api } from '../api.js';
import { communityTabs, fact, hash, heading, loading, showListError } from '../common.js';
import { h, replace } from '../dom.js';
import { formatDay, t } from '../i18n.js';
import { adopterName, wallState } from '../wishes.js';

/** Wishes fetched for the wall: pages of this many… */
const PAGE = 100;
/** …and at most this many pages (a festival's wall, not an archive). */
const MAX_PAGES = 5;
/** How often a wall left open looks again. */
const REFRESH_MS = 60_000;

export async function showWishWall(view) {
  const { c } = view.route;
  view.title(t('wish.wallTitle'));
  if (!view.rerendered) view.render(communityTabs(c, 'wish', { within: true }), heading(t('wish.wallTitle')), loading());
  let profile;
  let wishes;
  try {
    [profile, wishes] = await Promise.all([view.community(c), wallWishes(c)]);
  } catch (error) {
    showListError(view, t('wish.wallTitle'), error);
    return;
  }
  if (!view.current) return;
  view.title(`${profile.name} · ${t('wish.wallTitle')}`);
  const board = h('div', { id: 'wall-board' });
  drawBoard(board, c, wishes, profile.timezone);
  view.render(
    communityTabs(c, 'wish', { within: true }),
    heading(t('wish.wallTitle')),
    h('p', { class: 'lead' }, t('wish.wallIntro', { name: profile.name })),
    board,
    h('p', { class: 'wall-post' }, h('a', { class: 'button', href: hash('c', c, 'wish') }, t('wish.wallPost'))),
  );
  view.focusHeading();
  keepFresh(view, board, c, profile.timezone);
}

/** Every wish the wall shows, a page at a time, up to MAX_PAGES pages. */
async function wallWishes(c) {
  const items = [];
  let cursor;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.wishWall(c, { cursor, limit: PAGE });
    items.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return items;
}

/** Look again every minute while this wall is the page; a failed look leaves the wall as it was. */
function keepFresh(view, board, c, timeZone) {
  const timer = setInterval(async () => {
    if (!view.current || !board.isConnected) {
      clearInterval(timer);
      return;
    }
    try {
      const wishes = await wallWishes(c);
      if (view.current && board.isConnected) drawBoard(board, c, wishes, timeZone);
    } catch {
      // The network came and went: the next minute tries again.
    }
  }, REFRESH_MS);
}

/** The counts on top (已实现 / 已认领 / 待认领) and the grid of cards. */
function drawBoard(board, c, wishes, timeZone) {
  const count = (status) => wishes.filter((wish) => wish.status === status).length;
  replace(
    board,
    wishes.length
      ? [
          h(
            'ul',
            { class: 'wall-counts', 'aria-label': t('wish.wallCountsLabel') },
            ['fulfilled', 'adopted', 'published'].map((status) =>
              h('li', { class: `wall-count wall-count--${status}` }, h('span', { class: 'wall-count__n' }, String(count(status))), ' ', t(`wish.wallCounts.${status}`)),
            ),
          ),
          h('ul', { class: 'wish-wall' }, wishes.map((wish) => wallCard(wish, timeZone))),
        ]
      : h('p', { class: 'notice' }, t('wish.wallEmpty')),
  );
}

function wallCard(wish, timeZone) {
  const state = wallState(wish);
  const adopter = adopterName(wish);
  return h(
    'li',
    { class: `wish-card wish-card--${wish.status}`, 'data-wish-id': wish.id },
    h('h2', { class: 'wish-card__title' }, wish.title),
    h('p', { class: `badge badge--${state.kind}` }, state.text),
    wish.description ? h('p', { class: 'wish-card__text' }, wish.description) : null,
    h(
      'dl',
      { class: 'facts' },
      wish.building ? fact(t('wish.where'), wish.building) : null,
      adopter ? fact(t('wish.adoptedBy'), adopter, { class: 'wish-card__adopter' }) : null,
      wish.status === 'fulfilled' && wish.fulfilledAt ? fact(t('wish.fulfilledOn'), formatDay(wish.fulfilledAt, timeZone)) : null,
    ),
  );
}
