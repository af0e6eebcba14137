import fc from 'fast-check';
import { ConflictError } from '../../../functions/domain/errors';
import {
  HELP_CATEGORIES,
  TEAMS,
  checkCanServe,
  volunteerAdminView,
  volunteerOnDutyView,
  volunteerSelfView,
  type Volunteer,
} from '../../../functions/domain/volunteers';

const volunteer = (overrides: Partial<Volunteer> = {}): Volunteer => ({
  id: 'v1',
  communityId: 'xingfu',
  name: '陈师傅',
  phone: '+8613900009876',
  team: 'patrol',
  skills: ['appliance_repair', 'security_patrol'],
  status: 'active',
  tokenHash: 'sha256-of-the-volunteer-token',
  approvedMinutes: 600,
  pendingMinutes: 66,
  pointsBalance: 90,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-20T00:00:00.000Z',
  ...overrides,
});

const anyVolunteer = fc.record({
  name: fc.string({ minLength: 1, maxLength: 20 }),
  phone: fc.stringMatching(/^\+861[3-9]\d{9}$/),
  team: fc.constantFrom(...TEAMS),
  skills: fc.uniqueArray(fc.constantFrom(...HELP_CATEGORIES), { maxLength: 3 }),
  status: fc.constantFrom('active' as const, 'inactive' as const),
  approvedMinutes: fc.nat(100_000),
  pendingMinutes: fc.nat(10_000),
  pointsBalance: fc.nat(100_000),
}).map((fields) => volunteer(fields));

describe('views of a volunteer', () => {
  it('give the organisers contact details and the totals of hours and points', () => {
    expect(volunteerAdminView(volunteer())).toEqual({
      id: 'v1',
      communityId: 'xingfu',
      name: '陈师傅',
      phone: '+8613900009876',
      team: 'patrol',
      skills: ['appliance_repair', 'security_patrol'],
      status: 'active',
      hours: { approvedMinutes: 600, pendingMinutes: 66 },
      points: { balance: 90 },
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-20T00:00:00.000Z',
    });
  });

  it('never carry the token hash, and show the phone to organisers only', () => {
    fc.assert(
      fc.property(anyVolunteer, (v) => {
        const views = { admin: volunteerAdminView(v), self: volunteerSelfView(v), onDuty: volunteerOnDutyView(v) };
        for (const view of Object.values(views)) expect(JSON.stringify(view)).not.toContain(v.tokenHash);
        expect(JSON.stringify(views.self)).not.toContain(v.phone);
        expect(JSON.stringify(views.onDuty)).not.toContain(v.phone);
        expect(views.admin.phone).toBe(v.phone);
      }),
    );
  });

  it('show the volunteer themselves their name, team, community and skills', () => {
    expect(volunteerSelfView(volunteer())).toEqual({
      id: 'v1',
      name: '陈师傅',
      team: 'patrol',
      communityId: 'xingfu',
      skills: ['appliance_repair', 'security_patrol'],
    });
  });

  it('show anyone else a volunteer on duty by name and team alone', () => {
    expect(volunteerOnDutyView(volunteer())).toEqual({ id: 'v1', name: '陈师傅', team: 'patrol' });
  });
});

describe('checkCanServe', () => {
  it('lets active volunteers serve and refuses inactive ones with invalid_state', () => {
    expect(() => checkCanServe(volunteer())).not.toThrow();
    expect(() => checkCanServe(volunteer({ status: 'inactive' }))).toThrow(ConflictError);
    expect(() => checkCanServe(volunteer({ status: 'inactive' }))).toThrow(expect.objectContaining({ code: 'invalid_state', status: 409 }));
  });
});

describe('the teams and help categories', () => {
  it('are the six resident volunteer teams and seven help desk categories, each id once', () => {
    expect(TEAMS).toHaveLength(6);
    expect(new Set(TEAMS).size).toBe(6);
    expect(HELP_CATEGORIES).toHaveLength(7);
    expect(new Set(HELP_CATEGORIES).size).toBe(7);
    expect(HELP_CATEGORIES).toContain('other');
  });
});
