import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { SmsProvider, TencentSmsConfig } from '../stack-config';

export interface LinliMessagingProps {
  /** The address e-mail is sent from (validated by lib/stack-config.ts); unset, no e-mail is sent. */
  readonly mailFrom?: string;
  readonly smsProvider: SmsProvider;
  /** Required with `smsProvider: 'tencent'`, ignored otherwise. */
  readonly tencentSms?: TencentSmsConfig;
}

/**
 * How Linli's messages leave AWS. Nothing is fanned out by AWS: the reminders job (in the jobs
 * function, lib/constructs/jobs.ts) delivers each message to each address itself, one envelope at
 * a time (functions/delivery/), and records each delivery's outcome. Three channels:
 *
 * - **E-mail** through Amazon SES v2 (`SendEmail`), from `linli:mailFrom`: the stack creates that
 *   address's SES email identity (SES mails it a verification link on deployment; until someone
 *   follows it, sends fail) and grants `ses:SendEmail` on that identity's ARN alone. Without
 *   `linli:mailFrom` there is no identity, no SES permission and no MAIL_FROM, and the runtime
 *   records e-mail deliveries as failed (`email_not_configured`). Sending to anyone also needs the
 *   account out of the SES sandbox: in it, SES checks `ses:SendEmail` on each recipient's identity
 *   too, which this grant deliberately does not cover.
 * - **SMS** through the provider chosen per stack (`linli:smsProvider`):
 *   `sns` sends direct SMS with sns:Publish (a policy of its own, see {@link directSmsPolicy}), and
 *   the month's SMS spend is alarmed (lib/constructs/alarms.ts); `tencent` sends through Tencent
 *   Cloud SMS (腾讯云短信, approved templates only) with the application's settings in
 *   TENCENT_SMS_CONFIG and its API credential in {@link tencentSmsSecret}; the stack then grants no
 *   sns:Publish at all.
 * - **企业微信 group robots**, by HTTPS webhook: no AWS resource. A robot's key is a credential, so
 *   the runtime stores it in the table encrypted (AES-256-GCM) under a key derived from
 *   {@link settingsKeySecret}.
 *
 * Who may read what: the jobs function gets everything delivering needs ({@link grantDelivery}: the
 * SES identity, direct SMS or the Tencent secret, the settings key); the organiser API function,
 * which writes a community's settings and so encrypts robot keys, gets the settings key alone
 * (lib/constructs/api.ts); the public and volunteer functions get none of it.
 *
 * Both secrets are encrypted with the account's AWS-managed Secrets Manager key (aws/secretsmanager),
 * not a key of our own: they are read only by this account's Lambda roles, each named in an IAM
 * grant on the one secret, so a customer-managed key would not narrow who can read them; it would
 * add a key policy and a kms:Decrypt grant per reader, and the retained settings key would need its
 * key retained with it. A customer-managed key earns its keep for cross-account access, which Linli
 * has no use for.
 */
export class LinliMessaging extends Construct {
  public readonly smsProvider: SmsProvider;
  /** `linli:mailFrom`, when set. */
  public readonly mailFrom?: string;
  /** The SES email identity of {@link mailFrom}. */
  public readonly mailIdentity?: EmailIdentity;
  /** `arn:<partition>:ses:<region>:<account>:identity/<mailFrom>`: the one resource SES sends are allowed on. */
  public readonly mailIdentityArn?: string;
  /**
   * With `sns` only: sns:Publish for SMS to a phone number (any resource but an SNS ARN, in the
   * stack's region), in a policy of its own, attached to the roles given to {@link grantSms}.
   */
  public readonly directSmsPolicy?: Policy;
  /** With `tencent` only: Tencent Cloud's `{"secretId","secretKey"}`, filled in by the operator. */
  public readonly tencentSmsSecret?: Secret;
  /** What 企业微信 robot keys stored in the table are encrypted under. Retained: see below. */
  public readonly settingsKeySecret: Secret;
  /** The variables the delivering (jobs) function needs, as functions/delivery/ reads them. */
  public readonly deliveryEnvironment: Readonly<Record<string, string>>;
  /**
   * The variables of SMS alone (SMS_PROVIDER, and with Tencent TENCENT_SMS_CONFIG and
   * TENCENT_SMS_SECRET_ARN), for a function that sends SMS and nothing else (the public function's
   * phone-verification codes).
   */
  public readonly smsEnvironment: Readonly<Record<string, string>>;
  /**
   * Which channels the stack has (SMS_PROVIDER, and MAIL_FROM when e-mail is set up), and no
   * credential: for the organiser function, whose Settings refuse a contact or phone verification
   * the stack cannot reach (functions/services/community-settings.ts).
   */
  public readonly channelsEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: LinliMessagingProps) {
    super(scope, id);
    this.smsProvider = props.smsProvider;
    const environment: Record<string, string> = { SMS_PROVIDER: props.smsProvider };

    if (props.mailFrom) {
      this.mailFrom = props.mailFrom;
      this.mailIdentity = new EmailIdentity(this, 'MailFromIdentity', { identity: Identity.email(props.mailFrom) });
      // Written out from the address rather than from the identity's Ref: the same ARN, readable in
      // the template, and the policy need not wait for the identity.
      this.mailIdentityArn = Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: props.mailFrom });
      environment.MAIL_FROM = props.mailFrom;
    }

    if (props.smsProvider === 'sns') {
      // Direct SMS is sns:Publish with a PhoneNumber instead of a TopicArn, and IAM authorises it
      // on the phone number itself ("not authorized to perform SNS:Publish on resource: +86…"):
      // IAM defines no resource type for a phone number, so no Resource can name one, and
      // sns:Publish has no condition key for the number (SNS's own keys, sns:Endpoint and
      // sns:Protocol, are Subscribe's). So the statement says what it can:
      // - `NotResource` every SNS ARN: publishing to a topic or a platform endpoint (any account,
      //   any region) is not granted, only the non-ARN resource of a direct SMS;
      // - `aws:RequestedRegion` the stack's own: SMS is sent from the region whose spending limit
      //   and SMSMonthToDateSpentUSD alarm the stack watches (lib/constructs/alarms.ts), where the
      //   functions' SNS client sends it (functions/delivery/sms/sns.ts, the Lambda's region).
      // It sits in a policy of its own so that it can be attached to exactly the two roles that
      // send SMS; unattached, the policy is not synthesised. Its Resource is no longer `*`, so
      // cdk-nag (AwsSolutions-IAM5 reads Resource) has nothing to acknowledge: the wildcards of
      // NotResource exclude, they grant nothing.
      const stack = Stack.of(this);
      this.directSmsPolicy = new Policy(this, 'DirectSmsPolicy', {
        statements: [
          new PolicyStatement({
            sid: 'DirectSms',
            actions: ['sns:Publish'],
            notResources: [stack.formatArn({ service: 'sns', region: '*', account: '*', resource: '*' })],
            conditions: { StringEquals: { 'aws:RequestedRegion': stack.region } },
          }),
        ],
      });
    } else if (props.smsProvider === 'tencent') {
      const tencent = props.tencentSms;
      if (!tencent) throw new Error('smsProvider "tencent" needs the Tencent Cloud SMS settings (linli:tencentSms)');
      this.tencentSmsSecret = new Secret(this, 'TencentSmsSecret', {
        description:
          'Linli: Tencent Cloud SMS API credential. The operator replaces the placeholder with ' +
          '{"secretId":"AKID...","secretKey":"..."} of a CAM sub-user allowed sms:SendSms only (docs/messaging.md).',
        // A placeholder so that the secret exists and the runtime can tell it is not filled in yet
        // (empty secretId and secretKey). CloudFormation generates a new value whenever these
        // settings change, overwriting the operator's: leave them as they are.
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ secretId: '', secretKey: '' }),
          generateStringKey: 'placeholder',
          excludePunctuation: true,
          passwordLength: 16,
        },
        // A credential outliving its stack is one nobody watches; Tencent Cloud issues a new one.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      Validations.of(this.tencentSmsSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The secret holds a Tencent Cloud API key pair (SecretId/SecretKey), issued in Tencent Cloud’s CAM console, ' +
          'not by an AWS service: Secrets Manager has no rotation function for it, and one would need a Tencent Cloud ' +
          'credential allowed to create credentials, a worse secret than this one. Rotation is the operator’s: issue a ' +
          'new key pair in Tencent Cloud, put it in this secret, then disable the old pair (docs/messaging.md).',
      });
      environment.TENCENT_SMS_CONFIG = JSON.stringify({
        region: tencent.region,
        sdkAppId: tencent.sdkAppId,
        signName: tencent.signName,
        templates: tencent.templates,
      });
      environment.TENCENT_SMS_SECRET_ARN = this.tencentSmsSecret.secretArn;
    }
    // `none`: no SMS right of any kind; SMS_PROVIDER says so, and SMS deliveries fail and are alarmed.

    this.settingsKeySecret = new Secret(this, 'SettingsKeySecret', {
      description:
        'Linli: the key WeCom (qiye weixin) robot keys stored in the table are encrypted under (AES-256-GCM, key ' +
        'derived from this). Never replace it: stored robot keys would become unreadable.',
      // 64 letters and digits, about 380 bits. CloudFormation generates a new value whenever these
      // settings change, which would make every stored robot key unreadable: leave them as they are.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Losing it loses every stored robot key with it, even if the stack is deleted or replaced.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.settingsKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'This is not a credential to a service but the key that 企业微信 robot keys stored in the table are ' +
        'encrypted under: rotating it alone would leave every stored robot key unreadable. A rotation has to ' +
        're-encrypt them all under the new key (a re-encryption job, which does not exist yet), so it is not ' +
        'scheduled; only the jobs and organiser functions may read it.',
    });
    this.smsEnvironment = Object.fromEntries(
      Object.entries(environment).filter(([name]) => name === 'SMS_PROVIDER' || name.startsWith('TENCENT_SMS_')),
    );
    this.channelsEnvironment = Object.fromEntries(Object.entries(environment).filter(([name]) => name === 'SMS_PROVIDER' || name === 'MAIL_FROM'));
    environment.SETTINGS_KEY_SECRET_ARN = this.settingsKeySecret.secretArn;
    this.deliveryEnvironment = environment;
  }

  /** Lets a role send SMS, and nothing else: direct SMS (sns), or read the Tencent Cloud credential. */
  public grantSms(role: IRole): void {
    this.directSmsPolicy?.attachToRole(role);
    this.tencentSmsSecret?.grantRead(role);
  }

  /**
   * Lets a role deliver: send e-mail from {@link mailFrom} (when set), send SMS (direct SMS, or read
   * the Tencent Cloud credential), and read the settings key (to decrypt 企业微信 robot keys).
   */
  public grantDelivery(role: IRole): void {
    if (this.mailIdentityArn) {
      // SES v2 SendEmail authorises as ses:SendEmail on the identity of the From address. No
      // ses:FromAddress condition: the resource already is the one address's identity, and a send
      // from any other address is checked against another identity, which this grants nothing on.
      // (SES would also check a configuration set's ARN if one were used; none is.)
      role.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'SendMailFrom', actions: ['ses:SendEmail'], resources: [this.mailIdentityArn] }),
      );
    }
    this.grantSms(role);
    this.settingsKeySecret.grantRead(role);
  }
}
