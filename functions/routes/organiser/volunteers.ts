import * as z from 'zod';
import { volunteerAdminSchema, volunteerAdminView } from '../../domain/volunteers';
import { created, defineRoute, ok } from '../../http/route';
import { createVolunteer, requireVolunteer, rotateVolunteerToken, updateVolunteer, volunteersOf } from '../../services/volunteers';
import { communityParams, idSchema, listOf, paginationQuery, personName } from '../schemas';
import { phoneSchema } from '../phone';
import { skills, team } from '../volunteers.schemas';

const volunteerParams = communityParams.extend({ volunteerId: idSchema });

const volunteerSchema = volunteerAdminSchema;

export const organiserVolunteerRoutes = [
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/volunteers',
    operationId: 'createVolunteer',
    summary: 'Register a volunteer; the token is shown only here',
    tags: ['volunteers'],
    credential: 'organiser',
    params: communityParams,
    body: z.object({ name: personName, phone: phoneSchema, team, skills: skills.default([]) }),
    responses: { 201: { description: 'Created', schema: z.object({ volunteer: volunteerSchema, token: z.string() }) } },
    replay: async ({ params, outcome }) =>
      created({ volunteer: volunteerAdminView(await requireVolunteer(params.c, outcome.volunteerId!)), token: outcome.token }),
    handler: async ({ params, body }) => {
      const { volunteer, token } = await createVolunteer(params.c, body);
      return created({ volunteer: volunteerAdminView(volunteer), token });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/volunteers',
    operationId: 'listVolunteers',
    summary: 'Volunteers with their hours and points totals',
    tags: ['volunteers'],
    credential: 'organiser',
    params: communityParams,
    query: paginationQuery,
    responses: { 200: { description: 'Volunteers', schema: listOf(volunteerSchema) } },
    handler: async ({ params, query }) => {
      const page = await volunteersOf(params.c, query);
      return ok({ items: page.items.map(volunteerAdminView), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/communities/{c}/volunteers/{volunteerId}',
    operationId: 'updateVolunteer',
    summary: 'Change name, team, skills or status (inactive tokens are refused at once)',
    tags: ['volunteers'],
    credential: 'organiser',
    params: volunteerParams,
    body: z
      .object({ name: personName, team, skills, status: z.enum(['active', 'inactive']) })
      .partial()
      .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Send at least one field to change'),
    responses: { 200: { description: 'The volunteer', schema: z.object({ volunteer: volunteerSchema }) } },
    handler: async ({ params, body }) => ok({ volunteer: volunteerAdminView(await updateVolunteer(params.c, params.volunteerId, body)) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/volunteers/{volunteerId}/token',
    operationId: 'rotateVolunteerToken',
    summary: 'Issue a new token; the old one stops at once',
    tags: ['volunteers'],
    credential: 'organiser',
    params: volunteerParams,
    responses: { 201: { description: 'The new token, shown only here', schema: z.object({ token: z.string() }) } },
    replay: async ({ outcome }) => created({ token: outcome.token }),
    handler: async ({ params }) => created({ token: await rotateVolunteerToken(params.c, params.volunteerId) }),
  }),
];
