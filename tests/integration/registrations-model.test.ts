import fc from 'fast-check';
import { eventBody, startTestApi, type TestApi } from '../support/test-api';

/**
 * The promotion rule, checked against a model small enough to be obviously right: any sequence of
 * registrations, cancellations and capacity changes, run against the real API, leaves every
 * registration in the status the model predicts, confirmed seats ≤ capacity, and the waitlist in
 * queue order, a party skipped only when it does not fit.
 */
let api: TestApi;
let token: string;
const C = 'model';
let phoneSeq = 0;

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: 'Model' } });
});
afterAll(async () => {
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

type Status = 'confirmed' | 'waitlisted' | 'cancelled';
interface Party { partySize: number; status: Status }

/** The model: an array in arrival order. */
class Model {
  parties: Party[] = [];
  constructor(public capacity: number) {}
  get confirmed() {
    return this.parties.filter((p) => p.status === 'confirmed').reduce((sum, p) => sum + p.partySize, 0);
  }
  promote() {
    for (;;) {
      const next = this.parties.find((p) => p.status === 'waitlisted' && p.partySize <= this.capacity - this.confirmed);
      if (!next) return;
      next.status = 'confirmed';
    }
  }
  register(partySize: number) {
    this.parties.push({ partySize, status: partySize <= this.capacity - this.confirmed ? 'confirmed' : 'waitlisted' });
  }
  cancel(index: number) {
    const party = this.parties[index]!;
    const freed = party.status === 'confirmed';
    party.status = 'cancelled';
    if (freed) this.promote();
  }
  setCapacity(capacity: number): boolean {
    if (capacity < this.confirmed) return false;
    const raised = capacity > this.capacity;
    this.capacity = capacity;
    if (raised) this.promote();
    return true;
  }
}

type Command =
  | { kind: 'register'; partySize: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'capacity'; capacity: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('register' as const), partySize: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('capacity' as const), capacity: fc.integer({ min: 1, max: 10 }) }) },
);

it('agrees with the model for any sequence of sign-ups, cancellations and capacity changes', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(command, { minLength: 1, maxLength: 14 }), async (capacity, commands) => {
      const created = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity, maxPartySize: 4 }) });
      const eventId: string = created.body.event.id;
      const path = `/communities/${C}/events/${eventId}/registrations`;
      const model = new Model(capacity);
      const real: { id: string; manageToken: string }[] = [];

      for (const step of commands) {
        if (step.kind === 'register') {
          phoneSeq += 1;
          const response = await api.call('POST', path, { body: { name: '模型', phone: `+86136${String(phoneSeq).padStart(8, '0')}`, partySize: step.partySize } });
          expect(response.status).toBe(201);
          model.register(step.partySize);
          real.push({ id: response.body.registration.id, manageToken: response.body.manageToken });
          expect(response.body.registration.status).toBe(model.parties.at(-1)!.status);
        } else if (step.kind === 'cancel') {
          const active = model.parties.map((p, i) => [p, i] as const).filter(([p]) => p.status !== 'cancelled');
          if (active.length === 0) continue;
          const index = active[step.pick % active.length]![1];
          const response = await api.call('DELETE', `${path}/${real[index]!.id}`, { headers: { 'x-manage-token': real[index]!.manageToken } });
          expect(response.status).toBe(200);
          model.cancel(index);
        } else {
          const response = await api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { capacity: step.capacity } });
          expect(response.status).toBe(model.setCapacity(step.capacity) ? 200 : 409);
        }
      }

      const roster = await api.call('GET', `${path}?limit=100`, { token });
      const byId = new Map<string, { status: Status; waitlistPosition?: number }>(
        roster.body.items.map((entry: { id: string; status: Status; waitlistPosition?: number }) => [entry.id, entry]),
      );
      const expectedQueue = model.parties.map((p, i) => [p, i] as const).filter(([p]) => p.status === 'waitlisted');
      model.parties.forEach((party, i) => expect(byId.get(real[i]!.id)?.status).toBe(party.status));
      expectedQueue.forEach(([, i], position) => expect(byId.get(real[i]!.id)?.waitlistPosition).toBe(position + 1));
      const event = await api.call('GET', `/communities/${C}/events/${eventId}`);
      expect(event.body.capacity - event.body.seatsLeft).toBe(model.confirmed);
      expect(model.confirmed).toBeLessThanOrEqual(model.capacity);
      expect(event.body.waitlistLength).toBe(expectedQueue.length);
      expect(event.body.waitlistPeople).toBe(expectedQueue.reduce((sum, [party]) => sum + party.partySize, 0));
    }),
    { numRuns: 25 },
  );
});
