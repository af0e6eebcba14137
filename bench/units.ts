import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { resetConfig } from '../functions/config';
import { findJob } from '../functions/jobs';
import { runReminders } from '../functions/services/reminders';
import { signOrganiserToken, type LocalSigningKey } from '../local/jwt';
import { callUnits, splitRequired, type Calibration, type CallUnits, type CapacityRecorder, type OpRecord } from './lib/capacity';
import * as fx from './lib/fixtures';
import type { HttpClient } from './lib/http';
import { median } from './lib/load';

export interface CallMeasurement {
  id: string;
  title: string;
  /** Requests of the last repetition, with Local's and the AWS-estimated units. */
  units: CallUnits;
  /** Median over the repetitions (they normally agree; `varies` says when they do not). */
  rru: number;
  wru: number;
  varies: boolean;
  reps: number;
  /** Wall time of the call in-process (HTTP server and client in this process), median. */
  medianMs: number;
  /** The requests the data model requires for this call, and what they cost. */
  required: string[];
  minimum: { rru: number; wru: number };
  /** Requests beyond the required ones. */
  extra: string[];
  missing: string[];
  why?: string;
}

interface Ctx {
  http: HttpClient;
  recorder: CapacityRecorder;
  calibration: Calibration;
  signingKey: LocalSigningKey;
  log: (line: string) => void;
}

async function measureCall(
  ctx: Ctx,
  spec: { id: string; title: string; required: string[]; why?: string; reps: number },
  prepare: ((rep: number) => Promise<void>) | undefined,
  call: (rep: number) => Promise<void>,
): Promise<CallMeasurement> {
  const runs: { ops: OpRecord[]; ms: number; units: CallUnits }[] = [];
  for (let rep = 0; rep < spec.reps; rep += 1) {
    if (prepare) await prepare(rep);
    const { ops, ms } = await ctx.recorder.measure(() => call(rep));
    runs.push({ ops, ms, units: callUnits(ops, ctx.calibration) });
  }
  const last = runs[runs.length - 1]!;
  const { required, extra, missing } = splitRequired(last.ops, spec.required);
  const minimum = callUnits(required, ctx.calibration);
  const rru = median(runs.map((run) => run.units.rru));
  const wru = median(runs.map((run) => run.units.wru));
  const varies = runs.some((run) => run.units.rru !== last.units.rru || run.units.wru !== last.units.wru);
  const result: CallMeasurement = {
    id: spec.id,
    title: spec.title,
    units: last.units,
    rru,
    wru,
    varies,
    reps: runs.length,
    medianMs: median(runs.map((run) => run.ms)),
    required: spec.required,
    minimum: { rru: minimum.rru, wru: minimum.wru },
    extra: callUnits(extra, ctx.calibration).operations,
    missing,
    why: spec.why,
  };
  ctx.log(`  ${spec.id.padEnd(30)} RRU ${rru} WRU ${wru} (min ${minimum.rru}/${minimum.wru}) ${last.units.requests} requests ${result.medianMs.toFixed(1)} ms${missing.length ? ` MISSING ${missing.join(', ')}` : ''}`);
  ctx.log(`      ${last.units.operations.join(' → ')}`);
  return result;
}

const expectStatus = async (promise: Promise<{ status: number; text: string }>, status: number, what: string) => {
  const response = await promise;
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text.slice(0, 300)}`);
  return response as { status: number; text: string; body: any };
};

/** Runs the reminder job until nothing is due at `at` (bounded), so a measured run sees only its own work. */
export async function drainReminders(at: Date): Promise<number> {
  let handled = 0;
  for (let i = 0; i < 30; i += 1) {
    const summary = await runReminders(at);
    handled += summary.remindersDue + summary.delivered + summary.failed + summary.retrying;
    if (summary.remindersDue === 0 && summary.delivered + summary.failed + summary.retrying === 0) return handled;
  }
  return handled;
}

/** Section 3: consumed capacity of each main call, beside the minimum the data model allows. */
export async function measureCapacity(ctx: Ctx, reps: number): Promise<CallMeasurement[]> {
  const { http } = ctx;
  const C = 'bench-units';
  const organiser = await signOrganiserToken(ctx.signingKey, C);
  await fx.community(http, C, organiser, { reminderOffsetsMinutes: [60] });
  const registrationEvent = await fx.event(http, C, organiser, { startsInMinutes: 20 * 24 * 60 });
  const promotionEvent = await fx.event(http, C, organiser, { startsInMinutes: 21 * 24 * 60, capacity: 1 });
  const queue: { id: string; manageToken: string; status: string }[] = [];
  for (let i = 0; i <= reps; i += 1) queue.push(await fx.register(http, C, promotionEvent));
  if (queue[0]!.status !== 'confirmed' || queue[1]!.status !== 'waitlisted') throw new Error('promotion fixture: unexpected statuses');
  const deskSlot = await fx.slot(http, C, organiser, 24 * 60 + 7, { durationMinutes: 60 });
  const nowSlot = await fx.slot(http, C, organiser, -5, { durationMinutes: 240 });
  const volunteers: fx.VolunteerRef[] = [];
  for (let i = 0; i < reps; i += 1) volunteers.push(await fx.volunteer(http, C, organiser, `志愿者${i}`));
  const item = (await expectStatus(http.call('POST', `/communities/${C}/catalogue`, { token: organiser, body: { name: '大米 5kg', pointsCost: 5, stock: 1000 } }), 201, 'catalogue')).body.item.id as string;
  const logIds: string[] = [];

  const out: CallMeasurement[] = [];
  const m = (spec: Parameters<typeof measureCall>[1], prepare: Parameters<typeof measureCall>[2], call: Parameters<typeof measureCall>[3]) =>
    measureCall(ctx, spec, prepare, call).then((result) => void out.push(result));
  const r = { reps };

  await m(
    { ...r, id: 'registration', title: 'Registration (confirmed)', required: ['TransactWriteItems'] },
    undefined,
    async () => void (await expectStatus(http.call('POST', `/communities/${C}/events/${registrationEvent}/registrations`, { body: fx.registrationBody() }), 201, 'registration')),
  );
  await m(
    {
      ...r,
      id: 'registration+idempotency',
      title: 'Registration with Idempotency-Key (as the web form sends it)',
      required: ['TransactWriteItems', 'PutItem IDEMPOTENCY', 'UpdateItem IDEMPOTENCY'],
    },
    undefined,
    async () =>
      void (await expectStatus(
        http.call('POST', `/communities/${C}/events/${registrationEvent}/registrations`, { body: fx.registrationBody(), headers: { 'idempotency-key': randomUUID() } }),
        201,
        'registration',
      )),
  );
  await m(
    {
      ...r,
      id: 'cancellation+promotion',
      title: 'Cancellation that promotes the next household from the waitlist',
      required: ['GetItem REG', 'TransactWriteItems [Update REG', 'GetItem EVENT', 'Query gsi1 EVENT#WAITLIST', 'TransactWriteItems [Update EVENT', 'PutItem NOTIFICATION'],
    },
    undefined,
    async (rep) => {
      const holder = queue[rep]!;
      await expectStatus(
        http.call('DELETE', `/communities/${C}/events/${promotionEvent}/registrations/${holder.id}`, { headers: { 'x-manage-token': holder.manageToken } }),
        200,
        'cancellation',
      );
    },
  );
  await m(
    { ...r, id: 'help-desk-booking', title: 'Help-desk booking (evening slot)', required: ['TransactWriteItems', 'GetItem SLOT'] },
    undefined,
    async () =>
      void (await expectStatus(
        http.call('POST', `/communities/${C}/slots/${deskSlot.id}/requests`, {
          body: { name: '刘师傅', phone: fx.nextPhone(), category: 'pipe_unclogging', description: '厨房下水道堵了' },
        }),
        201,
        'booking',
      )),
  );
  await m(
    { ...r, id: 'shift', title: 'Take a shift (evening slot)', required: ['GetItem VOLTOKEN', 'GetItem VOLUNTEER', 'GetItem SLOT', 'TransactWriteItems'] },
    undefined,
    async (rep) => void (await expectStatus(http.call('POST', `/communities/${C}/slots/${nowSlot.id}/shifts`, { token: volunteers[rep]!.token }), 201, 'shift')),
  );
  await m(
    { ...r, id: 'check-in', title: 'Check-in', required: ['GetItem VOLTOKEN', 'GetItem VOLUNTEER', 'GetItem SLOT', 'TransactWriteItems'] },
    undefined,
    async (rep) => {
      const response = await expectStatus(http.call('POST', '/me/check-ins', { token: volunteers[rep]!.token, body: { slotId: nowSlot.id } }), 201, 'check-in');
      logIds.push(response.body.hoursLog.id as string);
    },
  );
  await m(
    { ...r, id: 'check-out', title: 'Check-out', required: ['GetItem VOLTOKEN', 'GetItem OPENLOG', 'GetItem LOG', 'TransactWriteItems'] },
    undefined,
    async (rep) => void (await expectStatus(http.call('POST', '/me/check-outs', { token: volunteers[rep]!.token }), 200, 'check-out')),
  );
  await m(
    { ...r, id: 'approval', title: 'Approval of a log (credits points, ledger, monthly counters)', required: ['GetItem PROFILE', 'GetItem LOG', 'TransactWriteItems'] },
    undefined,
    async (rep) =>
      void (await expectStatus(
        http.call('POST', `/communities/${C}/hours/${logIds[rep]}/approve`, { token: organiser, body: { minutes: 90, note: '实际到 20:30' } }),
        200,
        'approval',
      )),
  );
  await m(
    { ...r, id: 'manual-hours-entry', title: 'Organiser enters forgotten hours (approved and credited)', required: ['GetItem PROFILE', 'GetItem VOLUNTEER', 'TransactWriteItems'] },
    undefined,
    async (rep) => {
      const end = DateTime.now().minus({ days: 1, hours: rep });
      await expectStatus(
        http.call('POST', `/communities/${C}/hours`, {
          token: organiser,
          body: { volunteerId: volunteers[0]!.id, startedAt: end.minus({ minutes: 600 }).toISO(), endedAt: end.toISO(), note: '忘记签到 forgot to check in' },
        }),
        201,
        'manual entry',
      );
    },
  );
  await m(
    { ...r, id: 'redemption', title: 'Redemption at the points supermarket', required: ['GetItem VOLTOKEN', 'GetItem VOLUNTEER', 'GetItem ITEM', 'TransactWriteItems'] },
    undefined,
    async () => void (await expectStatus(http.call('POST', '/me/redemptions', { token: volunteers[0]!.token, body: { itemId: item } }), 201, 'redemption')),
  );
  await m(
    { ...r, id: 'event-list', title: 'Public event list (GET)', required: ['Query gsi1 COMMUNITY#EVENTS'] },
    undefined,
    async () => void (await expectStatus(http.call('GET', `/communities/${C}/events`), 200, 'list')),
  );
  await m(
    { ...r, id: 'roster', title: 'Organiser roster, first page (GET)', required: ['GetItem EVENT', 'Query EVENT REG#'] },
    undefined,
    async () => void (await expectStatus(http.call('GET', `/communities/${C}/events/${registrationEvent}/registrations`, { token: organiser }), 200, 'roster')),
  );
  await m(
    { ...r, id: 'volunteer-me', title: "Volunteer's own page (GET /me)", required: ['GetItem VOLTOKEN', 'GetItem VOLUNTEER', 'GetItem OPENLOG'] },
    undefined,
    async (rep) => void (await expectStatus(http.call('GET', '/me', { token: volunteers[rep]!.token }), 200, '/me')),
  );

  // The jobs: first everything already due is handled, so each measured run sees only its own work.
  await drainReminders(new Date());
  await m(
    { ...r, id: 'reminder-run-idle', title: 'Reminder run, nothing due (most of the 43,200 runs a month)', required: ['Query gsi2 REMINDERS#DUE', 'Query gsi2 NOTIFY#DUE'] },
    undefined,
    async () => void (await runReminders(new Date())),
  );
  await m(
    {
      ...r,
      id: 'reminder-run',
      title: "Reminder run with one event's reminders due (organisers' digest + volunteers' plan with no shifts)",
      required: [
        'Query gsi2 REMINDERS#DUE',
        'UpdateItem PLAN',
        'UpdateItem PLAN',
        'UpdateItem PLAN',
        'UpdateItem PLAN',
        'GetItem PROFILE',
        'GetItem EVENT',
        'Query EVENT SHIFT#',
        'PutItem NOTIFICATION',
        'Query gsi2 NOTIFY#DUE',
        'UpdateItem NOTIFICATION',
        'UpdateItem NOTIFICATION',
      ],
      why: 'two plans due (organisers, volunteers): claim + finish each; the community, the event and its shifts once; the digest: record, claim, outcome',
    },
    async () => void (await fx.event(http, C, organiser, { startsInMinutes: 30 })),
    async () => {
      const summary = await runReminders(new Date());
      if (summary.remindersClaimed < 1) throw new Error('reminder run: nothing claimed');
    },
  );
  const housekeeping = findJob('housekeeping');
  if (housekeeping) {
    await m(
      { ...r, id: 'housekeeping-idle', title: 'Housekeeping run, nothing due (hourly)', required: ['Query gsi2 HOURS#OPEN', 'Query gsi2 ERASE#DUE'] },
      undefined,
      // As on AWS: the idempotency sweep runs only under the local runtime (TTL does it on AWS).
      async () => void (await asOnAws(() => housekeeping.run(new Date()))),
    );
  }
  return out;
}

/** Runs `work` with the configuration Lambda has (LINLI_RUNTIME unset), then restores the local one. */
async function asOnAws<T>(work: () => Promise<T>): Promise<T> {
  const saved = process.env.LINLI_RUNTIME;
  delete process.env.LINLI_RUNTIME;
  resetConfig();
  try {
    return await work();
  } finally {
    if (saved !== undefined) process.env.LINLI_RUNTIME = saved;
    resetConfig();
  }
}

export interface ReminderGrowth {
  scale: string;
  futureEvents: number;
  futureSlots: number;
  idle: { rru: number; wru: number; medianMs: number; minMs: number; reps: number };
  busy: { rru: number; wru: number; medianMs: number; minMs: number; reps: number; requests: number };
}

export interface HoursGrowth {
  logs: number;
  entryMs: number;
  report: { rru: number; wru: number; requests: number; p50Ms: number };
  me: { rru: number; wru: number; requests: number; p50Ms: number };
  ledgerPage: { rru: number; wru: number; requests: number; p50Ms: number };
}

export interface RegistrationUnitsGrowth {
  label: string;
  rru: number;
  wru: number;
  requests: number;
}

/** Section 4 (in-process part): the reminder run and the hours report as the table grows. */
export async function measureGrowth(
  ctx: Ctx,
  options: { idleReps: number; busyReps: number; hoursSamples: number; registrationEvents: { label: string; c: string; eventId: string }[] },
): Promise<{ reminders: ReminderGrowth[]; hours: HoursGrowth[]; registration: RegistrationUnitsGrowth[] }> {
  const { http } = ctx;
  const C = 'bench-grow';
  const organiser = await signOrganiserToken(ctx.signingKey, C);
  await fx.community(http, C, organiser, { reminderOffsetsMinutes: [60] });
  await drainReminders(new Date());

  const DAY = 24 * 60;
  const reminders: ReminderGrowth[] = [];
  let futureEvents = 0;
  let futureSlots = 0;
  // Future events and slots far beyond every probe time; the 10× step adds 9× more of each.
  const addFuture = async (events: number, slotDays: number, fromDay: number) => {
    await fx.inParallel(events, 4, async (i) => void (await fx.event(http, C, organiser, { startsInMinutes: (fromDay + i) * DAY + 17 })));
    for (let done = 0; done < slotDays; done += 90) {
      const start = DateTime.now().setZone(fx.ZONE).plus({ days: fromDay + 400 + done });
      const days = Math.min(90, slotDays - done);
      await http.expect(201, 'POST', `/communities/${C}/slots/series`, {
        token: organiser,
        body: { from: start.toISODate(), to: start.plus({ days: days - 1 }).toISODate(), volunteerCapacity: 2 },
      });
    }
    futureEvents += events;
    futureSlots += slotDays;
  };
  const probeRuns = async (scale: string, baseDay: number) => {
    // Everything due before the probe times (other sections' events, long started by then) is
    // handled first, so the idle runs read an empty queue and each busy run sees only its event.
    await drainReminders(DateTime.now().plus({ days: baseDay - 1 }).toJSDate());
    const idle: { units: CallUnits; ms: number }[] = [];
    for (let i = 0; i < options.idleReps; i += 1) {
      const at = DateTime.now().plus({ days: baseDay - 1 }).toJSDate();
      const { ops, ms } = await ctx.recorder.measure(() => runReminders(at));
      idle.push({ units: callUnits(ops, ctx.calibration), ms });
    }
    const busy: { units: CallUnits; ms: number }[] = [];
    for (let i = 0; i < options.busyReps; i += 1) {
      const atMinute = (baseDay + i) * DAY;
      await fx.event(http, C, organiser, { startsInMinutes: atMinute + 30 });
      const at = DateTime.now().plus({ minutes: atMinute }).toJSDate();
      const { ops, ms } = await ctx.recorder.measure(() => runReminders(at));
      busy.push({ units: callUnits(ops, ctx.calibration), ms });
    }
    const pick = (runs: { units: CallUnits; ms: number }[]) => ({
      rru: median(runs.map((run) => run.units.rru)),
      wru: median(runs.map((run) => run.units.wru)),
      medianMs: median(runs.map((run) => run.ms)),
      minMs: Math.min(...runs.map((run) => run.ms)),
      reps: runs.length,
      requests: median(runs.map((run) => run.units.requests)),
    });
    const result = { scale, futureEvents, futureSlots, idle: pick(idle), busy: pick(busy) };
    reminders.push(result);
    ctx.log(`  reminders ${scale}: ${futureEvents} future events, ${futureSlots} future slots; idle ${JSON.stringify(result.idle)} busy ${JSON.stringify(result.busy)}`);
  };
  await addFuture(20, 10, 200);
  await probeRuns('1×', 100);
  await addFuture(180, 90, 230);
  await probeRuns('10×', 150);

  // Hours: one volunteer with 10 logs, another (in another community) with 1,000, entered by an organiser.
  const hours: HoursGrowth[] = [];
  const lastMonth = DateTime.now().setZone(fx.ZONE).minus({ months: 1 }).startOf('month');
  for (const logs of [10, 1000]) {
    const c = `bench-hours-${logs}`;
    const token = await signOrganiserToken(ctx.signingKey, c);
    await fx.community(http, c, token);
    const v = await fx.volunteer(http, c, token, '陈师傅');
    const started = Date.now();
    // Two at a time: every entry updates the same volunteer and month counters, so more would
    // mostly add transaction conflicts and retries.
    await fx.inParallel(logs, 2, async (i) => {
      const start = lastMonth.plus({ minutes: i * 40 });
      await http.expect(201, 'POST', `/communities/${c}/hours`, {
        token,
        body: { volunteerId: v.id, startedAt: start.toISO(), endedAt: start.plus({ minutes: 30 }).toISO(), note: '补录 entered later' },
      });
    });
    const entryMs = Date.now() - started;
    const sample = async (path: string, auth: string) => {
      const runs: { units: CallUnits; ms: number }[] = [];
      for (let i = 0; i < options.hoursSamples; i += 1) {
        const { ops, ms } = await ctx.recorder.measure(() => expectStatus(http.call('GET', path, { token: auth }), 200, path));
        runs.push({ units: callUnits(ops, ctx.calibration), ms });
      }
      return {
        rru: median(runs.map((run) => run.units.rru)),
        wru: median(runs.map((run) => run.units.wru)),
        requests: median(runs.map((run) => run.units.requests)),
        p50Ms: median(runs.map((run) => run.ms)),
      };
    };
    const result: HoursGrowth = {
      logs,
      entryMs,
      report: await sample(`/communities/${c}/reports/hours?month=${lastMonth.toFormat('yyyy-MM')}`, token),
      me: await sample('/me', v.token),
      ledgerPage: await sample('/me/points', v.token),
    };
    hours.push(result);
    ctx.log(`  hours ${logs} logs (entered in ${entryMs} ms): report ${JSON.stringify(result.report)} me ${JSON.stringify(result.me)}`);
  }

  const registration: RegistrationUnitsGrowth[] = [];
  for (const target of options.registrationEvents) {
    const runs: CallUnits[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { ops } = await ctx.recorder.measure(() =>
        expectStatus(http.call('POST', `/communities/${target.c}/events/${target.eventId}/registrations`, { body: fx.registrationBody() }), 201, 'registration'),
      );
      runs.push(callUnits(ops, ctx.calibration));
    }
    registration.push({
      label: target.label,
      rru: median(runs.map((u) => u.rru)),
      wru: median(runs.map((u) => u.wru)),
      requests: median(runs.map((u) => u.requests)),
    });
  }
  return { reminders, hours, registration };
}

/** Whether POST /me/check-outs accepts an Idempotency-Key (the web page sends none, noting a 500). */
export async function probeCheckOutWithKey(ctx: Ctx): Promise<number> {
  const { http } = ctx;
  const c = 'bench-probe';
  const organiser = await signOrganiserToken(ctx.signingKey, c);
  await fx.community(http, c, organiser);
  const slot = await fx.slot(http, c, organiser, -5, { durationMinutes: 120 });
  const v = await fx.volunteer(http, c, organiser);
  await fx.takeShift(http, c, slot.id, v);
  await http.expect(201, 'POST', '/me/check-ins', { token: v.token, body: { slotId: slot.id } });
  const response = await http.call('POST', '/me/check-outs', { token: v.token, headers: { 'idempotency-key': randomUUID() } });
  if (response.status !== 200) await http.call('POST', '/me/check-outs', { token: v.token });
  return response.status;
}
