/**
 * Every key the table uses, built in one place. docs/data-model.md lists the access patterns.
 */
export const keys = {
  /** A community's profile and settings. */
  community: (communityId: string) => ({ pk: `COMMUNITY#${communityId}`, sk: 'PROFILE' }),
  /** An event, under its community. */
  event: (communityId: string, eventId: string) => ({ pk: `COMMUNITY#${communityId}`, sk: `EVENT#${eventId}` }),
  /** Public event listing (gsi1, sparse: only published and cancelled events), ordered by end time. */
  publicEvents: (communityId: string) => `COMMUNITY#${communityId}#EVENTS`,
  publicEventSort: (endsAtUtc: string, eventId: string) => `${endsAtUtc}#${eventId}`,
  /** A volunteer credential, found by the token's hash. */
  volunteerToken: (tokenHash: string) => ({ pk: `VOLTOKEN#${tokenHash}`, sk: 'VOLTOKEN' }),
  /** A per-address rate-limit window. */
  rateWindow: (scope: string, windowStart: string) => ({ pk: `RATE#${scope}`, sk: windowStart }),
  /** Powertools idempotency records share the table under this partition. */
  idempotencyPartition: 'IDEMPOTENCY',
} as const;
