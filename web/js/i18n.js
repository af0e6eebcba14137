// The chosen language, the strings in it, and dates in the community's time zone. Chinese first,
// English on a switch: each language's strings are in a file of their own (i18n/zh.js, i18n/en.js,
// and the organisers' console's in i18n/console-zh.js, i18n/console-en.js), with exactly the same
// keys; the names of the help desk's categories and the volunteer teams come from glossary.js.
// Only Chinese is loaded with the page (a resident's first page should not wait for the others'
// words): English and the console's tables are fetched by loadStrings() when a page needs them.

import { CATEGORIES, TEAMS } from './glossary.js';
import { zh } from './i18n/zh.js';

const STORAGE_KEY = 'linli.lang';
export const LANGS = { zh: 'zh-CN', en: 'en' };

/** id → name in one language, from a glossary list. */
const namesIn = (entries, language) => Object.fromEntries(entries.map((entry) => [entry.id, entry[language]]));

/** A language's whole table: its own strings, the glossary's names, and (once loaded) the console's strings under `console`. */
const assemble = (strings, language) => ({
  ...strings,
  categories: namesIn(CATEGORIES, language),
  teams: namesIn(TEAMS, language),
});

/** Every string loaded so far, by language (Chinese always); loadStrings() adds the rest. */
export const STRINGS = { zh: assemble(zh, 'zh') };

/** The tables fetched on demand, each once. */
const LOADERS = {
  en: () => import('./i18n/en.js').then((module) => module.en),
  'console.zh': () => import('./i18n/console-zh.js').then((module) => module.consoleZh),
  'console.en': () => import('./i18n/console-en.js').then((module) => module.consoleEn),
};
const loading = new Map();
const once = (name) => {
  if (!loading.has(name)) {
    const pending = LOADERS[name]();
    loading.set(name, pending);
    pending.catch(() => loading.delete(name));
  }
  return loading.get(name);
};

/**
 * Make sure `language`'s strings are here, and the console's too when `console` is set (the console
 * and the kiosk): until they are, t() answers in Chinese. Rejects when a table could not be fetched.
 */
export async function loadStrings(language, { console: withConsole = false } = {}) {
  if (language === 'en' && !STRINGS.en) STRINGS.en = assemble(await once('en'), 'en');
  if (withConsole && !STRINGS[language].console) STRINGS[language].console = await once(`console.${language}`);
  // The console's words in Chinese are the fallback for any it lacks in English.
  if (withConsole && language !== 'zh' && !STRINGS.zh.console) STRINGS.zh.console = await once('console.zh');
}

let lang = readStoredLang();

function readStoredLang() {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function getLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'zh';
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private browsing: the choice lasts for this page only.
  }
  document.documentElement.lang = LANGS[lang];
}

/** The string for `key` (dotted for nested tables) in the current language, with `{…}` values filled in. */
export function t(key, values = {}) {
  const lookup = (table) => key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), table);
  const entry = lookup(STRINGS[lang]) ?? lookup(STRINGS.zh);
  if (typeof entry === 'function') return entry(values);
  return entry ?? key;
}

/** The words for `table.value` (家电维修 for categories.appliance_repair), or the value as it came when there are none. */
export function named(table, value) {
  const name = t(`${table}.${value}`);
  return name === `${table}.${value}` ? String(value) : name;
}

// ---- dates and times, always in the community's time zone ----

function parts(date, timeZone, options) {
  const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
  const out = {};
  for (const part of new Intl.DateTimeFormat(locale, { timeZone, ...options }).formatToParts(date)) out[part.type] = part.value;
  return out;
}

function dayLabel(date, timeZone) {
  const p = parts(date, timeZone, { year: 'numeric', month: lang === 'en' ? 'short' : 'numeric', day: 'numeric', weekday: 'short' });
  const thisYear = parts(new Date(), timeZone, { year: 'numeric' }).year;
  if (lang === 'en') return `${p.weekday} ${p.day} ${p.month}${p.year === thisYear ? '' : ` ${p.year}`}`;
  return `${p.year === thisYear ? '' : `${p.year}年`}${p.month}月${p.day}日 ${p.weekday}`;
}

function timeLabel(date, timeZone) {
  const p = parts(date, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${p.hour}:${p.minute}`;
}

/** "12月20日 周日 09:00–12:00" / "Sun 20 Dec 09:00–12:00"; the end day is repeated only when it differs. */
export function formatRange(startsAt, endsAt, timeZone) {
  const start = new Date(startsAt);
  if (!endsAt) return `${dayLabel(start, timeZone)} ${timeLabel(start, timeZone)}`;
  return `${dayLabel(start, timeZone)} ${formatTimes(startsAt, endsAt, timeZone)}`;
}

/** "12月20日 周日" / "Sun 20 Dec": the day alone. */
export function formatDay(instant, timeZone) {
  return dayLabel(new Date(instant), timeZone);
}

/** "19:30–20:30": the times alone; the end day is added only when it differs from the start's. */
export function formatTimes(startsAt, endsAt, timeZone) {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const endDay = dayLabel(end, timeZone);
  const endText = endDay === dayLabel(start, timeZone) ? timeLabel(end, timeZone) : `${endDay} ${timeLabel(end, timeZone)}`;
  return `${timeLabel(start, timeZone)}\u2060–\u2060${endText}`; // word joiners: never break at the dash
}

/** "12月1日 周二 21:05" */
export function formatInstant(instant, timeZone) {
  const date = new Date(instant);
  return `${dayLabel(date, timeZone)} ${timeLabel(date, timeZone)}`;
}

/** "2 小时 5 分钟" / "2 h 5 min"; under an hour, the minutes alone. */
export function formatDuration(minutes) {
  const total = Math.max(0, Math.floor(Number(minutes) || 0));
  return t('durationText', { hours: Math.floor(total / 60), minutes: total % 60 });
}

/** "2026年11月" / "November 2026" for a report's month ("2026-11"). */
export function formatMonth(month) {
  const [year, number] = month.split('-').map(Number);
  if (lang === 'en') return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(Date.UTC(year, number - 1, 1));
  return `${year}年${number}月`;
}

// ---- the organiser's date-and-time fields (<input type="datetime-local">), in the community's time zone ----

/** Milliseconds the zone's clock is ahead of UTC at an instant (+08:00 is 28 800 000). */
function zoneOffset(instant, timeZone) {
  const p = {};
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  for (const part of format.formatToParts(new Date(instant))) p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/** "2026-12-20T09:00": an instant as the community's clock shows it, for a datetime-local field. */
export function localInputValue(instant, timeZone) {
  const at = Date.parse(instant);
  if (Number.isNaN(at)) return '';
  return new Date(at + zoneOffset(at, timeZone)).toISOString().slice(0, 16);
}

/**
 * "2026-12-20T09:00" on the community's clock as an RFC 3339 instant with the zone's offset
 * ("2026-12-20T09:00:00+08:00"); null when the text is not a date and time.
 */
export function instantFromLocal(value, timeZone) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(String(value ?? ''));
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offset at the guessed instant, asked twice so that a change of offset (summer time) settles.
  let offset = zoneOffset(wall - zoneOffset(wall, timeZone), timeZone);
  offset = zoneOffset(wall - offset, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  const zone = `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${new Date(wall).toISOString().slice(0, 16)}:00${zone}`;
}
