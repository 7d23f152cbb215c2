import { lazy, Suspense, useEffect, useRef } from 'react';
import { useAuth } from './auth/AuthContext';
import { CoachStatus } from './components/CoachStatus';
import { SyncBadge } from './components/SyncBadge';
import { CoachPage } from './pages/CoachPage';
import { ExercisesPage } from './pages/ExercisesPage';
import { SignInPage } from './pages/SignInPage';
import { Link, navigate, usePath } from './router';

// The training-log pages load on first visit, keeping the first download small.
const WorkoutPage = lazy(() => import('./pages/WorkoutPage'));
const HistoryPage = lazy(() => import('./pages/HistoryPage'));
const ProgressPage = lazy(() => import('./pages/ProgressPage'));
const SettingsPage = lazy(() => import('./pages/SettingsPage'));
const ImportPage = lazy(() => import('./pages/ImportPage'));

const TITLES: Record<string, string> = {
  '/workout': 'Workout',
  '/history': 'History',
  '/progress': 'Progress',
  '/settings': 'Settings',
  '/import': 'Import and export',
  '/exercises': 'Exercises',
  '/coach': 'Coach',
  '/sign-in': 'Sign in',
};

/** The page's name for the tab title: every address the app does not know is "Page not found". */
export function pageTitle(path: string): string {
  if (path === '/') return 'Exercises';
  if (historyId(path) !== undefined) return path === '/history' ? 'History' : 'Workout';
  return TITLES[path] ?? 'Page not found';
}

function historyId(path: string): number | null | undefined {
  if (path === '/history') return null;
  const match = /^\/history\/(\d+)$/.exec(path);
  return match ? Number(match[1]) : undefined;
}

function Page({ path }: { path: string }) {
  if (path === '/workout') return <WorkoutPage />;
  if (path === '/progress') return <ProgressPage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/import') return <ImportPage />;
  const workoutId = historyId(path);
  if (workoutId !== undefined) return <HistoryPage key={path} workoutId={workoutId} />;
  if (path === '/coach') return <CoachPage />;
  if (path === '/sign-in') return <SignInPage />;
  if (path === '/exercises' || path === '/') return <ExercisesPage />;
  return (
    <section className="narrow">
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is nothing at <code>{path}</code>. <Link to="/exercises">Go to your exercises</Link>.
      </p>
    </section>
  );
}

export function App() {
  const path = usePath();
  const { store, session } = useAuth();
  const main = useRef<HTMLElement>(null);
  const shownPath = useRef(path);

  // Move focus to the new page's heading so keyboard and screen-reader users follow along,
  // or to the field a page starts with (the sign-in form's Username).
  useEffect(() => {
    document.title = `${pageTitle(path)} · Workout Tracker`;
    // On a phone the pages are one swipeable line: bring the current one into view.
    document
      .querySelector<HTMLElement>('.app-header nav [aria-current="page"]')
      ?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    if (shownPath.current === path) return;
    shownPath.current = path;
    const start =
      main.current?.querySelector<HTMLElement>('[data-initial-focus]') ??
      main.current?.querySelector<HTMLElement>('h1');
    start?.focus();
  }, [path]);

  function signOut() {
    store.signOut();
    navigate('/exercises');
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">
          <Link to="/exercises" className="brand-link">
            Workout Tracker
          </Link>
        </div>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link to="/workout">Workout</Link>
            </li>
            <li>
              <Link to="/history">History</Link>
            </li>
            <li>
              <Link to="/progress">Progress</Link>
            </li>
            <li>
              <Link to="/exercises">Exercises</Link>
            </li>
            <li>
              <Link to="/coach">Coach</Link>
            </li>
            <li>
              <Link to="/import">Import</Link>
            </li>
            <li>
              <Link to="/settings">Settings</Link>
            </li>
          </ul>
        </nav>
        <CoachStatus />
        {session ? <SyncBadge /> : null}
        <div className="account">
          {session ? (
            <>
              <span className="who-am-i" data-testid="signed-in-user">
                {session.user.username} <span className="badge">{session.user.role}</span>
              </span>
              <button type="button" onClick={signOut}>
                Sign out
              </button>
            </>
          ) : (
            <Link to="/sign-in" className="button-link" remember>
              Sign in
            </Link>
          )}
        </div>
      </header>
      <main id="main" ref={main}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Page path={path} />
        </Suspense>
      </main>
    </>
  );
}
