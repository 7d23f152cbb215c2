import * as authApi from '../api/auth';
import { ApiError } from '../api/errors';
import type { HttpClient } from '../api/http';
import type { User } from '../api/types';

export interface Session {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds at which the access token stops being accepted. */
  expiresAt: number;
  user: User;
}

/** Refresh this long before the access token expires, so no request races the expiry. */
export const REFRESH_MARGIN_MS = 60_000;
const STORAGE_KEY = 'workout-tracker.session';

type Listener = (session: Session | null) => void;

function load(storage: Storage | undefined): Session | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

/**
 * The signed-in user and their tokens. Keeps them in local storage so a reload stays signed
 * in, refreshes the access token silently before it expires, and retries a request once with
 * a fresh token when the API answers 401.
 */
export class SessionStore {
  private session: Session | null;
  private readonly listeners = new Set<Listener>();
  private refreshing: Promise<Session> | null = null;

  constructor(
    private readonly http: HttpClient,
    private readonly storage: Storage | undefined = globalThis.localStorage,
    private readonly now: () => number = Date.now,
  ) {
    this.session = load(storage);
    // Signing in or out in another tab applies here too.
    globalThis.addEventListener?.('storage', (event: StorageEvent) => {
      if (event.key !== STORAGE_KEY && event.key !== null) return;
      this.session = load(this.storage);
      for (const listener of this.listeners) listener(this.session);
    });
  }

  get current(): Session | null {
    return this.session;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signIn(username: string, password: string): Promise<Session> {
    const tokens = await authApi.login(this.http, username, password);
    const user = await authApi.currentUser(this.http, tokens.access_token);
    return this.set({
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? null,
      expiresAt: this.now() + tokens.expires_in * 1000,
      user,
    });
  }

  /** Forgets the session at once and ends its refresh token on the server (best effort). */
  signOut(): void {
    const refreshToken = this.session?.refreshToken;
    this.set(null);
    if (refreshToken) authApi.logout(this.http, refreshToken).catch(() => undefined);
  }

  /** Milliseconds until the token should be refreshed (0 when due), or null when signed out. */
  msUntilRefresh(): number | null {
    if (!this.session) return null;
    return Math.max(0, this.session.expiresAt - REFRESH_MARGIN_MS - this.now());
  }

  /** Trade the refresh token for a new access token; signs out when that is refused. */
  refresh(): Promise<Session> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Run an authenticated call, refreshing first when due and once more on a 401. */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    let session = this.session;
    if (!session) throw new ApiError('http', 401, 'Please sign in to do this.');
    if (this.msUntilRefresh() === 0 && session.refreshToken) session = await this.refresh();
    try {
      return await call(session.accessToken);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !session.refreshToken)
        throw error;
      const renewed = await this.refresh();
      return call(renewed.accessToken);
    }
  }

  private async doRefresh(): Promise<Session> {
    const session = this.session;
    if (!session?.refreshToken) {
      this.set(null);
      throw new ApiError('http', 401, 'Your session has expired. Please sign in again.');
    }
    try {
      const tokens = await authApi.refresh(this.http, session.refreshToken);
      return this.set({
        ...session,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token ?? session.refreshToken,
        expiresAt: this.now() + tokens.expires_in * 1000,
      });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        this.set(null);
        throw new ApiError('http', 401, 'Your session has expired. Please sign in again.');
      }
      throw error;
    }
  }

  private set(session: Session): Session;
  private set(session: null): null;
  private set(session: Session | null): Session | null {
    this.session = session;
    try {
      if (session) this.storage?.setItem(STORAGE_KEY, JSON.stringify(session));
      else this.storage?.removeItem(STORAGE_KEY);
    } catch {
      // Storage can be unavailable (private mode, quota); the session still lives in memory.
    }
    for (const listener of this.listeners) listener(session);
    return session;
  }
}
