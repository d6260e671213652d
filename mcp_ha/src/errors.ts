// One error type for the whole service: a code an agent can branch on, the HTTP-like status,
// a message, and a suggestion that says what to do next. Tools turn it into an isError result.
import { z } from 'zod';

export const ErrorCodeSchema = z.enum([
  'invalid_input', // the caller's arguments are wrong
  'entity_not_found',
  'service_not_found',
  'not_found', // any other missing thing (area, automation id, audit entry...)
  'validation_error', // Home Assistant or our validator refused the data
  'conflict', // the object changed since it was read, or already exists (config edits)
  'policy_denied', // the service policy refused the call
  'read_only',
  'confirmation_required',
  'confirmation_invalid',
  'unauthorized', // Home Assistant refused the token
  'forbidden',
  'ha_unreachable', // no connection to Home Assistant
  'ha_timeout',
  'ha_error', // Home Assistant answered with an error we do not map more precisely
  'template_error',
  'internal_error',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ToolErrorSchema = z.object({
  error: ErrorCodeSchema,
  status_code: z.number().int(),
  message: z.string(),
  suggestion: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ToolErrorBody = z.infer<typeof ToolErrorSchema>;

const DEFAULT_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  entity_not_found: 404,
  service_not_found: 404,
  not_found: 404,
  validation_error: 400,
  conflict: 409,
  policy_denied: 403,
  read_only: 403,
  confirmation_required: 428,
  confirmation_invalid: 409,
  unauthorized: 401,
  forbidden: 403,
  ha_unreachable: 503,
  ha_timeout: 504,
  ha_error: 502,
  template_error: 400,
  internal_error: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly suggestion: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    suggestion: string,
    opts: { statusCode?: number; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.statusCode = opts.statusCode ?? DEFAULT_STATUS[code];
    this.suggestion = suggestion;
    this.details = opts.details;
  }

  toBody(): ToolErrorBody {
    const body: ToolErrorBody = {
      error: this.code,
      status_code: this.statusCode,
      message: this.message,
      suggestion: this.suggestion,
    };
    if (this.details) body.details = this.details;
    return body;
  }
}

/** Any thrown value as an AppError; unknown failures become internal_error without leaking internals. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError(
    'internal_error',
    'Unexpected internal error.',
    'Retry once; if it persists, check the add-on log.',
    { cause: err },
  );
}
