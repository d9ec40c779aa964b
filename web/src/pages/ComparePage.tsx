import { useQuery } from '../api/use-query.js';
import { formatNumber } from '../lib/format.js';
import { formatDuration } from '../lib/status.js';
import { Link } from '../router.js';
import { DiffView } from '../components/DiffView.js';
import { VegaChart } from '../components/VegaChart.js';

interface Side { status: string; durationMs: number | null; attempts: number; cached: boolean }
interface Data {
  compareRuns: {
    a: { id: string; notebook: string; version: number; status: string };
    b: { id: string; notebook: string; version: number; status: string };
    params: Array<{ name: string; a: unknown; b: unknown; changed: boolean }>;
    sourceDiff: string;
    cells: Array<{ cellId: string; kind: string; a: Side | null; b: Side | null }>;
    metrics: Array<{ cellId: string; name: string; a: number | null; b: number | null; delta: number | null }>;
    charts: Array<{ cellId: string; spec: unknown }>;
  };
}

const QUERY = `query($a: ID!, $b: ID!) { compareRuns(a: $a, b: $b) {
  a { id notebook version status } b { id notebook version status }
  params { name a b changed } sourceDiff
  cells { cellId kind a { status durationMs attempts cached } b { status durationMs attempts cached } }
  metrics { cellId name a b delta } charts { cellId spec } } }`;

const show = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v));
const side = (s: Side | null) => (s ? `${s.status}${s.cached ? ' (cached)' : ''} · ${formatDuration(s.durationMs) || '—'} · ${s.attempts} attempt${s.attempts === 1 ? '' : 's'}` : 'not in this run');

/** Two runs side by side: params, source diff, cells, metrics with deltas, combined charts. */
export function ComparePage({ a, b }: { a: string; b: string }) {
  const { data, error } = useQuery<Data>(QUERY, { a, b });
  if (error) return <p className="error" role="alert">{error} <Link href={`/runs/${encodeURIComponent(a)}`}>Back to the run</Link></p>;
  if (!data) return <p aria-live="polite">Comparing {a} with {b}…</p>;
  const c = data.compareRuns;
  const changed = c.params.filter((p) => p.changed);
  return (
    <article aria-labelledby="cmp-title" className="compare">
      <div className="page-head"><h1 id="cmp-title">Compare runs of {c.a.notebook}</h1></div>
      <p>
        <span className="run-a">A: <Link href={`/runs/${c.a.id}`}>{c.a.id}</Link> (v{c.a.version}, {c.a.status})</span>{' '}
        <span className="run-b">B: <Link href={`/runs/${c.b.id}`}>{c.b.id}</Link> (v{c.b.version}, {c.b.status})</span>
      </p>
      <section aria-labelledby="cmp-params">
        <h2 id="cmp-params">Params {changed.length > 0 ? `(${changed.length} changed)` : '(same)'}</h2>
        <div className="scroll">
          <table className="list params">
            <thead><tr><th scope="col">Param</th><th scope="col">A</th><th scope="col">B</th></tr></thead>
            <tbody>{c.params.map((p) => <tr key={p.name} className={p.changed ? 'changed' : undefined} data-param={p.name}><th scope="row">{p.name}{p.changed && <span className="badge tone-warn">changed</span>}</th><td><code>{show(p.a)}</code></td><td><code>{show(p.b)}</code></td></tr>)}</tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="cmp-source">
        <h2 id="cmp-source">Notebook source</h2>
        <DiffView diff={c.sourceDiff} />
      </section>
      <section aria-labelledby="cmp-cells">
        <h2 id="cmp-cells">Cells</h2>
        <div className="scroll">
          <table className="list">
            <thead><tr><th scope="col">Cell</th><th scope="col">A</th><th scope="col">B</th></tr></thead>
            <tbody>{c.cells.map((x) => <tr key={x.cellId}><th scope="row"><span className="kind">{x.kind}</span> {x.cellId}</th><td>{side(x.a)}</td><td>{side(x.b)}</td></tr>)}</tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="cmp-metrics">
        <h2 id="cmp-metrics">Metrics</h2>
        {c.metrics.length === 0 ? <p className="muted">Neither run produced numeric results.</p> : (
          <div className="scroll">
            <table className="list metrics">
              <thead><tr><th scope="col">Cell</th><th scope="col">Metric</th><th scope="col">A</th><th scope="col">B</th><th scope="col">B − A</th></tr></thead>
              <tbody>{c.metrics.map((m) => <tr key={`${m.cellId}.${m.name}`}><td>{m.cellId}</td><th scope="row">{m.name}</th><td className="num">{formatNumber(m.a)}</td><td className="num">{formatNumber(m.b)}</td><td className="num">{m.delta === null ? '—' : `${m.delta > 0 ? '+' : ''}${formatNumber(m.delta)}`}</td></tr>)}</tbody>
            </table>
          </div>
        )}
      </section>
      {c.charts.length > 0 && (
        <section aria-labelledby="cmp-charts">
          <h2 id="cmp-charts">Charts</h2>
          {c.charts.map((ch, i) => <div key={i} data-chart-cell={ch.cellId}><h3>{ch.cellId}</h3><VegaChart spec={ch.spec} title={`Chart of ${ch.cellId}, runs A and B`} /></div>)}
        </section>
      )}
    </article>
  );
}
