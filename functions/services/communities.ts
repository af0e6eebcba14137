import { normaliseSettings, type Community, type CommunitySettings } from '../domain/communities';
import { NotFoundError } from '../domain/errors';
import { getCommunity, putCommunitySettings } from '../store/communities';

/** Creates or updates a community's settings (the organiser's PUT). */
export async function saveCommunitySettings(communityId: string, settings: CommunitySettings): Promise<Community> {
  return putCommunitySettings(communityId, normaliseSettings(settings), new Date());
}

/** The community, or 404: every community route starts here. */
export async function requireCommunity(communityId: string): Promise<Community> {
  const community = await getCommunity(communityId);
  if (!community) throw new NotFoundError('No such community');
  return community;
}
