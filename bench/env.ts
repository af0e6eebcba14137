/**
 * Imported first by bench/run.ts, so that these are set before any application module reads them
 * (the Powertools logger reads LOG_LEVEL when it is imported).
 *
 * - The public rate limit (per client address) is off: every load request comes from 127.0.0.1.
 * - The bench process itself logs nothing per request; the API server it measures runs in a child
 *   process (bench/server.ts) with the default INFO request log, as on Lambda.
 */
process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
process.env.LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_SERVICE_NAME = 'linli';

export {};
