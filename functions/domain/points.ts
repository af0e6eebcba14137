import * as z from 'zod';
import { ConflictError } from './errors';
import { instant, line } from './model';

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
export function rateAt(history: readonly EarningRate[], at: string): number {
  let rate = history[0]?.pointsPerHour ?? 0;
  for (const version of history) if (version.effectiveFrom <= at) rate = version.pointsPerHour;
  return rate;
}

/** API.md: `minutes / 60 × pointsPerHour`, rounded down. */
export function pointsFor(minutes: number, pointsPerHour: number): number {
  return Math.floor((minutes * pointsPerHour) / 60);
}

export const LEDGER_KINDS = ['earn', 'redeem', 'refund', 'adjustment'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** An append-only ledger line, declared once; the volunteer's balance changes only together with one of these. */
export const ledgerEntryRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  volunteerId: z.string(),
  kind: z.enum(LEDGER_KINDS),
  /** Signed: earn and refund add, redeem subtracts. */
  points: z.number().int(),
  /** What it is for: an hours log or a redemption. */
  ref: z.string(),
  note: z.string().optional(),
  createdAt: z.string(),
});
export type LedgerEntry = Readonly<z.output<typeof ledgerEntryRecord>>;

/** A good in the points supermarket, declared once: what an organiser sets (`catalogueItemFields`) and what is kept. */
export const catalogueItemFields = z.object({
  name: line(60),
  pointsCost: z.number().int().min(1).max(1_000_000),
  stock: z.number().int().min(0).max(1_000_000),
});
export const catalogueItemRecord = catalogueItemFields.extend({
  id: z.string(),
  communityId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CatalogueItem = Readonly<z.output<typeof catalogueItemRecord>>;

export const REDEMPTION_STATUSES = ['reserved', 'collected', 'cancelled'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

/** A reservation of goods for points, declared once. */
export const redemptionRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  volunteerId: z.string(),
  volunteerName: z.string(),
  itemId: z.string(),
  itemName: z.string(),
  quantity: z.number().int(),
  points: z.number().int(),
  status: z.enum(REDEMPTION_STATUSES),
  pickupCode: z.string(),
  createdAt: instant,
  updatedAt: instant,
  collectedAt: instant.optional(),
  cancelledAt: instant.optional(),
});
export type Redemption = Readonly<z.output<typeof redemptionRecord>>;

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
