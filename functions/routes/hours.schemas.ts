/** Hours schemas shared by the volunteer and the organiser routes, from the declaration in functions/domain/hours.ts. */
export { hoursLogSchema } from '../domain/hours';
