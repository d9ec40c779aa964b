import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';

/**
 * `npm run bench -- [orchestration|ingest|all] [flags]`. Logs are quietened before Loom's modules
 * load (the logger reads its level at import), so the output is the figures only.
 */
const USAGE = `usage: tsx bench/run.ts [orchestration|ingest|all] [flags]

orchestration flags:
  --cells N        cells per notebook / activities per plain workflow (default 10)
  --runs N         sequential runs of each side (default 30)
  --warmup N       warm-up runs of each side (default 5)
  --concurrent N   runs in flight for the throughput figure (default 100)
  --worker-concurrency N  activity slots of each worker (default 8)
ingest flags:
  --rows N         rows in the generated CSV (default 1000000)
  --no-pglite      skip the PGlite figure
`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cells: { type: 'string' },
    runs: { type: 'string' },
    warmup: { type: 'string' },
    concurrent: { type: 'string' },
    'worker-concurrency': { type: 'string' },
    rows: { type: 'string' },
    'no-pglite': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function count(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

const which = positionals[0] ?? 'all';
if (values.help || !['orchestration', 'ingest', 'all'].includes(which) || positionals.length > 1) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

process.env.LOOM_LOG_LEVEL ??= 'warn';
Runtime.install({ logger: new DefaultLogger('WARN') });

const { describeMachine } = await import('./stats.js');
console.log(`# Loom benchmarks\n\n${new Date().toISOString()}\n${describeMachine()}\ncommand: tsx bench/run.ts ${process.argv.slice(2).join(' ')}`);

if (which === 'orchestration' || which === 'all') {
  const { benchOrchestration, ORCHESTRATION_DEFAULTS: d } = await import('./orchestration.js');
  await benchOrchestration({
    cells: count('cells', values.cells, d.cells),
    runs: count('runs', values.runs, d.runs),
    warmup: values.warmup === '0' ? 0 : count('warmup', values.warmup, d.warmup),
    concurrent: count('concurrent', values.concurrent, d.concurrent),
    workerConcurrency: count('worker-concurrency', values['worker-concurrency'], d.workerConcurrency),
  });
}
if (which === 'ingest' || which === 'all') {
  const { benchIngest, INGEST_DEFAULTS: d } = await import('./ingest.js');
  await benchIngest({ rows: count('rows', values.rows, d.rows), pglite: !values['no-pglite'] });
}
