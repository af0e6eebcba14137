import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, ERROR_CATALOGUE, type ErrorCode, type FieldError } from '../domain/errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, as API.md's error table describes them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  errors?: FieldError[];
}

export function problemOf(code: ErrorCode, detail?: string, errors?: FieldError[]): Problem {
  const { status, title } = ERROR_CATALOGUE[code];
  return { type: `/problems/${code}`, title, status, code, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) };
}

export function problemResponse(problem: Problem, retryAfterSeconds?: number): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: {
      'Content-Type': PROBLEM_CONTENT_TYPE,
      ...(retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {}),
    },
    body: JSON.stringify(problem),
  };
}

/** Problem for a thrown AppError. Other errors are the caller's to map (they become `internal`). */
export function problemFromAppError(error: AppError): APIGatewayProxyStructuredResultV2 {
  const detail = error.status >= 500 && error.code !== 'unavailable' ? undefined : error.detail;
  return problemResponse(problemOf(error.code, detail, error.errors), error.retryAfterSeconds);
}
