import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type DomainErrorCode, isDomainError } from '../shared/domain-error.ts';

/**
 * The one place where business error codes become HTTP statuses, HTML pages and JSON bodies
 * (`{ error: { code, message, details } }`). A user never sees a stack trace; developers get it in logs.
 */
const STATUS: Record<DomainErrorCode, ContentfulStatusCode> = {
  not_found: 404,
  invalid_input: 400,
  invalid_file: 422,
  conflict: 409,
  database_locked: 503,
  migrations_pending: 503,
  forbidden: 403,
  payload_too_large: 413,
  unavailable: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

export interface MappedError {
  status: ContentfulStatusCode;
  body: ErrorBody;
  /** True for unexpected errors, which must be logged with their stack. */
  unexpected: boolean;
}

export function mapError(error: unknown): MappedError {
  if (isDomainError(error)) {
    return {
      status: STATUS[error.code],
      body: { error: { code: error.code, message: error.message, details: error.details } },
      unexpected: false,
    };
  }
  const status = (error as { status?: unknown })?.status;
  if (status === 413) {
    return {
      status: 413,
      body: {
        error: { code: 'payload_too_large', message: 'La requête est trop volumineuse.', details: null },
      },
      unexpected: false,
    };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'internal_error',
        message: 'Une erreur inattendue est survenue. Réessayez dans un moment ou appelez le réseau.',
        details: null,
      },
    },
    unexpected: true,
  };
}

export function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/') || c.req.path === '/healthz';
}
