/**
 * HTTP error vocabulary: handlers throw `HttpError` (or let a ZodError escape) and the error middleware
 * turns it into `{ error: { code, message, fields? } }` with the right status. Anything unexpected is
 * logged and answered 500 without internals.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';

export interface FieldProblem {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** One problem per field (the first zod found), named by its dotted path. */
export function fieldsOf(error: ZodError, prefix?: string): FieldProblem[] {
  const problems = error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
  return problems.filter((p, i) => problems.findIndex((q) => q.field === p.field) === i);
}

export function validationError(error: ZodError, where: 'body' | 'query' | 'params'): HttpError {
  const fields = fieldsOf(error);
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new HttpError(400, 'validation_failed', `Invalid ${where}: ${summary}`, {}, fields);
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};

export function errorHandler(logger: { error: (obj: object, msg: string) => void }): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    // Part of the answer is out already: Express closes the connection.
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof ZodError) err = validationError(err, 'body');
    // A malformed percent-encoding in the path (Express decodes parameters) is the client's mistake.
    if (err instanceof URIError) err = new HttpError(400, 'malformed_uri', 'The address has a malformed %-encoding.');
    if (err instanceof HttpError) {
      res.status(err.status).json({
        error: {
          code: err.code,
          message: err.message,
          ...(err.fields.length ? { fields: err.fields } : {}),
          ...err.details,
        },
      });
      return;
    }
    const status =
      (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      // body-parser errors: malformed JSON, payload too large, wrong charset.
      const message = (err as Error).message || 'Bad request';
      const type = (err as { type?: string }).type;
      res.status(status).json({
        error: { code: type === 'entity.parse.failed' ? 'malformed_json' : (type ?? 'bad_request'), message },
      });
      return;
    }
    logger.error({ err }, 'unhandled error');
    res
      .status(500)
      .json({ error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' } });
  };
}
