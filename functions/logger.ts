import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The process's structured JSON logger (Powertools). What goes in: routes, codes, ids, timings.
 * What never does: request bodies, names, phone numbers, tokens or anything else a resident typed.
 */
export const logger = new Logger({
  serviceName: 'linli',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? (process.env.NODE_ENV === 'test' ? 'SILENT' : 'INFO'),
});
