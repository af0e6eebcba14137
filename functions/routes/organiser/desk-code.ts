import * as z from 'zod';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { inZone } from '../../domain/time';
import { allowedOrigins } from '../../http/cors-policy';
import { defineRoute, ok } from '../../http/route';
import { deskCodeNow } from '../../services/desk-codes';
import { communityParams } from '../schemas';
import * as clock from '../../clock';

/**
 * Where the pages are, for the link in the kiosk's QR code: the kiosk page's own origin when it is
 * one the API serves (a cross-origin call says it in `Origin`), else the first configured web
 * origin, else this host (the local runtime serves the pages and the API on one origin).
 */
function webOriginOf(event: APIGatewayProxyEventV2): string {
  const allowed = allowedOrigins();
  const origin = event.headers.origin;
  if (origin && (allowed.includes('*') || allowed.includes(origin))) return origin;
  const configured = allowed.find((candidate) => candidate !== '*');
  if (configured) return configured;
  const proto = event.headers['x-forwarded-proto'] ?? 'http';
  return `${proto}://${event.headers.host ?? event.requestContext.domainName}`;
}

export const organiserDeskCodeRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/desk-code',
    operationId: 'getDeskCode',
    summary: 'The code the community room’s kiosk shows: it changes every 30 s and is accepted for 60 s',
    tags: ['hours'],
    credential: 'organiser',
    params: communityParams,
    responses: {
      200: {
        description: 'The code now, and the check-in link for its QR code',
        schema: z
          .object({
            code: z.string().describe('Six digits'),
            now: z.string().describe('The server’s time (an extension): the kiosk counts down against it, whatever its own clock says'),
            changesAt: z.string().describe('When the kiosk shows the next code (an extension: fetch again then)'),
            expiresAt: z.string().describe('Until when this code is accepted'),
            checkInUrl: z.string().describe('The volunteer page’s check-in with this code, for the QR code'),
          })
          .meta({ id: 'DeskCode' }),
      },
    },
    handler: async ({ params, event }) => {
      const { code, changesAt, expiresAt, checkInUrl, community } = await deskCodeNow(params.c, webOriginOf(event));
      return ok({ code, now: inZone(clock.nowIso(), community.timezone), changesAt: inZone(changesAt, community.timezone), expiresAt: inZone(expiresAt, community.timezone), checkInUrl });
    },
  }),
];
