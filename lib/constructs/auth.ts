import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { COMMUNITY_CLAIM, ORGANISER_GROUP } from '../../functions/auth/organiser-claims';

/** `custom:communityId` in tokens is the custom attribute `communityId` in the pool. */
const COMMUNITY_ATTRIBUTE = COMMUNITY_CLAIM.replace(/^custom:/, '');

export interface LinliAuthProps {
  /** Where managed login may redirect after sign-in and sign-out. */
  readonly callbackUrls: readonly string[];
  /** Cognito domain prefix; defaults to `linli-<stage>-<account id>`, or `linli-<account id>` without a stage. */
  readonly domainPrefix?: string;
  /** Keeps two stages' domains apart in one account and region. */
  readonly stage?: string;
}

/**
 * Organisers' identities: a Cognito user pool whose members in the `organisers` group, with a
 * `custom:communityId`, are let through by the API's JWT authorizer (functions/auth/organiser-claims.ts
 * checks group and community). Accounts are created by an administrator, never by sign-up; staff
 * see residents' names and phone numbers, so passwords are strong and TOTP MFA is required.
 *
 * Organisers call the API with the ID token: the access token does not carry custom attributes.
 */
export class LinliAuth extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  public readonly domain: UserPoolDomain;
  /** The `iss` of the pool's tokens, as the JWT authorizer expects it. */
  public readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: LinliAuthProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // Mutable so an administrator can move an organiser to another community.
      customAttributes: { [COMMUNITY_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus tier (threat protection) is billed per active user and adds little here: no self sign-up, a few ' +
        'dozen organiser accounts created by an administrator, strong passwords and TOTP MFA required for all.',
    });

    this.userPool.addGroup('Organisers', {
      groupName: ORGANISER_GROUP,
      description: 'Community staff and team leaders: may call the organiser routes of their own community',
    });

    this.client = this.userPool.addClient('WebClient', {
      // A public client (a browser page): no secret; the authorization code flow with PKCE.
      generateSecret: false,
      // Sign-in happens in managed login; through the SDK the client may only refresh tokens.
      authFlows: { userSrp: false, userPassword: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...props.callbackUrls],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(COMMUNITY_ATTRIBUTE),
      // An organiser must not be able to move themself into another community's data.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: {
        domainPrefix: props.domainPrefix ?? (props.stage ? `linli-${props.stage}-${Aws.ACCOUNT_ID}` : `linli-${Aws.ACCOUNT_ID}`),
      },
    });

    // ProviderURL is `cognito-idp.<region>.<the partition's domain>/<pool id>`: nothing written out here.
    this.issuerUrl = `https://${this.userPool.userPoolProviderUrl}`;
  }
}
