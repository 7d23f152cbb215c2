import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { apiClient } from '../api/clients';
import { ApiError, errorMessage } from '../api/errors';
import {
  downloadExport,
  fetchImportJob,
  importFile,
  ImportError,
  ImportJobFailure,
  MAX_IMPORT_BYTES,
  POLL_INTERVAL_MS,
  type ExportFormat,
  type ImportJob,
  type ImportResult,
  type ImportSource,
  type RowSkipped,
} from '../api/imports';
import type { WeightUnit } from '../api/trainingTypes';
import { useAuth } from '../auth/AuthContext';
import { loadSettings } from '../lib/settings';
import { Link } from '../router';
import './ImportPage.css';

const SOURCES: { value: ImportSource; label: string }[] = [
  { value: 'auto', label: 'Detect from the file' },
  { value: 'strong', label: 'Strong (CSV)' },
  { value: 'hevy', label: 'Hevy (CSV)' },
  { value: 'json', label: 'Workout Tracker backup (JSON)' },
];

const SOURCE_NAMES: Record<ImportResult['source'], string> = {
  strong: 'Strong',
  hevy: 'Hevy',
  json: 'Workout Tracker backup',
};

const EXPORTS: { format: ExportFormat; label: string }[] = [
  { format: 'json', label: 'JSON backup' },
  { format: 'strong', label: 'Strong CSV' },
  { format: 'hevy', label: 'Hevy CSV' },
];

/** More skipped rows than this are folded away behind a "show" toggle. */
const ROWS_SHOWN_OPEN = 5;

const TOO_LARGE =
  'This file is larger than 20 MB, the most that can be imported at once. Export a shorter date range and import the parts one after another.';

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;
}

/** The bytes sent, then for a large file the server's reading and writing of it. */
interface Progress {
  stage: 'upload' | 'read' | 'write';
  done: number;
  total: number;
}

function progressOf(job: ImportJob): Progress {
  if (job.rows_total === null) {
    return { stage: 'read', done: job.bytes_done, total: job.bytes_total };
  }
  return { stage: 'write', done: job.rows_done, total: job.rows_total };
}

function progressLabel(progress: Progress, fileName: string, dryRun: boolean): string {
  const percent = Math.round((100 * progress.done) / Math.max(progress.total, 1));
  if (progress.stage === 'upload') return `Uploading ${fileName} · ${percent}%`;
  if (progress.stage === 'read') return `Reading ${fileName} · ${percent}%`;
  if (dryRun) return `Comparing ${plural(progress.total, 'set')} with your log`;
  return `Saving sets: ${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')} · ${percent}%`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => window.setTimeout(resolve, ms));
}

interface Failure {
  message: string;
  rows: RowSkipped[];
  signIn: boolean;
}

function failureOf(error: unknown): Failure {
  if (error instanceof ImportJobFailure)
    return { message: error.message, rows: error.rows, signIn: false };
  if (error instanceof ApiError && error.kind === 'http') {
    const rows = error instanceof ImportError ? error.rows : [];
    if (error.status === 413) return { message: TOO_LARGE, rows, signIn: false };
    if (error.status === 401)
      return {
        message: 'Your session has expired: sign in again, then import the file.',
        rows,
        signIn: true,
      };
    if (error.status === 400 || error.status === 422)
      return {
        message: `This file cannot be read${error.detail ? `: ${error.detail}` : '.'}`,
        rows,
        signIn: false,
      };
  }
  return { message: errorMessage(error), rows: [], signIn: false };
}

export default function ImportPage() {
  const { session } = useAuth();
  if (!session) {
    return (
      <section className="narrow">
        <h1 tabIndex={-1}>Import and export</h1>
        <p>
          <Link to="/sign-in" remember>
            Sign in
          </Link>{' '}
          to import your history from Strong or Hevy, or to download your log.
        </p>
      </section>
    );
  }
  return (
    <section className="narrow import-page">
      <h1 tabIndex={-1}>Import and export</h1>
      <ImportForm />
      <ExportPanel />
    </section>
  );
}

function ImportForm() {
  const { store } = useAuth();
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState<ImportSource>('auto');
  const [unit, setUnit] = useState<WeightUnit>(() => loadSettings().unit);
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [zones] = useState(timeZones);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [dryRunning, setDryRunning] = useState(false);
  const mounted = useRef(true);
  const busy = progress !== null;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  function changed() {
    setPreview(null);
    setDone(null);
    setFailure(null);
  }

  async function send(dryRun: boolean) {
    if (!file) {
      setFailure({ message: 'Choose the export file first.', rows: [], signIn: false });
      fileInput.current?.focus();
      return;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      setFailure({
        message: `${TOO_LARGE} (This one is ${megabytes(file.size)}.)`,
        rows: [],
        signIn: false,
      });
      return;
    }
    setFailure(null);
    setDone(null);
    setDryRunning(dryRun);
    setProgress({ stage: 'upload', done: 0, total: file.size });
    try {
      const answer = await store.withToken((token) =>
        importFile(apiClient, token, file, {
          source,
          weightUnit: unit,
          timezone: timezone.trim() || 'UTC',
          dryRun,
          onProgress: (done, total) => setProgress({ stage: 'upload', done, total }),
        }),
      );
      const result = 'result' in answer ? answer.result : await follow(answer.job);
      if (dryRun) setPreview(result);
      else {
        setPreview(null);
        setDone(result);
      }
    } catch (error) {
      setFailure(failureOf(error));
    } finally {
      setProgress(null);
    }
  }

  /** A large file is imported in the background: poll it until it has finished. */
  async function follow(started: ImportJob): Promise<ImportResult> {
    let job = started;
    while (job.status === 'running') {
      setProgress(progressOf(job));
      await delay(POLL_INTERVAL_MS);
      if (!mounted.current) throw new DOMException('The page was left.', 'AbortError');
      job = await store.withToken((token) => fetchImportJob(apiClient, token, started.id));
    }
    if (job.status === 'failed' || !job.result) throw new ImportJobFailure(job);
    return job.result;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void send(true);
  }

  const percent = progress ? Math.round((100 * progress.done) / Math.max(progress.total, 1)) : 0;
  return (
    <section aria-labelledby={`${id}-import`} className="import-section">
      <h2 id={`${id}-import`}>Import from Strong or Hevy</h2>
      <p className="muted">
        In Strong: Settings › Export data. In Hevy: Settings › Export &amp; import data › Export
        workouts. Preview first: nothing is saved until you press Import. Workouts you already have
        are skipped, so importing the same file twice is safe.
      </p>
      <form onSubmit={submit} className="import-form">
        <label>
          Export file (CSV or JSON, up to 20 MB)
          <input
            ref={fileInput}
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              changed();
            }}
          />
        </label>
        <label>
          Format
          <select
            value={source}
            onChange={(event) => {
              setSource(event.target.value as ImportSource);
              changed();
            }}
          >
            {SOURCES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="import-unit">
          <legend>Weights in the file are in</legend>
          {(['kg', 'lb'] as const).map((choice) => (
            <label key={choice} className="choice">
              <input
                type="radio"
                name={`${id}-unit`}
                value={choice}
                checked={unit === choice}
                onChange={() => {
                  setUnit(choice);
                  changed();
                }}
              />{' '}
              {choice === 'kg' ? 'Kilograms (kg)' : 'Pounds (lb)'}
            </label>
          ))}
          <p className="muted hint">Used when the file does not say its unit.</p>
        </fieldset>
        <label>
          Time zone of the workouts
          <input
            value={timezone}
            aria-describedby={`${id}-zone-hint`}
            list={zones.length > 0 ? `${id}-zones` : undefined}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => {
              setTimezone(event.target.value);
              changed();
            }}
          />
        </label>
        <p id={`${id}-zone-hint`} className="muted hint zone-hint">
          Strong and Hevy write times without a zone: choose the one you trained in.
        </p>
        {zones.length > 0 ? (
          <datalist id={`${id}-zones`}>
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          Preview import
        </button>
      </form>

      {progress ? (
        <div className="upload-progress">
          <label htmlFor={`${id}-progress`}>
            {progressLabel(progress, file?.name ?? 'the file', dryRunning)}
          </label>
          <progress id={`${id}-progress`} max={100} value={percent} />
        </div>
      ) : null}

      <div aria-live="polite" role="status" className="import-live">
        {preview ? (
          <ImportPreview
            result={preview}
            onConfirm={() => void send(false)}
            busy={busy}
            fileName={file?.name ?? ''}
          />
        ) : null}
        {done ? <ImportDone result={done} /> : null}
      </div>
      <div role="alert" className="import-alert">
        {failure ? (
          <div className="alert alert-error">
            <p>{failure.message}</p>
            {failure.signIn ? (
              <p>
                <Link to="/sign-in" remember>
                  Sign in
                </Link>
              </p>
            ) : null}
            {failure.rows.length > 0 ? <SkippedRows rows={failure.rows} /> : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}

function Counts({ result }: { result: ImportResult }) {
  const created = result.dry_run ? 'To import' : 'Imported';
  return (
    <dl className="import-counts">
      <div>
        <dt>Workouts in the file</dt>
        <dd>{result.workouts_found.toLocaleString('en')}</dd>
      </div>
      <div>
        <dt>{created}</dt>
        <dd>{plural(result.workouts_created, 'workout')}</dd>
      </div>
      <div>
        <dt>Sets</dt>
        <dd>{result.sets_created.toLocaleString('en')}</dd>
      </div>
      <div>
        <dt>Already in your log</dt>
        <dd>{plural(result.duplicates_skipped, 'workout')}</dd>
      </div>
    </dl>
  );
}

function NameList({ title, names }: { title: string; names: string[] }) {
  if (names.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <ul className="name-list">
        {names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
    </>
  );
}

function sameNames(a: string[], b: string[]): boolean {
  const left = [...a].sort();
  const right = [...b].sort();
  return left.length === right.length && left.every((name, index) => name === right[index]);
}

/** Exercise names the library does not know, and the custom exercises made for them. */
function Exercises({ result }: { result: ImportResult }) {
  const created = result.templates_created;
  const unmatched = result.unmatched_names;
  return (
    <>
      <NameList title={`New custom exercises (${created.length})`} names={created} />
      {sameNames(created, unmatched) ? null : (
        <NameList title={`Not found in the library (${unmatched.length})`} names={unmatched} />
      )}
      {unmatched.length > 0 ? (
        <p className="muted hint">
          A name that matches nothing in the exercise library (by name or alias) becomes one of your
          own exercises.
        </p>
      ) : null}
    </>
  );
}

function SkippedRows({ rows }: { rows: RowSkipped[] }) {
  const list = (
    <ul className="skipped-rows">
      {rows.map((row) => (
        <li key={`${row.line}-${row.reason}`}>
          <span className="skipped-line">Line {row.line}</span> {row.reason}
        </li>
      ))}
    </ul>
  );
  const title = `${plural(rows.length, 'row')} not imported`;
  if (rows.length <= ROWS_SHOWN_OPEN) {
    return (
      <>
        <h4>{title}</h4>
        {list}
      </>
    );
  }
  return (
    <details className="skipped-details">
      <summary>{title}: show which and why</summary>
      {list}
    </details>
  );
}

function ImportPreview({
  result,
  onConfirm,
  busy,
  fileName,
}: {
  result: ImportResult;
  onConfirm: () => void;
  busy: boolean;
  fileName: string;
}) {
  const id = useId();
  return (
    <section className="import-result" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Preview: {SOURCE_NAMES[result.source]} export</h3>
      <p className="muted">{fileName} · nothing is saved yet.</p>
      <Counts result={result} />
      <Exercises result={result} />
      {result.rows_skipped.length > 0 ? (
        <>
          <SkippedRows rows={result.rows_skipped} />
          <p className="muted hint">Import leaves these rows out and imports the rest.</p>
        </>
      ) : null}
      {result.workouts_created > 0 ? (
        <button type="button" className="primary big" onClick={onConfirm} disabled={busy}>
          Import
        </button>
      ) : (
        <p>
          <strong>Nothing new to import:</strong> every workout in this file is already in your log.
        </p>
      )}
    </section>
  );
}

function ImportDone({ result }: { result: ImportResult }) {
  const id = useId();
  return (
    <section className="import-result import-done" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        Imported {plural(result.workouts_created, 'workout')} with{' '}
        {plural(result.sets_created, 'set')}
      </h3>
      <Counts result={result} />
      <Exercises result={result} />
      {result.rows_skipped.length > 0 ? <SkippedRows rows={result.rows_skipped} /> : null}
      <p>
        <Link to="/history" className="button-link">
          See them in History
        </Link>
      </p>
    </section>
  );
}

function ExportPanel() {
  const { store } = useAuth();
  const id = useId();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function download(format: ExportFormat) {
    setBusy(format);
    setFailure(null);
    setNotice(null);
    try {
      const { blob, filename } = await store.withToken((token) =>
        downloadExport(apiClient, token, format),
      );
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      // The browser has taken the file; the object URL is not needed after this turn.
      window.setTimeout(() => URL.revokeObjectURL(url), 0);
      setNotice(`Downloaded ${filename}.`);
    } catch (error) {
      setFailure(failureOf(error).message);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby={`${id}-export`} className="import-section">
      <h2 id={`${id}-export`}>Export your log</h2>
      <p className="muted">
        All your workouts as a file: the JSON backup can be imported here again; the CSV files open
        in Strong, Hevy or a spreadsheet (in your weight unit).
      </p>
      <div className="export-buttons">
        {EXPORTS.map(({ format, label }) => (
          <button
            key={format}
            type="button"
            onClick={() => void download(format)}
            disabled={busy !== null}
          >
            {busy === format ? `Preparing ${label}…` : `Download ${label}`}
          </button>
        ))}
      </div>
      <div role="status" aria-live="polite">
        {notice ? <p className="alert alert-ok">{notice}</p> : null}
      </div>
      <div role="alert">{failure ? <p className="alert alert-error">{failure}</p> : null}</div>
    </section>
  );
}
