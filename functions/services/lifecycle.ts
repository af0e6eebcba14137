import { checkTransition, type Transitions } from '../domain/lifecycle';
import { erasurePlanPut } from '../store/erasure';
import type { TransactItem } from '../store/transactions';
import { requireCommunity } from './communities';
import { erasurePlanOf } from './erasure';
import * as clock from '../clock';
import { AGAIN, retryOptimistic } from './retry';

/**
 * One step of a lifecycle item (a work order, a micro-wish), taken one way by both: read it, answer
 * it as it is when the step was already taken (the same call again), refuse what the caller may
 * not do, check the transition, and write the next state on condition the item is still as read
 * (store/lifecycle.ts). When someone else moved it first, read again and decide again: the racer
 * who lost now meets the winner's state (`already_taken`, `invalid_state`, or as it is).
 */
export interface Step<S extends string, T extends { readonly status: S }> {
  readonly noun: string;
  readonly transitions: Transitions<S>;
  readonly read: () => Promise<T>;
  readonly to: S;
  readonly change: (item: T, now: string) => T;
  readonly write: (read: T, next: T) => Promise<boolean>;
  readonly already?: (item: T) => boolean;
  readonly refuse?: (item: T) => Error | undefined;
}

export function takeStep<S extends string, T extends { readonly status: S }>(step: Step<S, T>): Promise<T> {
  return retryOptimistic(async () => {
    const read = await step.read();
    if (step.already?.(read)) return read;
    const refusal = step.refuse?.(read);
    if (refusal) throw refusal;
    checkTransition(step.noun, step.transitions, read.status, step.to);
    const next = step.change(read, clock.nowIso());
    return (await step.write(read, next)) ? next : AGAIN;
  });
}

/** What one kind of lifecycle item (a work order, a wish) gives the shared step. */
export interface Lifecycle<S extends string, T extends { readonly status: S; readonly updatedAt: string }> {
  readonly noun: string;
  readonly kind: 'work_order' | 'wish';
  readonly transitions: Transitions<S>;
  readonly read: (communityId: string, id: string) => Promise<T>;
  readonly write: (read: T, next: T, withIt: TransactItem[]) => Promise<boolean>;
  /** Whether the item holds a resident's name and phone (a volunteer's report does not). */
  readonly holdsResident: (item: T) => boolean;
}

export interface StepOptions<T> {
  readonly already?: (item: T) => boolean;
  readonly refuse?: (item: T) => Error | undefined;
  /** What the step writes with the item, in one transaction (a resolution's pending hours log). */
  readonly withIt?: TransactItem[];
}

/**
 * The step function of one kind of item: {@link takeStep} in its community, and every step of an
 * item that holds a resident's name and phone moves the plan to erase them to the retention period
 * after it, in the same transaction. So they go that long after the item's last step, whether it
 * ended (closed, fulfilled, rejected) or was left where it stood (resolved and never rated, a wish
 * nobody adopted).
 */
export function stepsOf<S extends string, T extends { readonly status: S; readonly updatedAt: string }>(lifecycle: Lifecycle<S, T>) {
  return async (communityId: string, id: string, to: S, change: (item: T, now: string) => T, options: StepOptions<T> = {}) => {
    const community = await requireCommunity(communityId);
    const item = await takeStep<S, T>({
      noun: lifecycle.noun,
      transitions: lifecycle.transitions,
      read: () => lifecycle.read(communityId, id),
      to,
      change,
      write: (read, next) =>
        lifecycle.write(read, next, [
          ...(options.withIt ?? []),
          ...(lifecycle.holdsResident(next) ? [erasurePlanPut(erasurePlanOf(communityId, lifecycle.kind, id, next.updatedAt))] : []),
        ]),
      ...(options.already ? { already: options.already } : {}),
      ...(options.refuse ? { refuse: options.refuse } : {}),
    });
    return { item, community };
  };
}
