import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeliveryError, type DeliveryAdapter, type Envelope } from '../adapter';

/** SNS errors about the request, the number or the account: sending the same message again cannot succeed. */
const PERMANENT = new Set([
  'InvalidParameterException', // includes a malformed phone number
  'InvalidParameterValueException',
  'ValidationException',
  'OptedOutException', // the person replied STOP
  'EndpointDisabledException',
  'AuthorizationErrorException', // the function's role may not publish
  'InvalidSecurityException',
  'NotFoundException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'KMSOptInRequired',
]);

/** SNS's own rate limits: a second's pause (the SDK has already retried with back-off by then). */
const THROTTLING = new Set(['ThrottledException', 'ThrottlingException', 'KMSThrottlingException', 'TooManyRequestsException']);

/**
 * An SNS error as a {@link DeliveryError} coded `sns:<exception name>`. The exception's message
 * is never passed on: SNS quotes the phone number in it ("Invalid parameter: PhoneNumber …").
 * An unknown client fault is permanent, a server fault or an error with no name (the network) is
 * retried.
 */
export function snsError(error: unknown): DeliveryError {
  const { name, $fault } = (error ?? {}) as { name?: unknown; $fault?: unknown };
  const known = typeof name === 'string' && /^[A-Za-z]{1,80}$/.test(name) ? name : undefined;
  if (!known) return new DeliveryError('sns:unknown');
  const code = `sns:${known}`;
  if (THROTTLING.has(known)) return new DeliveryError(code, { retryAfterMs: 1_000 });
  if (PERMANENT.has(known)) return new DeliveryError(code, { permanent: true });
  return new DeliveryError(code, { permanent: $fault === 'client' });
}

/**
 * SMS through Amazon SNS: a direct `Publish` to the phone, marked Transactional (SNS then routes
 * it for reliability rather than cost), with the envelope's whole body as free text. For numbers
 * outside mainland China; carriers in China deliver registered templates only (see
 * functions/delivery/sms/tencent.ts and docs/messaging.md).
 */
export function snsSms(client: SNSClient = new SNSClient({})): DeliveryAdapter {
  return {
    name: 'sns-sms',
    deliver: async (envelope: Envelope) => {
      try {
        await client.send(
          new PublishCommand({
            PhoneNumber: envelope.address,
            Message: envelope.body,
            MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
          }),
        );
      } catch (error) {
        throw snsError(error);
      }
    },
  };
}
