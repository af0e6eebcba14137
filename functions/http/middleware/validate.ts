import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { ValidationError, type FieldError } from '../../domain/errors';
import type { RouteDefinition } from '../route';

export interface ValidatedInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

/** Validated input by event: the handler receives the same event object the middleware saw. */
const inputs = new WeakMap<object, ValidatedInput>();

function issuesToErrors(issues: readonly z.core.$ZodIssue[], prefix: string): FieldError[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

function check(schema: z.ZodType | undefined, value: unknown, prefix: string, errors: FieldError[]): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors.push(...issuesToErrors(result.error.issues, prefix));
  return undefined;
}

/**
 * Path, query and body against the route's zod schemas; every failure in one 400 with `errors[]`.
 * Body errors carry the field's own path (`phone`), so a form can show them beside the field;
 * path and query errors are prefixed (`query.limit`).
 */
export function validateRequest(route: RouteDefinition): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      const { event } = request;
      const errors: FieldError[] = [];
      const input: ValidatedInput = {
        params: check(route.params, event.pathParameters ?? {}, 'path', errors),
        query: check(route.query, event.queryStringParameters ?? {}, 'query', errors),
        body: check(route.body, (event as { body?: unknown }).body, '', errors),
      };
      if (errors.length > 0) throw new ValidationError(errors);
      inputs.set(event, input);
    },
  };
}

export function validatedInput(event: APIGatewayProxyEventV2): ValidatedInput {
  const input = inputs.get(event);
  if (!input) throw new Error('validateRequest did not run for this event');
  return input;
}
