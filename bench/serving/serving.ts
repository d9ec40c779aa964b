// Serving benchmark: predictions/s and latency of `predict` through GraphQL (yoga.fetch and real
// HTTP on loopback) against calling the ONNX Runtime session directly on the same rows.
// Run: npx tsx bench/serving/serving.ts [--iterations-scale N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { parseArgs } from 'node:util';
process.env.LOOM_LOG_LEVEL ??= 'warn';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
const scale = Number(values.scale);

const { openDatabase } = await import('../../db/client.js');
const { applyTransform } = await import('../../features/index.js');
const { loadModel } = await import('../../models/index.js');
const { setAlias } = await import('../../services/models.js');
const { sharedServing } = await import('../../services/serving/index.js');
const { createToken } = await import('../../services/tokens.js');
const { createYoga } = await import('../../graphql/yoga.js');
const { startApiServer } = await import('../../graphql/server.js');
const { Client, Connection } = await import('@temporalio/client');
const { seedTwoVersions } = await import('../../tests/registry/seed-versions.js');
const { testRows, testTransform } = await import('../../tests/registry/fixtures.js');
const { describeMachine, fmt, printTable } = await import('../stats.js');

const QUERY = 'query($rows: JSON!) { predict(model: "intent", rows: $rows) { version predictions { probability label } } }';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** POST over node:http with a keep-alive agent of our own (undici's pool met 408s from the server under load). */
function post(url: string, headers: Record<string, string>, body: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0 })));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

async function measure(iterations: number, batch: number, fn: () => Promise<number>): Promise<{ perSec: number; p50: number; p99: number }> {
  // The first warm-up call may meet a keep-alive socket the server closed while other sides ran.
  await fn().catch(() => undefined);
  for (let i = 0; i < Math.max(5, iterations / 10); i++) await fn();
  const lat: number[] = [];
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const n = await fn();
    lat.push(performance.now() - t0);
    if (n !== batch) throw new Error(`expected ${batch} predictions, got ${n}`);
  }
  const wall = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { perSec: (iterations * batch) / wall, p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-bench-serving-'));
  const db = await openDatabase({});
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const server = await startApiServer({ db, temporal, config: { maxBodyBytes: 8 * 1024 * 1024, graphiql: false }, host: '127.0.0.1', port: 0 });
  try {
    const seeded = await seedTwoVersions(db, dir, 'intent');
    await setAlias({ db }, 'intent', 'champion', seeded.versions[0].id, 'bench');
    const { token } = await createToken({ db }, { name: 'bench', role: 'viewer' });
    const yoga = createYoga({ db, temporal, config: { maxBodyBytes: 8 * 1024 * 1024, graphiql: false } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const direct = await loadModel(seeded.versions[0].artifactPath);
    const transform = testTransform();
    console.log(`Serving benchmark — ${new Date().toISOString()}\nMachine: ${describeMachine()}\n`);
    const table: string[][] = [];
    for (const [batch, iterations] of [[1, 400], [100, 150], [1000, 40]] as const) {
      const rows = testRows(batch, batch);
      const body = JSON.stringify({ query: QUERY, variables: { rows } });
      const prebuilt = applyTransform(transform, rows);
      const gqlCount = async (res: Response) => {
        const text = await res.text();
        if (!text) throw new Error(`empty response, HTTP ${res.status}`);
        const json = JSON.parse(text) as { data?: { predict: { predictions: unknown[] } }; errors?: unknown };
        if (!json.data) throw new Error(JSON.stringify(json.errors));
        return json.data.predict.predictions.length;
      };
      const sides: [string, () => Promise<number>][] = [
        ['ONNX Runtime session, prebuilt batch', async () => (await direct.predict(prebuilt)).length],
        ['ONNX Runtime session + feature transform', async () => (await direct.predict(applyTransform(transform, rows))).length],
        ['Serving.predict (in process, no GraphQL)', async () => (await sharedServing().predict({ db }, 'intent', { alias: 'champion' }, rows)).predictions.length],
        ['GraphQL predict, yoga.fetch', async () => gqlCount(await yoga.fetch('http://bench/graphql', { method: 'POST', headers, body }))],
        ['GraphQL predict, HTTP loopback', async () => gqlCount(await post(server.url, headers, body))],
      ];
      const results = [];
      for (const [name, fn] of sides) results.push({ name, ...(await measure(Math.max(10, Math.round(iterations * scale)), batch, fn)) });
      const base = results[0]!.perSec;
      for (const r of results) table.push([String(batch), r.name, fmt(r.perSec, 0), fmt(r.p50, 3), fmt(r.p99, 3), fmt(r.perSec / base, 3)]);
    }
    printTable(['batch', 'side', 'predictions/s', 'p50 ms', 'p99 ms', 'ratio vs session'], table);
    await direct.release();
  } finally {
    await sharedServing().close();
    await server.close();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

run().then(() => process.exit(0)).catch((err) => {
  console.error(err);
  process.exit(1);
});
