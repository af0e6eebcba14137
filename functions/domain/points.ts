import { ConflictError } from './errors';

/** One version of the public earning standard: from `effectiveFrom` on, an hour earns `pointsPerHour`. */
export interface EarningRate {
  readonly pointsPerHour: number;
  readonly effectiveFrom: string;
}

/**
 * The history after setting `pointsPerHour` at `now`: a change appends a new version, effective
 * from now; the past keeps the rates it was worked under. Setting the same rate changes nothing.
 */
export function withRate(history: readonly EarningRate[], pointsPerHour: number, now: Date): EarningRate[] {
  const current = history.at(-1);
  if (current?.pointsPerHour === pointsPerHour) return [...history];
  return [...history, { pointsPerHour, effectiveFrom: now.toISOString() }];
}

/** The rate in force at an instant (the first version for work done before any was recorded). */
export function rateAt(history: readonly EarningRate[], instant: string): number {
  let rate = history[0]?.pointsPerHour ?? 0;
  for (const version of history) if (version.effectiveFrom <= instant) rate = version.pointsPerHour;
  return rate;
}

/** API.md: `minutes / 60 × pointsPerHour`, rounded down. */
export function pointsFor(minutes: number, pointsPerHour: number): number {
  return Math.floor((minutes * pointsPerHour) / 60);
}

export type LedgerKind = 'earn' | 'redeem' | 'refund' | 'adjustment';

/** An append-only ledger line; the volunteer's balance changes only together with one of these. */
export interface LedgerEntry {
  readonly id: string;
  readonly communityId: string;
  readonly volunteerId: string;
  readonly kind: LedgerKind;
  /** Signed: earn and refund add, redeem subtracts. */
  readonly points: number;
  /** What it is for: an hours log or a redemption. */
  readonly ref: string;
  readonly note?: string;
  readonly createdAt: string;
}

export interface CatalogueItem {
  readonly id: string;
  readonly communityId: string;
  readonly name: string;
  readonly pointsCost: number;
  readonly stock: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type RedemptionStatus = 'reserved' | 'collected' | 'cancelled';

export interface Redemption {
  readonly id: string;
  readonly communityId: string;
  readonly volunteerId: string;
  readonly volunteerName: string;
  readonly itemId: string;
  readonly itemName: string;
  readonly quantity: number;
  readonly points: number;
  readonly status: RedemptionStatus;
  readonly pickupCode: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly collectedAt?: string;
  readonly cancelledAt?: string;
}

/** Letters and digits that cannot be mistaken for each other when read aloud at the counter. */
const PICKUP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function pickupCode(random: (n: number) => Uint8Array): string {
  return [...random(6)].map((byte) => PICKUP_ALPHABET[byte % PICKUP_ALPHABET.length]).join('');
}

/** The transitions a reservation allows: reserved → collected, reserved → cancelled. */
export function checkRedemptionTransition(redemption: Redemption, to: 'collected' | 'cancelled'): void {
  if (redemption.status === to) return;
  if (redemption.status !== 'reserved') {
    throw new ConflictError('invalid_state', `A ${redemption.status} redemption cannot be ${to}`);
  }
}
