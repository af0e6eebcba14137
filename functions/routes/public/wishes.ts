import * as z from 'zod';
import { line, paragraph } from '../../domain/model';
import { PUBLIC_WISH_STATUSES, publicWishSchema, publicWishView, residentWishSchema, residentWishView } from '../../domain/wishes';
import { created, defineRoute, ok } from '../../http/route';
import { ownWish, postWish, publicWishes, verifyWish } from '../../services/wishes';
import { phoneSchema } from '../phone';
import { communityParams, listOf, optionalText, paginationQuery, personName, verificationCodeBody, withHoneypot } from '../schemas';
import { wishParams } from '../wishes.schemas';


export const publicWishRoutes = [
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/wishes',
    operationId: 'postWish',
    summary: 'A resident posts a micro-wish (微心愿): submitted, shown once an organiser publishes it',
    tags: ['wishes'],
    credential: 'public',
    acceptsForm: true,
    params: communityParams,
    body: withHoneypot({
      name: personName,
      phone: phoneSchema,
      title: line(40, 1, 'Please say what you wish for'),
      description: paragraph(300, 0),
      building: optionalText(40),
    }),
    responses: {
      201: { description: 'Posted; the manage token is shown only here', schema: z.object({ wish: residentWishSchema, manageToken: z.string() }) },
    },
    replay: async ({ params, outcome }) => {
      const { wish, community } = await ownWish(params.c, outcome.wishId!, outcome.manageToken!);
      return created({ wish: residentWishView(wish, community.timezone), manageToken: outcome.manageToken });
    },
    handler: async ({ params, body, event }) => {
      const { wish, manageToken, community } = await postWish(params.c, body, { address: event.requestContext.http.sourceIp });
      return created({ wish: residentWishView(wish, community.timezone), manageToken });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/wishes',
    operationId: 'listPublicWishes',
    summary: 'The wish wall: published, adopted and fulfilled wishes, newest first, with no one’s name or phone',
    tags: ['wishes'],
    credential: 'public',
    params: communityParams,
    query: paginationQuery.extend({ status: z.enum(PUBLIC_WISH_STATUSES).optional() }),
    responses: { 200: { description: 'A page of wishes', schema: listOf(publicWishSchema) } },
    handler: async ({ params, query }) => {
      const { items, nextCursor, community } = await publicWishes(params.c, query.status, query);
      return ok({ items: items.map((wish) => publicWishView(wish, community.timezone)), nextCursor });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/wishes/{id}',
    operationId: 'getOwnWish',
    summary: 'The resident follows their wish: published, adopted, fulfilled',
    tags: ['wishes'],
    credential: 'manage',
    params: wishParams,
    responses: { 200: { description: 'The wish', schema: z.object({ wish: residentWishSchema }) } },
    handler: async ({ params, principal }) => {
      const { wish, community } = await ownWish(params.c, params.id, principal.manageToken);
      return ok({ wish: residentWishView(wish, community.timezone) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/wishes/{id}/verify',
    operationId: 'verifyWish',
    summary: 'The code sent to the phone comes back: the held wish is filed (submitted)',
    tags: ['wishes'],
    credential: 'manage',
    acceptsForm: true,
    params: wishParams,
    body: verificationCodeBody,
    responses: { 200: { description: 'Verified and filed (again: as it is)', schema: z.object({ wish: residentWishSchema }) } },
    // Verifying a filed wish again answers it as it is and writes nothing.
    replay: 'handler',
    handler: async ({ params, principal, body }) => {
      const { wish, community } = await verifyWish(params.c, params.id, principal.manageToken, body.code);
      return ok({ wish: residentWishView(wish, community.timezone) });
    },
  }),
];
