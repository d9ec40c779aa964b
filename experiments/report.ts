import { MIME, type JsonValue, type MimeBundle } from '../core/mime.js';
import type { MetricResult } from './analysis.js';

/** The abtest cell's outputs: the final result table and lift with its interval over time. Pure. */

export interface SnapshotPoint {
  asOf: string;
  results: MetricResult[];
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null, d = 4) => (x === null ? '–' : x.toFixed(d));

export function resultTable(results: MetricResult[], decision: string, reason: string): MimeBundle {
  const header = ['metric', 'role', 'control n', 'control mean', 'treatment n', 'treatment mean', 'abs. lift', 'abs. CI', 'rel. lift', 'rel. CI', 'p-value', 'e-value', 'verdict'];
  const rows = results.map((m) => {
    const c = m.arms.find((a) => a.arm === 'control');
    const t = m.arms.find((a) => a.arm === 'treatment');
    return [
      m.metric, m.role, String(c?.n ?? 0), num(c?.mean ?? null), String(t?.n ?? 0), num(t?.mean ?? null),
      num(m.absolute), m.absoluteCi ? `[${num(m.absoluteCi[0])}, ${num(m.absoluteCi[1])}]` : '–',
      pct(m.relative), m.ci ? `[${pct(m.ci[0])}, ${pct(m.ci[1])}]` : '–',
      m.pValue === null ? '–' : m.pValue.toPrecision(3), m.eValue === null ? '–' : m.eValue.toPrecision(3), m.verdict,
    ];
  });
  const html = `<table><thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const md = `**Decision: ${decision}** — ${reason}\n\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`;
  return { data: { [MIME.markdown]: md, [MIME.html]: html, [MIME.json]: { decision, reason, metrics: results as unknown as JsonValue } } };
}

/** Vega-Lite: relative lift of each metric over analysis time, with its (always-valid) interval as a band. */
export function liftChart(points: SnapshotPoint[]): MimeBundle {
  const values = points.flatMap((p) => p.results
    .filter((m) => m.relative !== null)
    .map((m) => ({ asOf: p.asOf, metric: m.metric, lift: m.relative, lower: m.ci?.[0] ?? null, upper: m.ci?.[1] ?? null })));
  const spec: JsonValue = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Relative lift (treatment vs control) with confidence interval',
    width: 480,
    height: 240,
    data: { values },
    encoding: {
      x: { field: 'asOf', type: 'temporal', title: 'analysis time' },
      color: { field: 'metric', type: 'nominal' },
    },
    layer: [
      { mark: { type: 'area', opacity: 0.2 }, encoding: { y: { field: 'lower', type: 'quantitative', axis: { format: '%' }, title: 'relative lift' }, y2: { field: 'upper' } } },
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'lift', type: 'quantitative' } } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { datum: 0 } } },
    ],
  };
  return { data: { [MIME.vegaLite]: spec } };
}
