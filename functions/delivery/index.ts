import { config } from '../config';
import type { DeliveryAdapter } from './adapter';
import { outboxAdapter } from './outbox';
import { snsAdapter } from './sns';

let override: DeliveryAdapter | undefined;
let fromConfig: DeliveryAdapter | undefined;

/** The adapter for this process: the local outbox under `npm start`, SNS on AWS. */
export function deliveryAdapter(): DeliveryAdapter {
  if (override) return override;
  if (!fromConfig) {
    const { runtime, organiserTopicArn } = config();
    if (runtime === 'aws' && !organiserTopicArn) throw new Error('Environment variable ORGANISER_TOPIC_ARN is required on AWS');
    fromConfig = runtime === 'local' || !organiserTopicArn ? outboxAdapter() : snsAdapter(organiserTopicArn);
  }
  return fromConfig;
}

/** Tests put a recording or failing adapter in place; `undefined` restores the configured one. */
export function useDeliveryAdapter(adapter: DeliveryAdapter | undefined): void {
  override = adapter;
}
