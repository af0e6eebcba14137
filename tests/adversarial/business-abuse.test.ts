import { eventBody, startTestApi, type ApiResponse, type TestApi } from '../support/test-api';
import { moveClockToNextMinute } from '../support/minute';

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
