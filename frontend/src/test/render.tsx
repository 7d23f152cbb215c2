import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { apiClient } from '../api/clients';
import type { Role } from '../api/types';
import { AuthProvider } from '../auth/AuthContext';
import { SessionStore } from '../auth/session';

/** Render inside an AuthProvider, signed in with `role` or signed out (null). */
export function renderWithSession(ui: ReactElement, role: Role | null) {
  if (role) {
    localStorage.setItem(
      'workout-tracker.session',
      JSON.stringify({
        accessToken: `token-${role}`,
        refreshToken: `refresh-${role}`,
        expiresAt: Date.now() + 30 * 60_000,
        user: { username: role, email: null, role, disabled: false },
      }),
    );
  }
  const store = new SessionStore(apiClient, localStorage);
  return { store, ...render(<AuthProvider store={store}>{ui}</AuthProvider>) };
}
