import { DateTime } from 'luxon';
import type { TestApi } from './test-api';
import { eventBody } from './test-api';
import * as clock from '../../functions/clock';

/** One community with one of everything, for suites that call every route of the table. */
export interface CommunityFixture {
  readonly c: string;
  readonly organiserToken: string;
  readonly eventId: string;
  readonly slotId: string;
  readonly registrationId: string;
  readonly registrationToken: string;
  readonly otherRegistrationToken: string;
  readonly requestId: string;
  readonly requestToken: string;
  readonly volunteerId: string;
  readonly volunteerToken: string;
  readonly logId: string;
  readonly itemId: string;
  readonly redemptionId: string;
  readonly workOrderId: string;
  readonly workOrderToken: string;
  /** A published wish, adopted by no one yet. */
  readonly wishId: string;
  readonly wishToken: string;
  /** Path parameter values by name, for filling in route paths. */
  readonly params: Readonly<Record<string, string>>;
}

let phoneSeq = 0;
const nextPhone = () => `+86135${String((phoneSeq += 1) + Math.floor(Math.random() * 1e6) * 100).padStart(8, '0').slice(-8)}`;

export async function makeCommunity(api: TestApi, c: string, names: { resident?: string; phone?: string } = {}): Promise<CommunityFixture> {
  const organiserToken = await api.organiserToken(c);
  const call = (method: string, path: string, body?: unknown, token = organiserToken, headers?: Record<string, string>) =>
    api.call(method, path, { token, body, headers });
  const ok = <T>(response: { status: number; body: T; text: string }, what: string): T => {
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${response.text}`);
    return response.body;
  };
  ok(await call('PUT', `/communities/${c}/settings`, { name: `社区 ${c}`, pointsPerHour: 60 }), 'settings');
  const event = ok<any>(await call('POST', `/communities/${c}/events`, eventBody({ capacity: 2, volunteerCapacity: 3 })), 'event');
  const eventId = event.event.id as string;
  const registration = ok<any>(
    await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: names.resident ?? '王阿姨', phone: names.phone ?? nextPhone() } }),
    'registration',
  );
  const other = ok<any>(await api.call('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: '李', phone: nextPhone() } }), 'registration 2');
  const start = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').minus({ minutes: 5 });
  const series = ok<any>(
    await call('POST', `/communities/${c}/slots/series`, { from: start.toISODate(), to: start.toISODate(), startTime: start.toFormat('HH:mm'), volunteerCapacity: 5 }),
    'series',
  );
  const slotId = series.slots[0].id as string;
  const request = ok<any>(
    await api.call('POST', `/communities/${c}/slots/${slotId}/requests`, {
      body: { name: names.resident ?? '刘奶奶', phone: names.phone ?? nextPhone(), category: 'other', description: '帮忙' },
    }),
    'request',
  );
  const volunteer = ok<any>(await call('POST', `/communities/${c}/volunteers`, { name: '陈师傅', phone: nextPhone(), team: 'patrol' }), 'volunteer');
  const volunteerToken = volunteer.token as string;
  ok(await call('POST', `/communities/${c}/slots/${slotId}/shifts`, undefined, volunteerToken), 'shift');
  const end = DateTime.fromMillis(clock.nowMs()).minus({ days: 1 });
  const log = ok<any>(
    await call('POST', `/communities/${c}/hours`, { volunteerId: volunteer.volunteer.id, startedAt: end.minus({ hours: 2 }).toISO(), endedAt: end.toISO(), note: 'x' }),
    'hours',
  );
  const item = ok<any>(await call('POST', `/communities/${c}/catalogue`, { name: '大米', pointsCost: 10, stock: 50 }), 'item');
  const redemption = ok<any>(await call('POST', '/me/redemptions', { itemId: item.item.id }, volunteerToken), 'redemption');
  const workOrder = ok<any>(
    await api.call('POST', `/communities/${c}/work-orders`, { body: { name: names.resident ?? '刘奶奶', phone: names.phone ?? nextPhone(), category: 'other', description: '楼道灯坏了' } }),
    'work order',
  );
  const wish = ok<any>(
    await api.call('POST', `/communities/${c}/wishes`, { body: { name: names.resident ?? '刘奶奶', phone: names.phone ?? nextPhone(), title: '想要一副老花镜', description: '' } }),
    'wish',
  );
  ok(await call('POST', `/communities/${c}/wishes/${wish.wish.id}/publish`), 'publish wish');
  const fixture = {
    c,
    organiserToken,
    eventId,
    slotId,
    registrationId: registration.registration.id as string,
    registrationToken: registration.manageToken as string,
    otherRegistrationToken: other.manageToken as string,
    requestId: request.request.id as string,
    requestToken: request.manageToken as string,
    volunteerId: volunteer.volunteer.id as string,
    volunteerToken,
    logId: log.hoursLog.id as string,
    itemId: item.item.id as string,
    redemptionId: redemption.redemption.id as string,
    workOrderId: workOrder.workOrder.id as string,
    workOrderToken: workOrder.manageToken as string,
    wishId: wish.wish.id as string,
    wishToken: wish.manageToken as string,
  };
  return {
    ...fixture,
    params: {
      c,
      eventId,
      slotId,
      volunteerId: fixture.volunteerId,
      logId: fixture.logId,
      itemId: fixture.itemId,
    },
  };
}

/** A route path with its parameters filled in from the fixture (`{id}` depends on the route). */
export function fillPath(path: string, fixture: CommunityFixture): string {
  const id = path.includes('/requests/')
    ? fixture.requestId
    : path.includes('/redemptions/')
      ? fixture.redemptionId
      : path.includes('/work-orders/')
        ? fixture.workOrderId
        : path.includes('/wishes/')
          ? fixture.wishId
          : fixture.registrationId;
  return path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' ? id : fixture.params[name]!) ?? '');
}
