/**
 * A sliding window over the times something was used: at most `limit` uses in any `windowMs`,
 * whatever the clock says (a fixed window on the clock hour lets 2 × limit through in a minute
 * across the hour). Pure: the store keeps the last `limit` times in one item.
 */
export type SlidingDecision =
  | { readonly allowed: true; readonly uses: string[] }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export function slidingWindow(uses: readonly string[], now: Date, windowMs: number, limit: number): SlidingDecision {
  const since = now.getTime() - windowMs;
  const recent = uses.filter((use) => Date.parse(use) > since).sort();
  if (recent.length >= limit) {
    // Allowed again when the oldest of the last `limit` uses leaves the window.
    const frees = Date.parse(recent[recent.length - limit]!) + windowMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((frees - now.getTime()) / 1000)) };
  }
  return { allowed: true, uses: [...recent, now.toISOString()].slice(-limit) };
}
