import fc from 'fast-check';
import { COMMUNITY_DEFAULTS, normaliseSettings, organiserView, publicProfile, type Community, type CommunitySettings } from '../../../functions/domain/communities';

const settings = fc.record({
  name: fc.string({ minLength: 1, maxLength: 20 }),
  timezone: fc.constantFrom('Asia/Shanghai', 'Europe/Berlin'),
  pointsPerHour: fc.nat(100),
  reminderOffsetsMinutes: fc.array(fc.integer({ min: 1, max: 10_080 }), { maxLength: 8 }),
  organiserContacts: fc.array(fc.constantFrom('ops@example.org', '+8613800138000', 'lin@example.org', '+8613900001111'), { maxLength: 6 }),
  verifyPhone: fc.boolean(),
  checkInProof: fc.constantFrom('none' as const, 'desk_code' as const),
});

describe('normaliseSettings', () => {
  it('keeps each reminder offset once, largest first (the order reminders go out)', () => {
    fc.assert(
      fc.property(settings, (given) => {
        const offsets = normaliseSettings(given).reminderOffsetsMinutes;
        expect(new Set(offsets)).toEqual(new Set(given.reminderOffsetsMinutes));
        expect(offsets.every((offset, i) => i === 0 || offset < offsets[i - 1]!)).toBe(true);
      }),
    );
  });

  it('keeps each organiser contact once, in the order first given, and every other setting as it was', () => {
    fc.assert(
      fc.property(settings, (given) => {
        const normalised = normaliseSettings(given);
        expect(normalised.organiserContacts).toEqual(given.organiserContacts.filter((contact, i) => given.organiserContacts.indexOf(contact) === i));
        expect({ ...normalised, reminderOffsetsMinutes: [], organiserContacts: [] }).toEqual({ ...given, reminderOffsetsMinutes: [], organiserContacts: [] });
      }),
    );
  });

  it('changes nothing the second time', () => {
    fc.assert(fc.property(settings, (given) => expect(normaliseSettings(normaliseSettings(given))).toEqual(normaliseSettings(given))));
  });

  it('orders the default reminders as they go out: a day before, then an hour before', () => {
    const defaults: CommunitySettings = { name: 'x', organiserContacts: [], verifyPhone: false, checkInProof: 'none', ...COMMUNITY_DEFAULTS, reminderOffsetsMinutes: [60, 1440, 60] };
    expect(normaliseSettings(defaults).reminderOffsetsMinutes).toEqual([...COMMUNITY_DEFAULTS.reminderOffsetsMinutes]);
  });
});

describe('views of a community', () => {
  const community: Community = {
    id: 'xingfu',
    name: '幸福邻里',
    timezone: 'Asia/Shanghai',
    pointsPerHour: 10,
    pointsPerHourHistory: [{ pointsPerHour: 10, effectiveFrom: '2026-01-01T00:00:00.000Z' }],
    reminderOffsetsMinutes: [1440, 60],
    verifyPhone: false,
    checkInProof: 'desk_code',
    deskSecret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA',
    organiserContacts: ['ops@example.org', '+8613800138000'],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
  };

  it('show anyone the name, time zone, earning standard and what a check-in needs, and no organiser contact or desk secret', () => {
    const view = publicProfile(community);
    expect(view).toEqual({
      id: 'xingfu',
      name: '幸福邻里',
      timezone: 'Asia/Shanghai',
      pointsPerHour: 10,
      pointsPerHourHistory: [{ pointsPerHour: 10, effectiveFrom: '2026-01-01T00:00:00.000Z' }],
      checkInProof: 'desk_code',
    });
    for (const contact of community.organiserContacts) expect(JSON.stringify(view)).not.toContain(contact);
    expect(JSON.stringify(view)).not.toContain(community.deskSecret);
  });

  it('show organisers everything, contacts and reminder offsets included', () => {
    expect(organiserView(community)).toEqual({
      ...publicProfile(community),
      reminderOffsetsMinutes: [1440, 60],
      organiserContacts: ['ops@example.org', '+8613800138000'],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
      wecomWebhookUrl: null,
      verifyPhone: false,
    });
    expect(JSON.stringify(organiserView(community))).not.toContain(community.deskSecret);
  });

  it('show of the 企业微信 robot only its masked address, to organisers, and nothing of it to anyone else', () => {
    const withRobot = { ...community, wecomRobot: { sealedKey: 'v1.sealed-bytes', hint: 'a5aa' } };
    expect(organiserView(withRobot).wecomWebhookUrl).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****a5aa');
    expect(JSON.stringify(organiserView(withRobot))).not.toContain('sealed');
    expect(JSON.stringify(publicProfile(withRobot))).not.toMatch(/sealed|a5aa|qyapi/);
  });
});
