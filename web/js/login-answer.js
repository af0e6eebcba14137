// Coming back from the organisers' hosted login (js/cognito.js): the answer in the address, read on
// every page load before anything else, so kept apart from the login flow that only the console loads.

/** Set while the hosted login signs out, so that the page it comes back to is the console's sign-in. */
export const SIGNED_OUT_KEY = 'linli.hostedSignOut';

/**
 * (2) The hosted login's answer, if this page load is one: { code, state, error }. The code and state
 * leave the address bar (and the history) before anything else happens. Back from signing out:
 * { signedOut: true }. Null on an ordinary load.
 */
export function takeLoginAnswer() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return cameBackFromSignOut() ? { signedOut: true } : null;
  history.replaceState(null, '', `${location.pathname}#/console`);
  return { code: params.get('code'), state: params.get('state'), error: params.get('error') };
}

function cameBackFromSignOut() {
  try {
    if (!sessionStorage.getItem(SIGNED_OUT_KEY)) return false;
    sessionStorage.removeItem(SIGNED_OUT_KEY);
  } catch {
    return false;
  }
  history.replaceState(null, '', `${location.pathname}#/console`);
  return true;
}
