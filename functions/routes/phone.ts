import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import * as z from 'zod';

// In a module of its own: only the functions whose routes take a phone number bundle
// libphonenumber-js and its metadata (the volunteer function has none).

/**
 * A stored (E.164) number as a person reads it in a spreadsheet: a mainland number in its national
 * form (`139 1234 5678`), another country's with its code (`+852 …`). Nothing else changes it.
 */
export function phoneForPeople(e164: string | null | undefined): string {
  if (!e164) return '';
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === 'CN' ? parsed.formatNational() : parsed.formatInternational();
}

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
