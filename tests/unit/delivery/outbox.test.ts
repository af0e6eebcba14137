import type { Envelope } from '../../../functions/delivery/adapter';
import { outboxAdapter } from '../../../functions/delivery/outbox';

const envelope = (overrides: Partial<Envelope>): Envelope => ({
  notificationId: 'n1',
  communityId: 'xingfu',
  kind: 'event_digest',
  channel: 'email',
  address: 'desk@example.org',
  shownAs: 'desk@example.org',
  community: '幸福邻里',
  subject: '【幸福邻里】活动提醒 Event reminder',
  body: '报名 12/40',
  params: {},
  ...overrides,
});

describe('the local outbox', () => {
  it('prints one JSON line per address, as the console shows it: no phone number, no robot key', async () => {
    const lines: string[] = [];
    const outbox = outboxAdapter((line) => lines.push(line));
    await outbox.deliver(envelope({ channel: 'sms', address: '+8613900139000', shownAs: '139****9000', notificationId: 'n2' }));
    await outbox.deliver(envelope({ channel: 'wecom', address: '693a91f6-7bc4-4bc4-97a0-0ec2f5a5a5aa', shownAs: '企业微信群', notificationId: 'n3' }));
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ outbox: 'n2', channel: 'sms', to: '139****9000', body: '报名 12/40' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ outbox: 'n3', channel: 'wecom', to: '企业微信群' });
    expect(lines.join('\n')).not.toMatch(/8613900139000|693a91f6/);
  });
});
