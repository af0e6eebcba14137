import { setClock } from '../../functions/clock';

/**
 * The fixed-instant projects of jest.config.js: each test file's clock starts at the project's
 * `LINLI_NOW` (the services, the jobs, the local authorizer and, through tests/support/browser.ts,
 * the pages all read it) and runs on from there.
 */
const at = (globalThis as { LINLI_NOW?: string }).LINLI_NOW;
if (at) setClock(at);
