/** One error type for every failed call, carrying the message a user should read. */

export type FailureKind = 'http' | 'timeout' | 'network';

export class ApiError extends Error {
  readonly status: number;
  readonly kind: FailureKind;
  readonly detail: string | undefined;

  constructor(kind: FailureKind, status: number, message: string, detail?: string) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.detail = detail;
  }
}

interface ValidationIssue {
  loc?: (string | number)[];
  msg?: string;
}

/** FastAPI's `detail` is a string, or a list of validation issues for 422. */
export function describeDetail(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    const parts = (detail as ValidationIssue[]).map((issue) => {
      const field = (issue.loc ?? []).filter((part) => part !== 'body' && part !== 'query');
      const where = field.length > 0 ? `${field.join('.')}: ` : '';
      return `${where}${issue.msg ?? 'invalid value'}`;
    });
    return parts.join('; ');
  }
  return undefined;
}

/** The sentence shown for a failed response: what happened and what the user can do. */
export function messageForStatus(
  status: number,
  detail: string | undefined,
  service: string,
): string {
  const because = detail ? ` (${detail})` : '';
  if (status === 400) return detail ?? 'The request was not accepted.';
  if (status === 401)
    return `Please sign in again: your session is missing or has expired${because}.`;
  if (status === 403) return `Your account is not allowed to do this${because}.`;
  if (status === 404) return `Not found: it may have been deleted in the meantime${because}.`;
  if (status === 409)
    return detail ?? 'This conflicts with the current data; reload and try again.';
  if (status === 422) return `Please check the values you entered${detail ? `: ${detail}` : ''}.`;
  if (status === 429) return 'Too many requests: please wait a minute and try again.';
  if (status >= 500) {
    return `The ${service} had a problem (HTTP ${status}). Please try again shortly${because}.`;
  }
  return detail ?? `The ${service} answered with HTTP ${status}.`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
