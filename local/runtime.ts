import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { resetConfig } from '../functions/config';
import { handler as organiserHandler } from '../functions/entry/organiser';
import { handler as publicHandler } from '../functions/entry/public';
import { handler as volunteerHandler } from '../functions/entry/volunteer';
import { buildOpenApiDocument } from '../functions/http/openapi';
import { jobs } from '../functions/jobs';
import { routes } from '../functions/routes';
import { useOpenApiDocumentSource } from '../functions/routes/public/openapi';
import { addClientPlugin, clearClientPlugins, resetClients } from '../functions/store/client';
import { applyAwsContention, newContentionStats, type ContentionStats } from './contention';
import { acquireDataLock, updateDataLock } from './data-lock';
import { localClient, startDynamoLocal, waitForDynamo, type RunningDynamo } from './dynamodb';
import { useOrganiserKeys } from '../functions/auth/organiser-jwt';
import { createLocalAuthorizer, LOCAL_AUDIENCE, LOCAL_ISSUER, localIssuerKeys, loadOrCreateSettingsKey, loadOrCreateSigningKey, type LocalSigningKey } from './jwt';
import { createLocalServer, runJobLocally } from './server';

/** Connections the local API's accept queue holds (the kernel caps it at net.core.somaxconn, 4096 on current Linux). */
const LISTEN_BACKLOG = 4096;
import { ensureTable } from './table';

export interface LocalRuntimeOptions {
  /** Where DynamoDB Local's file and the JWT signing key live. */
  readonly dataDir: string;
  readonly port: number;
  readonly host?: string;
  readonly tableName: string;
  /** Use this DynamoDB instead of starting DynamoDB Local. */
  readonly dynamodbEndpoint?: string;
  /** Keep DynamoDB Local's data in memory (tests); the signing key still goes to dataDir. */
  readonly inMemory?: boolean;
  /** Run the scheduled jobs on their schedule (off in tests, which trigger them by hand). */
  readonly schedule?: boolean;
  readonly webDir?: string;
}

export interface LocalRuntime {
  readonly url: string;
  readonly dynamodbEndpoint: string;
  readonly signingKey: LocalSigningKey;
  readonly server: Server;
  /** With `DYNAMODB_CONTENTION=aws`: how many writes the contention layer let through or refused. */
  readonly contention?: ContentionStats;
  stop(): Promise<void>;
}

/** Brings up the whole system on this machine: DynamoDB Local, the table, the API, the jobs. */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const dataDir = resolve(options.dataDir);
  let dynamo: RunningDynamo | undefined;
  let releaseLock: (() => void) | undefined;
  let endpoint = options.dynamodbEndpoint;
  if (!endpoint) {
    if (!options.inMemory) releaseLock = acquireDataLock(dataDir, { pid: process.pid, dynamodbEndpoint: 'starting' });
    try {
      dynamo = await startDynamoLocal({ dataDir: options.inMemory ? undefined : resolve(dataDir, 'dynamodb') });
    } catch (error) {
      releaseLock?.();
      throw error;
    }
    endpoint = dynamo.endpoint;
  } else {
    await waitForDynamo(endpoint, 30_000);
  }

  const client = localClient(endpoint);
  await ensureTable(client, options.tableName);
  client.destroy();

  process.env.TABLE_NAME = options.tableName;
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.LINLI_RUNTIME = 'local';
  process.env.SETTINGS_KEY = loadOrCreateSettingsKey(dataDir);
  resetConfig();
  // DYNAMODB_CONTENTION=aws: DynamoDB's conflicts between writes in flight (local/contention.ts).
  clearClientPlugins();
  const contention = process.env.DYNAMODB_CONTENTION === 'aws' ? newContentionStats() : undefined;
  if (contention) addClientPlugin((created) => applyAwsContention(created, contention));
  resetClients();

  // GET /openapi.json: generated from the route table as it is now (on AWS, the committed copy).
  useOpenApiDocumentSource(() => buildOpenApiDocument(routes));
  const signingKey = await loadOrCreateSigningKey(dataDir);
  // Routes a volunteer or an organiser may call check the JWT in the function, as on AWS, against
  // the local issuer: its public key handed over, where AWS fetches the issuer's key set.
  process.env.ORGANISER_JWT_ISSUER = LOCAL_ISSUER;
  process.env.ORGANISER_JWT_AUDIENCE = LOCAL_AUDIENCE;
  useOrganiserKeys(localIssuerKeys(signingKey));
  const server = createLocalServer({
    routes,
    handlers: { public: publicHandler, volunteer: volunteerHandler, organiser: organiserHandler },
    authorize: createLocalAuthorizer(signingKey),
    jobs,
    webDir: options.webDir,
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    // A deep accept queue, as API Gateway takes a rush whole: with Node's default (511) a burst of
    // new connections past it is dropped and retried by the clients' TCP after 1, 3, 7… seconds,
    // which reorders a flash crowd before the API sees it.
    server.listen({ port: options.port, host: options.host ?? '127.0.0.1', backlog: LISTEN_BACKLOG }, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;
  if (releaseLock) updateDataLock(dataDir, { pid: process.pid, dynamodbEndpoint: endpoint, apiUrl: url });

  const timers = options.schedule
    ? jobs.map((job) =>
        setInterval(() => {
          runJobLocally(job).catch((error: Error) => console.error(JSON.stringify({ level: 'ERROR', job: job.name, errorName: error.name })));
        }, job.everyMinutes * 60_000),
      )
    : [];

  return {
    url,
    dynamodbEndpoint: endpoint,
    signingKey,
    contention,
    server,
    stop: async () => {
      timers.forEach(clearInterval);
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      resetClients();
      await dynamo?.stop();
      releaseLock?.();
    },
  };
}
