import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createCpuWorker } from '../runtime/workers.js';
import { openDatabase } from '../db/client.js';
import { launchRunFromSource } from '../services/runs.js';
import { createPostgresDatabase } from '../tests/helpers/databases.js';
import { startDevServer } from '../tests/helpers/temporal.js';
import type { RunOutcome } from '../workflows/campaign-run.js';
import type { PlainActivities } from './baseline-workflows.js';
import { BENCH_EXECUTORS, BENCH_KINDS, chainNotebook } from './bench-kinds.js';
import { fmt, now, printTable, summarise } from './stats.js';

export interface OrchestrationOptions {
  /** Cells per Loom notebook = activities per plain workflow. */
  cells: number;
  warmup: number;
  /** Sequential runs of each side (interleaved Loom, plain, Loom, plain…). */
  runs: number;
  /** Runs in flight at once for the throughput figure. */
  concurrent: number;
  /** Activity slots of each worker (Loom's CPU worker and the baseline worker alike). */
  workerConcurrency: number;
}

export const ORCHESTRATION_DEFAULTS: OrchestrationOptions = { cells: 10, warmup: 5, runs: 30, concurrent: 100, workerConcurrency: 8 };

const BASELINE_WORKFLOWS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'baseline-workflows.ts');
const BASELINE_QUEUE = 'bench-plain';

/**
 * Loom's overhead over plain Temporal: one dev server, one Postgres database, a Loom CPU worker
 * running an N-cell chain of no-op cells against a plain worker running N no-op activities.
 */
export async function benchOrchestration(opts: OrchestrationOptions): Promise<void> {
  console.log(`\n## Orchestration: ${opts.cells}-cell chain, ${opts.runs} sequential runs each after ${opts.warmup} warm-up, ${opts.concurrent} concurrent runs each\n`);
  const env = await startDevServer();
  const pg = await createPostgresDatabase();
  const db = await openDatabase({ url: pg.url });
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-bench-'));
  const workers: Worker[] = [];
  const running: Promise<void>[] = [];
  try {
    const namespace = env.namespace ?? 'default';
    const deps = { db, kinds: BENCH_KINDS, executors: BENCH_EXECUTORS, artifactsDir: path.join(tmpDir, 'artifacts'), dataRoots: [tmpDir] };
    const activities: PlainActivities = { step: async (input) => ({ index: input.index, value: `${input.value}.${input.index}` }) };
    // The plain worker first, alone on the server: the baseline's best case.
    const plainWorker = await Worker.create({
      connection: env.nativeConnection,
      namespace,
      taskQueue: BASELINE_QUEUE,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: BASELINE_WORKFLOWS, logger: quietBundler }),
      activities,
      maxConcurrentActivityTaskExecutions: opts.workerConcurrency,
      shutdownGraceTime: '10s',
    });
    workers.push(plainWorker);
    running.push(plainWorker.run());

    const source = chainNotebook(opts.cells);
    const services = { db, temporal: env.client, kinds: BENCH_KINDS };
    let seq = 0;
    const loomRun = async (): Promise<number> => {
      const t0 = now();
      const run = await launchRunFromSource(services, { source, params: {}, launchedBy: 'bench' });
      const outcome = (await env.client.workflow.getHandle(run.id).result()) as RunOutcome;
      const ms = now() - t0;
      if (outcome.status !== 'succeeded' || Object.keys(outcome.results).length !== opts.cells) throw new Error(`Loom run ${run.id} ended ${outcome.status}`);
      return ms;
    };
    const plainRun = async (): Promise<number> => {
      const t0 = now();
      const out = await env.client.workflow.execute('plainChain', { taskQueue: BASELINE_QUEUE, workflowId: `plain-${process.pid}-${seq++}`, args: [opts.cells] });
      const ms = now() - t0;
      if (typeof out !== 'string' || out.split('.').length !== opts.cells + 1) throw new Error(`plain run returned ${String(out)}`);
      return ms;
    };

    for (let i = 0; i < opts.warmup; i++) await plainRun();
    const aloneMs: number[] = [];
    for (let i = 0; i < opts.runs; i++) aloneMs.push(await plainRun());
    const alone = summarise(aloneMs);

    const loomWorker = await createCpuWorker({ connection: env.nativeConnection, namespace, deps, concurrency: opts.workerConcurrency });
    workers.push(loomWorker);
    running.push(loomWorker.run());

    for (let i = 0; i < opts.warmup; i++) {
      await loomRun();
      await plainRun();
    }
    const loomMs: number[] = [];
    const plainMs: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      loomMs.push(await loomRun());
      plainMs.push(await plainRun());
    }
    const loom = summarise(loomMs);
    const plain = summarise(plainMs);
    // Ratios are taken against the faster of the two plain measurements.
    const best = alone.mean <= plain.mean ? alone : plain;
    const bestName = best === alone ? 'plain Temporal, worker alone' : 'plain Temporal, beside Loom';

    const throughput = async (one: () => Promise<number>): Promise<{ perSecond: number; wallMs: number; p95: number }> => {
      const t0 = now();
      const each = await Promise.all(Array.from({ length: opts.concurrent }, () => one()));
      const wallMs = now() - t0;
      return { perSecond: (opts.concurrent / wallMs) * 1000, wallMs, p95: summarise(each).p95 };
    };
    const loomTp = await throughput(loomRun);
    const plainTp = await throughput(plainRun);

    console.log('Sequential latency per run (ms), end to end: start request to workflow result\n');
    printTable(
      ['side', 'runs', 'mean', 'p50', 'p95', 'min', 'max', `per cell (mean / ${opts.cells})`],
      [
        ['plain Temporal, worker alone', String(alone.n), fmt(alone.mean), fmt(alone.p50), fmt(alone.p95), fmt(alone.min), fmt(alone.max), fmt(alone.mean / opts.cells, 2)],
        ['plain Temporal, beside Loom', String(plain.n), fmt(plain.mean), fmt(plain.p50), fmt(plain.p95), fmt(plain.min), fmt(plain.max), fmt(plain.mean / opts.cells, 2)],
        ['Loom', String(loom.n), fmt(loom.mean), fmt(loom.p50), fmt(loom.p95), fmt(loom.min), fmt(loom.max), fmt(loom.mean / opts.cells, 2)],
      ],
    );
    console.log(`\nThroughput, ${opts.concurrent} runs in flight\n`);
    printTable(
      ['side', 'runs', 'wall (ms)', 'runs/s', 'p95 latency (ms)'],
      [
        ['plain Temporal', String(opts.concurrent), fmt(plainTp.wallMs, 0), fmt(plainTp.perSecond, 2), fmt(plainTp.p95, 0)],
        ['Loom', String(opts.concurrent), fmt(loomTp.wallMs, 0), fmt(loomTp.perSecond, 2), fmt(loomTp.p95, 0)],
      ],
    );
    const ratio = loom.mean / best.mean;
    console.log(`\nRatio Loom / ${bestName} (strongest baseline), mean sequential latency: ${fmt(ratio, 2)} (p50 ${fmt(loom.p50 / best.p50, 2)}, p95 ${fmt(loom.p95 / best.p95, 2)}); goal <= 1.2: ${ratio <= 1.2 ? 'met' : 'MISSED'}`);
    console.log(`Ratio Loom / plain beside Loom (interleaved), mean: ${fmt(loom.mean / plain.mean, 2)}`);
    console.log(`Loom's own cost per cell: ${fmt((loom.mean - best.mean) / opts.cells, 2)} ms (mean run difference / ${opts.cells})`);
    console.log(`Ratio Loom / plain, throughput: ${fmt(loomTp.perSecond / plainTp.perSecond, 2)}`);
  } finally {
    for (const w of workers) w.shutdown();
    await Promise.allSettled(running);
    await db.close();
    await env.teardown();
    await pg.drop();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

const noop = () => {};
const quietBundler = { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m), log: noop };
