// Messages (消息记录) in the console: the reminders and notices the community's jobs produced, newest
// first — what, to whom, when it was due and when it went out — with the reminder settings on top.

import { badge, fact, pagedList } from '../common.js';
import { h } from '../dom.js';
import { formatDuration, formatInstant, getLang, LANGS, t } from '../i18n.js';
import { consoleHash, consoleWord, messageStatus } from '../organiser.js';

const PAGE = 25;
const DAY = 24 * 60;

export async function showMessages(ctx) {
  const title = t('console.messages.title');
  ctx.loading(title);
  let page;
  try {
    page = await ctx.api.notifications(ctx.c, { limit: PAGE });
  } catch (error) {
    ctx.fail(title, error);
    return;
  }
  if (!ctx.view.current) return;
  const { list, more } = pagedList(page, {
    item: (message) => messageCard(ctx, message),
    fetchPage: (cursor) => ctx.api.notifications(ctx.c, { cursor, limit: PAGE }),
    moreLabel: t('console.messages.more'),
  });
  ctx.render(
    title,
    h('p', { class: 'lead' }, t('console.messages.intro')),
    reminderSettings(ctx.settings),
    page.items.length ? list : h('p', { class: 'notice' }, t('console.messages.empty')),
    more,
  );
  ctx.focus();
}

/** "1 天" / "1 小时" / "30 分钟": how long before its target a reminder goes out. */
const offsetText = (minutes) => (minutes % DAY === 0 ? t('console.days', { n: minutes / DAY }) : formatDuration(minutes));

/** "组织者、2 位志愿者" / "organisers and 2 volunteers", in the language's own way of listing. */
const listText = (parts) => new Intl.ListFormat(LANGS[getLang()], { type: 'conjunction' }).format(parts);

function reminderSettings(settings) {
  const offsets = [...(settings.reminderOffsetsMinutes ?? [])].sort((a, b) => b - a);
  const contacts = settings.organiserContacts ?? [];
  return h(
    'div',
    { class: 'panel' },
    h(
      'dl',
      { class: 'facts facts--wide' },
      fact(t('console.messages.offsets'), offsets.length ? listText(offsets.map(offsetText)) : t('console.messages.noOffsets')),
      fact(t('console.messages.contacts'), contacts.length ? listText(contacts) : t('console.messages.noContacts')),
      fact(t('console.messages.robot'), settings.wecomWebhookUrl ? `${t('console.messages.robotSet')}（${settings.wecomWebhookUrl.slice(-8)}）` : t('console.messages.noRobot')),
    ),
    h('p', {}, h('a', { href: consoleHash('settings') }, t('console.messages.change'))),
  );
}

/** Who a message went to, counted by kind: organisers, volunteers, residents who registered or booked. */
function recipientsText(recipients) {
  const counts = new Map();
  for (const recipient of recipients) counts.set(recipient.type, (counts.get(recipient.type) ?? 0) + 1);
  return listText(
    [...counts].map(([type, n]) => {
      const key = `console.messages.recipients.${type}`;
      const words = t(key, { n });
      return words === key ? `${type} × ${n}` : words;
    }),
  );
}

/** A delivery's reason in words, where the code is one Linli knows; else the provider's code as it came. */
function errorText(code) {
  const key = `console.messages.deliveryErrors.${code}`;
  const words = t(key);
  return words === key ? code : words;
}

/** Each address the message went to, how, and what came of it: the organiser sees who was reached. */
function deliveriesList(ctx, deliveries) {
  if (!deliveries?.length) return null;
  return h(
    'div',
    { class: 'message__deliveries' },
    h('h3', { class: 'card__subtitle' }, t('console.messages.deliveries')),
    h(
      'ul',
      { class: 'deliveries' },
      ...deliveries.map((delivery) =>
        h(
          'li',
          { class: 'delivery' },
          h('span', { class: 'delivery__to' }, delivery.to),
          ' ',
          h('span', { class: 'delivery__channel' }, `（${t(`console.messages.channels.${delivery.channel}`)}）`),
          ' ',
          badge(messageStatus(delivery.status)),
          delivery.sentAt ? h('span', { class: 'delivery__when' }, ` ${formatInstant(delivery.sentAt, ctx.timeZone)}`) : null,
          delivery.error && delivery.status !== 'sent' ? h('span', { class: 'delivery__error' }, ` ${errorText(delivery.error)}`) : null,
        ),
      ),
    ),
  );
}

function messageCard(ctx, message) {
  return h(
    'li',
    { class: 'card card--console message' },
    h('p', { class: 'card__kind' }, consoleWord('messageKinds', message.kind)),
    h('h2', { class: 'card__title' }, message.subject),
    badge(messageStatus(message.status)),
    h(
      'dl',
      { class: 'facts facts--wide' },
      fact(t('console.messages.due'), formatInstant(message.dueAt, ctx.timeZone)),
      fact(t('console.messages.sent'), message.sentAt ? formatInstant(message.sentAt, ctx.timeZone) : t('console.messages.notSent')),
      fact(t('console.messages.to'), recipientsText(message.recipients)),
    ),
    deliveriesList(ctx, message.deliveries),
    h('details', { class: 'message__body' }, h('summary', {}, t('console.messages.show')), h('p', { class: 'multiline' }, message.body)),
  );
}
