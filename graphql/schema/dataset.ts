import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { datasets, type Dataset, type DatasetColumn } from '../../db/schema/datasets.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../services/cursor.js';
import { builder } from '../builder.js';
import { forwardPage, toConnection } from '../pagination.js';

const DatasetColumnRef = builder.objectRef<DatasetColumn>('DatasetColumn').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.exposeString('type', { description: 'integer, bigint, double, boolean, timestamp, date or text.' }),
    nullable: t.exposeBoolean('nullable'),
    pii: t.boolean({ description: 'True when the column holds personal data (hashed at ingest).', resolve: (c) => c.pii ?? false }),
  }),
});

export const DatasetRef = builder.objectRef<Dataset>('Dataset').implement({
  description: 'A table produced by one cell of one run.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { description: 'The producing cell id.' }),
    runId: t.exposeString('runId'),
    cellId: t.exposeString('cellId'),
    rowCount: t.exposeInt('rowCount'),
    rejectCount: t.exposeInt('rejectCount'),
    columns: t.field({ type: [DatasetColumnRef], resolve: (d) => d.columns }),
    source: t.exposeString('source'),
    contentHash: t.exposeString('contentHash', { nullable: true }),
    profile: t.expose('profile', { type: 'JSON', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  datasets: t.connection({
    type: DatasetRef,
    description: 'Newest first.',
    args: { run: t.arg.id({ required: false, description: 'Only datasets produced by this run.' }) },
    resolve: async (_root, args, ctx) => {
      const { first, after } = forwardPage(args);
      const where: SQL[] = [];
      if (args.run != null) where.push(eq(datasets.runId, String(args.run)));
      if (after !== undefined) {
        const c = decodeKeysetCursor(after);
        where.push(sql`(${datasets.createdAt}, ${datasets.id}) < (${c.createdAt}::timestamptz, ${c.id})`);
      }
      const rows = await ctx.db.orm
        .select({ d: datasets, createdAtText: sql<string>`${datasets.createdAt}::text` })
        .from(datasets)
        .where(where.length > 0 ? and(...where) : undefined)
        .orderBy(desc(datasets.createdAt), desc(datasets.id))
        .limit(first + 1);
      const page = rows.slice(0, first).map((r) => ({ node: r.d, cursor: encodeKeysetCursor(r.createdAtText, r.d.id) }));
      return toConnection(page, rows.length > first);
    },
  }),
  dataset: t.field({
    type: DatasetRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const [row] = await ctx.db.orm.select().from(datasets).where(eq(datasets.id, String(args.id))).limit(1);
      return row ?? null;
    },
  }),
}));
