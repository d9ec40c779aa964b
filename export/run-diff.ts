import { createTwoFilesPatch } from 'diff';
import { MIME, type JsonValue } from '../core/mime.js';
import type { CellSnapshot, RunSnapshot } from './types.js';

export interface RunHeader {
  id: string;
  notebook: string;
  version: number;
  status: string;
}

export interface ParamDiff {
  name: string;
  a: JsonValue | null;
  b: JsonValue | null;
  changed: boolean;
}

export interface CellSide {
  status: string;
  durationMs: number | null;
  attempts: number;
  /** Succeeded without an attempt of its own: outputs reused from an earlier run. */
  cached: boolean;
}

export interface CellDiff {
  cellId: string;
  kind: string;
  a: CellSide | null;
  b: CellSide | null;
}

export interface MetricDiff {
  cellId: string;
  name: string;
  a: number | null;
  b: number | null;
  /** b − a, when both are numbers. */
  delta: number | null;
}

export interface ChartDiff {
  cellId: string;
  /** One Vega-Lite spec with both runs' data, told apart by its `run` field. */
  spec: JsonValue;
}

export interface RunComparison {
  a: RunHeader;
  b: RunHeader;
  params: ParamDiff[];
  /** Unified diff of the two notebook versions' sources; empty when both runs used the same text. */
  sourceDiff: string;
  cells: CellDiff[];
  metrics: MetricDiff[];
  charts: ChartDiff[];
}

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

function header(r: RunSnapshot): RunHeader {
  return { id: r.id, notebook: r.notebookName, version: r.notebookVersion, status: r.status };
}

function side(c: CellSnapshot | undefined): CellSide | null {
  if (!c) return null;
  return {
    status: c.status,
    durationMs: c.startedAt && c.finishedAt ? c.finishedAt.getTime() - c.startedAt.getTime() : null,
    attempts: c.attempts.length,
    cached: c.status === 'succeeded' && c.attempts.length === 0,
  };
}

function numbers(c: CellSnapshot | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(c?.result ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out.set(k, v);
  return out;
}

function charts(c: CellSnapshot | undefined): Record<string, JsonValue>[] {
  const out: Record<string, JsonValue>[] = [];
  for (const o of c?.outputs ?? []) {
    const spec = o.data[MIME.vegaLite];
    if (spec && typeof spec === 'object' && !Array.isArray(spec)) out.push(spec);
  }
  return out;
}

function markType(spec: Record<string, JsonValue>): string | undefined {
  const m = spec.mark;
  if (typeof m === 'string') return m;
  if (m && typeof m === 'object' && !Array.isArray(m) && typeof m.type === 'string') return m.type;
  return undefined;
}

function inlineValues(spec: Record<string, JsonValue>): JsonValue[] | undefined {
  const data = spec.data;
  if (data && typeof data === 'object' && !Array.isArray(data) && Array.isArray(data.values)) return data.values;
  return undefined;
}

/**
 * Layers two single-view charts of the same mark: the rows of both, each tagged with its run,
 * coloured by run (or dashed by run when colour already encodes something).
 */
export function combineCharts(a: Record<string, JsonValue>, b: Record<string, JsonValue>, runA: string, runB: string): JsonValue | undefined {
  const mark = markType(a);
  const va = inlineValues(a);
  const vb = inlineValues(b);
  if (!mark || mark !== markType(b) || !va || !vb) return undefined;
  const tag = (rows: JsonValue[], run: string): JsonValue[] =>
    rows.map((r): JsonValue => (r && typeof r === 'object' && !Array.isArray(r) ? { ...r, run } : { value: r, run }));
  const encoding = a.encoding && typeof a.encoding === 'object' && !Array.isArray(a.encoding) ? a.encoding : {};
  const channel = 'color' in encoding ? 'strokeDash' : 'color';
  const spec: Record<string, JsonValue> = {
    ...a,
    data: { values: [...tag(va, runA), ...tag(vb, runB)] },
    encoding: { ...encoding, [channel]: { field: 'run', type: 'nominal', title: 'run' } },
  };
  return spec;
}

/** Everything that differs between two runs, side by side. Pure: works on two loaded snapshots. */
export function compareRunSnapshots(a: RunSnapshot, b: RunSnapshot): RunComparison {
  const names = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])].sort();
  const params = names.map((name) => {
    const va = Object.hasOwn(a.params, name) ? a.params[name]! : null;
    const vb = Object.hasOwn(b.params, name) ? b.params[name]! : null;
    return { name, a: va, b: vb, changed: !same(va, vb) };
  });
  const sourceDiff =
    a.source === b.source
      ? ''
      : createTwoFilesPatch(`${a.notebookName} v${a.notebookVersion}`, `${b.notebookName} v${b.notebookVersion}`, a.source, b.source, a.id, b.id);

  const cellA = new Map(a.cells.map((c) => [c.cellId, c]));
  const cellB = new Map(b.cells.map((c) => [c.cellId, c]));
  const ids = [...a.cells.map((c) => c.cellId), ...b.cells.map((c) => c.cellId).filter((id) => !cellA.has(id))];
  const cells: CellDiff[] = ids.map((id) => ({
    cellId: id,
    kind: (cellA.get(id) ?? cellB.get(id))!.kind,
    a: side(cellA.get(id)),
    b: side(cellB.get(id)),
  }));

  const metrics: MetricDiff[] = [];
  const combined: ChartDiff[] = [];
  for (const id of ids) {
    const na = numbers(cellA.get(id));
    const nb = numbers(cellB.get(id));
    for (const name of [...new Set([...na.keys(), ...nb.keys()])]) {
      const x = na.get(name) ?? null;
      const y = nb.get(name) ?? null;
      metrics.push({ cellId: id, name, a: x, b: y, delta: x !== null && y !== null ? y - x : null });
    }
    const ca = charts(cellA.get(id));
    const cb = charts(cellB.get(id));
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
      const spec = combineCharts(ca[i]!, cb[i]!, a.id, b.id);
      if (spec) combined.push({ cellId: id, spec });
    }
  }
  return { a: header(a), b: header(b), params, sourceDiff, cells, metrics, charts: combined };
}
