import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Nodes, RootContent } from 'mdast';
import type { JsonValue } from '../core/mime.js';
import { QUEUE_ALIASES } from '../core/queues.js';
import type { KindSpec } from '../kinds/types.js';
import { checkCellConfig, type CheckedCell } from './cell-config.js';
import { parseCellHeader } from './cell-header.js';
import { readFrontMatter, splitFrontMatter, type FrontMatter } from './front-matter.js';
import { findCycles, upstreamClosure } from './graph.js';
import { LIMITS } from './limits.js';
import { didYouMean, listOf, quote } from './text.js';
import type { Notebook, NotebookBlock, NotebookCell, NotebookIssue, ParseResult } from './types.js';
import { parseYamlBlock, type YamlBlock } from './yaml-block.js';

/** A cell as found in the document, before its config is checked. */
interface FoundCell {
  cell: NotebookCell;
  endLine: number;
  yaml: YamlBlock;
  raw: JsonValue | undefined;
  hasId: boolean;
  explicitNeeds: Array<{ id: string; column: number }> | undefined;
  kindColumn: number;
}

/** Everything planning needs besides the public notebook: per-cell checks and YAML locations. */
export interface Analysis extends ParseResult {
  front: FrontMatter;
  cells: Array<{ cell: NotebookCell; checked: CheckedCell }>;
}

/**
 * Parses and validates a notebook. Never throws for any input; every problem is reported, located.
 * The notebook is returned only when there are no issues.
 */
export function parseNotebook(source: string, kinds: ReadonlyMap<string, KindSpec>): ParseResult {
  const { notebook, issues } = analyzeNotebook(source, kinds);
  return { notebook, issues };
}

/** Parses a notebook; with `paramValues`, cells are checked with those values instead of defaults. */
export function analyzeNotebook(source: string, kinds: ReadonlyMap<string, KindSpec>, paramValues?: Record<string, JsonValue>): Analysis {
  const issues: NotebookIssue[] = [];
  const front: FrontMatter = { params: [] };
  const done = (notebook?: Notebook, cells: Analysis['cells'] = []): Analysis => {
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    return { notebook: issues.length === 0 ? notebook : undefined, issues, front, cells };
  };
  if (typeof source !== 'string') {
    issues.push({ line: 1, column: 1, message: 'the notebook source must be text' });
    return done();
  }
  if (source.length > LIMITS.sourceBytes || Buffer.byteLength(source, 'utf8') > LIMITS.sourceBytes) {
    issues.push({ line: 1, column: 1, message: `the notebook is larger than ${LIMITS.sourceBytes} bytes (1 MiB); move bulk data into files the notebook ingests` });
    return done();
  }
  // Line numbers and columns do not change when line endings are unified.
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const split = splitFrontMatter(lines);
  let bodyFrom = 1;
  if (split === undefined) {
    issues.push({ line: 1, column: 1, field: 'name', message: 'the notebook needs front matter with a name; start the file with three lines: ---, name: my-notebook, ---' });
  } else if ('error' in split) {
    issues.push(split.error);
  } else {
    Object.assign(front, readFrontMatter(split.yaml, split.firstLine, issues));
    bodyFrom = split.endLine + 1;
  }
  const markdown = lines.map((line, i) => (i + 1 < bodyFrom ? '' : line)).join('\n');
  const found: FoundCell[] = [];
  const blocks: NotebookBlock[] = [];
  let proseFrom = bodyFrom;
  const addProse = (toLine: number): void => {
    const text = lines.slice(proseFrom - 1, Math.max(proseFrom - 1, toLine)).join('\n');
    if (text.trim() !== '') {
      const lead = text.length - text.replace(/^\s*\n/, '').length;
      blocks.push({ type: 'markdown', markdown: text.replace(/^\s*\n/, '').trimEnd(), line: proseFrom + countNewlines(text.slice(0, lead)) });
    }
  };
  let root: { children: RootContent[] };
  try {
    root = fromMarkdown(markdown);
  } catch {
    issues.push({ line: bodyFrom, column: 1, message: 'the notebook body could not be read as Markdown; check for unbalanced fences' });
    return done();
  }
  for (const node of root.children) {
    if (node.type !== 'code' || node.lang !== 'cell') {
      reportNestedCells(node, issues);
      continue;
    }
    const start = node.position?.start.line ?? 1;
    if (found.length >= LIMITS.cells) {
      issues.push({ line: start, column: 1, message: `the notebook has more than ${LIMITS.cells} cells; split it into several notebooks` });
      break;
    }
    addProse(start - 1);
    const cell = readCell(node.value, start, node.position?.start.column ?? 1, node.position?.end.line ?? start, lines, found.length, issues);
    found.push(cell);
    blocks.push({ type: 'cell', cellId: cell.cell.id, line: start });
    proseFrom = cell.endLine + 1;
  }
  addProse(lines.length);
  const cells = checkGraph(found, kinds, issues);
  const params = new Map<string, JsonValue | undefined>(front.params.map((p) => [p.name, paramValues ? paramValues[p.name] : p.default]));
  const unique = firstOccurrences(found);
  const kindOf = new Map(unique.map((f) => [f.cell.id, f.cell.kind]));
  const upstream = upstreamClosure(unique.map((f) => f.cell));
  const analysed: Analysis['cells'] = [];
  for (const f of found) {
    if (f.raw === undefined) continue;
    const checked = checkCellConfig({
      cellId: f.cell.id,
      kind: f.cell.kind,
      raw: f.raw,
      yaml: f.yaml,
      spec: kinds.get(f.cell.kind),
      params,
      kindOf,
      kinds,
      upstream: f.hasId ? upstream.get(f.cell.id) : undefined,
    });
    issues.push(...checked.issues);
    f.cell.config = checked.written;
    f.cell.overrides = checked.overrides;
    analysed.push({ cell: f.cell, checked });
  }
  if (front.name === undefined) return done(undefined, analysed);
  const notebook: Notebook = {
    name: front.name,
    ...(front.description !== undefined ? { description: front.description } : {}),
    params: front.params,
    ...(front.schedule ? { schedule: front.schedule } : {}),
    cells,
    blocks,
  };
  return done(notebook, analysed);
}

/** Cells with an id, the first of each id only: a repeated id is reported, not guessed at. */
function firstOccurrences(found: FoundCell[]): FoundCell[] {
  const seen = new Set<string>();
  return found.filter((f) => f.hasId && !seen.has(f.cell.id) && seen.add(f.cell.id));
}

function countNewlines(text: string): number {
  return text.split('\n').length - 1;
}

function readCell(value: string, start: number, column: number, end: number, lines: string[], index: number, issues: NotebookIssue[]): FoundCell {
  const headerLine = lines[start - 1] ?? '';
  const headerIssues: NotebookIssue[] = [];
  const header = parseCellHeader(headerLine, start, headerIssues);
  const id = header.id ?? `#${index + 1}`;
  const label = header.id ? `cell ${quote(id)}` : `cell ${id} (line ${start})`;
  for (const issue of headerIssues) {
    issues.push({ ...issue, ...(header.id ? { cellId: id } : {}), message: `${label}: ${issue.message}` });
  }
  const fence = /^ {0,3}(`{3,}|~{3,})/.exec(headerLine)?.[1] ?? '```';
  const closing = lines[end - 1]?.trim() ?? '';
  const closed = end > start && closing.startsWith(fence) && new RegExp(`^\\${fence[0]}+$`).test(closing);
  if (!closed) {
    issues.push({ line: start, column, ...(header.id ? { cellId: id } : {}), message: `${label} is never closed; add a line with ${fence} after its settings` });
  }
  const yaml = parseYamlBlock(value, { firstLine: start + 1, indent: column - 1, empty: { line: start, column } }, label);
  for (const p of yaml.problems) {
    issues.push({ line: p.line, column: p.column, message: p.message, ...(header.id ? { cellId: id } : {}), ...(p.field ? { field: p.field } : {}) });
  }
  const queue = header.queue === undefined ? undefined : QUEUE_ALIASES[header.queue];
  const cell: NotebookCell = {
    id,
    kind: header.kind ?? '',
    needs: header.needs?.map((n) => n.id) ?? [],
    ...(queue ? { queue } : {}),
    overrides: {},
    config: {},
    body: value,
    line: start,
  };
  return { cell, endLine: end, yaml, raw: yaml.value, hasId: header.id !== undefined, explicitNeeds: header.needs, kindColumn: header.kindColumn };
}

/** Unique ids, known kinds, needs that exist, no cycles. Returns the cells with needs filled in. */
function checkGraph(found: FoundCell[], kinds: ReadonlyMap<string, KindSpec>, issues: NotebookIssue[]): NotebookCell[] {
  const firstLine = new Map<string, number>();
  let previous: string | undefined;
  for (const f of found) {
    const { cell } = f;
    if (f.hasId) {
      const seen = firstLine.get(cell.id);
      if (seen !== undefined) issues.push({ line: cell.line, column: 1, cellId: cell.id, field: 'id', message: `cell id ${quote(cell.id)} is already used by the cell on line ${seen}; give each cell its own id` });
      else firstLine.set(cell.id, cell.line);
    }
    if (cell.kind && !kinds.has(cell.kind)) {
      issues.push({ line: cell.line, column: f.kindColumn, ...(f.hasId ? { cellId: cell.id } : {}), message: `cell ${quote(cell.id)}: unknown kind ${quote(cell.kind)}; known kinds: ${listOf(kinds.keys())}${didYouMean(cell.kind, kinds.keys())}` });
    }
    if (f.explicitNeeds === undefined) cell.needs = previous !== undefined ? [previous] : [];
    if (f.hasId) previous = cell.id;
  }
  const ids = new Set(found.filter((f) => f.hasId).map((f) => f.cell.id));
  for (const f of found) {
    for (const need of f.explicitNeeds ?? []) {
      const at = { line: f.cell.line, column: need.column, cellId: f.cell.id, field: 'needs' };
      if (need.id === f.cell.id) issues.push({ ...at, message: `cell ${quote(f.cell.id)} needs itself; remove ${quote(need.id)} from its needs` });
      else if (!ids.has(need.id)) issues.push({ ...at, message: `cell ${quote(f.cell.id)} needs ${quote(need.id)}, which is not a cell in this notebook${didYouMean(need.id, ids)}` });
    }
  }
  const graph = firstOccurrences(found).map((f) => ({ id: f.cell.id, needs: f.cell.needs.filter((n) => n !== f.cell.id) }));
  for (const cycle of findCycles(graph)) {
    const first = found.find((f) => f.cell.id === cycle[0]);
    issues.push({ line: first?.cell.line ?? 1, column: 1, cellId: cycle[0] ?? '', field: 'needs', message: `cells form a cycle: ${cycle.join(' → ')}; remove one of these needs` });
  }
  return found.map((f) => f.cell);
}

/** `cell` fences inside lists or quotes would be easy to misread; they are refused. */
function reportNestedCells(node: RootContent, issues: NotebookIssue[]): void {
  const todo: Nodes[] = [node];
  let visited = 0;
  while (todo.length > 0 && visited++ < 100_000) {
    const current = todo.pop()!;
    if (current.type === 'code' && current.lang === 'cell' && current !== node) {
      issues.push({ line: current.position?.start.line ?? 1, column: current.position?.start.column ?? 1, message: 'a cell block inside a list or quote is not run; move its fence to the start of a line' });
    }
    if ('children' in current) todo.push(...(current.children as Nodes[]));
  }
}
