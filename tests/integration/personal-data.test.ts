import { DateTime } from 'luxon';
import { routes } from '../../functions/routes';
import { eventBody, startTestApi, type ApiResponse, type TestApi } from '../support/test-api';
import * as clock from '../../functions/clock';

/**
 * API.md: public and volunteer responses never contain another person's phone number. Every
 * public, manage-token and volunteer GET route of the route table is called (a new route is
 * covered without touching this test), plus the POSTs that answer residents, and every body is
 * scanned for the phone numbers of everybody in the community, in any common spelling.
 */
let api: TestApi;
const C = 'pii';
const phones = ['+8613911112222', '+8613933334444', '+8613955556666', '+8613977778888'];
const spellings = (e164: string) => [e164, e164.slice(3), `${e164.slice(3, 6)} ${e164.slice(6, 10)} ${e164.slice(10)}`, e164.slice(-8)];

const seen: { route: string; response: ApiResponse }[] = [];
const fixture: Record<string, string> = { c: C };
let manageToken = '';
let requestManageToken = '';
let volunteerToken = '';

beforeAll(async () => {
  api = await startTestApi();
  const token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '隐私', organiserContacts: [phones[3]] } });
  const event = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity: 1, volunteerCapacity: 2 }) });
  fixture.eventId = event.body.event.id;
  const day = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 2 }).toISODate();
  const series = await api.call('POST', `/communities/${C}/slots/series`, { token, body: { from: day, to: day } });
  fixture.slotId = series.body.slots[0].id;

  const register = async (phone: string) => {
    const response = await api.call('POST', `/communities/${C}/events/${fixture.eventId}/registrations`, { body: { name: '甲', phone } });
    seen.push({ route: 'POST registration', response });
    return response;
  };
  const mine = await register(phones[0]!);
  await register(phones[1]!);
  fixture.registrationId = mine.body.registration.id;
  manageToken = mine.body.manageToken;

  const request = await api.call('POST', `/communities/${C}/slots/${fixture.slotId}/requests`, {
    body: { name: '乙', phone: phones[2], category: 'other', description: '帮忙' },
  });
  seen.push({ route: 'POST help request', response: request });
  requestManageToken = request.body.manageToken;
  fixture.requestId = request.body.request.id;

  const volunteer = await api.call('POST', `/communities/${C}/volunteers`, { token, body: { name: '丙', phone: phones[3], team: 'patrol' } });
  volunteerToken = volunteer.body.token;
  const other = await api.call('POST', `/communities/${C}/volunteers`, { token, body: { name: '丁', phone: phones[1], team: 'patrol' } });
  for (const t of [volunteerToken, other.body.token]) {
    seen.push({ route: 'POST slot shift', response: await api.call('POST', `/communities/${C}/slots/${fixture.slotId}/shifts`, { token: t }) });
    seen.push({ route: 'POST event shift', response: await api.call('POST', `/communities/${C}/events/${fixture.eventId}/shifts`, { token: t }) });
  }

  // A resident's work order, dispatched to the volunteers' team: the team sees it, never the reporter's number.
  const report = await api.call('POST', `/communities/${C}/work-orders`, { body: { name: '戊', phone: phones[2], category: 'other', description: '楼道灯坏了' } });
  seen.push({ route: 'POST work order', response: report });
  const workOrderToken = report.body.manageToken as string;
  const workOrderId = report.body.workOrder.id as string;
  await api.call('POST', `/communities/${C}/work-orders/${workOrderId}/dispatch`, { token, body: { team: 'patrol' } });

  // A resident's wish, published and adopted by a volunteer: the wall, the adopter and the resident never see a number.
  const posted = await api.call('POST', `/communities/${C}/wishes`, { body: { name: '己', phone: phones[0], title: '想要一副老花镜', description: '' } });
  seen.push({ route: 'POST wish', response: posted });
  const wishToken = posted.body.manageToken as string;
  const wishId = posted.body.wish.id as string;
  await api.call('POST', `/communities/${C}/wishes/${wishId}/publish`, { token });
  seen.push({ route: 'POST wish adopt', response: await api.call('POST', `/communities/${C}/wishes/${wishId}/adopt`, { token: volunteerToken }) });

  for (const route of routes.filter((candidate) => candidate.method === 'GET' && candidate.credential !== 'organiser')) {
    const isRequestRoute = route.path.includes('/requests/');
    const isWorkOrderRoute = route.path.includes('/work-orders/');
    const isWishRoute = route.path.includes('/wishes/');
    const values: Record<string, string> = { ...fixture, id: isRequestRoute ? fixture.requestId! : isWorkOrderRoute ? workOrderId : isWishRoute ? wishId : fixture.registrationId! };
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!);
    const headers: Record<string, string> =
      route.credential === 'manage' ? { 'x-manage-token': isRequestRoute ? requestManageToken : isWorkOrderRoute ? workOrderToken : isWishRoute ? wishToken : manageToken } : {};
    const response = await api.call('GET', path, { headers, token: route.credential === 'volunteer' ? volunteerToken : undefined });
    seen.push({ route: `${route.method} ${route.path}`, response });
  }
});
afterAll(() => api.stop());

it('calls every public, manage-token and volunteer GET route successfully', () => {
  const gets = seen.filter((entry) => entry.route.startsWith('GET'));
  expect(gets.length).toBe(routes.filter((route) => route.method === 'GET' && route.credential !== 'organiser').length);
  expect(gets.filter((entry) => entry.response.status !== 200).map((entry) => entry.route)).toEqual([]);
});

it('never shows anybody a full phone number outside the organiser routes', () => {
  for (const { route, response } of seen) {
    for (const phone of phones) {
      for (const spelling of spellings(phone)) expect({ route, leaked: response.text.includes(spelling) ? spelling : null }).toEqual({ route, leaked: null });
    }
  }
});
