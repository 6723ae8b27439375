import { HttpException } from '@nestjs/common';

/** One validation problem: where (a dotted path such as `names.ja` or `[3].country`) and what is wrong. */
export interface FieldError {
  path: string;
  message: string;
  /**
   * What kind of problem, for clients that say it in their reader's language: `missing`, `invalid_type`,
   * `too_small`, `too_big`, `invalid_value`, `unrecognized_keys`, `invalid_format`, `not_integer`, `duplicate`,
   * `industry_format`, `extra_cells`; absent for a problem only the message says.
   */
  code?: string;
  /** The figures of the problem (`minimum`, `maximum`, `values`, `keys`, `format`, `expected`, `row`…). */
  params?: Record<string, string | number | string[]>;
}

/** RFC 9457 problem details, as every error response of the API is shaped. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  /** A refusal for rate or lockout: when to try again (also sent as the Retry-After header). */
  retryAfterSeconds?: number;
  [extension: string]: unknown;
}

const TYPE_BASE = 'https://kakehashi.dev/problems/';

/**
 * An error that is rendered as problem+json. `kind` becomes the problem type URI, so clients can branch on it
 * without parsing the human-readable title.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    kind: string,
    title: string,
    detail?: string,
    extensions: Record<string, unknown> = {},
  ) {
    super({ type: TYPE_BASE + kind, title, status, ...(detail ? { detail } : {}), ...extensions }, status);
  }

  get problem(): ProblemDetails {
    return this.getResponse() as ProblemDetails;
  }
}

export const problemType = (kind: string): string => TYPE_BASE + kind;

export class ValidationProblem extends ProblemException {
  constructor(errors: FieldError[], detail = 'The request does not match the expected format.') {
    super(400, 'validation', 'Invalid request', detail, { errors });
  }
}
