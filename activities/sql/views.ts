import crypto from 'node:crypto';
import { LoomInputError } from '../../core/errors.js';
import type { CellResult } from '../../core/run-plan.js';
import { quoteIdent, type Database } from '../../db/client.js';
import { DATA_SCHEMA } from '../ingest/store.js';

/** Per-(run, cell) schema that holds one view per dataset alias; the query's only search_path. */
export function querySchemaName(runId: string, cellId: string): string {
  return 'loom_q_' + crypto.createHash('sha256').update(`${runId}/${cellId}`).digest('hex').slice(0, 24);
}

/** Aliases the query may use: upstream datasets under their cell ids, then the configured ones. */
export function datasetAliases(upstream: Record<string, CellResult>, configured: Record<string, string> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [cellId, r] of Object.entries(upstream)) {
    const ds = r.values.dataset;
    if (typeof ds === 'string' && cellId.length <= 63) out.set(cellId, ds);
  }
  for (const [alias, id] of Object.entries(configured ?? {})) out.set(alias, id);
  return out;
}

/** (Re)creates the alias views, idempotently, and lets loom_reader read them. */
export async function createAliasViews(db: Database, schema: string, aliases: Map<string, string>): Promise<void> {
  const ids = [...new Set(aliases.values())];
  const rows = ids.length === 0 ? [] : await db.query<{ id: string; table_name: string }>(
    'SELECT id, table_name FROM datasets WHERE id = ANY($1::text[])', [ids]);
  const tables = new Map(rows.map((r) => [r.id, r.table_name]));
  for (const [alias, id] of aliases) {
    if (!tables.has(id)) throw new LoomInputError(`Dataset ${JSON.stringify(id.slice(0, 100))} (alias "${alias}") does not exist. Point the alias at \${cells.<id>.dataset} of a cell that produced one.`);
  }
  const s = quoteIdent(schema);
  await db.transaction(async (tx) => {
    await tx.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await tx.query(`CREATE SCHEMA ${s}`);
    for (const [alias, id] of aliases) {
      await tx.query(`CREATE VIEW ${s}.${quoteIdent(alias)} AS SELECT * FROM ${DATA_SCHEMA}.${quoteIdent(tables.get(id)!)}`);
    }
    await tx.query(`GRANT USAGE ON SCHEMA ${s} TO loom_reader`);
    await tx.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO loom_reader`);
  });
}
