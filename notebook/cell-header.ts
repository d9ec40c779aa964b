import { QUEUE_ALIASES } from '../core/queues.js';
import { didYouMean, quote } from './text.js';
import type { NotebookIssue } from './types.js';

export const CELL_ID = /^[a-z][a-z0-9_]{0,62}$/;
const KIND_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const ATTRIBUTES = ['id', 'needs', 'queue'] as const;

export interface CellHeader {
  kind?: string;
  id?: string;
  /** Undefined when the header has no `needs=` (the cell then needs the one before it). */
  needs?: Array<{ id: string; column: number }>;
  queue?: string;
  idColumn: number;
  kindColumn: number;
}

/**
 * Reads the opening fence of a cell: ```` ```cell <kind> id=<id> needs=[a, b] queue=gpu ````.
 * Columns are 1-based positions in `line`.
 */
export function parseCellHeader(line: string, lineNo: number, issues: NotebookIssue[]): CellHeader {
  const fence = /^( {0,3})(`{3,}|~{3,})\s*cell/.exec(line);
  let i = fence ? fence[0].length : line.length;
  const header: CellHeader = { idColumn: i + 1, kindColumn: i + 1 };
  const issue = (column: number, message: string, field?: string): void => {
    issues.push({ line: lineNo, column, message, ...(field ? { field } : {}), ...(header.id ? { cellId: header.id } : {}) });
  };
  const skipSpace = (): void => {
    while (i < line.length && /\s/.test(line[i] ?? '')) i++;
  };
  const readWord = (): string => {
    const start = i;
    while (i < line.length && !/[\s=]/.test(line[i] ?? '')) i++;
    return line.slice(start, i);
  };
  skipSpace();
  header.kindColumn = i + 1;
  const kind = readWord();
  if (kind === '' || line[i] === '=') {
    issue(header.kindColumn, 'a cell block needs a kind right after "cell", e.g. ```cell ingest id=sessions');
    i = header.kindColumn - 1;
  } else if (!KIND_NAME.test(kind)) {
    issue(header.kindColumn, `${quote(kind)} is not a kind name; kinds are lowercase words such as ingest or sql`);
  } else header.kind = kind;
  const seen = new Set<string>();
  const pending: Array<() => void> = [];
  for (;;) {
    skipSpace();
    if (i >= line.length) break;
    const column = i + 1;
    const key = readWord();
    if (line[i] !== '=') {
      issue(column, `${quote(key)} is not an attribute; write attributes as name=value, e.g. id=sessions`);
      continue;
    }
    i++;
    const valueColumn = i + 1;
    let value: string;
    if (line[i] === '[') {
      const close = line.indexOf(']', i);
      if (close === -1) {
        issue(valueColumn, `${key}=[ is not closed; write it as ${key}=[a, b]`);
        break;
      }
      value = line.slice(i, close + 1);
      i = close + 1;
    } else if (line[i] === '"') {
      const close = line.indexOf('"', i + 1);
      value = close === -1 ? line.slice(i + 1) : line.slice(i + 1, close);
      i = close === -1 ? line.length : close + 1;
    } else value = readWord();
    if (!(ATTRIBUTES as readonly string[]).includes(key)) {
      issue(column, `unknown attribute ${quote(key)}; a cell header takes ${ATTRIBUTES.join(', ')}${didYouMean(key, ATTRIBUTES)}`);
      continue;
    }
    if (seen.has(key)) {
      issue(column, `${key}= is given twice; keep one`);
      continue;
    }
    seen.add(key);
    // The id may come after the other attributes; their messages name it, so read them last.
    if (key === 'id') readId(value, valueColumn);
    else if (key === 'queue') pending.push(() => readQueue(value, valueColumn));
    else pending.push(() => readNeeds(value, valueColumn));
  }
  if (header.id === undefined && !seen.has('id')) issue(header.kindColumn, 'this cell has no id; add one to its header, e.g. id=sessions');
  for (const run of pending) run();
  return header;

  function readId(value: string, column: number): void {
    header.idColumn = column;
    if (!CELL_ID.test(value)) issue(column, `id ${quote(value)} is not valid; use lowercase letters, digits and _, starting with a letter (e.g. sessions)`, 'id');
    else header.id = value;
  }
  function readQueue(value: string, column: number): void {
    if (!Object.hasOwn(QUEUE_ALIASES, value)) issue(column, `queue ${quote(value)} is not a queue; use queue=cpu or queue=gpu${didYouMean(value, Object.keys(QUEUE_ALIASES))}`, 'queue');
    else header.queue = value;
  }
  function readNeeds(value: string, column: number): void {
    const inner = value.startsWith('[') ? value.slice(1, -1) : value;
    const needs: Array<{ id: string; column: number }> = [];
    let offset = value.startsWith('[') ? 1 : 0;
    for (const part of inner.split(',')) {
      const id = part.trim();
      const at = column + offset + (part.length - part.trimStart().length);
      offset += part.length + 1;
      if (id === '' && inner.trim() === '') continue;
      if (!CELL_ID.test(id)) issue(at, `needs: ${quote(id)} is not a cell id; write needs=[a, b] with the ids of earlier cells`, 'needs');
      else if (needs.some((n) => n.id === id)) issue(at, `needs lists ${quote(id)} twice; list it once`, 'needs');
      else needs.push({ id, column: at });
    }
    header.needs = needs;
  }
}
