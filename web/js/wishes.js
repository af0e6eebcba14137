// Pieces of micro-wishes (微心愿) shared by the resident's pages, the wish wall, the volunteer's page
// and the console: who adopted a wish in words, where a wish stands, the colour of its badge, and its facts.

import { fact } from './common.js';
import { h } from './dom.js';
import { formatInstant, named, t } from './i18n.js';

/** The states in the order the console lists them: what needs an organiser first (a wish held for its code is not listed). */
export const WISH_STATUSES = ['submitted', 'published', 'adopted', 'fulfilled', 'rejected'];

/** 惠邻便民队 for a team's key (the glossary's name), a partner unit's own name as it was recorded; null when nobody adopted it. */
export function adopterName(wish) {
  if (!wish.adoptedBy) return null;
  return wish.adopterKind === 'team' ? named('teams', wish.adoptedBy) : wish.adoptedBy;
}

/**
 * Where a wish stands for its resident and volunteers: 已提交，等待审核 / 已发布，等待认领 /
 * 惠邻便民队 已认领 / 已实现 / 未发布 / 待验证手机, and the badge's colour.
 */
export function wishState(wish) {
  const kind = { submitted: 'full', published: 'full', adopted: 'ok', fulfilled: 'fulfilled', rejected: 'cancelled', pending_verification: 'full' }[wish.status] ?? 'closed';
  const adopter = adopterName(wish);
  const text = wish.status === 'adopted' && adopter ? t('wish.statusAdopted', { adopter }) : named('wish.status', wish.status);
  return { kind, text };
}

/** The wall's three words: 待认领 / 已认领 / 已实现 (the public sees nothing else). */
export function wallState(wish) {
  const kind = { published: 'full', adopted: 'ok', fulfilled: 'fulfilled' }[wish.status] ?? 'closed';
  return { kind, text: named('wish.wallStatus', wish.status) };
}

/** "幸福里超市" or "惠邻便民队", and for the console who in the team took it: "王建国（惠邻便民队）". */
function adopterText(wish, { withVolunteer }) {
  const adopter = adopterName(wish);
  if (!adopter) return null;
  if (wish.adopterKind === 'unit') return withVolunteer ? t('wish.unitAdopter', { name: adopter }) : adopter;
  return withVolunteer && wish.adopterVolunteerName ? t('wish.volunteerAdopter', { name: wish.adopterVolunteerName, team: adopter }) : adopter;
}

/**
 * What a wish says, in one list: the details and where, when it was posted, and as it moves on, who
 * adopted it and when, how it was fulfilled, or why it was not published. `resident`: the console's
 * facts of who posted it (name, phone), placed after the details.
 */
export function wishFacts(wish, timeZone, { resident = null, withTitle = false, withVolunteer = false } = {}) {
  const adopter = adopterText(wish, { withVolunteer });
  return h(
    'dl',
    { class: 'facts facts--wide' },
    withTitle ? fact(t('wish.what'), wish.title) : null,
    wish.description ? fact(t('wish.details'), wish.description, { class: 'multiline' }) : null,
    wish.building ? fact(t('wish.where'), wish.building) : null,
    resident,
    wish.createdAt ? fact(t('wish.postedAt'), formatInstant(wish.createdAt, timeZone)) : null,
    adopter ? fact(t('wish.adoptedBy'), adopter) : null,
    wish.adoptedAt ? fact(t('wish.adoptedAt'), formatInstant(wish.adoptedAt, timeZone)) : null,
    wish.fulfilledAt ? fact(t('wish.fulfilledAt'), formatInstant(wish.fulfilledAt, timeZone)) : null,
    wish.fulfilmentNote ? fact(t('wish.fulfilmentNote'), wish.fulfilmentNote, { class: 'multiline' }) : null,
    wish.rejectionNote ? fact(t('wish.rejectionNote'), wish.rejectionNote, { class: 'multiline' }) : null,
  );
}
