import type { Command } from 'commander';
import Table from 'cli-table3';
import { loadConfig } from '../../config.js';
import { openDatabaseFromConfig } from '../../runtime/stack.js';
import { compareRuns, type RunComparison } from '../../services/compare.js';
import { checkRunId } from '../../services/export/index.js';
import { say } from '../lifecycle.js';

const secs = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(1)}s`);
const num = (n: number | null) => (n === null ? '—' : Number.isInteger(n) ? String(n) : n.toPrecision(6).replace(/\.?0+$/, ''));
const val = (v: unknown) => (v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The comparison as terminal tables: params, cells, metrics, then the notebook diff. */
export function formatComparison(c: RunComparison): string {
  const out: string[] = [`A ${c.a.id}  ${c.a.notebook} v${c.a.version}  ${c.a.status}`, `B ${c.b.id}  ${c.b.notebook} v${c.b.version}  ${c.b.status}`];
  const params = new Table({ head: ['param', 'A', 'B', ''], style: { head: [], border: [] } });
  for (const p of c.params) params.push([p.name, val(p.a), val(p.b), p.changed ? 'changed' : '']);
  if (c.params.length > 0) out.push(params.toString());
  const cells = new Table({ head: ['cell', 'kind', 'A status', 'A time', 'A attempts', 'B status', 'B time', 'B attempts'], style: { head: [], border: [] } });
  for (const x of c.cells) {
    const side = (s: typeof x.a) => (s ? [s.cached ? `${s.status} (cached)` : s.status, secs(s.durationMs), String(s.attempts)] : ['—', '—', '—']);
    cells.push([x.cellId, x.kind, ...side(x.a), ...side(x.b)]);
  }
  out.push(cells.toString());
  if (c.metrics.length > 0) {
    const metrics = new Table({ head: ['cell', 'metric', 'A', 'B', 'B − A'], style: { head: [], border: [] } });
    for (const m of c.metrics) metrics.push([m.cellId, m.name, num(m.a), num(m.b), m.delta === null ? '—' : `${m.delta > 0 ? '+' : ''}${num(m.delta)}`]);
    out.push(metrics.toString());
  }
  out.push(c.sourceDiff ? c.sourceDiff : 'same notebook source');
  if (c.charts.length > 0) out.push(`${c.charts.length} combined chart(s) in GraphQL compareRuns { charts }`);
  return out.join('\n');
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('compare two runs: params, notebook version, cells, metrics')
    .argument('<runA>', 'run id')
    .argument('<runB>', 'run id')
    .action(async (a: string, b: string) => {
      checkRunId(a);
      checkRunId(b);
      const { db, release } = await openDatabaseFromConfig(loadConfig());
      try {
        say(formatComparison(await compareRuns({ db }, a, b)));
      } finally {
        await db.close();
        release();
      }
    });
}
