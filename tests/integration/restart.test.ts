import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signOrganiserToken } from '../../local/jwt';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { call, eventBody } from '../support/test-api';

/** `npm start` as a person runs it: DynamoDB Local with its data on disk under a data folder. */
describe('the local runtime with data on disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-restart-'));
  const start = () => startLocalRuntime({ dataDir, port: 0, tableName: 'linli' });
  let running: LocalRuntime | undefined;

  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps communities, events and the signing key across a restart', async () => {
    running = await start();
    const token = await signOrganiserToken(running.signingKey, 'restart');
    await call(running.url, 'PUT', '/communities/restart/settings', { token, body: { name: '重启社区' } });
    const created = await call(running.url, 'POST', '/communities/restart/events', { token, body: eventBody({ title: '留存' }) });
    expect(created.status).toBe(201);
    await running.stop();
    running = undefined;

    running = await start();
    expect((await call(running.url, 'GET', '/communities/restart')).body.name).toBe('重启社区');
    const event = await call(running.url, 'GET', `/communities/restart/events/${created.body.event.id}`);
    expect(event.body.title).toBe('留存');
    // A token minted before the restart still verifies: the key is kept under the data folder.
    const update = await call(running.url, 'PUT', '/communities/restart/settings', { token, body: { name: '重启社区' } });
    expect(update.status).toBe(200);
  });

  it('refuses a second runtime on the same data folder and says how to share it', async () => {
    expect(running).toBeDefined();
    await expect(start()).rejects.toThrow(/DYNAMODB_ENDPOINT=http:\/\/127\.0\.0\.1:\d+/);
    // Sharing the first one's DynamoDB instead works, and both see the same data.
    const second = await startLocalRuntime({ dataDir, port: 0, tableName: 'linli', dynamodbEndpoint: running!.dynamodbEndpoint });
    try {
      expect((await call(second.url, 'GET', '/communities/restart')).body.name).toBe('重启社区');
    } finally {
      await second.stop();
    }
  });
});
