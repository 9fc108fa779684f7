// Errors as they cross every boundary (IPC, HTTP, sync): `{ code, message, details }`.
// The UI translates `code` (and, for VALIDATION, each field's issue); `message` is for logs.
import { z } from 'zod';

export const errorCodes = [
  'VALIDATION', // input failed its schema; details.fields lists each failing field
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE', // the central service or SMTP cannot be reached now
  'UNAUTHORIZED',
  'FORBIDDEN',
  'UNKNOWN_OPERATION',
  'TOO_LARGE',
  'BAD_REQUEST',
  'DB_TOO_NEW',
  'UPGRADE_REQUIRED', // the other side speaks a newer protocol: this program must be updated
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const fieldIssueSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

export const errorShape = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorShape = z.infer<typeof errorShape>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toJSON(): ErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static from(error: unknown): AppError {
    if (error instanceof AppError) return error;
    if (error instanceof z.ZodError) return validationError(error);
    const parsed = errorShape.safeParse(error);
    if (parsed.success) return new AppError(parsed.data.code, parsed.data.message, parsed.data.details);
    return new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
  }
}

export function validationError(error: z.ZodError): AppError {
  const fields: FieldIssue[] = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code:
      issue.code === 'custom' ? String((issue as { params?: { i18n?: string } }).params?.i18n ?? 'custom') : issue.code,
    message: issue.message,
  }));
  return new AppError('VALIDATION', 'Input failed validation', { fields });
}

/** True when a value looks like a serialised AppError (what crosses IPC/HTTP). */
export function isErrorShape(value: unknown): value is ErrorShape {
  return errorShape.safeParse(value).success;
}

/** The HTTP status each code travels with (web shell and central service alike). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  UNKNOWN_OPERATION: 404,
  TOO_LARGE: 413,
  BAD_REQUEST: 400,
  DB_TOO_NEW: 409,
  UPGRADE_REQUIRED: 426,
  INTERNAL: 500,
};
