import { normaliseSettings, type Community, type CommunitySettings } from '../domain/communities';
import { NotFoundError } from '../domain/errors';
import { AppError } from '../domain/errors';
import { withRate } from '../domain/points';
import { getCommunity, putCommunitySettings, StaleCommunityError } from '../store/communities';

const ATTEMPTS = 5;

/**
 * Creates or updates a community's settings (the organiser's PUT). A new `pointsPerHour` becomes a
 * new version of the public earning standard, effective now; hours already worked keep theirs.
 */
export async function saveCommunitySettings(communityId: string, settings: CommunitySettings): Promise<Community> {
  const normalised = normaliseSettings(settings);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const current = await getCommunity(communityId);
    const now = new Date();
    const history = withRate(current?.pointsPerHourHistory ?? [], normalised.pointsPerHour, now);
    try {
      return await putCommunitySettings(communityId, normalised, history, current?.updatedAt, now);
    } catch (error) {
      if (!(error instanceof StaleCommunityError)) throw error;
    }
  }
  throw new AppError('unavailable', { detail: 'Please retry', retryAfterSeconds: 1 });
}

/** The community, or 404: every community route starts here. */
export async function requireCommunity(communityId: string): Promise<Community> {
  const community = await getCommunity(communityId);
  if (!community) throw new NotFoundError('No such community');
  return community;
}
