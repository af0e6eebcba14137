import { DateTime } from 'luxon';
import * as clock from '../../functions/clock';
import { startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;
let token: string;
const C = 'vols';

beforeAll(async () => {
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '幸福邻里' } });
});
afterAll(() => api.stop());

const createVolunteer = (body: Record<string, unknown> = {}) =>
  api.call('POST', `/communities/${C}/volunteers`, {
    token,
    body: { name: '陈师傅', phone: '138 0013 8000', team: 'convenience', skills: ['appliance_repair'], ...body },
  });

describe('the volunteer registry', () => {
  it('registers a volunteer and shows the token once, stored only as a hash', async () => {
    const response = await createVolunteer();
    expect(response.status).toBe(201);
    expect(response.body.token).toMatch(/^vt_[\w-]{40,}$/);
    expect(response.body.volunteer).toMatchObject({
      name: '陈师傅',
      phone: '+8613800138000',
      team: 'convenience',
      skills: ['appliance_repair'],
      status: 'active',
      hours: { approvedMinutes: 0, pendingMinutes: 0 },
      points: { balance: 0 },
    });
    const list = await api.call('GET', `/communities/${C}/volunteers`, { token });
    expect(list.text).not.toContain(response.body.token);
    expect(list.body.items.map((v: { id: string }) => v.id)).toContain(response.body.volunteer.id);

    const me = await api.call('GET', '/me', { token: response.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      volunteer: { id: response.body.volunteer.id, name: '陈师傅', team: 'convenience', communityId: C, skills: ['appliance_repair'] },
      hours: { approvedMinutes: 0, pendingMinutes: 0 },
      points: { balance: 0 },
      openCheckIn: null,
    });
    expect(me.text).not.toContain('8613800138000');
  });

  it.each([
    [{ team: 'firefighters' }, 'team'],
    [{ skills: ['juggling'] }, 'skills.0'],
    [{ phone: 'x' }, 'phone'],
    [{ name: '' }, 'name'],
  ])('refuses %j with a field error on %s', async (body, path) => {
    const response = await createVolunteer(body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('rotates the token: the new one works and the old one stops at once', async () => {
    const created = await createVolunteer();
    const rotated = await api.call('POST', `/communities/${C}/volunteers/${created.body.volunteer.id}/token`, { token });
    expect(rotated.status).toBe(201);
    expect(rotated.body.token).not.toBe(created.body.token);
    expect((await api.call('GET', '/me', { token: created.body.token })).status).toBe(401);
    expect((await api.call('GET', '/me', { token: rotated.body.token })).status).toBe(200);
  });

  it('refuses the token of an inactive volunteer, and takes it back when reactivated', async () => {
    const created = await createVolunteer();
    const id = created.body.volunteer.id;
    const patched = await api.call('PATCH', `/communities/${C}/volunteers/${id}`, { token, body: { status: 'inactive', team: 'patrol' } });
    expect(patched.status).toBe(200);
    expect(patched.body.volunteer).toMatchObject({ status: 'inactive', team: 'patrol' });
    const refused = await api.call('GET', '/me', { token: created.body.token });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('unauthorized');
    await api.call('PATCH', `/communities/${C}/volunteers/${id}`, { token, body: { status: 'active' } });
    expect((await api.call('GET', '/me', { token: created.body.token })).status).toBe(200);
  });

  it("keeps another community's organiser out of the registry", async () => {
    const other = await api.organiserToken('vols-other');
    expect((await api.call('GET', `/communities/${C}/volunteers`, { token: other })).status).toBe(403);
    expect((await api.call('POST', `/communities/${C}/volunteers`, { token: other, body: { name: 'x', phone: '13800138000', team: 'patrol' } })).status).toBe(403);
  });
});

describe('an organiser putting a volunteer on an evening', () => {
  it('assigns once, within the places, and the volunteer sees the shift', async () => {
    const day = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 5 }).toISODate()!;
    const series = await api.call('POST', `/communities/${C}/slots/series`, { token, body: { from: day, to: day, startTime: '21:15', volunteerCapacity: 1 } });
    const slotId = series.body.slots[0].id as string;
    const first = await createVolunteer({ name: '补位一', phone: '138 0013 9001' });
    const second = await createVolunteer({ name: '补位二', phone: '138 0013 9002' });
    const assign = (volunteerId: string) => api.call('POST', `/communities/${C}/slots/${slotId}/assignments`, { token, body: { volunteerId } });

    const assigned = await assign(first.body.volunteer.id);
    expect(assigned.status).toBe(201);
    expect(assigned.body.shift).toEqual({ slotId, volunteerId: first.body.volunteer.id });
    expect((await assign(first.body.volunteer.id)).body).toMatchObject({ status: 409, code: 'already_signed_up' });
    expect((await assign(second.body.volunteer.id)).body).toMatchObject({ status: 409, code: 'slot_full' });
    expect((await assign('01NOSUCHVOLUNTEER')).status).toBe(404);
    const shifts = await api.call('GET', '/me/shifts', { token: first.body.token });
    expect(shifts.body.items.map((shift: { slotId?: string }) => shift.slotId)).toContain(slotId);
    // Volunteers cannot assign anyone.
    expect((await api.call('POST', `/communities/${C}/slots/${slotId}/assignments`, { token: second.body.token, body: { volunteerId: second.body.volunteer.id } })).status).toBe(401);
  });
});
