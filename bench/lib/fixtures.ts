import { DateTime } from 'luxon';
import type { HttpClient } from './http';

/**
 * Set-up through the API itself (the organiser's and volunteers' own calls), so that what is
 * measured afterwards reads and writes items exactly as the application stores them.
 */

let phoneSeq = 0;
/** A distinct Chinese mobile number per call (one phone may register at most 10 times an hour). */
export function nextPhone(): string {
  phoneSeq += 1;
  if (phoneSeq > 99_999_999) throw new Error('out of phone numbers');
  return `+86139${String(phoneSeq).padStart(8, '0')}`;
}

export const ZONE = 'Asia/Shanghai';

export async function community(http: HttpClient, c: string, token: string, settings: Record<string, unknown> = {}): Promise<void> {
  await http.expect(200, 'PUT', `/communities/${c}/settings`, {
    token,
    body: { name: `幸福邻里 ${c}`, pointsPerHour: 10, organiserContacts: ['desk@example.org'], reminderOffsetsMinutes: [1440, 60], ...settings },
  });
}

export interface EventOptions {
  /** From now; an instant. */
  startsInMinutes: number;
  capacity?: number;
  title?: string;
}

export async function event(http: HttpClient, c: string, token: string, options: EventOptions): Promise<string> {
  const start = DateTime.now().plus({ minutes: options.startsInMinutes }).startOf('minute');
  const body = await http.expect(201, 'POST', `/communities/${c}/events`, {
    token,
    body: {
      title: options.title ?? '与邻相约·多彩邻里节',
      venue: '幸福邻里 community room',
      startsAt: start.toISO(),
      endsAt: start.plus({ hours: 3 }).toISO(),
      capacity: options.capacity ?? 100_000,
      volunteerCapacity: 50,
      status: 'published',
    },
  });
  return body.event.id as string;
}

export interface SlotRef {
  id: string;
  endsAt: string;
}

/** One evening slot starting `minutesFromNow` (negative: already started), lasting `durationMinutes`. */
export async function slot(
  http: HttpClient,
  c: string,
  token: string,
  minutesFromNow: number,
  options: { durationMinutes?: number; volunteerCapacity?: number; requestCapacity?: number } = {},
): Promise<SlotRef> {
  const start = DateTime.now().setZone(ZONE).startOf('minute').plus({ minutes: minutesFromNow });
  const body = await http.expect(201, 'POST', `/communities/${c}/slots/series`, {
    token,
    body: {
      from: start.toISODate(),
      to: start.toISODate(),
      startTime: start.toFormat('HH:mm'),
      durationMinutes: options.durationMinutes ?? 240,
      volunteerCapacity: options.volunteerCapacity ?? 50,
      requestCapacity: options.requestCapacity ?? 200,
    },
  });
  const created = body.slots?.[0];
  if (!created) throw new Error(`no slot created: ${JSON.stringify(body).slice(0, 300)}`);
  return { id: created.id as string, endsAt: new Date(created.endsAt as string).toISOString() };
}

export interface VolunteerRef {
  id: string;
  token: string;
  name: string;
  team: string;
}

export async function volunteer(http: HttpClient, c: string, token: string, name = '陈师傅', team = 'convenience'): Promise<VolunteerRef> {
  const body = await http.expect(201, 'POST', `/communities/${c}/volunteers`, { token, body: { name, phone: nextPhone(), team } });
  return { id: body.volunteer.id as string, token: body.token as string, name, team };
}

export async function takeShift(http: HttpClient, c: string, slotId: string, v: VolunteerRef): Promise<void> {
  await http.expect(201, 'POST', `/communities/${c}/slots/${slotId}/shifts`, { token: v.token });
}

export function registrationBody(): Record<string, unknown> {
  return { name: '王阿姨', phone: nextPhone(), partySize: 1, building: '3栋' };
}

export async function register(http: HttpClient, c: string, eventId: string): Promise<{ id: string; manageToken: string; status: string }> {
  const body = await http.expect(201, 'POST', `/communities/${c}/events/${eventId}/registrations`, { body: registrationBody() });
  return { id: body.registration.id as string, manageToken: body.manageToken as string, status: body.registration.status as string };
}

/** Runs `task(i)` for i in 0…count−1 with at most `concurrency` at once. */
export async function inParallel(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await task(index);
      }
    }),
  );
}
