import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/** Shared request and response schemas. Route-specific ones live beside their routes. */

export const communityIdSchema = z.string().regex(/^[a-z0-9-]{2,40}$/, 'A community id is 2–40 of a-z, 0-9 and -');
export const idSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'Not an id');

export const communityParams = z.object({ c: communityIdSchema });

/** RFC 3339 with an offset or Z; compared as an instant. */
export const instantSchema = z.iso.datetime({ offset: true, message: 'Use RFC 3339 with an offset, e.g. 2026-12-01T19:30:00+08:00' });

/** `from` / `to`: a date in the community's time zone, or an instant. */
export const dateOrInstantSchema = z.union([z.iso.date(), instantSchema], {
  message: 'Use a date (YYYY-MM-DD) or an RFC 3339 instant',
});

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

/**
 * A phone number normalised to E.164 (API.md: numbers without a country code are Chinese, +86).
 * libphonenumber-js does the parsing; anything it does not accept as a possible number is refused.
 */
export const phoneSchema = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .transform((value, ctx) => {
    const parsed = parsePhoneNumberFromString(value, 'CN');
    if (!parsed || !parsed.isValid()) {
      ctx.addIssue({ code: 'custom', message: 'Not a valid phone number' });
      return z.NEVER;
    }
    return parsed.number;
  });

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
