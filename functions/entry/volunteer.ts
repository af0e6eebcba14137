import { createHttpFunction } from '../http/function';
import { routesOf } from '../routes';

/** Lambda entry point for the volunteer routes (see functions/routes/index.ts). */
export const handler = createHttpFunction(routesOf('volunteer'));
