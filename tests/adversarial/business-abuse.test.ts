import { eventBody, startTestApi, type ApiResponse, type TestApi } from '../support/test-api';
import { moveClockToNextMinute } from '../support/minute';
import { resetConfig } from '../../functions/config';

/** Abuse of the public flows: floods from one address, one phone trying to hoard an event. */
let api: TestApi;
let token: string;
const C = 'abuse';

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '5';
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '防刷' } });
});
afterAll(async () => {
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

it('limits public sign-ups per address, answering 429 with Retry-After, and stores none of the refused', async () => {
  const event = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity: 100 }) });
  const path = `/communities/${C}/events/${event.body.event.id}/registrations`;
  // The whole burst in one fresh one-minute window.
  const restoreClock = moveClockToNextMinute();
  let responses: ApiResponse[];
  try {
    responses = await Promise.all(Array.from({ length: 12 }, (_, i) => api.call('POST', path, { body: { name: '刷', phone: `+86139888800${String(i).padStart(2, '0')}` } })));
  } finally {
    restoreClock();
  }
  expect(responses.filter((r) => r.status === 201)).toHaveLength(5);
  const refused = responses.filter((r) => r.status === 429);
  expect(refused).toHaveLength(7);
  for (const r of refused) {
    expect(r.body.code).toBe('rate_limited');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  }
  expect((await api.call('GET', path, { token })).body.items).toHaveLength(5);
});

it('lets one phone hold at most one party of the largest allowed size', async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  const { resetConfig } = await import('../../functions/config');
  resetConfig();
  const event = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity: 50, maxPartySize: 4 }) });
  const path = `/communities/${C}/events/${event.body.event.id}/registrations`;
  const phone = '+8613977776666';
  const attempts = await Promise.all([
    ...Array.from({ length: 10 }, () => api.call('POST', path, { body: { name: '囤', phone, partySize: 4 } })),
    api.call('POST', path, { body: { name: '囤', phone, partySize: 20 } }),
    api.call('POST', path, { body: { name: '囤', phone: '139 7777 6666', partySize: 4 } }),
  ]);
  expect(attempts.filter((r) => r.status === 201)).toHaveLength(1);
  expect((await api.call('GET', `/communities/${C}/events/${event.body.event.id}`)).body.seatsLeft).toBe(46);
});

it('lets one address sign up a few parties per event, however many numbers it makes up', async () => {
  process.env.PARTIES_PER_ADDRESS_PER_EVENT = '3';
  resetConfig();
  try {
    await fewPartiesPerAddress();
  } finally {
    delete process.env.PARTIES_PER_ADDRESS_PER_EVENT;
    resetConfig();
  }
});

async function fewPartiesPerAddress() {
  const newEvent = async () => (await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity: 40 }) })).body.event.id as string;
  const first = await newEvent();
  const path = (eventId: string) => `/communities/${C}/events/${eventId}/registrations`;
  const restoreClock = moveClockToNextMinute();
  try {
    // Five made-up numbers at once from one address, under the per-minute limit of 5.
    const made = await Promise.all(Array.from({ length: 5 }, (_, i) => api.call('POST', path(first), { body: { name: '占座', phone: `+86139777700${String(i).padStart(2, '0')}` } })));
    expect(made.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = made.filter((r) => r.status === 429);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r.body.code).toBe('rate_limited');
    // Cancelling one does not give the address its place back.
    const kept = made.find((r) => r.status === 201)!;
    await api.call('DELETE', `${path(first)}/${kept.body.registration.id}`, { headers: { 'x-manage-token': kept.body.manageToken } });
    expect((await api.call('POST', path(first), { body: { name: '占座', phone: '+8613977770099' } })).status).toBe(429);
  } finally {
    restoreClock();
  }
  // Another event is another count.
  const restore = moveClockToNextMinute();
  try {
    expect((await api.call('POST', path(await newEvent()), { body: { name: '邻居', phone: '+8613977770098' } })).status).toBe(201);
  } finally {
    restore();
  }
  expect((await api.call('GET', path(first), { token })).body.items).toHaveLength(3);
}
