/**
 * Experiments benchmark, run with `npx tsx bench/experiments/analysis.ts [--events N] [--intake N]`.
 *
 * 1. Analysis: N events for N/10 exposed customers across 2 arms, loaded with COPY into a fresh
 *    Postgres database. Loom's full analysis (SQL aggregation of the primary metric with its
 *    CUPED covariate, the exposure count for SRM, the statistics engine, the snapshot write)
 *    against the floor: the single aggregate query that computes the same sufficient statistics.
 * 2. Intake: events/second through `recordEvents` (validation + batched INSERT … ON CONFLICT) vs
 *    COPY of the same events into the same table.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createPostgresDatabase } from '../../tests/helpers/databases.js';
import { openDatabase, quoteIdent, type Database } from '../../db/client.js';
import { createExperiment } from '../../services/experiments/store.js';
import { recordEvents, MAX_EVENT_BATCH } from '../../services/experiments/events.js';
import { analyzeExperimentOnce } from '../../activities/experiments/analyze.js';
import { buildMetricQuery } from '../../experiments/metrics.js';
import { metricSpecSchema } from '../../kinds/abtest.js';

const { values } = parseArgs({ options: { events: { type: 'string' }, intake: { type: 'string' }, runs: { type: 'string' } } });
const EVENTS = Number(values.events ?? 1_000_000);
const INTAKE = Number(values.intake ?? 200_000);
const RUNS = Number(values.runs ?? 5);
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

function* rng(seed: number) {
  let s = seed >>> 0;
  for (;;) yield (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

async function load(db: Database, experimentId: string, customers: number, events: number): Promise<void> {
  const r = rng(1);
  const next = () => r.next().value as number;
  const exposedAt = (i: number) => START + ((i * 7919) % (14 * DAY));
  await db.copyFrom(quoteIdent('experiment_exposures'), ['experiment_id', 'customer_id', 'arm', 'first_exposed_at'].map(quoteIdent), (async function* () {
    let b = '';
    for (let i = 0; i < customers; i++) {
      b += `${experimentId},c${i},${i % 2 ? 'treatment' : 'control'},${new Date(exposedAt(i)).toISOString()}\n`;
      if (b.length > 1 << 20) { yield b; b = ''; }
    }
    yield b;
  })());
  await db.copyFrom(quoteIdent('customer_events'), ['customer_id', 'type', 'value', 'occurred_at', 'idempotency_key'].map(quoteIdent), (async function* () {
    let b = '';
    for (let i = 0; i < events; i++) {
      const c = Math.floor(next() * customers);
      const type = next() < 0.3 ? 'purchase' : next() < 0.85 ? 'visit' : 'review';
      const at = exposedAt(c) + Math.floor((next() * 44 - 14) * DAY);
      b += `c${c},${type},${(next() * 200).toFixed(2)},${new Date(at).toISOString()},k${i}\n`;
      if (b.length > 1 << 20) { yield b; b = ''; }
    }
    yield b;
  })());
  await db.query('ANALYZE experiment_exposures');
  await db.query('ANALYZE customer_events');
}

/** Median of `runs` timings of each side, interleaved so drift on a shared machine hits both alike. */
async function timeBoth(runs: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  await a(); // warm-up: plans and caches
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, out] of (i % 2 ? [[b, tb], [a, ta]] : [[a, ta], [b, tb]]) as [() => Promise<unknown>, number[]][]) {
      const t = performance.now();
      await fn();
      out.push(performance.now() - t);
    }
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [median(ta), median(tb)];
}

async function main() {
  const pg = await createPostgresDatabase();
  const db = await openDatabase({ url: pg.url });
  try {
    const metric = metricSpecSchema.parse({ type: 'revenue', days: 14, cap: { value: 500 } });
    const { experiment } = await createExperiment({ db }, {
      name: 'bench', modelName: null, runId: 'bench', cellId: 'ab',
      config: { metric, guardrails: [], alpha: 0.05, sequential: { nStar: 5000 }, cuped: true },
      arms: [{ name: 'control', weight: 1, modelAlias: null, modelVersionId: null }, { name: 'treatment', weight: 1, modelAlias: null, modelVersionId: null }],
    });
    const customers = Math.max(10, Math.floor(EVENTS / 10));
    let t = performance.now();
    await load(db, experiment.id, customers, EVENTS);
    const loadS = (performance.now() - t) / 1000;
    const asOf = START + 28 * DAY;
    const q = buildMetricQuery(experiment.id, new Date(asOf), metric);
    const [floor, loom] = await timeBoth(RUNS,
      () => db.query(q.text, q.params),
      () => analyzeExperimentOnce(db, { experimentId: experiment.id, asOfMs: asOf, elapsedMs: 28 * DAY, minDurationMs: 7 * DAY, maxDurationMs: 28 * DAY }));

    // Intake: fresh rows each side, the same content.
    const now = new Date(START + 60 * DAY);
    const make = (prefix: string) => Array.from({ length: INTAKE }, (_, i) => ({ customerId: `c${i % customers}`, type: i % 3 ? 'visit' : 'purchase', value: i % 97, occurredAt: new Date(START + (i % (30 * DAY))).toISOString(), idempotencyKey: `${prefix}${i}` }));
    const viaApi = make('api-');
    t = performance.now();
    for (let i = 0; i < viaApi.length; i += MAX_EVENT_BATCH) await recordEvents({ db }, viaApi.slice(i, i + MAX_EVENT_BATCH), { now });
    const apiS = (performance.now() - t) / 1000;
    const viaCopy = make('copy-');
    t = performance.now();
    await db.copyFrom(quoteIdent('customer_events'), ['customer_id', 'type', 'value', 'occurred_at', 'idempotency_key'].map(quoteIdent), (async function* () {
      let b = '';
      for (const e of viaCopy) {
        b += `${e.customerId},${e.type},${e.value},${e.occurredAt},${e.idempotencyKey}\n`;
        if (b.length > 1 << 20) { yield b; b = ''; }
      }
      yield b;
    })());
    const copyS = (performance.now() - t) / 1000;

    const out = {
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      date: new Date().toISOString(),
      events: EVENTS, customers, loadSeconds: +loadS.toFixed(1),
      floorMs: +floor.toFixed(1), loomMs: +loom.toFixed(1), ratio: +(loom / floor).toFixed(3),
      intake: { events: INTAKE, recordEventsPerS: Math.round(INTAKE / apiS), copyPerS: Math.round(INTAKE / copyS), ratio: +((INTAKE / apiS) / (INTAKE / copyS)).toFixed(3) },
    };
    console.log(JSON.stringify(out, null, 1));
  } finally {
    await db.close();
    await pg.drop();
  }
}

await main();
