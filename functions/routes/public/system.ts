import * as z from 'zod';
import { defineRoute, ok } from '../../http/route';

/** `GET /health`: the process is up. Deliberately touches nothing else, so it is cheap to poll. */
export const healthRoute = defineRoute({
  method: 'GET',
  path: '/health',
  operationId: 'getHealth',
  summary: 'Liveness',
  tags: ['system'],
  credential: 'public',
  responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok') }) } },
  handler: async () => ok({ status: 'ok' }),
});
