// Volunteer hours (志愿服务时长) in the console: the logs waiting for review, each with the shift it
// was logged on, how the volunteer proved being there (现场签到码 / 无 / 组织者补录) and what to look
// at twice as badges (no code shown, a second log on one shift, longer than the shift); each approved
// as it is, approved with changed minutes and a note, or rejected with a note; then a month's approved
// hours per team as an SVG bar chart, the volunteers who gave most, and the month as CSV.

import { askingButton, downloadButton } from '../actions.js';
import { barChart, fillBar } from '../charts.js';
import { ApiError } from '../api.js';
import { errorText, fact, pagedList } from '../common.js';
import { h, replace, srOnly } from '../dom.js';
import { field, idempotencyKeyFor, input, rememberFailure, setBusy } from '../forms.js';
import { TEAMS } from '../glossary.js';
import { formatDay, formatDuration, formatMonth, formatRange, formatTimes, t } from '../i18n.js';
import { CONSOLE_SCOPE, consoleWord, monthOf, shiftMonth } from '../organiser.js';
import { teamName } from '../volunteer.js';

/** Logs to review shown at first; more a page at a time. */
const PAGE = 20;
/** The volunteers listed under the chart. */
const TOP = 10;
const MAX_MINUTES = 720;

/** The month the report shows, kept while moving between sections. */
let shownMonth = null;
/** The one adjust / reject box open at a time: opening another closes it. */
let closeOpenBox = null;

export async function showHours(ctx) {
  const title = t('console.hours.title');
  const thisMonth = monthOf(new Date(), ctx.timeZone);
  shownMonth ??= thisMonth;
  ctx.loading(title);
  let pending;
  let report;
  try {
    [pending, report] = await Promise.all([ctx.api.hours(ctx.c, { limit: PAGE }), ctx.api.hoursReport(ctx.c, shownMonth)]);
  } catch (error) {
    ctx.fail(title, error);
    return;
  }
  if (!ctx.view.current) return;
  closeOpenBox = null;
  const { list, more } = pagedList(pending, {
    item: (log) => logCard(ctx, log),
    fetchPage: (cursor) => ctx.api.hours(ctx.c, { cursor, limit: PAGE }),
    moreLabel: t('console.hours.more'),
  });
  const reportBox = h('div', { id: 'report' });
  ctx.render(
    title,
    h(
      'section',
      { 'aria-labelledby': 'pending-title' },
      h('h2', { id: 'pending-title' }, t('console.hours.pending'), pending.items.length ? ` (${pending.items.length}${pending.nextCursor ? '+' : ''})` : ''),
      pending.items.length ? list : h('p', { class: 'notice notice--ok' }, t('console.hours.nothingPending')),
      more,
    ),
    h('section', { class: 'panel report', 'aria-labelledby': 'report-title' }, h('h2', { id: 'report-title' }, t('console.hours.reportTitle')), reportBox),
  );
  drawReport(ctx, reportBox, report, thisMonth);
  ctx.focus();
}

// ---- the logs to review ----

function logCard(ctx, log) {
  const minutes = log.minutes ?? 0;
  const state = { key: null, keyBody: null };
  const approve = h('button', { type: 'button', class: 'button button--small' }, t('console.hours.approve'), srOnly(t('registerFor', { title: log.volunteerName })));
  approve.addEventListener('click', async () => {
    if (approve.disabled) return;
    setBusy(approve, true);
    try {
      await decide(ctx, log, 'approve', {}, state);
    } catch (error) {
      setBusy(approve, false, t('console.hours.approve'));
      approve.append(srOnly(t('registerFor', { title: log.volunteerName })));
      replace(failure, h('p', { class: 'field-error' }, errorText(error.code, CONSOLE_SCOPE)));
    }
  });
  const failure = h('div', { role: 'alert' });
  const flags = log.flags ?? [];
  return h(
    'li',
    { class: `card card--log card--console${flags.length ? ' card--flagged' : ''}`, 'data-log-id': log.id },
    h('h3', { class: 'card__title' }, log.volunteerName),
    h('p', { class: 'card__kind' }, teamName(log.team)),
    flags.length
      ? h(
          'ul',
          { class: 'flags', 'aria-label': t('console.hours.flagsLabel') },
          flags.map((flag) => h('li', { class: 'badge badge--cancelled flag' }, consoleWord('hours.flags', flag))),
        )
      : null,
    h(
      'dl',
      { class: 'facts facts--wide' },
      log.shift ? fact(t('console.hours.shift'), shiftText(log.shift, ctx.timeZone)) : null,
      log.proof ? fact(t('console.hours.proof'), h('span', { class: `proof proof--${log.proof}` }, consoleWord('hours.proofs', log.proof))) : null,
      fact(t('date'), formatDay(log.checkedInAt, ctx.timeZone)),
      fact(t('logTime'), log.checkedOutAt ? formatTimes(log.checkedInAt, log.checkedOutAt, ctx.timeZone) : '—'),
      fact(t('logMinutes'), h('strong', { class: 'log-minutes' }, formatDuration(minutes))),
      fact(t('console.hours.willEarn'), t('points', { n: Math.floor((minutes / 60) * (ctx.settings.pointsPerHour ?? 0)) })),
    ),
    log.autoClosed ? h('p', { class: 'hint' }, t('autoClosed')) : null,
    failure,
    h('div', { class: 'card__actions' }, approve, adjustButton(ctx, log, state), rejectButton(ctx, log, state)),
  );
}

/** "每晚一小时延时服务 · 12月5日 周六 19:30–20:30": which shift a log was made on (a festival by its title). */
function shiftText(shift, timeZone) {
  const name = shift.kind === 'slot' ? t('helpDeskShift') : shift.title;
  const when = formatRange(shift.startsAt, shift.endsAt, timeZone);
  return name ? `${name} · ${when}` : when;
}

/**
 * Approve or reject one log under an Idempotency-Key (the same one when the very same decision is sent
 * again after a failure), then draw the section again with what happened on top.
 */
async function decide(ctx, log, action, body, state) {
  let result;
  try {
    const call = action === 'approve' ? ctx.api.approveHours : ctx.api.rejectHours;
    result = await call(ctx.c, log.id, body, idempotencyKeyFor(state, { action, ...body }));
  } catch (error) {
    if (ctx.ended(error)) return;
    rememberFailure(state, error);
    throw error;
  }
  const decided = result.hoursLog;
  ctx.say({
    kind: 'ok',
    text: () =>
      action === 'approve'
        ? t('console.hours.approved', { name: decided.volunteerName, duration: formatDuration(decided.approvedMinutes ?? decided.minutes ?? 0), points: decided.points ?? 0 })
        : t('console.hours.rejected', { name: decided.volunteerName }),
  });
  await ctx.reload();
}

/** The box of an adjust or reject: one open at a time (their fields share ids). */
function oneBox(asking, options) {
  closeOpenBox?.();
  closeOpenBox = asking.close;
  return { heading: 'h4', scope: CONSOLE_SCOPE, ...options };
}

const noteField = (hint) => field('note', t('console.hours.note'), { hint }, h('textarea', { id: 'f-note', name: 'note', rows: 2, maxlength: 500 }));

/** 调整后通过: the minutes to credit and why they changed. */
function adjustButton(ctx, log, state) {
  const button = h('button', { type: 'button', class: 'button button--secondary button--small' }, t('console.hours.adjust'), srOnly(t('registerFor', { title: log.volunteerName })));
  const asking = askingButton(button, () => {
    const minutes = input('minutes', { type: 'number', inputmode: 'numeric', min: 0, max: MAX_MINUTES, step: 1, value: String(log.minutes ?? 0) });
    return oneBox(asking, {
      words: { title: t('console.hours.adjustTitle', { name: log.volunteerName }), yes: t('console.hours.adjustYes'), no: t('console.hours.keep'), busy: t('submitting') },
      danger: false,
      body: [field('minutes', t('console.hours.minutes'), { hint: t('console.hours.minutesHint', { max: MAX_MINUTES }) }, minutes), noteField(t('console.hours.adjustNoteHint'))],
      onYes: async () => {
        const value = Number(minutes.value);
        const note = document.getElementById('f-note').value.trim();
        if (!Number.isInteger(value) || value < 0 || value > MAX_MINUTES) throw new ApiError('minutesInvalid');
        if (value !== log.minutes && !note) throw new ApiError('noteNeeded');
        await decide(ctx, log, 'approve', note ? { minutes: value, note } : { minutes: value }, state);
      },
    });
  });
  return asking.place;
}

/** 不通过: always with a note that says why. */
function rejectButton(ctx, log, state) {
  const button = h('button', { type: 'button', class: 'button button--danger button--small' }, t('console.hours.reject'), srOnly(t('registerFor', { title: log.volunteerName })));
  const asking = askingButton(button, () =>
    oneBox(asking, {
      words: { title: t('console.hours.rejectTitle', { name: log.volunteerName }), yes: t('console.hours.rejectYes'), no: t('console.hours.keep'), busy: t('submitting') },
      body: noteField(t('console.hours.rejectNoteHint')),
      onYes: async () => {
        const note = document.getElementById('f-note').value.trim();
        if (!note) throw new ApiError('rejectNoteNeeded');
        await decide(ctx, log, 'reject', { note }, state);
      },
    }),
  );
  return asking.place;
}

// ---- the month's report ----

/** The month switcher, the totals, the chart per team, the top volunteers and the CSV, for `report.month`. */
function drawReport(ctx, box, report, thisMonth) {
  const { month } = report;
  const go = async (delta, button) => {
    button.disabled = true;
    try {
      const next = await ctx.api.hoursReport(ctx.c, shiftMonth(month, delta));
      shownMonth = next.month;
      drawReport(ctx, box, next, thisMonth);
      // The same button again, or the other one when this one has reached the current month.
      const same = document.getElementById(button.id);
      (same?.disabled ? document.getElementById('month-previous') : same)?.focus();
    } catch (error) {
      if (ctx.ended(error)) return;
      button.disabled = false;
    }
  };
  const previous = h('button', { type: 'button', class: 'button button--secondary button--small', id: 'month-previous' }, '‹ ', t('console.hours.previousMonth'));
  const next = h('button', { type: 'button', class: 'button button--secondary button--small', id: 'month-next', disabled: month >= thisMonth }, t('console.hours.nextMonth'), ' ›');
  previous.addEventListener('click', () => go(-1, previous));
  next.addEventListener('click', () => go(1, next));
  const teams = TEAMS.map(({ id: team }) => report.teams.find((row) => row.team === team) ?? { team, minutes: 0, points: 0 });
  const title = t('console.hours.chartTitle', { month: formatMonth(month) });
  replace(
    box,
    h('div', { class: 'month-nav' }, previous, h('p', { class: 'month-nav__month', id: 'report-month', 'aria-live': 'polite' }, formatMonth(month)), next),
    h(
      'dl',
      { class: 'stats stats--three' },
      stat(t('console.hours.totalHours'), formatDuration(report.totals.minutes), 'total-hours'),
      stat(t('console.hours.totalPoints'), t('points', { n: report.totals.points }), 'total-points'),
      stat(t('console.hours.volunteers'), t('console.hours.people', { n: report.volunteers.length }), 'total-volunteers'),
    ),
    h(
      'div',
      { class: 'console-grid' },
      h(
        'div',
        {},
        h('h3', { id: 'chart-title' }, title),
        barChart({
          id: 'hours-chart',
          title,
          columns: [t('console.hours.team'), t('logMinutes'), t('logPoints')],
          rows: teams.map((row) => ({ key: row.team, label: teamName(row.team), value: row.minutes, valueText: formatDuration(row.minutes), cells: [t('points', { n: row.points })] })),
        }),
      ),
      h('div', {}, h('h3', { id: 'top-title' }, t('console.hours.top')), report.volunteers.length ? topVolunteers(report.volunteers) : h('p', {}, t('console.hours.noHours'))),
    ),
    downloadButton({
      words: { label: t('console.hours.csv'), done: t('console.downloaded') },
      fileName: `linli-hours-${month}.csv`,
      type: 'text/csv',
      fetchFile: () => ctx.api.hoursReportCsv(ctx.c, month),
      scope: CONSOLE_SCOPE,
    }),
  );
}

const stat = (label, value, id) => h('div', { class: 'stat' }, h('dt', {}, label), h('dd', { id }, value));

function topVolunteers(volunteers) {
  const top = volunteers.slice(0, TOP);
  const most = top[0]?.minutes ?? 0;
  return h(
    'ol',
    { class: 'top', 'aria-labelledby': 'top-title' },
    top.map((volunteer) =>
      h(
        'li',
        { class: 'top__row' },
        h('p', { class: 'top__who' }, h('span', { class: 'top__name' }, volunteer.name), ' ', h('span', { class: 'top__team' }, teamName(volunteer.team))),
        fillBar(volunteer.minutes, most),
        h('p', { class: 'top__numbers' }, formatDuration(volunteer.minutes), ' · ', t('points', { n: volunteer.points })),
      ),
    ),
  );
}
