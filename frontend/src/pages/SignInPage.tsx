import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { ErrorAlert } from '../components/ErrorAlert';
import { navigate, returnPath } from '../router';

function signInFailure(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'Incorrect username or password.';
  if (error instanceof ApiError && error.status === 422) {
    return 'Usernames have 3 to 50 characters and passwords at least 6.';
  }
  return errorMessage(error);
}

export function SignInPage() {
  const { store, session } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const usernameField = useRef<HTMLInputElement>(null);

  // The form is why the page is there: start in Username, also on a first load.
  useEffect(() => usernameField.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setFailure(null);
    try {
      await store.signIn(username.trim(), password);
      // Back to where the user was (e.g. the coach, or page 3 sorted by weight).
      const target = returnPath('/exercises');
      navigate(target === '/sign-in' ? '/exercises' : target);
    } catch (error) {
      setFailure(signInFailure(error));
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="sign-in-heading" className="narrow">
      <h1 id="sign-in-heading" tabIndex={-1}>
        Sign in
      </h1>
      {session ? (
        <p className="hint-banner">
          You are signed in as {session.user.username} ({session.user.role}).
        </p>
      ) : null}
      <form onSubmit={submit} className="form card">
        <div className="field">
          <label htmlFor="username">Username</label>
          <input
            id="username"
            ref={usernameField}
            data-initial-focus
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <ErrorAlert message={failure} />
        <div className="actions">
          <button type="submit" className="primary" disabled={pending || !username || !password}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </section>
  );
}
