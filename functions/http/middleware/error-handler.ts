import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError } from '../../domain/errors';
import { logger } from '../../logger';
import { problemFromAppError, problemOf, problemResponse } from '../problem';

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/** Errors thrown by middy's own middlewares carry an HTTP status; map the ones the API names. */
function fromMiddyHttpError(error: Error & { statusCode?: number; expose?: boolean }): AppError | undefined {
  switch (error.statusCode) {
    case 404:
      return new AppError('not_found', { detail: 'No such route' });
    case 405:
      return new AppError('method_not_allowed');
    case 413:
      return new AppError('payload_too_large');
    case 415:
      return new AppError('unsupported_media_type', { detail: 'Send application/json or application/x-www-form-urlencoded' });
    case 422: // middy's JSON parser: malformed JSON or a forbidden key such as __proto__
    case 400:
      return new AppError('validation_failed', { detail: 'The body is not valid JSON', errors: [{ path: '', message: error.message }] });
    default:
      return undefined;
  }
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof Error && typeof (error as { statusCode?: unknown }).statusCode === 'number') {
    return fromMiddyHttpError(error);
  }
  return undefined;
}

/**
 * The one place an error becomes a response: problem+json with a stable code. Registered last so
 * its onError runs first; a raw error (stack, AWS error name, table name) never reaches a body.
 */
export function problemErrorHandler(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request: Request) => {
      if (request.response !== undefined && request.error === undefined) return;
      const appError = toAppError(request.error);
      if (appError) {
        if (appError.status >= 500) {
          logger.warn('request failed', { code: appError.code, errorName: errorNameOf(request.error) });
        }
        request.response = problemFromAppError(appError);
        return;
      }
      logger.error('unhandled error', {
        errorName: errorNameOf(request.error),
        errorCode: (request.error as { code?: unknown } | undefined)?.code,
        stack: stackOf(request.error),
      });
      request.response = problemResponse(problemOf('internal'));
    },
  };
}

function errorNameOf(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const name = error instanceof Error ? error.name : typeof error;
  return cause instanceof Error ? `${name} (cause: ${cause.name})` : name;
}

/** Stacks are logged (never returned) without the message, which could quote user input. */
function stackOf(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  return error.stack.split('\n').slice(1).join('\n');
}
