// The points supermarket (积分超市) in the console: reservations waiting at the counter (found by
// pickup code, marked collected or cancelled), the goods with their stock and a restock box each, new
// goods, and the earning standard (points per hour of service) with its history.

import { askingButton } from '../actions.js';
import { api, newIdempotencyKey } from '../api.js';
import { errorText, fact, pagedList } from '../common.js';
import { h, replace, srOnly } from '../dom.js';
import { errorSummary, field, fieldErrorText, idempotencyKeyFor, input, rememberFailure, setBusy, showProblem } from '../forms.js';
import { formatDay, formatInstant, t } from '../i18n.js';
import { CONSOLE_SCOPE, settingsBody } from '../organiser.js';

const PAGE = 50;
/** At or under this many left, an item's stock is shown as running low. */
const LOW_STOCK = 3;
const ITEM_FIELDS = ['name', 'pointsCost', 'stock'];

/** The new-item form between drawings of the section: what was typed, the last problem, the idempotency key. */
let itemState = { values: {}, problem: null, key: null, keyBody: null };

export async function showShop(ctx) {
  const title = t('console.shop.title');
  ctx.loading(title);
  let reserved;
  let catalogue;
  try {
    [reserved, catalogue] = await Promise.all([ctx.api.redemptions(ctx.c, { status: 'reserved', limit: PAGE }), api.catalogue(ctx.c)]);
  } catch (error) {
    ctx.fail(title, error);
    return;
  }
  if (!ctx.view.current) return;
  ctx.render(title, reservationsSection(ctx, reserved), goodsSection(ctx, catalogue.items), standardSection(ctx));
  ctx.focus();
}

// ---- reservations at the counter ----

function reservationsSection(ctx, page) {
  const { list, more } = pagedList(page, {
    item: (redemption) => reservationCard(ctx, redemption),
    fetchPage: (cursor) => ctx.api.redemptions(ctx.c, { status: 'reserved', cursor, limit: PAGE }),
    moreLabel: t('console.shop.more'),
  });
  const found = h('p', { class: 'hint', role: 'status', id: 'pickup-found' });
  const search = input('pickup', { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: 12, class: 'pickup-search' });
  // The codes on the page narrowed to what was typed: the volunteer shows theirs at the counter.
  search.addEventListener('input', () => {
    const wanted = search.value.trim().toUpperCase();
    let shown = 0;
    for (const card of list.children) {
      card.hidden = Boolean(wanted) && !card.dataset.code.startsWith(wanted);
      if (!card.hidden) shown += 1;
    }
    found.textContent = wanted ? t('console.shop.found', { n: shown }) : '';
  });
  return h(
    'section',
    { 'aria-labelledby': 'reserved-title' },
    h('h2', { id: 'reserved-title' }, t('console.shop.reserved'), page.items.length ? ` (${page.items.length}${page.nextCursor ? '+' : ''})` : ''),
    page.items.length ? [field('pickup', t('console.shop.findLabel'), { hint: t('console.shop.findHint') }, search), found, list, more] : h('p', { class: 'notice' }, t('console.shop.noneReserved')),
  );
}

function reservationCard(ctx, redemption) {
  const forWhom = srOnly(t('registerFor', { title: `${redemption.pickupCode} ${redemption.volunteerName}` }));
  const failure = h('div', { role: 'alert' });
  const collect = h('button', { type: 'button', class: 'button button--small' }, t('console.shop.collect'), forWhom);
  let key = null;
  collect.addEventListener('click', async () => {
    if (collect.disabled) return;
    setBusy(collect, true);
    key ??= newIdempotencyKey(); // the same key if the same tap is tried again
    try {
      await ctx.api.collect(ctx.c, redemption.id, key);
    } catch (error) {
      if (ctx.ended(error)) return;
      setBusy(collect, false, t('console.shop.collect'));
      collect.append(forWhom.cloneNode(true));
      replace(failure, h('p', { class: 'field-error' }, errorText(error.code, CONSOLE_SCOPE)));
      return;
    }
    ctx.say({ kind: 'ok', text: () => t('console.shop.collected', { item: redemption.itemName, quantity: redemption.quantity, name: redemption.volunteerName }) });
    await ctx.reload();
  });
  return h(
    'li',
    { class: 'card card--console reservation', 'data-code': redemption.pickupCode },
    h('p', { class: 'reservation__code' }, h('span', { class: 'visually-hidden' }, t('pickupCode'), ' '), redemption.pickupCode),
    h('h3', { class: 'card__title' }, redemption.itemName, ' × ', String(redemption.quantity)),
    h(
      'dl',
      { class: 'facts facts--wide' },
      fact(t('console.shop.volunteer'), redemption.volunteerName),
      fact(t('itemCost'), t('points', { n: redemption.points })),
      fact(t('console.shop.reservedAt'), formatInstant(redemption.createdAt, ctx.timeZone)),
    ),
    failure,
    h('div', { class: 'card__actions' }, collect, cancelReservation(ctx, redemption)),
  );
}

function cancelReservation(ctx, redemption) {
  const button = h('button', { type: 'button', class: 'button button--danger button--small' }, t('console.shop.cancel'), srOnly(t('registerFor', { title: redemption.pickupCode })));
  return askingButton(button, () => ({
    words: {
      title: t('console.shop.cancelTitle', { code: redemption.pickupCode }),
      text: t('console.shop.cancelText', { points: redemption.points, name: redemption.volunteerName }),
      yes: t('console.shop.cancelYes'),
      no: t('console.shop.cancelNo'),
      busy: t('cancelling'),
    },
    heading: 'h4',
    scope: CONSOLE_SCOPE,
    onYes: async () => {
      try {
        await ctx.api.cancelRedemption(ctx.c, redemption.id, newIdempotencyKey());
      } catch (error) {
        if (ctx.ended(error)) return;
        throw error;
      }
      ctx.say({ kind: 'ok', text: () => t('console.shop.cancelledDone', { code: redemption.pickupCode }) });
      await ctx.reload();
    },
  })).place;
}

// ---- goods and stock ----

function goodsSection(ctx, items) {
  return h(
    'section',
    { 'aria-labelledby': 'goods-title' },
    h('h2', { id: 'goods-title' }, t('console.shop.goods')),
    items.length ? h('ul', { class: 'event-list console-grid' }, items.map((item) => itemCard(ctx, item))) : h('p', { class: 'notice' }, t('shopEmpty')),
    newItemForm(ctx),
  );
}

function stockState(stock) {
  if (stock <= 0) return { kind: 'cancelled', text: t('soldOut') };
  if (stock <= LOW_STOCK) return { kind: 'full', text: t('console.shop.low', { n: stock }) };
  return { kind: 'ok', text: t('stockLeft', { n: stock }) };
}

/** One item: cost, stock (red when gone, amber when low), and adding stock to it. */
function itemCard(ctx, item) {
  const name = `restock-${item.id}`;
  const amount = input(name, { type: 'number', inputmode: 'numeric', min: 1, max: 100000, step: 1, class: 'restock__amount' });
  const failure = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button--secondary button--small' }, t('console.shop.restock'), srOnly(t('registerFor', { title: item.name })));
  const form = h('form', { class: 'restock', novalidate: true }, field(name, t('console.shop.restockLabel'), { hint: t('console.shop.restockHint', { n: item.stock }) }, amount), failure, submit);
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    if (submit.disabled) return;
    const added = Number(amount.value);
    failure.hidden = true;
    if (!Number.isInteger(added) || added < 1) {
      failure.textContent = t('console.fieldErrors.restock');
      failure.hidden = false;
      amount.focus();
      return;
    }
    submit.disabled = true;
    try {
      await ctx.api.updateItem(ctx.c, item.id, { stock: item.stock + added });
    } catch (error) {
      if (ctx.ended(error)) return;
      submit.disabled = false;
      failure.textContent = errorText(error.code, CONSOLE_SCOPE);
      failure.hidden = false;
      return;
    }
    ctx.say({ kind: 'ok', text: () => t('console.shop.restocked', { name: item.name, n: item.stock + added }) });
    await ctx.reload();
  });
  const stock = stockState(item.stock);
  return h(
    'li',
    { class: 'card card--console', 'data-item-id': item.id },
    h('h3', { class: 'card__title' }, item.name),
    h(
      'dl',
      { class: 'facts facts--wide' },
      fact(t('itemCost'), t('points', { n: item.pointsCost })),
      fact(t('itemStock'), h('span', { class: `badge badge--${stock.kind}` }, stock.text)),
    ),
    form,
  );
}

function newItemForm(ctx) {
  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, t('console.shop.add'));
  const form = h(
    'form',
    { class: 'form panel', novalidate: true, 'aria-labelledby': 'new-item-title' },
    h('h3', { id: 'new-item-title' }, t('console.shop.newItem')),
    field('name', t('console.shop.itemName'), { mark: 'required', hint: t('console.shop.itemNameHint') }, input('name', { maxlength: 60, required: true })),
    h(
      'div',
      { class: 'field-row' },
      field('pointsCost', t('itemCost'), { mark: 'required', hint: t('console.shop.costHint') }, input('pointsCost', { type: 'number', inputmode: 'numeric', min: 1, step: 1, required: true })),
      field('stock', t('itemStock'), { mark: 'required', hint: t('console.shop.stockHint') }, input('stock', { type: 'number', inputmode: 'numeric', min: 0, step: 1, required: true })),
    ),
    submit,
  );
  for (const name of ITEM_FIELDS) if (itemState.values[name]) form.elements.namedItem(name).value = itemState.values[name];
  form.addEventListener('input', () => {
    for (const name of ITEM_FIELDS) itemState.values[name] = form.elements.namedItem(name).value;
  });
  const problem = (focus) =>
    showProblem(form, summary, itemState.problem, { fields: ITEM_FIELDS, focus, scope: CONSOLE_SCOPE, message: (path, serverMessage) => fieldErrorText(path, serverMessage, 'console.fieldErrors') });
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    if (submit.disabled) return;
    const value = (name) => form.elements.namedItem(name).value.trim();
    const missing = ITEM_FIELDS.filter((name) => !value(name)).map((path) => ({ path }));
    if (missing.length) {
      itemState.problem = { code: 'validation_failed', errors: missing };
      problem(true);
      return;
    }
    const body = { name: value('name'), pointsCost: Number(value('pointsCost')), stock: Number(value('stock')) };
    setBusy(submit, true);
    try {
      await ctx.api.addItem(ctx.c, body, idempotencyKeyFor(itemState, body));
    } catch (error) {
      if (ctx.ended(error)) return;
      rememberFailure(itemState, error);
      setBusy(submit, false, t('console.shop.add'));
      problem(true);
      return;
    }
    itemState = { values: {}, problem: null, key: null, keyBody: null };
    ctx.say({ kind: 'ok', text: () => t('console.shop.added', { name: body.name }) });
    await ctx.reload();
  });
  if (itemState.problem) problem(false);
  return [summary, form];
}

// ---- the earning standard ----

/** Points per hour now, since when, and before; changing it asks first (it counts from now on). */
function standardSection(ctx) {
  const { settings } = ctx;
  const history = [...(settings.pointsPerHourHistory ?? [])].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
  const amount = input('pointsPerHour', { type: 'number', inputmode: 'numeric', min: 0, max: 1000, step: 1, value: String(settings.pointsPerHour) });
  const button = h('button', { type: 'button', class: 'button button--secondary' }, t('console.shop.changeStandard'));
  const { place } = askingButton(button, () => ({
    words: {
      title: t('console.shop.standardTitle', { n: Number(amount.value) }),
      text: t('console.shop.standardText'),
      yes: t('console.shop.standardYes'),
      no: t('console.shop.standardNo'),
      busy: t('submitting'),
    },
    heading: 'h3',
    danger: false,
    scope: CONSOLE_SCOPE,
    onYes: async () => {
      const pointsPerHour = Number(amount.value);
      let saved;
      try {
        saved = await ctx.api.saveSettings(ctx.c, settingsBody(settings, { pointsPerHour }));
      } catch (error) {
        if (ctx.ended(error)) return;
        throw error;
      }
      ctx.settingsSaved(saved);
      ctx.say({ kind: 'ok', text: () => t('console.shop.standardSaved', { n: saved.pointsPerHour }) });
      await ctx.reload();
    },
  }));
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'standard-title' },
    h('h2', { id: 'standard-title' }, t('console.shop.standard')),
    h('p', { class: 'standard', id: 'standard-now' }, t('console.shop.perHour', { n: settings.pointsPerHour })),
    history.length
      ? h(
          'ol',
          { class: 'history', 'aria-label': t('console.shop.history') },
          history.map((rate, index) =>
            h('li', { class: index === 0 ? 'history__now' : null }, h('span', { class: 'history__from' }, t('console.shop.since', { day: formatDay(rate.effectiveFrom, ctx.timeZone) })), ' ', t('console.shop.perHour', { n: rate.pointsPerHour })),
          ),
        )
      : null,
    field('pointsPerHour', t('console.shop.newStandard'), { hint: t('console.shop.newStandardHint') }, amount),
    place,
  );
}
