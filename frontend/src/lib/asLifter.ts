import type { SessionStore } from '../auth/session';

/**
 * Run a coach call as the signed-in lifter (with a fresh access token, renewed on a 401) or,
 * signed out, without a token.
 */
export function asLifter<T>(
  store: SessionStore,
  signedIn: boolean,
  call: (token: string | null) => Promise<T>,
): Promise<T> {
  return signedIn ? store.withToken((token) => call(token)) : call(null);
}
