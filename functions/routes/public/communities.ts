import { publicCommunitySchema, publicProfile } from '../../domain/communities';
import { defineRoute, ok } from '../../http/route';
import { requireCommunity } from '../../services/communities';
import { communityParams } from '../schemas';

export const publicCommunityRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}',
    operationId: 'getCommunity',
    summary: 'Public profile and the public earning standard',
    tags: ['communities'],
    credential: 'public',
    params: communityParams,
    responses: { 200: { description: 'The community', schema: publicCommunitySchema } },
    handler: async ({ params }) => ok(publicProfile(await requireCommunity(params.c))),
  }),
];
