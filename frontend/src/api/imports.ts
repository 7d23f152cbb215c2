/**
 * `POST /imports` (with upload progress), `GET /imports/{id}` (a large file's import running
 * on the server) and `GET /workouts/export` (a download).
 */

import { TRACE_ID } from '../config';
import { ApiError, describeDetail, messageForStatus } from './errors';
import { buildUrl, type HttpClient } from './http';
import type { components, operations } from './generated/workout-api';

type Schemas = components['schemas'];

export type ImportResult = Schemas['ImportResult'];
export type RowSkipped = Schemas['RowSkipped'];
export type UnreadableRows = Schemas['UnreadableRows'];
export type ImportJob = Schemas['ImportJob'];
type ImportQuery = NonNullable<operations['imports-import_history']['parameters']['query']>;
type ExportQuery = NonNullable<operations['imports-export_workouts']['parameters']['query']>;
export type ImportSource = NonNullable<ImportQuery['source']>;
export type ExportFormat = NonNullable<ExportQuery['format']>;

/** The API's limit on one upload (`MAX_FILE_BYTES`). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const UPLOAD_TIMEOUT_MS = 120_000;

/** How often a running import is asked for its progress. */
export const POLL_INTERVAL_MS = 1000;

/**
 * What `POST /imports` answered: the result (200), or for a large file the job importing
 * it in the background (202), to follow with {@link fetchImportJob}.
 */
export type ImportAnswer = { result: ImportResult } | { job: ImportJob };

/** A refused import; `rows` are the unreadable rows when the API listed them (400). */
export class ImportError extends ApiError {
  readonly rows: RowSkipped[];

  constructor(status: number, message: string, detail: string | undefined, rows: RowSkipped[]) {
    super('http', status, message, detail);
    this.name = 'ImportError';
    this.rows = rows;
  }
}

export interface ImportOptions {
  source: ImportSource;
  weightUnit: 'kg' | 'lb';
  timezone: string;
  dryRun: boolean;
  /** Bytes sent so far and the total, as the browser reports them. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Upload an export with XMLHttpRequest, whose `upload.onprogress` reports the bytes sent
 * (fetch cannot report upload progress in browsers today).
 */
export function importFile(
  http: HttpClient,
  token: string,
  file: File,
  options: ImportOptions,
): Promise<ImportAnswer> {
  const url = buildUrl(http.baseUrl, '/imports', {
    source: options.source,
    weight_unit: options.weightUnit,
    timezone: options.timezone,
    dry_run: String(options.dryRun),
    // The preview lists the unreadable rows and Import leaves them out; with `fail` one bad
    // row would refuse the whole file and the preview could never show which rows.
    on_error: 'skip' satisfies ImportQuery['on_error'],
  });
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-Trace-Id', TRACE_ID);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded, event.total);
    };
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status === 202) {
        resolve({ job: body as ImportJob });
        return;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve({ result: body as ImportResult });
        return;
      }
      const detail =
        typeof body === 'object' && body !== null && 'detail' in body
          ? describeDetail((body as { detail: unknown }).detail)
          : undefined;
      const rows =
        xhr.status === 400 && Array.isArray((body as Partial<UnreadableRows>)?.rows_skipped)
          ? (body as UnreadableRows).rows_skipped
          : [];
      reject(
        new ImportError(
          xhr.status,
          messageForStatus(xhr.status, detail, 'Workout API'),
          detail,
          rows,
        ),
      );
    };
    xhr.onerror = () =>
      reject(
        new ApiError(
          'network',
          0,
          'Cannot reach the Workout API. Check your connection and try again.',
        ),
      );
    xhr.ontimeout = () =>
      reject(
        new ApiError(
          'timeout',
          0,
          'The Workout API did not answer within 2 minutes. Please try again.',
        ),
      );
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** A background import that failed: its message is the API's detail, a whole sentence. */
export class ImportJobFailure extends ImportError {
  constructor(job: ImportJob) {
    const detail = job.error?.detail ?? 'The import failed; nothing was imported.';
    super(400, detail, detail, job.error?.rows_skipped ?? []);
    this.name = 'ImportJobFailure';
  }
}

/** `GET /imports/{id}`: the job's status and progress, and its result once finished. */
export async function fetchImportJob(
  http: HttpClient,
  token: string,
  id: string,
): Promise<ImportJob> {
  const { body } = await http.request(`/imports/${encodeURIComponent(id)}`, { token });
  return body as ImportJob;
}

/** The file name from `Content-Disposition: attachment; filename="…"`, else a fallback. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = /filename="?([^";]+)"?/i.exec(header ?? '');
  return match?.[1] ?? fallback;
}

/** The whole export as a file: fetched with the token (a plain link cannot send it). */
export async function downloadExport(
  http: HttpClient,
  token: string,
  format: ExportFormat,
): Promise<{ blob: Blob; filename: string }> {
  let response: Response;
  try {
    response = await fetch(buildUrl(http.baseUrl, '/workouts/export', { format }), {
      headers: { Authorization: `Bearer ${token}`, 'X-Trace-Id': TRACE_ID },
    });
  } catch {
    throw new ApiError(
      'network',
      0,
      'Cannot reach the Workout API. Check your connection and try again.',
    );
  }
  if (!response.ok) {
    let detail: string | undefined;
    try {
      detail = describeDetail(((await response.json()) as { detail?: unknown }).detail);
    } catch {
      detail = undefined;
    }
    throw new ApiError(
      'http',
      response.status,
      messageForStatus(response.status, detail, 'Workout API'),
      detail,
    );
  }
  const extension = format === 'json' ? 'json' : 'csv';
  return {
    blob: await response.blob(),
    filename: attachmentName(
      response.headers.get('content-disposition'),
      `workouts-${format}.${extension}`,
    ),
  };
}
