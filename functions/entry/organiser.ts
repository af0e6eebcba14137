import { createHttpFunction } from '../http/function';
import { organiserRoutes } from '../routes/organiser';

/**
 * Lambda entry point for the organiser routes (see functions/routes/index.ts). It imports only its own
 * group's module, never the whole route table, so the bundle holds only these routes.
 */
export const handler = createHttpFunction(organiserRoutes);
