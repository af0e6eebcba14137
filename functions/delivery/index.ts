import { config } from '../config';
import type { DeliveryChannel } from '../domain/notifications';
import { secretJson } from '../secrets';
import { DeliveryError, type DeliveryAdapter } from './adapter';
import { sesEmail } from './email';
import { outboxAdapter } from './outbox';
import { snsSms } from './sms/sns';
import { tencentSms } from './sms/tencent';
import { wecomRobot } from './wecom';

let override: DeliveryAdapter | undefined;
const configured = new Map<DeliveryChannel, DeliveryAdapter>();

/** Refuses every envelope with one permanent reason (a channel this stack was not set up for). */
const refusing = (name: string, code: string): DeliveryAdapter => ({
  name,
  deliver: async () => {
    throw new DeliveryError(code, { permanent: true });
  },
});

function fromConfig(channel: DeliveryChannel): DeliveryAdapter {
  const settings = config();
  switch (channel) {
    case 'outbox':
      return outboxAdapter();
    case 'wecom':
      return wecomRobot({ ...(settings.wecomWebhookBase ? { base: settings.wecomWebhookBase } : {}) });
    case 'email':
      return settings.mailFrom ? sesEmail({ from: settings.mailFrom }) : refusing('email', 'email_not_configured');
    case 'sms': {
      if (settings.smsProvider === 'none') return refusing('sms', 'sms_not_configured');
      if (settings.smsProvider === 'sns') return snsSms();
      const { tencentSms: tencentConfig, tencentSmsSecretArn, tencentSmsEndpoint } = settings;
      if (!tencentConfig || !tencentSmsSecretArn) return refusing('tencent-sms', 'sms_not_configured');
      return tencentSms({
        ...(JSON.parse(tencentConfig) as { region: string; sdkAppId: string; signName: string; templates: Record<string, string> }),
        credentials: () => secretJson<{ secretId: string; secretKey: string }>(tencentSmsSecretArn),
        ...(tencentSmsEndpoint ? { endpoint: tencentSmsEndpoint } : {}),
      });
    }
  }
}

/** The adapter for a channel in this process: SES, SNS or Tencent Cloud SMS, the robot, or the outbox. */
export function deliveryAdapter(channel: DeliveryChannel): DeliveryAdapter {
  if (override) return override;
  let adapter = configured.get(channel);
  if (!adapter) {
    adapter = fromConfig(channel);
    configured.set(channel, adapter);
  }
  return adapter;
}

/** Tests put one recording or failing adapter in place of every channel; `undefined` restores the configured ones. */
export function useDeliveryAdapter(adapter: DeliveryAdapter | undefined): void {
  override = adapter;
  configured.clear();
}
