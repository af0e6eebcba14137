import fc from 'fast-check';
import { englishTime, notificationId, publicNotification, shortTime, type Notification, type NotificationKind, type Recipient } from '../../../functions/domain/notifications';
import { wallClock, ZONES } from '../../support/zoned';

const KINDS: NotificationKind[] = ['event_cancelled', 'slot_cancelled', 'coverage_alert', 'waitlist_promoted', 'event_digest', 'slot_digest', 'shift_reminder'];
const id = fc.stringMatching(/^[0-9A-Z]{10,26}$/);
const recipient: fc.Arbitrary<Recipient> = fc.record({ type: fc.constantFrom('organisers' as const, 'volunteer' as const, 'registration' as const, 'help_request' as const), id });
const notice = fc.record({ kind: fc.constantFrom(...KINDS), targetId: id, recipient, discriminator: fc.constantFrom('', '1440', '60', '2026-12-20T01:00:00.000Z') });

describe('notificationId', () => {
  it('is the same for the same notice to the same recipient, so recording it twice finds the first', () => {
    fc.assert(
      fc.property(notice, ({ kind, targetId, recipient, discriminator }) => {
        const first = notificationId(kind, targetId, recipient, discriminator);
        expect(notificationId(kind, targetId, { ...recipient }, discriminator)).toBe(first);
        expect(first).toMatch(/^[A-Za-z0-9_-]{26}$/);
      }),
    );
  });

  it('differs when the notice, its target, its recipient or its occasion differs', () => {
    fc.assert(
      fc.property(notice, notice, (a, b) => {
        const same = a.kind === b.kind && a.targetId === b.targetId && a.recipient.type === b.recipient.type && a.recipient.id === b.recipient.id && a.discriminator === b.discriminator;
        return (notificationId(a.kind, a.targetId, a.recipient, a.discriminator) === notificationId(b.kind, b.targetId, b.recipient, b.discriminator)) === same;
      }),
    );
    // One reminder per offset; one notice per person even when two kinds of recipient share an id.
    const organisers: Recipient = { type: 'organisers', id: 'xingfu' };
    expect(notificationId('event_digest', 'e1', organisers, '1440')).not.toBe(notificationId('event_digest', 'e1', organisers, '60'));
    expect(notificationId('waitlist_promoted', 'e1', { type: 'registration', id: 'x' })).not.toBe(notificationId('waitlist_promoted', 'e1', { type: 'volunteer', id: 'x' }));
  });
});

describe('shortTime and englishTime', () => {
  const instant = fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2030-12-31') });

  it("write the date and time on the community's clock, in Chinese and in English", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (at, zone) => {
        const wall = wallClock(at, zone);
        const [, month, day] = wall.date.split('-').map(Number) as [number, number, number];
        expect(shortTime(new Date(at).toISOString(), zone)).toBe(`${month}月${day}日 ${wall.time}`);
        expect(englishTime(new Date(at).toISOString(), zone)).toMatch(new RegExp(`^${day} [A-Z][a-z]{2,3} ${wall.time}$`));
      }),
    );
  });

  it('say 20 December at 09:00 in Shanghai for 01:00 UTC, and Berlin summer time the morning the clocks go forward', () => {
    expect(shortTime('2026-12-20T01:00:00.000Z', 'Asia/Shanghai')).toBe('12月20日 09:00');
    expect(englishTime('2026-12-20T01:00:00.000Z', 'Asia/Shanghai')).toBe('20 Dec 09:00');
    expect(shortTime('2027-03-28T01:30:00.000Z', 'Europe/Berlin')).toBe('3月28日 03:30');
    expect(englishTime('2027-03-28T00:30:00.000Z', 'Europe/Berlin')).toBe('28 Mar 01:30');
  });
});

describe('publicNotification', () => {
  const base: Notification = {
    id: 'n1',
    communityId: 'xingfu',
    kind: 'slot_digest',
    targetId: '20261201-1930',
    recipients: [{ type: 'organisers', id: 'xingfu' }],
    subject: '【幸福邻里】延时服务提醒 Help desk',
    body: '…',
    dueAt: '2026-12-01T10:30:00.000Z',
    status: 'pending',
    createdAt: '2026-11-26T08:00:00.000Z',
  };

  it('shows a notice not yet sent in the community time zone, with no attempts and no sending time', () => {
    expect(publicNotification(base, 'Asia/Shanghai')).toEqual({
      id: 'n1',
      kind: 'slot_digest',
      targetId: '20261201-1930',
      dueAt: '2026-12-01T18:30:00+08:00',
      sentAt: null,
      status: 'pending',
      attempts: 0,
      recipients: [{ type: 'organisers', id: 'xingfu' }],
      subject: '【幸福邻里】延时服务提醒 Help desk',
      body: '…',
      createdAt: '2026-11-26T16:00:00+08:00',
      deliveries: [],
    });
  });

  it('shows each address with its channel and outcome, in the community time zone, and why one has not received it', () => {
    const view = publicNotification(
      {
        ...base,
        status: 'pending',
        sentAt: '2026-12-01T10:31:00.000Z',
        deliveries: [
          { id: 'c_1', to: 'desk@example.org', channel: 'email', status: 'sent', attempts: 1, sentAt: '2026-12-01T10:31:00.000Z' },
          { id: 'wecom', to: '企业微信群', channel: 'wecom', status: 'pending', attempts: 2, error: 'wecom:45009', nextAttemptAt: '2026-12-01T10:35:00.000Z', claim: 'run-1' },
        ],
      },
      'Europe/Berlin',
    );
    expect(view).toMatchObject({ status: 'pending', sentAt: '2026-12-01T11:31:00+01:00', attempts: 2, lastError: 'wecom:45009' });
    expect(view.deliveries).toEqual([
      { to: 'desk@example.org', channel: 'email', status: 'sent', attempts: 1, sentAt: '2026-12-01T11:31:00+01:00' },
      { to: '企业微信群', channel: 'wecom', status: 'pending', attempts: 2, error: 'wecom:45009' },
    ]);
    expect(publicNotification({ ...base, deliveries: [{ id: 'c_1', to: 'desk@example.org', channel: 'email', status: 'sent', attempts: 1 }] }, 'Asia/Shanghai')).not.toHaveProperty('lastError');
  });
});
