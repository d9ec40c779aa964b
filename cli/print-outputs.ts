import Table from 'cli-table3';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { cellOutputs, runCells } from '../db/schema/index.js';
import { MIME } from '../core/mime.js';

/** Wider tables do not fit a terminal; the web view and GraphQL show them whole. */
const MAX_COLUMNS = 8;

interface SampleJson {
  columns: string[];
  rows: (string | null)[][];
}

function isSample(v: unknown): v is SampleJson {
  return typeof v === 'object' && v !== null && Array.isArray((v as SampleJson).columns) && Array.isArray((v as SampleJson).rows);
}

/** Markdown as a terminal shows it: escapes and emphasis markers removed. */
function plainMarkdown(md: string): string {
  return md.replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1').replace(/\*\*/g, '');
}

function isFlatMetrics(v: unknown): v is Record<string, string | number | boolean | null> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const entries = Object.entries(v);
  return entries.length > 0 && entries.length <= 30 && entries.every(([, x]) => x === null || ['string', 'number', 'boolean'].includes(typeof x));
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(4);
}

/**
 * Prints each cell's results for a terminal: its summary line and, for narrow datasets, the first
 * rows as a table.
 */
export async function printRunOutputs(db: Database, runId: string, write: (line: string) => void): Promise<void> {
  const cells = await db.orm.select().from(runCells).where(eq(runCells.runId, runId)).orderBy(asc(runCells.position));
  const outputs = await db.orm.select().from(cellOutputs).where(eq(cellOutputs.runId, runId)).orderBy(asc(cellOutputs.seq));
  for (const cell of cells) {
    const mine = outputs.filter((o) => o.cellId === cell.cellId);
    if (mine.length === 0) continue;
    write(`\n── ${cell.cellId} (${cell.kind}) ──`);
    for (const o of mine) {
      const role = o.metadata.loom;
      const json = o.data[MIME.json];
      const plain = o.data[MIME.plain];
      const markdown = o.data[MIME.markdown];
      if (role === 'sample' && isSample(json)) {
        if (json.columns.length > MAX_COLUMNS) {
          write(`(${json.columns.length} columns — too wide to show here; see the run in the web view or GraphQL)`);
          continue;
        }
        const table = new Table({ head: json.columns, style: { head: [], border: [], compact: true } });
        for (const row of json.rows) table.push(row.map((v) => (v === null ? '∅' : v)));
        write(table.toString());
      } else if (typeof plain === 'string') {
        write(plain);
      } else if (typeof markdown === 'string') {
        write(plainMarkdown(markdown));
      } else if (o.data[MIME.vegaLite]) {
        const spec = o.data[MIME.vegaLite] as { title?: unknown; description?: unknown };
        const title = typeof spec.title === 'string' ? spec.title : typeof spec.description === 'string' ? spec.description : role ?? 'chart';
        write(`[chart] ${title} — open the run in the web view`);
      } else if (isFlatMetrics(json) && role !== 'schema' && role !== 'profile') {
        const table = new Table({ style: { head: [], border: [], compact: true } });
        for (const [k, v] of Object.entries(json)) table.push({ [k]: typeof v === 'number' ? formatNumber(v) : String(v) });
        write(table.toString());
      }
    }
  }
}
