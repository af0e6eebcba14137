import * as z from 'zod';
import type { OrganiserPrincipal, VolunteerPrincipal } from '../../auth/principal';
import { ValidationError } from '../../domain/errors';
import { organiserWishView, volunteerWishSchema, volunteerWishView, wishSchema, type Wish } from '../../domain/wishes';
import { defineRoute, ok } from '../../http/route';
import { adoptWish, fulfilWish, wishesForVolunteer } from '../../services/wishes';
import { listOf, optionalText, paginationQuery } from '../schemas';
import { wishParams } from '../wishes.schemas';

/** The wish as its caller sees it: an organiser all of it, a volunteer the wall's view and whether it is theirs. */
const asSeenBy = (principal: VolunteerPrincipal | OrganiserPrincipal, wish: Wish, timezone: string) =>
  principal.kind === 'organiser' ? organiserWishView(wish, timezone) : volunteerWishView(wish, timezone, principal.volunteerId);

const either = z.object({ wish: z.union([volunteerWishSchema, wishSchema]).describe('VolunteerWish for a volunteer, Wish for an organiser') });

// Served by the volunteer function; adopt and fulfil take a volunteer's token or an organiser's JWT.
export const volunteerWishRoutes = [
  defineRoute({
    method: 'GET',
    path: '/me/wishes',
    operationId: 'getMyWishes',
    summary: 'Published wishes I may adopt, and those I adopted',
    tags: ['wishes'],
    credential: 'volunteer',
    query: paginationQuery,
    responses: { 200: { description: 'A page of wishes', schema: listOf(volunteerWishSchema) } },
    handler: async ({ principal, query }) => {
      const { items, nextCursor, community } = await wishesForVolunteer(principal, query);
      return ok({ items: items.map((wish) => volunteerWishView(wish, community.timezone, principal.volunteerId)), nextCursor });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/wishes/{id}/adopt',
    operationId: 'adoptWish',
    summary: 'Adopt a published wish: a volunteer for their team, or an organiser for a partner unit (adopterName); exactly one adopter',
    tags: ['wishes'],
    credential: 'volunteerOrOrganiser',
    params: wishParams,
    body: z.object({ adopterName: optionalText(40).describe('Organisers: the partner unit (共驻共建单位) adopting it; required from an organiser, ignored from a volunteer') }),
    responses: { 200: { description: 'Adopted (again, by the same adopter: as it is)', schema: either } },
    replay: 'handler',
    handler: async ({ principal, params, body }) => {
      if (principal.kind === 'organiser' && !body.adopterName) throw new ValidationError([{ path: 'adopterName', message: 'Name the partner unit adopting this wish' }]);
      const { wish, community } = await adoptWish(principal, params.id, body.adopterName);
      return ok({ wish: asSeenBy(principal, wish, community.timezone) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/wishes/{id}/fulfil',
    operationId: 'fulfilWish',
    summary: 'Mark an adopted wish fulfilled: the adopting volunteer or an organiser',
    tags: ['wishes'],
    credential: 'volunteerOrOrganiser',
    params: wishParams,
    body: z.object({ note: optionalText(300, true) }),
    responses: { 200: { description: 'Fulfilled (again: as it is)', schema: either } },
    replay: 'handler',
    handler: async ({ principal, params, body }) => {
      const { wish, community } = await fulfilWish(principal, params.id, body.note);
      return ok({ wish: asSeenBy(principal, wish, community.timezone) });
    },
  }),
];
