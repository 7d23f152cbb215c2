import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { Role } from '../api/types';
import type { Session, SessionStore } from './session';

interface AuthValue {
  store: SessionStore;
  session: Session | null;
  /** True when the signed-in user may create, edit and delete exercises. */
  canWrite: boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

const WRITER_ROLES: ReadonlySet<Role> = new Set<Role>(['admin', 'user']);

export function AuthProvider({ store, children }: { store: SessionStore; children: ReactNode }) {
  const session = useSyncExternalStore(
    (onChange) => store.subscribe(onChange),
    () => store.current,
  );

  // Silent refresh: renew the access token shortly before it expires.
  useEffect(() => {
    const wait = store.msUntilRefresh();
    if (wait === null || !session?.refreshToken) return undefined;
    const timer = window.setTimeout(() => {
      store.refresh().catch(() => {
        // A refused refresh signs the user out; the header then offers "Sign in".
      });
    }, wait);
    return () => window.clearTimeout(timer);
  }, [store, session]);

  const value = useMemo<AuthValue>(
    () => ({ store, session, canWrite: session !== null && WRITER_ROLES.has(session.user.role) }),
    [store, session],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
