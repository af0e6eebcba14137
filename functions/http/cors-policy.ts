/**
 * CORS, declared once: the CDK stack gives it to API Gateway (which answers preflight there),
 * the local server answers preflight with it, and the handlers add it to every response.
 * `WEB_ORIGINS` is a comma-separated list; unset means any origin (the local default).
 */
export const CORS_POLICY = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Manage-Token'],
  exposeHeaders: ['Retry-After'],
  maxAgeSeconds: 600,
} as const;

export function allowedOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.WEB_ORIGINS?.trim();
  return raw ? raw.split(',').map((origin) => origin.trim()).filter(Boolean) : ['*'];
}
