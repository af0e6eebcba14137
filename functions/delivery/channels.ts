import { config } from '../config';
import type { DeliveryChannel } from '../domain/notifications';
import type { Channel } from './adapter';

// Apart from the adapters (delivery/index.ts) so that the API functions, which record notices but
// never send them, do not bundle SES, SNS or Tencent Cloud's SDK.

/**
 * The channel an address of this kind is recorded with: in the local runtime everything goes to
 * the outbox, except the 企业微信 robot when `WECOM_WEBHOOK_BASE` points at a fake one.
 */
export function channelFor(kind: Channel): DeliveryChannel {
  const { runtime, wecomWebhookBase } = config();
  if (runtime === 'local') return kind === 'wecom' && wecomWebhookBase ? 'wecom' : 'outbox';
  return kind;
}
