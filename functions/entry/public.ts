import { createHttpFunction } from '../http/function';
import { routesOf } from '../routes';

/** Lambda entry point for the public routes (see functions/routes/index.ts). */
export const handler = createHttpFunction(routesOf('public'));
