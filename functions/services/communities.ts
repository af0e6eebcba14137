import type { Community } from '../domain/communities';
import { NotFoundError } from '../domain/errors';
import { getCommunity } from '../store/communities';
import * as clock from '../clock';

/**
 * How long a function instance reuses a community's profile it has read. Most calls read the
 * profile only for its name and time zone, which change rarely; an instance that saved the
 * settings forgets its copy at once, others within this time (README, "What a warm function keeps between requests").
 */
export const PROFILE_MAX_AGE_MS = 30_000;
const PROFILES_KEPT = 200;
const profiles = new Map<string, { community: Community; readAt: number }>();

/** Forgets this instance's copy of one profile (it has just saved the settings). */
export function forgetProfile(communityId: string): void {
  profiles.delete(communityId);
}

/** Forgets every kept profile (tests that swap the database under a warm instance). */
export function forgetKeptProfiles(): void {
  profiles.clear();
}

/**
 * The community, or 404: every community route starts here. Served from this instance's copy
 * when it is younger than {@link PROFILE_MAX_AGE_MS}; `fresh` reads it from the table (for
 * the settings page and for writes that depend on the earning standard). A missing community is
 * never cached, so one created a moment ago is found at once.
 */
export async function requireCommunity(communityId: string, options: { fresh?: boolean } = {}): Promise<Community> {
  const kept = profiles.get(communityId);
  if (!options.fresh && kept && clock.nowMs() - kept.readAt < PROFILE_MAX_AGE_MS) return kept.community;
  const community = await getCommunity(communityId);
  if (!community) throw new NotFoundError('No such community');
  profiles.delete(communityId);
  if (profiles.size >= PROFILES_KEPT) profiles.delete(profiles.keys().next().value!);
  profiles.set(communityId, { community, readAt: clock.nowMs() });
  return community;
}
