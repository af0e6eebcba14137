import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { DeliveryAdapter, OutgoingMessage } from './adapter';

/** SNS e-mail subjects must be ASCII, under 100 characters: keep the English half. */
export function asciiSubject(subject: string): string {
  const ascii = subject.replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' ').trim();
  return (ascii || 'Linli').slice(0, 99);
}

/**
 * Delivery through SNS: organisers' messages to the organisers' topic with a `communityId`
 * attribute (each subscription filters on its community); a person's message as a direct SMS.
 */
export function snsAdapter(topicArn: string, client: SNSClient = new SNSClient({})): DeliveryAdapter {
  return {
    name: 'sns',
    deliver: async (message: OutgoingMessage) => {
      if (message.to === 'organisers') {
        await client.send(
          new PublishCommand({
            TopicArn: topicArn,
            Subject: asciiSubject(message.subject),
            Message: message.body,
            MessageAttributes: { communityId: { DataType: 'String', StringValue: message.communityId } },
          }),
        );
        return;
      }
      await client.send(
        new PublishCommand({
          PhoneNumber: message.phone,
          Message: message.body,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
      );
    },
  };
}
