/**
 * A phone number as the console may show it in a message's deliveries: a mainland mobile as
 * `139****9000`, another number with its first digits and last four. Enough for an organiser to
 * tell whose it was, not enough to call (API.md: full numbers only on rosters, exports and the
 * volunteer admin).
 */
export function maskPhone(e164: string): string {
  const mainland = /^\+86(1\d{2})\d{4}(\d{4})$/.exec(e164);
  if (mainland) return `${mainland[1]}****${mainland[2]}`;
  const digits = e164.replace(/\D/g, '');
  return `+${digits.slice(0, Math.max(0, Math.min(3, digits.length - 4)))}****${digits.slice(-4)}`;
}
