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
  /** A sign-up waiting to be placed (store/arrivals.ts), under its event; its id is the registration's. */
  arrival: (communityId: string, eventId: string, registrationId: string) => ({
    pk: `EVENT#${communityId}#${eventId}`,
    sk: `ARRIVAL#${registrationId}`,
  }),
  arrivalPrefix: 'ARRIVAL#',
  /** Who is placing an event's arrivals now, and until when. */
  placer: (communityId: string, eventId: string) => ({ pk: `EVENT#${communityId}#${eventId}`, sk: 'PLACER' }),
  /** Arrivals no request placed within a minute, across communities (gsi2, sparse): housekeeping's. */
  dueArrivals: 'ARRIVE#DUE',
  /** An event's waitlist (gsi1, sparse: only waitlisted registrations), in queue (ULID) order. */
  waitlist: (communityId: string, eventId: string) => `EVENT#${communityId}#${eventId}#WAITLIST`,
  /** A volunteer, under its community. */
  volunteer: (communityId: string, volunteerId: string) => ({ pk: `COMMUNITY#${communityId}`, sk: `VOLUNTEER#${volunteerId}` }),
  volunteerPrefix: 'VOLUNTEER#',
  /** An evening help-desk slot, under its community. */
  slot: (communityId: string, slotId: string) => ({ pk: `COMMUNITY#${communityId}`, sk: `SLOT#${slotId}` }),
  /** Open slots in end-time order (gsi1, sparse: cancelled slots leave it). */
  openSlots: (communityId: string) => `COMMUNITY#${communityId}#SLOTS`,
  openSlotSort: (endsAtUtc: string, slotId: string) => `${endsAtUtc}#${slotId}`,
  /** The partition of one shift target (slot or event): shifts, requests, phone markers. */
  targetPartition: (communityId: string, kind: 'slot' | 'event', targetId: string) => `${kind.toUpperCase()}#${communityId}#${targetId}`,
  /** A volunteer's shift: the key is the "one shift per volunteer per target" marker. */
  shift: (communityId: string, kind: 'slot' | 'event', targetId: string, volunteerId: string) => ({
    pk: `${kind.toUpperCase()}#${communityId}#${targetId}`,
    sk: `SHIFT#${volunteerId}`,
  }),
  shiftPrefix: 'SHIFT#',
  /** A volunteer's shifts in start order (gsi1). */
  volunteerShifts: (communityId: string, volunteerId: string) => `VOLUNTEER#${communityId}#${volunteerId}#SHIFTS`,
  volunteerShiftSort: (startsAtUtc: string, kind: 'slot' | 'event', targetId: string) => `${startsAtUtc}#${kind}#${targetId}`,
  /** A resident's help request, under its slot. */
  helpRequest: (communityId: string, slotId: string, requestId: string) => ({ pk: `SLOT#${communityId}#${slotId}`, sk: `REQ#${requestId}` }),
  helpRequestPrefix: 'REQ#',
  /** One active help request per phone per slot. */
  slotPhoneMarker: (communityId: string, slotId: string, phoneHash: string) => ({ pk: `SLOT#${communityId}#${slotId}`, sk: `PHONE#${phoneHash}` }),
  /** A notification, by its deterministic id. */
  notification: (communityId: string, notificationId: string) => ({ pk: `COMMUNITY#${communityId}`, sk: `NOTIFICATION#${notificationId}` }),
  /** A community's notifications, newest first (gsi1, by creation time). */
  notifications: (communityId: string) => `COMMUNITY#${communityId}#NOTIFICATIONS`,
  /** An hours log, under its community's hours partition. */
  hoursLog: (communityId: string, logId: string) => ({ pk: `HOURS#${communityId}`, sk: `LOG#${logId}` }),
  hoursPartition: (communityId: string) => `HOURS#${communityId}`,
  hoursLogPrefix: 'LOG#',
  /** A volunteer's logs, newest first by id (gsi1). */
  volunteerLogs: (communityId: string, volunteerId: string) => `VOLUNTEER#${communityId}#${volunteerId}#LOGS`,
  /** Logs waiting for review (gsi2, sparse), oldest first. */
  pendingLogs: (communityId: string) => `HOURS#${communityId}#PENDING`,
  /** Logs still open, across communities, by when their shift ends (gsi2, sparse): housekeeping's queue. */
  openLogs: 'HOURS#OPEN',
  openLogSort: (targetEndsAtUtc: string, communityId: string, logId: string) => `${targetEndsAtUtc}#${communityId}#${logId}`,
  /** One open log per volunteer: the marker names it. */
  openLogMarker: (communityId: string, volunteerId: string) => ({ pk: `VOLUNTEER#${communityId}#${volunteerId}`, sk: 'OPENLOG' }),
  /** The marker's `target`: the shift the open log is on (that shift cannot be given back meanwhile). */
  openLogTarget: (kind: string, targetId: string) => `${kind}#${targetId}`,
  /** A volunteer's points ledger, entries by ULID. */
  ledgerEntry: (communityId: string, volunteerId: string, entryId: string) => ({
    pk: `VOLUNTEER#${communityId}#${volunteerId}`,
    sk: `LEDGER#${entryId}`,
  }),
  ledgerPartition: (communityId: string, volunteerId: string) => `VOLUNTEER#${communityId}#${volunteerId}`,
  ledgerPrefix: 'LEDGER#',
  /** Monthly totals, kept as counters in the transactions that approve hours. */
  teamMonth: (communityId: string, month: string, team: string) => ({ pk: `REPORT#${communityId}#${month}`, sk: `TEAM#${team}` }),
  volunteerMonth: (communityId: string, month: string, volunteerId: string) => ({ pk: `REPORT#${communityId}#${month}`, sk: `VOL#${volunteerId}` }),
  reportPartition: (communityId: string, month: string) => `REPORT#${communityId}#${month}`,
  /** A points-supermarket item. */
  catalogueItem: (communityId: string, itemId: string) => ({ pk: `COMMUNITY#${communityId}`, sk: `ITEM#${itemId}` }),
  cataloguePrefix: 'ITEM#',
  /** A reservation at the points supermarket. */
  redemption: (communityId: string, redemptionId: string) => ({ pk: `REDEMPTIONS#${communityId}`, sk: `RED#${redemptionId}` }),
  redemptionsPartition: (communityId: string) => `REDEMPTIONS#${communityId}`,
  /** A planned reminder: one per (target, audience, offset). */
  reminderPlan: (communityId: string, kind: 'slot' | 'event', targetId: string, audience: string, offsetMinutes: number) => ({
    pk: `REMINDERS#${communityId}#${kind}#${targetId}`,
    sk: `PLAN#${audience}#${String(offsetMinutes).padStart(5, '0')}`,
  }),
  reminderPartition: (communityId: string, kind: 'slot' | 'event', targetId: string) => `REMINDERS#${communityId}#${kind}#${targetId}`,
  /** Pending reminders across communities by due time (gsi2, sparse): the reminder job's queue. */
  dueReminders: 'REMINDERS#DUE',
  /** Notifications waiting for (another) delivery attempt (gsi2, sparse), by when it may start. */
  dueNotifications: 'NOTIFY#DUE',
  /** When an event's or evening's residents' personal data is to be erased. */
  erasurePlan: (communityId: string, kind: 'slot' | 'event' | 'work_order' | 'wish', targetId: string) => ({ pk: `ERASE#${communityId}#${kind}#${targetId}`, sk: 'PLAN' }),
  /** Erasures due, across communities (gsi2, sparse). */
  dueErasures: 'ERASE#DUE',
  /** Events whose freed seats still wait for promotion, across communities (gsi2, sparse). */
  duePromotions: 'PROMOTE#DUE',
  duePromotionSort: (dueAt: string, communityId: string, eventId: string) => `${dueAt}#${communityId}#${eventId}`,
  /** A volunteer credential, found by the token's hash. */
  volunteerToken: (tokenHash: string) => ({ pk: `VOLTOKEN#${tokenHash}`, sk: 'VOLTOKEN' }),
  /** A scope's last uses, for a sliding window (the per-phone limit). */
  useLog: (scope: string) => ({ pk: `RATE#${scope}`, sk: 'USES' }),
  /** How many parties one client address has signed up for one event. */
  addressParties: (scope: string, communityId: string, eventId: string) => ({ pk: `RATE#${scope}`, sk: `EVENT#${communityId}#${eventId}` }),
  /** A per-address rate-limit window. */
  rateWindow: (scope: string, windowStart: string) => ({ pk: `RATE#${scope}`, sk: windowStart }),
  /**
   * A keyed request's record (store/request-record.ts), one partition per key so that a rush of
   * keyed sign-ups spreads over the table instead of queueing on one partition.
   */
  idempotencyRecord: (scopeHash: string) => ({ pk: `IDEMPOTENCY#${scopeHash}`, sk: 'REQUEST' }),
  /** A work order (派单), in its community's work-order partition (ULID order: newest last). */
  workOrder: (communityId: string, id: string) => ({ pk: `WORKORDERS#${communityId}`, sk: `WO#${id}` }),
  workOrders: (communityId: string) => `WORKORDERS#${communityId}`,
  /** A micro-wish (微心愿), in its community's wish partition. */
  wish: (communityId: string, id: string) => ({ pk: `WISHES#${communityId}`, sk: `WISH#${id}` }),
  wishes: (communityId: string) => `WISHES#${communityId}`,
  /** A sign-up or booking held until its phone's code comes back (a partition of its own, by its id). */
  pendingVerification: (communityId: string, id: string) => ({ pk: `VERIFY#${communityId}#${id}`, sk: 'PENDING' }),
  idempotencyPrefix: 'IDEMPOTENCY#',
} as const;
