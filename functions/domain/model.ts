import * as z from 'zod';
import { inZone, toUtcIso } from './time';

/**
 * The pieces every aggregate's declaration is made of. An aggregate is declared once, as a zod
 * object (its fields, with their rules); its TypeScript type is inferred from that, the store maps
 * items by its keys (functions/store/entity.ts), and the request and response schemas of its routes
 * are derived from it with the helpers below, so a field added to the declaration reaches the
 * input, the item, the views and the OpenAPI document without being written again.
 */

/** Instants Linli takes: anything later would overflow RFC 3339's four-digit year once days are added. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/**
 * Whether `patch` asks for nothing `current` does not have already: a cancellation sent again (its
 * first answer lost), which completes what the first left undone rather than being refused.
 */
export function patchChangesNothing(current: object, patch: object): boolean {
  return Object.entries(patch).every(([name, value]) => value === undefined || (current as Record<string, unknown>)[name] === value);
}

/** Whether a year is one Linli takes. */
const inYears = (year: number) => year >= FIRST_YEAR && year <= LAST_YEAR;

/**
 * An instant as callers send it: RFC 3339 with an offset or Z, in the years 2000–2100 (UTC).
 * Stored in canonical UTC (`toUtcIso`).
 */
export const instant = z.iso
  .datetime({ offset: true, message: 'Use RFC 3339 with an offset, e.g. 2026-12-01T19:30:00+08:00' })
  .refine((value) => inYears(new Date(value).getUTCFullYear()), `Use a time between the years ${FIRST_YEAR} and ${LAST_YEAR}`);

/** A calendar date (YYYY-MM-DD), in the same years: a slot series ending in 9999 would plan its erasure in year 10000. */
export const calendarDate = z.iso.date().refine((value) => inYears(Number(value.slice(0, 4))), `Use a date between the years ${FIRST_YEAR} and ${LAST_YEAR}`);

/** A month (YYYY-MM), in the same years. */
export const calendarMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use YYYY-MM')
  .refine((value) => inYears(Number(value.slice(0, 4))), `Use a month between the years ${FIRST_YEAR} and ${LAST_YEAR}`);

/**
 * Characters that never belong in what people type: C0 and C1 controls, DEL, and the
 * bidirectional overrides and isolates that make a roster or an export read backwards.
 */
const UNPRINTABLE_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** The same, but a line break is allowed (what a textarea sends as CRLF is kept as LF). */
const UNPRINTABLE_PARAGRAPH = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
export const UNPRINTABLE_MESSAGE = 'Contains characters that cannot be printed';

const atLeast = (text: z.ZodString, min: number, message: string) => (min > 0 ? text.min(min, message) : text);

/** One line of text (a title, a venue, a name): trimmed, `min`–`max` characters, nothing unprintable. */
export const line = (max: number, min = 1, required = 'Please fill this in') =>
  atLeast(z.string().trim(), min, required).max(max).refine((text) => !UNPRINTABLE_LINE.test(text), UNPRINTABLE_MESSAGE);

/** Text that may run over lines (a description, a note): CRLF and CR become LF; nothing else unprintable. */
export const paragraph = (max: number, min = 0, required = 'Please fill this in') =>
  atLeast(z.string().overwrite((text) => text.replace(/\r\n?/g, '\n')).trim(), min, required)
    .max(max)
    .refine((text) => !UNPRINTABLE_PARAGRAPH.test(text), UNPRINTABLE_MESSAGE);

type AnyObject = z.ZodObject<z.ZodRawShape>;

/** The field's schema without `.optional()`, `.default()` or `.nullable()` around it. */
function innerOf(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

const isInstant = (schema: z.ZodType) => innerOf(schema) instanceof z.ZodISODateTime;
const isOptional = (schema: z.ZodType) => schema instanceof z.ZodOptional;

/** The names of the fields of `schema` that hold instants. */
export function instantFieldsOf(schema: AnyObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isInstant(field as z.ZodType))
    .map(([name]) => name);
}

/** `values` with every instant field of `schema` that is present in canonical UTC, as stored. */
export function withUtcInstants<T extends Record<string, unknown>>(schema: AnyObject, values: T): T {
  const out: Record<string, unknown> = { ...values };
  for (const name of instantFieldsOf(schema)) {
    if (typeof out[name] === 'string') out[name] = toUtcIso(out[name]);
  }
  return out as T;
}

/** `values` without the keys whose value is undefined (a patch's "not given"). */
export function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * How a view answers a field that is not set: `null` (the field is always present: events, slots,
 * goods) or left out (hours logs, whose contract lists such fields as optional).
 */
export interface ViewOptions {
  readonly absent?: 'null' | 'omit';
}

/** The fields of `schema` as a reader sees them: instants in the community's time zone. */
export function viewOf<S extends z.ZodRawShape>(
  schema: z.ZodObject<S>,
  record: Readonly<Record<string, unknown>>,
  timezone: string,
  options: ViewOptions = {},
): View<S> {
  const view: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const value = record[name];
    if (value === undefined || value === null) {
      if (options.absent !== 'omit') view[name] = null;
      continue;
    }
    view[name] = isInstant(field as z.ZodType) ? inZone(value as string, timezone) : value;
  }
  return view as View<S>;
}

/** The type of {@link viewOf}'s answer: each field as declared, a value not set as null. */
export type View<S extends z.ZodRawShape> = { [K in keyof S]: undefined extends z.output<S[K]> ? Exclude<z.output<S[K]>, undefined> | null : z.output<S[K]> };

/**
 * The response schema of {@link viewOf}: each field of `schema` as it is answered (an instant as a
 * string with an offset; an optional field always present, `null` when not set). Input rules
 * (trimming, lengths) are left out: an answer is described, not validated on the way in.
 */
export function viewSchemaOf(schema: AnyObject, options: ViewOptions = {}): z.ZodObject<Record<string, z.ZodType>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const inner = innerOf(field as z.ZodType);
    const answered: z.ZodType = isInstant(inner) ? z.string() : inner instanceof z.ZodString ? z.string() : inner;
    shape[name] = !isOptional(field as z.ZodType) ? answered : options.absent === 'omit' ? answered.optional() : answered.nullable();
  }
  return z.object(shape);
}
