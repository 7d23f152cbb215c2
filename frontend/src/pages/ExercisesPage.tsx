import { useCallback, useEffect, useRef, useState } from 'react';
import { apiClient } from '../api/clients';
import { errorMessage } from '../api/errors';
import {
  createExercise,
  deleteExercise,
  exportCsv,
  listExercises,
  updateExercise,
} from '../api/exercises';
import type { Exercise, ExerciseCreate, ExercisePage, ListQuery, SortColumn } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { ExerciseFormDialog, pendingDraftKey } from '../components/ExerciseFormDialog';
import { ExerciseTable } from '../components/ExerciseTable';
import { Pagination, pageCount } from '../components/Pagination';
import { Link } from '../router';
import { EMPTY_DRAFT, patchFor } from '../lib/exerciseDraft';
import { queryFromSearch, searchFromQuery } from '../lib/listQuery';
import { readJson, STORAGE_KEYS, writeJson } from '../lib/storage';

type Editing =
  | { mode: 'create' }
  | { mode: 'edit'; exercise: Exercise }
  | { mode: 'delete'; exercise: Exercise };

function saveFile(contents: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExercisesPage() {
  const { store, session, canWrite } = useAuth();
  // A form left unsaved when the session ended opens again, as it was, after signing in.
  const resume = useRef(canWrite ? pendingDraftKey() : null);
  const [query, setQuery] = useState<ListQuery>(() => queryFromSearch(window.location.search));
  const [data, setData] = useState<ExercisePage | null>(null);
  // Which request the shown data answers: loading while it differs from the current one.
  const [answeredKey, setAnsweredKey] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(() =>
    canWrite && pendingDraftKey() === 'create' ? { mode: 'create' } : null,
  );
  // New exercises start on the workout day chosen last, not on A every time.
  const [lastDay, setLastDay] = useState(
    () => readJson<string>(STORAGE_KEYS.lastWorkoutDay) ?? EMPTY_DRAFT.workout_day,
  );
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [reloadCount, setReloadCount] = useState(0);
  const newButton = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // After a delete the row's button is gone, so focus moves to the page's main action.
  const deleted = useRef(false);

  const requestKey = `${JSON.stringify(query)}#${reloadCount}`;
  const loading = answeredKey !== requestKey;

  // Keep the page and order in the address bar (replacing, so Back leaves the page).
  useEffect(() => {
    const search = searchFromQuery(query);
    if (search !== window.location.search) {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}`);
    }
  }, [query]);

  useEffect(() => {
    const controller = new AbortController();
    listExercises(apiClient, query)
      .then((page) => {
        if (controller.signal.aborted) return;
        // Deleting the last row of the last page leaves it empty: step back a page.
        if (page.items.length === 0 && page.total > 0 && query.page > 1) {
          setQuery((current) => ({ ...current, page: pageCount(page.total, current.pageSize) }));
          return;
        }
        setData(page);
        setLoadError(null);
        const unsaved = page.items.find((item) => resume.current === `edit-${item.id}`);
        if (unsaved) setEditing({ mode: 'edit', exercise: unsaved });
        resume.current = null;
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoadError(errorMessage(error));
      })
      .finally(() => {
        if (!controller.signal.aborted) setAnsweredKey(requestKey);
      });
    return () => controller.abort();
  }, [query, requestKey]);

  const reload = useCallback(() => setReloadCount((count) => count + 1), []);

  function sortBy(column: SortColumn) {
    setQuery((current) => ({
      ...current,
      page: 1,
      sortBy: column,
      sortOrder: current.sortBy === column && current.sortOrder === 'asc' ? 'desc' : 'asc',
    }));
  }

  async function save(values: ExerciseCreate) {
    const rememberDay = () => {
      setLastDay(values.workout_day);
      writeJson(STORAGE_KEYS.lastWorkoutDay, values.workout_day);
    };
    if (editing?.mode === 'edit') {
      const patch = patchFor(editing.exercise, values);
      if (Object.keys(patch).length > 0) {
        const saved = await store.withToken((token) =>
          updateExercise(apiClient, token, editing.exercise.id, patch),
        );
        setNotice(`Saved “${saved.name}”.`);
        rememberDay();
      } else {
        setNotice('Nothing changed.');
      }
    } else {
      const created = await store.withToken((token) => createExercise(apiClient, token, values));
      rememberDay();
      setNotice(`Created “${created.name}” (ID ${created.id}).`);
    }
    setEditing(null);
    reload();
  }

  async function remove(exercise: Exercise) {
    await store.withToken((token) => deleteExercise(apiClient, token, exercise.id));
    deleted.current = true;
    setNotice(`Deleted “${exercise.name}”.`);
    setEditing(null);
    reload();
  }

  async function download() {
    setDownloading(true);
    setDownloadError(null);
    try {
      saveFile(await exportCsv(apiClient, query), 'exercises.csv', 'text/csv');
    } catch (error) {
      setDownloadError(errorMessage(error));
    } finally {
      setDownloading(false);
    }
  }

  const readOnly = session !== null && !canWrite;
  const empty = data?.total === 0;
  const focusAfterDialog = () => newButton.current ?? heading.current;

  return (
    <section aria-labelledby="exercises-heading">
      <div className="page-header">
        <h1 id="exercises-heading" ref={heading} tabIndex={-1}>
          Exercises
        </h1>
        <div className="toolbar">
          {canWrite ? (
            <button
              type="button"
              className="primary"
              ref={newButton}
              onClick={() => setEditing({ mode: 'create' })}
            >
              New exercise
            </button>
          ) : null}
          {empty ? null : (
            <button type="button" onClick={download} disabled={downloading}>
              {downloading ? (
                'Preparing CSV…'
              ) : (
                <>
                  <span className="wide-only">Download </span>CSV
                </>
              )}
            </button>
          )}
        </div>
      </div>
      {session === null && !empty ? (
        <p className="hint-banner">
          <Link to="/sign-in" remember>
            Sign in
          </Link>{' '}
          to add, edit or delete exercises.
        </p>
      ) : null}
      {readOnly ? (
        <p className="hint-banner">
          Your account is read-only: you can browse and download the exercises, but not add, edit or
          delete them. An administrator can give you a lifter&apos;s account.
        </p>
      ) : null}
      <div role="status" aria-live="polite" className="notice">
        {notice}
      </div>
      <ErrorAlert message={downloadError} />
      {loadError ? (
        <div className="alert alert-error" role="alert">
          <p>{loadError}</p>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </div>
      ) : null}
      {empty ? (
        <FirstSteps
          signedIn={session !== null}
          onNewExercise={canWrite ? () => setEditing({ mode: 'create' }) : null}
        />
      ) : data ? (
        <div aria-busy={loading}>
          <ExerciseTable
            exercises={data.items}
            sortBy={query.sortBy}
            sortOrder={query.sortOrder}
            onSort={sortBy}
            actions={
              canWrite
                ? {
                    onEdit: (exercise) => setEditing({ mode: 'edit', exercise }),
                    onDelete: (exercise) => {
                      deleted.current = false;
                      setEditing({ mode: 'delete', exercise });
                    },
                  }
                : null
            }
          />
          <Pagination
            page={query.page}
            pageSize={query.pageSize}
            total={data.total}
            onPage={(page) => setQuery((current) => ({ ...current, page }))}
            onPageSize={(pageSize) => setQuery((current) => ({ ...current, page: 1, pageSize }))}
          />
        </div>
      ) : loading ? (
        <p role="status">Loading exercises…</p>
      ) : null}
      {editing?.mode === 'create' || editing?.mode === 'edit' ? (
        <ExerciseFormDialog
          exercise={editing.mode === 'edit' ? editing.exercise : null}
          onSubmit={save}
          onClose={() => setEditing(null)}
          newDraft={{ ...EMPTY_DRAFT, workout_day: lastDay }}
          {...(editing.mode === 'create' ? { returnFocusTo: focusAfterDialog } : {})}
        />
      ) : null}
      {editing?.mode === 'delete' ? (
        <ConfirmDialog
          title="Delete exercise?"
          message={`“${editing.exercise.name}” will be removed for good.`}
          confirmLabel="Delete"
          onConfirm={() => remove(editing.exercise)}
          onClose={() => setEditing(null)}
          returnFocusTo={() => (deleted.current ? focusAfterDialog() : null)}
        />
      ) : null}
    </section>
  );
}

/** What an empty first screen offers: the three ways to begin, each said once. */
function FirstSteps({
  signedIn,
  onNewExercise,
}: {
  signedIn: boolean;
  onNewExercise: (() => void) | null;
}) {
  return (
    <div className="first-steps card">
      <h2>Start your training log</h2>
      <p>
        Workout Tracker keeps your program, the workouts you log and the records you set, and its
        coach plans and reviews your training from them.
      </p>
      <ul>
        <li>
          <Link to="/workout">Start a workout</Link> and log your sets as you train.
        </li>
        <li>
          Build a program:{' '}
          {onNewExercise ? (
            <button type="button" className="link-button" onClick={onNewExercise}>
              add its first exercise
            </button>
          ) : signedIn ? (
            'your account can read the program but not add to it.'
          ) : (
            <>
              <Link to="/sign-in" remember>
                sign in
              </Link>{' '}
              to add its exercises.
            </>
          )}
        </li>
        <li>
          <Link to="/import">Import your history</Link> from Strong, Hevy or a backup.
        </li>
      </ul>
    </div>
  );
}
