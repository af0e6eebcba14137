import { ConflictError } from './errors';

/**
 * The small state machines of the teams' daily work (work orders, micro-wishes): each state lists
 * the states it may be reached from. Anything else is `409 invalid_state`.
 */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

export function checkTransition<S extends string>(noun: string, transitions: Transitions<S>, from: S, to: S): void {
  if (!transitions[to].includes(from)) throw new ConflictError('invalid_state', `A ${from} ${noun} cannot become ${to}`);
}
