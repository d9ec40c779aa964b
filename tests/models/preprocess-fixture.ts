import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestExecutor } from '../../activities/ingest/executor.js';
import type { CellResult } from '../../core/run-plan.js';
import type { Database } from '../../db/client.js';
import { ingestConfigSchema } from '../../kinds/ingest.js';
import { makeCellContext } from '../helpers/runs.js';

const EN = ['love this dress', 'runs small and cheap fabric', 'great fit, would buy again', 'returned it, poor quality'];
const ZH = ['很好看，质量不错', '尺码偏小，面料差'];

/** A small shop dataset whose label depends on age, department and review words, written as CSV. */
export function writeShopCsv(rows = 240): string {
  const lines = ['customer_id,age,dept,member,review,recommended'];
  for (let i = 0; i < rows; i++) {
    const good = (i * 7) % 10 < 6;
    const age = i % 13 === 0 ? '' : String(20 + ((i * 17) % 50));
    const dept = ['dresses', 'tops', 'jackets', 'bottoms', 'intimates'][(i * 3) % 5]!;
    const review = i % 5 === 0 ? ZH[good ? 0 : 1]! : EN[(good ? 0 : 1) + 2 * (i % 2)]!;
    lines.push(`c${i},${age},${dept},${i % 3 === 0},"${review}",${good ? 1 : 0}`);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loom-shop-')), 'shop.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Ingests a CSV with the real ingest executor; returns the upstream record a later cell sees. */
export async function ingestCsv(db: Database, runId: string, cellId: string, file: string, extra: Record<string, unknown> = {}): Promise<Record<string, CellResult>> {
  const config = ingestConfigSchema.parse({ source: { csv: file }, ...extra });
  const done = await ingestExecutor(makeCellContext(db, { runId, cellId, config, dataRoots: [path.dirname(file), os.tmpdir()] }));
  return { [cellId]: { values: done.values, outputHash: done.outputHash } };
}
