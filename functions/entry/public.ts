import { createHttpFunction } from '../http/function';
import { publicRoutes } from '../routes/public';

/**
 * Lambda entry point for the public routes (see functions/routes/index.ts). It imports only its own
 * group's module, never the whole route table, so the bundle holds only these routes.
 */
export const handler = createHttpFunction(publicRoutes);
