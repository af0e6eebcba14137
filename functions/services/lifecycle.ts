import { checkTransition, type Transitions } from '../domain/lifecycle';
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
