import DataLoader from 'dataloader';
import { and, asc, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { notebooks, notebookVersions, type Notebook, type NotebookVersion } from '../../db/schema/notebooks.js';
import type { saveNotebook } from '../../services/notebooks.js';
import { saveNotebookAndSchedule } from '../../services/schedules.js';
import { BadUserInputError } from '../../services/errors.js';
import { builder } from '../builder.js';
import { loaderFor } from '../context.js';
import { forwardPage, toConnection } from '../pagination.js';

export const notebookById = (db: Database) =>
  new DataLoader<string, Notebook | null>(async (ids) => {
    const rows = await db.orm.select().from(notebooks).where(inArray(notebooks.id, [...ids]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

export const versionById = (db: Database) =>
  new DataLoader<string, NotebookVersion | null>(async (ids) => {
    const rows = await db.orm.select().from(notebookVersions).where(inArray(notebookVersions.id, [...ids]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

export const NotebookVersionRef = builder.objectRef<NotebookVersion>('NotebookVersion').implement({
  description: 'One immutable saved revision of a notebook.',
  fields: (t) => ({
    id: t.exposeID('id'),
    version: t.exposeInt('version'),
    source: t.exposeString('source', { description: 'The Markdown source as saved.' }),
    contentHash: t.exposeString('contentHash', { description: 'sha256 of the source.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const NotebookRef = builder.objectRef<Notebook>('Notebook').implement({
  description: 'A named notebook; its content lives in immutable versions.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    latestVersionNumber: t.exposeInt('latestVersion'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    latestVersion: t.field({
      type: NotebookVersionRef,
      nullable: true,
      resolve: async (nb, _args, ctx) => {
        const [row] = await ctx.db.orm
          .select()
          .from(notebookVersions)
          .where(and(eq(notebookVersions.notebookId, nb.id), eq(notebookVersions.version, nb.latestVersion)))
          .limit(1);
        return row ?? null;
      },
    }),
    versions: t.field({
      type: [NotebookVersionRef],
      description: 'Newest first.',
      args: { first: t.arg.int({ required: false, description: 'At most 100; default 20.' }) },
      resolve: (nb, args, ctx) => {
        const { first } = forwardPage({ first: args.first });
        return ctx.db.orm
          .select()
          .from(notebookVersions)
          .where(eq(notebookVersions.notebookId, nb.id))
          .orderBy(desc(notebookVersions.version))
          .limit(first);
      },
    }),
  }),
});

const NotebookIssueRef = builder
  .objectRef<{ message: string; line: number; column: number; cellId?: string | undefined; field?: string | undefined }>('NotebookIssue')
  .implement({
    description: 'A validation problem located in the notebook source.',
    fields: (t) => ({
      message: t.exposeString('message'),
      line: t.exposeInt('line'),
      column: t.exposeInt('column'),
      cellId: t.string({ nullable: true, resolve: (i) => i.cellId ?? null }),
      field: t.string({ nullable: true, resolve: (i) => i.field ?? null }),
    }),
  });

type SavePayload = Awaited<ReturnType<typeof saveNotebook>>;

const SaveNotebookPayloadRef = builder.objectRef<SavePayload>('SaveNotebookPayload').implement({
  description: 'Either the saved version, or the issues that kept the notebook from being saved.',
  fields: (t) => ({
    notebook: t.field({ type: NotebookRef, nullable: true, resolve: (p) => ('notebook' in p ? p.notebook : null) }),
    version: t.field({ type: NotebookVersionRef, nullable: true, resolve: (p) => ('version' in p ? p.version : null) }),
    created: t.boolean({ description: 'False when identical source was already saved.', resolve: (p) => 'created' in p && p.created }),
    issues: t.field({ type: [NotebookIssueRef], resolve: (p) => ('issues' in p ? p.issues : []) }),
  }),
});

const NOTEBOOK_NAME_MAX = 200;

builder.queryFields((t) => ({
  notebooks: t.connection({
    type: NotebookRef,
    description: 'Notebooks by name.',
    resolve: async (_root, args, ctx) => {
      const { first, after } = forwardPage(args);
      let afterName: string | undefined;
      if (after !== undefined) {
        afterName = Buffer.from(after, 'base64url').toString('utf8');
        if (afterName.length === 0 || afterName.length > NOTEBOOK_NAME_MAX) {
          throw new BadUserInputError('The "after" cursor is not valid; pass an endCursor from an earlier page unchanged.');
        }
      }
      const rows = await ctx.db.orm
        .select()
        .from(notebooks)
        .where(afterName !== undefined ? gt(notebooks.name, afterName) : undefined)
        .orderBy(asc(notebooks.name))
        .limit(first + 1);
      const page = rows.slice(0, first).map((node) => ({ node, cursor: Buffer.from(node.name, 'utf8').toString('base64url') }));
      return toConnection(page, rows.length > first);
    },
  }),
  notebook: t.field({
    type: NotebookRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      if (args.name.length > NOTEBOOK_NAME_MAX) return null;
      const [row] = await ctx.db.orm.select().from(notebooks).where(eq(notebooks.name, args.name)).limit(1);
      return row ?? null;
    },
  }),
}));

builder.mutationFields((t) => ({
  saveNotebook: t.field({
    type: SaveNotebookPayloadRef,
    description: 'Validates and saves a notebook. Validation problems come back as `issues`, not errors.',
    args: { source: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => saveNotebookAndSchedule(ctx, args.source),
  }),
}));

/** The notebook a row points at, batched across a page. */
export function loadNotebook(ctx: Parameters<typeof loaderFor>[0], id: string) {
  return loaderFor(ctx, notebookById).load(id);
}
