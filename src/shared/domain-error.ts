/**
 * A business error with a stable code. `http/errors.ts` alone maps codes to HTTP statuses and pages;
 * the CLI maps the same codes to exit codes. `message` is French (shown to users); `details` carries
 * structured context (row, field, value…) for the API and logs.
 */
export type DomainErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'invalid_file'
  | 'conflict'
  | 'database_locked'
  | 'migrations_pending'
  | 'forbidden'
  | 'payload_too_large'
  | 'unavailable';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: unknown;

  constructor(code: DomainErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details ?? null;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
