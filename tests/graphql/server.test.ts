import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { startApiServer, type ApiServer } from '../../graphql/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { idleTemporalClient, tokenFor } from './client.js';
import { seedRuns } from './seed.js';

describe('API server over real HTTP', () => {
  let t: TestDatabase;
  let api: ApiServer;
  let token: string;

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    token = await tokenFor(t.db, 'viewer');
    api = await startApiServer({
      db: t.db,
      temporal: idleTemporalClient(),
      config: { maxBodyBytes: 64 * 1024, graphiql: true },
      host: '127.0.0.1',
      port: 0,
    });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('serves queries at the printed url', async () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(await res.json()).toEqual({ data: { me: { role: 'viewer' } } });
  });

  it('serves GraphiQL to browsers when enabled', async () => {
    const res = await fetch(api.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/graphiql/i);
  });

  it('answers an oversized upload with 413 without reading it all', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024), authorization: `Bearer ${token}` },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err) => (String(err).includes('EPIPE') || String(err).includes('ECONNRESET') ? undefined : reject(err)));
      req.write('{"query": "');
      req.write('x'.repeat(128 * 1024));
    });
    expect(status).toBe(413);
  });

  it('closes gracefully, ending open subscriptions', async () => {
    const [runId] = await seedRuns(t.db, { runs: 1, cells: 1 });
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `subscription { runUpdated(id: "${runId}") { status } }` }),
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/running|:/);
    const started = Date.now();
    await api.close();
    await reader.read().catch(() => undefined);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(fetch(api.url)).rejects.toThrow();
  });
});
