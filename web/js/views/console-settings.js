// Settings (社区设置) in the console: the community's name, time zone, earning standard, when reminders
// go out and to whom, whether phones are verified, and whether a check-in needs the code on the
// community room's kiosk screen (with the way to that screen). The first time an organiser signs in for a community that has none, this form
// comes first: nothing else works before it is saved.

import { hash } from '../common.js';
import { h } from '../dom.js';
import { errorSummary, field, fieldErrorText, input, setBusy, showProblem } from '../forms.js';
import { t } from '../i18n.js';
import { CONSOLE_SCOPE, consoleHash, problemByField, settingsBody } from '../organiser.js';

const FIELDS = ['name', 'timezone', 'pointsPerHour', 'reminderOffsetsMinutes', 'organiserContacts', 'wecomWebhookUrl', 'verifyPhone', 'checkInProof'];
const DEFAULTS = {
  name: '',
  timezone: 'Asia/Shanghai',
  pointsPerHour: 10,
  reminderOffsetsMinutes: [1440, 60],
  organiserContacts: [],
  wecomWebhookUrl: null,
  verifyPhone: false,
  checkInProof: 'none',
};

/** What was typed, kept through a language switch. */
let typed = null;

export function showSettings(ctx, { firstRun = false } = {}) {
  const title = firstRun ? t('console.settings.firstTitle') : t('console.settings.title');
  if (!ctx.view.rerendered) typed = null;
  const current = ctx.settings ?? DEFAULTS;
  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, t('console.settings.save'));
  const label = (name) => t(`console.settings.labels.${name}`);
  const hint = (name) => t(`console.settings.hints.${name}`);
  const form = h(
    'form',
    { class: 'form form--console', novalidate: true, 'aria-label': title },
    field('name', label('name'), { mark: 'required', hint: hint('name') }, input('name', { maxlength: 100, required: true })),
    field('timezone', label('timezone'), { hint: hint('timezone') }, input('timezone', { autocomplete: 'off', spellcheck: 'false' })),
    field('pointsPerHour', label('pointsPerHour'), { hint: hint('pointsPerHour') }, input('pointsPerHour', { type: 'number', inputmode: 'numeric', min: 0, max: 1000, step: 1 })),
    field('reminderOffsetsMinutes', label('reminderOffsetsMinutes'), { hint: hint('reminderOffsetsMinutes') }, input('reminderOffsetsMinutes', { inputmode: 'numeric', autocomplete: 'off' })),
    field('organiserContacts', label('organiserContacts'), { hint: hint('organiserContacts') }, h('textarea', { id: 'f-organiserContacts', name: 'organiserContacts', rows: 3, spellcheck: 'false' })),
    field('wecomWebhookUrl', label('wecomWebhookUrl'), { hint: hint('wecomWebhookUrl') }, input('wecomWebhookUrl', { type: 'url', inputmode: 'url', autocomplete: 'off', spellcheck: 'false' })),
    field(
      'verifyPhone',
      label('verifyPhone'),
      { hint: hint('verifyPhone') },
      h('select', { id: 'f-verifyPhone', name: 'verifyPhone' }, h('option', { value: 'false' }, t('console.settings.verifyPhoneOff')), h('option', { value: 'true' }, t('console.settings.verifyPhoneOn'))),
    ),
    field(
      'checkInProof',
      label('checkInProof'),
      { hint: hint('checkInProof') },
      h(
        'select',
        { id: 'f-checkInProof', name: 'checkInProof' },
        h('option', { value: 'none' }, t('console.settings.checkInProofNone')),
        h('option', { value: 'desk_code' }, t('console.settings.checkInProofDeskCode')),
      ),
    ),
    firstRun ? null : kioskLink(ctx),
    submit,
  );
  const values = typed ?? {
    name: current.name,
    timezone: current.timezone,
    pointsPerHour: String(current.pointsPerHour),
    reminderOffsetsMinutes: current.reminderOffsetsMinutes.join(', '),
    organiserContacts: current.organiserContacts.join('\n'),
    // Shown masked (the key's last four characters); sent back unchanged, the robot is kept.
    wecomWebhookUrl: current.wecomWebhookUrl ?? '',
    verifyPhone: String(current.verifyPhone ?? false),
    checkInProof: current.checkInProof ?? 'none',
  };
  for (const name of FIELDS) form.elements.namedItem(name).value = values[name] ?? '';
  form.addEventListener('input', () => {
    typed = Object.fromEntries(FIELDS.map((name) => [name, form.elements.namedItem(name).value]));
  });
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    save(ctx, { form, summary, submit, firstRun });
  });
  ctx.render(title, firstRun ? h('p', { class: 'lead' }, t('console.settings.firstIntro')) : null, summary, form);
  ctx.focus();
}

async function save(ctx, { form, summary, submit, firstRun }) {
  if (submit.disabled) return;
  const value = (name) => form.elements.namedItem(name).value.trim();
  const offsets = value('reminderOffsetsMinutes') ? value('reminderOffsetsMinutes').split(/[\s,，、]+/).filter(Boolean).map(Number) : [];
  const problems = [];
  if (!value('name')) problems.push({ path: 'name' });
  if (offsets.some((minutes) => !Number.isInteger(minutes))) problems.push({ path: 'reminderOffsetsMinutes' });
  const show = (problem, focus) =>
    showProblem(form, summary, problemByField(problem), { fields: FIELDS, focus, scope: CONSOLE_SCOPE, message: (path, serverMessage) => fieldErrorText(path, serverMessage, 'console.fieldErrors') });
  if (problems.length) {
    show({ code: 'validation_failed', errors: problems }, true);
    return;
  }
  const body = settingsBody(ctx.settings ?? DEFAULTS, {
    name: value('name'),
    timezone: value('timezone') || DEFAULTS.timezone,
    pointsPerHour: value('pointsPerHour') === '' ? DEFAULTS.pointsPerHour : Number(value('pointsPerHour')),
    reminderOffsetsMinutes: offsets,
    organiserContacts: value('organiserContacts').split('\n').map((line) => line.trim()).filter(Boolean),
    wecomWebhookUrl: value('wecomWebhookUrl') || null,
    verifyPhone: value('verifyPhone') === 'true',
    checkInProof: value('checkInProof') === 'desk_code' ? 'desk_code' : 'none',
  });
  setBusy(submit, true);
  let saved;
  try {
    saved = await ctx.api.saveSettings(ctx.c, body);
  } catch (error) {
    if (ctx.ended(error)) return;
    if (!ctx.view.current) return;
    setBusy(submit, false, t('console.settings.save'));
    show({ code: error.code, errors: error.errors }, true);
    return;
  }
  typed = null;
  ctx.settingsSaved(saved);
  ctx.say({ kind: 'ok', text: () => t('console.settings.saved') });
  if (firstRun) ctx.go(consoleHash('tonight'));
  else await ctx.reload();
}

/** The kiosk screen for the community room's tablet (签到码屏幕), and what opening it here does. */
function kioskLink(ctx) {
  return h(
    'div',
    { class: 'kiosk-link' },
    h('p', {}, h('a', { href: hash('c', ctx.c, 'kiosk'), id: 'kiosk-link', class: 'button button--secondary' }, t('console.settings.openKiosk'))),
    h('p', { class: 'hint', id: 'kiosk-link-hint' }, t('console.settings.kioskHint')),
  );
}
