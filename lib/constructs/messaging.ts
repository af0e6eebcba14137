import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * How Linli's messages leave AWS (functions/delivery/sns.ts): an SNS topic for the organisers of
 * every community, and SMS sent directly to a resident's or volunteer's phone.
 *
 * An organisers' message is published to the topic with a `communityId` message attribute, and
 * every subscription filters on it, so organisers hear of their own community only. Subscriptions
 * are an administrator's to manage, not the stack's: they mirror each community's
 * `organiserContacts` (people's e-mail addresses and phone numbers, which belong in the table, not in
 * the repository or the template), an e-mail subscription waits for its owner's confirmation, and
 * they change when staff change, not when the code does. For each contact of community `<c>`:
 *
 * ```sh
 * aws sns subscribe --topic-arn <OrganiserTopicArn output> --protocol email|sms \
 *   --notification-endpoint <address, or number as +E.164> \
 *   --attributes '{"FilterPolicy":"{\"communityId\":[\"<c>\"]}"}'
 * ```
 *
 * A subscription without that filter policy receives every community's messages.
 *
 * The topic is encrypted with a key of its own, rotated, and refuses publishing without TLS.
 * Delivering (publishing to the topic, sending SMS) is granted by {@link grantDelivery} only: the
 * jobs function gets it, since the reminders job runs there; the API functions never publish.
 * Direct SMS also depends on the account's SMS settings (out of the SMS sandbox, a monthly spend
 * limit), which are the account's, not the stack's.
 */
export class LinliMessaging extends Construct {
  /** The organisers' topic; subscriptions filter on the `communityId` message attribute. */
  public readonly topic: Topic;
  /** Encrypts the organisers' topic. */
  public readonly key: Key;
  /**
   * The one statement that names `*`: sns:Publish for SMS to a phone number, in a policy of its own,
   * attached to the roles given to {@link grantDelivery}.
   */
  public readonly directSmsPolicy: Policy;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new Key(this, 'TopicKey', {
      description: 'Encrypts Linli messages to organisers',
      enableKeyRotation: true,
      // It protects messages in transit only; nothing stays encrypted under it after the stack is gone.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Only IAM principals of this account publish, so the key's default policy (the account's IAM
    // policies decide) is enough; e-mail and SMS deliveries need no key access of their own.
    this.topic = new Topic(this, 'OrganiserTopic', {
      displayName: 'Linli',
      masterKey: this.key,
      enforceSSL: true,
    });

    // Direct SMS is sns:Publish with a PhoneNumber instead of a TopicArn. IAM defines no resource
    // type for a phone number, and sns:Publish has no condition key that names one, so this
    // statement can only say `*`. It sits in a policy of its own so that the acknowledgement below
    // covers this statement and nothing else; unattached, the policy is not synthesised.
    this.directSmsPolicy = new Policy(this, 'DirectSmsPolicy', {
      statements: [new PolicyStatement({ sid: 'DirectSms', actions: ['sns:Publish'], resources: ['*'] })],
    });
    Validations.of(this.directSmsPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Direct SMS to a resident’s or volunteer’s phone (sns:Publish with PhoneNumber) has no resource ARN: IAM ' +
        'defines no resource type for phone numbers and sns:Publish has no condition key naming one. The statement ' +
        'is sns:Publish alone, in a policy of its own attached only to the jobs function’s role; the organisers’ ' +
        'topic is granted to that role separately, by ARN.',
    });
  }

  /**
   * Lets a role deliver: publish to the organisers' topic (with the `kms:GenerateDataKey*` and
   * `kms:Decrypt` on the topic's key that SNS requires of a publisher to an encrypted topic), and
   * send SMS directly to phone numbers.
   */
  public grantDelivery(role: IRole): void {
    this.topic.grantPublish(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'SNS asks a publisher to a KMS-encrypted topic for kms:GenerateDataKey* and kms:Decrypt on the topic’s ' +
        'key; topic.grantPublish grants exactly these, on the ARN of the one key that encrypts only the ' +
        'organisers’ topic.',
    });
    this.directSmsPolicy.attachToRole(role);
  }
}
