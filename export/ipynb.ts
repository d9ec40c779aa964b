import { MIME, type JsonValue } from '../core/mime.js';
import type { CellSnapshot, RunSnapshot } from './types.js';

/** nbformat 4.5 notebook, as much of it as Loom writes. */
export interface IpynbNotebook {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: Record<string, JsonValue>;
  cells: IpynbCell[];
}

type IpynbOutput =
  | { output_type: 'display_data'; data: Record<string, JsonValue>; metadata: Record<string, JsonValue> }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

type IpynbCell =
  | { id: string; cell_type: 'markdown'; metadata: Record<string, JsonValue>; source: string }
  | { id: string; cell_type: 'code'; metadata: Record<string, JsonValue>; execution_count: number | null; source: string; outputs: IpynbOutput[] };

/** JSON MIME types may hold any JSON; every other MIME type must be text (nbformat's rule). */
const JSON_MIME = /^application\/(.*\+)?json$/;

function mimeData(data: Record<string, JsonValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [mime, value] of Object.entries(data)) {
    const isText = typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    out[mime] = JSON_MIME.test(mime) || isText ? value : JSON.stringify(value, null, 2);
  }
  // Front ends that know none of the rich types still show something.
  if (out[MIME.plain] === undefined) {
    const md = out[MIME.markdown];
    out[MIME.plain] = typeof md === 'string' ? md : Object.keys(out).length > 0 ? `[${Object.keys(out).join(', ')}]` : '';
  }
  return out;
}

/** Cell ids must match ^[a-zA-Z0-9-_]+$ and be at most 64 characters, unique in the notebook. */
function cellIdFor(base: string, used: Set<string>): string {
  const clean = base.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, 56) || 'cell';
  let id = clean;
  for (let i = 2; used.has(id); i++) id = `${clean}-${i}`;
  used.add(id);
  return id;
}

/** Cells that ran, numbered in the order their first attempt started (ties by notebook order). */
function executionCounts(cells: CellSnapshot[]): Map<string, number> {
  const ran = cells
    .filter((c) => c.attempts.some((a) => a.startedAt))
    .map((c) => ({ id: c.cellId, at: Math.min(...c.attempts.filter((a) => a.startedAt).map((a) => a.startedAt!.getTime())), pos: c.position }))
    .sort((a, b) => a.at - b.at || a.pos - b.pos);
  return new Map(ran.map((r, i) => [r.id, i + 1]));
}

function codeCell(cell: CellSnapshot, body: string, count: number | null, id: string): IpynbCell {
  const outputs: IpynbOutput[] = cell.outputs.map((o) => ({ output_type: 'display_data', data: mimeData(o.data), metadata: o.metadata ?? {} }));
  if (cell.error && (cell.status === 'failed' || cell.status === 'skipped' || cell.status === 'cancelled')) {
    outputs.push({ output_type: 'error', ename: cell.status, evalue: cell.error, traceback: [cell.error] });
  }
  const durationMs = cell.startedAt && cell.finishedAt ? cell.finishedAt.getTime() - cell.startedAt.getTime() : null;
  return {
    id,
    cell_type: 'code',
    metadata: {
      language: 'yaml',
      vscode: { languageId: 'yaml' },
      loom: { cellId: cell.cellId, kind: cell.kind, queue: cell.queue, status: cell.status, attempts: cell.attempt, durationMs },
    },
    execution_count: count,
    source: body,
    outputs,
  };
}

/**
 * A finished (or running) run as an nbformat 4.5 notebook: the prose as Markdown cells, one code
 * cell per Loom cell holding its YAML config, its MIME outputs as `display_data`, and the run in
 * `metadata.loom`. Kernel-less: it opens in Jupyter with outputs intact but is not re-executable.
 */
export function exportRunToIpynb(run: RunSnapshot): IpynbNotebook {
  const used = new Set<string>();
  const counts = executionCounts(run.cells);
  const byId = new Map(run.cells.map((c) => [c.cellId, c]));
  const bodies = new Map((run.notebook?.cells ?? []).map((c) => [c.id, c.body]));
  const cells: IpynbCell[] = [];
  const emitted = new Set<string>();
  const blocks = run.notebook?.blocks ?? run.cells.map((c) => ({ type: 'cell' as const, cellId: c.cellId, line: 0 }));
  for (const [i, block] of blocks.entries()) {
    if (block.type === 'markdown') {
      cells.push({ id: cellIdFor(`md-${i}`, used), cell_type: 'markdown', metadata: {}, source: block.markdown });
      continue;
    }
    const cell = byId.get(block.cellId);
    if (!cell) continue;
    emitted.add(cell.cellId);
    cells.push(codeCell(cell, bodies.get(cell.cellId) ?? '', counts.get(cell.cellId) ?? null, cellIdFor(cell.cellId, used)));
  }
  // Cells of the run the parsed notebook did not list (it no longer parses) still appear.
  for (const cell of run.cells) {
    if (!emitted.has(cell.cellId)) cells.push(codeCell(cell, '', counts.get(cell.cellId) ?? null, cellIdFor(cell.cellId, used)));
  }
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      language_info: { name: 'yaml' },
      loom: {
        runId: run.id,
        notebook: run.notebookName,
        version: run.notebookVersion,
        params: run.params,
        status: run.status,
        error: run.error,
        launchedBy: run.launchedBy,
        startedAt: run.startedAt?.toISOString() ?? null,
        finishedAt: run.finishedAt?.toISOString() ?? null,
      },
    },
    cells,
  };
}
