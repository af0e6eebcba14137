import * as z from 'zod';
import { calendarDate, calendarMonth, instant, line, paragraph } from '../domain/model';

/** Shared request and response schemas. Route-specific ones live beside their routes. */

export const communityIdSchema = z.string().regex(/^[a-z0-9-]{2,40}$/, 'A community id is 2–40 of a-z, 0-9 and -');
export const idSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'Not an id');

export const communityParams = z.object({ c: communityIdSchema });

/** `{c}` and `{eventId}`: the path of an event and everything under it. */
export const eventParams = communityParams.extend({ eventId: idSchema });

/** RFC 3339 with an offset or Z; compared as an instant (declared with the aggregates, domain/model.ts). */
export const instantSchema = instant;

/** `from` / `to`: a date in the community's time zone, or an instant. */
export const dateOrInstantSchema = z.union([calendarDate, instantSchema], {
  message: 'Use a date (YYYY-MM-DD) or an RFC 3339 instant',
});

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

/** Free text from a form: trimmed; an empty input means "not given". One line, or (`multiline`) a paragraph. */
export const optionalText = (max: number, multiline = false) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    (multiline ? paragraph(max) : line(max, 0)).optional(),
  );

/** A person's name as they write it (Chinese or not): 1–50 printable characters on one line. */
export const personName = line(50, 1, 'Please enter a name');

/**
 * A public form's body with its honeypot: a `website` field hidden from people (web/js/forms.js)
 * that bots fill in. A filled one is refused as a whole (`400`, path ''), in words that name no
 * field, so a bot learns nothing about which field gave it away; every 201 stays a stored item.
 */
export const withHoneypot = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object({ ...shape, website: z.string().optional() })
    .refine((body) => !(body as { website?: string }).website, { message: 'This form could not be sent. Please try again.', path: [] });

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

/** `POST …/verify`: the six digits from the SMS (spaces a resident types between them are ignored). */
export const verificationCodeBody = z.object({
  code: z.preprocess(
    (value) => (typeof value === 'string' ? value.replace(/[\s-]/g, '') : value),
    z.string().regex(/^\d{6}$/, 'The 6 digits from the SMS'),
  ),
});

/** A calendar month, `YYYY-MM`, read in the community's time zone (monthly reports). */
export const monthSchema = calendarMonth;
