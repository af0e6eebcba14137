/** Community schemas shared by the public and the organiser routes, from the declaration in functions/domain/communities.ts. */
export { publicCommunitySchema as publicCommunity } from '../domain/communities';
