import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { organiserFromClaims } from '../../auth/organiser-claims';
import { ANONYMOUS, type Principal } from '../../auth/principal';
import { verifyOrganiserJwt } from '../../auth/organiser-jwt';
import { isVolunteerBearer, verifyVolunteerToken } from '../../auth/volunteer-token';
import { UnauthorizedError } from '../../domain/errors';
import type { RouteDefinition } from '../route';

/** Principal by event: the handler receives the same event object the middleware saw. */
const principals = new WeakMap<object, Principal>();

type JwtAuthorizerContext = { jwt?: { claims?: Record<string, unknown> } };

async function principalFor(route: RouteDefinition, event: APIGatewayProxyEventV2): Promise<Principal> {
  const communityId = event.pathParameters?.c;
  switch (route.credential) {
    case 'public':
      return ANONYMOUS;
    case 'manage': {
      const token = event.headers['x-manage-token'];
      if (!token) throw new UnauthorizedError('Send the manage token in X-Manage-Token');
      return { kind: 'resident', manageToken: token };
    }
    case 'volunteer':
      return verifyVolunteerToken(event.headers.authorization, communityId);
    case 'organiser': {
      const authorizer = (event.requestContext as { authorizer?: JwtAuthorizerContext }).authorizer;
      return organiserFromClaims(authorizer?.jwt?.claims, communityId);
    }
    case 'volunteerOrOrganiser':
      // No authorizer stands before these routes: a volunteer's opaque token, or a JWT checked here.
      return isVolunteerBearer(event.headers.authorization)
        ? verifyVolunteerToken(event.headers.authorization, communityId)
        : organiserFromClaims(await verifyOrganiserJwt(event.headers.authorization), communityId);
  }
}

/**
 * Establishes the caller. On organiser routes the JWT was verified by the API Gateway JWT
 * authorizer (locally, by its mirror in local/jwt.ts); on routes a volunteer or an organiser may
 * call, there is no authorizer and it is verified here (auth/organiser-jwt.ts). Either way this
 * checks the group and that the path's community is the token's.
 */
export function authenticate(route: RouteDefinition): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async (request) => {
      principals.set(request.event, await principalFor(route, request.event));
    },
  };
}

export function principalOf(event: APIGatewayProxyEventV2): Principal {
  return principals.get(event) ?? ANONYMOUS;
}
