import type middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AppError } from '../../domain/errors';
import type { RouteDefinition } from '../route';

/** API.md: request bodies over 64 KiB get 413. */
export const MAX_BODY_BYTES = 64 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded(?:\s*;.*)?$/i;

function bodyBytes(event: APIGatewayProxyEventV2): number {
  if (!event.body) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').byteLength : Buffer.byteLength(event.body, 'utf8');
}

/**
 * Size and media-type gate in front of middy's JSON and form parsers: 413 before any parsing,
 * 415 for a media type the route does not take, and an empty body read as `{}` so the schema,
 * not the parser, says which fields are missing.
 */
export function parseBody(route: RouteDefinition): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  const json = httpJsonBodyParser({ disableContentTypeError: true });
  const form = httpUrlencodeBodyParser({ disableContentTypeError: true });
  return {
    before: async (request) => {
      const event = request.event;
      if (!route.body) {
        // Ignored, but null rather than absent: the idempotency layer hashes the body of every POST.
        (event as { body?: unknown }).body = null;
        return;
      }
      if (bodyBytes(event) > MAX_BODY_BYTES) throw new AppError('payload_too_large', { detail: 'The limit is 64 KiB' });
      const contentType = (event.headers['content-type'] ?? '').trim();
      if (!event.body || event.body.length === 0) {
        (event as { body?: unknown }).body = {};
        return;
      }
      if (JSON_TYPE.test(contentType)) {
        event.headers['content-type'] = 'application/json';
        await json.before?.(request as never);
        return;
      }
      if (route.acceptsForm && FORM_TYPE.test(contentType)) {
        await form.before?.(request as never);
        // querystring.parse returns a null-prototype object; give the schema a plain one.
        (event as { body?: unknown }).body = { ...(event.body as unknown as Record<string, unknown>) };
        return;
      }
      throw new AppError('unsupported_media_type', {
        detail: route.acceptsForm
          ? 'Send application/json or application/x-www-form-urlencoded'
          : 'Send application/json',
      });
    },
  };
}
