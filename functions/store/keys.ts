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
  /** The partition holding one event's registrations and phone markers. */
  eventRegistrations: (communityId: string, eventId: string) => `EVENT#${communityId}#${eventId}`,
  /** A registration, under its event; the ULID in the sort key keeps them in arrival order. */
  registration: (communityId: string, eventId: string, registrationId: string) => ({
    pk: `EVENT#${communityId}#${eventId}`,
    sk: `REG#${registrationId}`,
  }),
  registrationPrefix: 'REG#',
  /** One active registration per phone per event: a marker keyed by the phone's hash. */
  phoneMarker: (communityId: string, eventId: string, phoneHash: string) => ({
    pk: `EVENT#${communityId}#${eventId}`,
    sk: `PHONE#${phoneHash}`,
  }),
  /** An event's waitlist (gsi1, sparse: only waitlisted registrations), in queue (ULID) order. */
  waitlist: (communityId: string, eventId: string) => `EVENT#${communityId}#${eventId}#WAITLIST`,
  /** A volunteer credential, found by the token's hash. */
  volunteerToken: (tokenHash: string) => ({ pk: `VOLTOKEN#${tokenHash}`, sk: 'VOLTOKEN' }),
  /** A per-address rate-limit window. */
  rateWindow: (scope: string, windowStart: string) => ({ pk: `RATE#${scope}`, sk: windowStart }),
  /** Powertools idempotency records share the table under this partition. */
  idempotencyPartition: 'IDEMPOTENCY',
} as const;
