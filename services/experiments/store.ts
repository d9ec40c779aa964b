import crypto from 'node:crypto';
import { and, asc, desc, eq, or, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import type { JsonValue } from '../../core/mime.js';
import type { Database } from '../../db/client.js';
import { experimentArms, experimentExposures, experiments, experimentSnapshots, type Experiment, type ExperimentArm, type ExperimentSnapshot } from '../../db/schema/experiments.js';
import { NotFoundError } from '../errors.js';

/** Reading and writing experiments, their arms and snapshots. */

export interface NewArm {
  name: string;
  weight: number;
  modelAlias: string | null;
  modelVersionId: string | null;
}

export interface CreateExperimentInput {
  name: string;
  modelName: string | null;
  config: Record<string, JsonValue>;
  arms: NewArm[];
  runId: string;
  cellId: string;
  startedAt?: Date;
}

/** Creates the experiment of a run's cell, or returns the one a previous attempt created. */
export async function createExperiment(deps: { db: Database }, input: CreateExperimentInput): Promise<{ experiment: Experiment; created: boolean }> {
  return deps.db.orm.transaction(async (tx) => {
    const [existing] = await tx.select().from(experiments).where(and(eq(experiments.runId, input.runId), eq(experiments.cellId, input.cellId)));
    if (existing) return { experiment: existing, created: false };
    const id = `exp-${ulid()}`;
    const [row] = await tx.insert(experiments).values({
      id,
      name: input.name,
      modelName: input.modelName,
      salt: crypto.randomBytes(16).toString('hex'),
      status: 'running',
      config: input.config,
      runId: input.runId,
      cellId: input.cellId,
      ...(input.startedAt ? { startedAt: input.startedAt } : {}),
    }).returning();
    await tx.insert(experimentArms).values(input.arms.map((a, i) => ({ experimentId: id, position: i, ...a })));
    return { experiment: row!, created: true };
  });
}

const quoted = (s: string) => JSON.stringify(s.slice(0, 80));

/** By id (`exp-…`) or by name. */
export async function findExperiment(deps: { db: Database }, ref: string): Promise<Experiment | null> {
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > 200) return null;
  const [row] = await deps.db.orm.select().from(experiments)
    .where(or(eq(experiments.id, ref), eq(experiments.name, ref))).limit(1);
  return row ?? null;
}

export async function getExperiment(deps: { db: Database }, ref: string): Promise<Experiment> {
  const e = await findExperiment(deps, ref);
  if (!e) throw new NotFoundError(`No experiment with id or name ${quoted(String(ref))}; list them with \`experiments { name }\`.`);
  return e;
}

export async function listExperiments(deps: { db: Database }, limit = 100): Promise<Experiment[]> {
  return deps.db.orm.select().from(experiments).orderBy(desc(experiments.createdAt)).limit(Math.min(Math.max(1, limit), 500));
}

export async function armsOf(deps: { db: Database }, experimentId: string): Promise<ExperimentArm[]> {
  return deps.db.orm.select().from(experimentArms).where(eq(experimentArms.experimentId, experimentId)).orderBy(asc(experimentArms.position));
}

export async function snapshotsOf(deps: { db: Database }, experimentId: string): Promise<ExperimentSnapshot[]> {
  return deps.db.orm.select().from(experimentSnapshots).where(eq(experimentSnapshots.experimentId, experimentId)).orderBy(asc(experimentSnapshots.asOf));
}

export async function exposureCounts(deps: { db: Database }, experimentId: string): Promise<Record<string, number>> {
  const rows = await deps.db.orm.select({ arm: experimentExposures.arm, n: sql<string>`count(*)` }).from(experimentExposures)
    .where(eq(experimentExposures.experimentId, experimentId)).groupBy(experimentExposures.arm);
  return Object.fromEntries(rows.map((r) => [r.arm, Number(r.n)]));
}

/** Events of the experiment's exposed customers, by type (since each customer's first exposure). */
export async function eventCounts(deps: { db: Database }, experimentId: string): Promise<Record<string, number>> {
  const rows = await deps.db.query<{ type: string; n: string }>(
    `SELECT e.type, count(*) AS n FROM experiment_exposures x JOIN customer_events e
       ON e.customer_id = x.customer_id AND e.occurred_at >= x.first_exposed_at
     WHERE x.experiment_id = $1 GROUP BY e.type`, [experimentId]);
  return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
}

/** One analysis; a replayed analysis of the same `asOf` overwrites rather than duplicates. */
export async function saveSnapshot(deps: { db: Database }, s: { experimentId: string; asOf: Date; results: JsonValue; srm: JsonValue; decision: string | null }): Promise<void> {
  await deps.db.orm.insert(experimentSnapshots).values(s)
    .onConflictDoUpdate({ target: [experimentSnapshots.experimentId, experimentSnapshots.asOf], set: { results: s.results, srm: s.srm, decision: s.decision, takenAt: new Date() } });
}

export async function recordDecision(deps: { db: Database }, experimentId: string, d: { decision: string; reason: string; at: Date }): Promise<void> {
  await deps.db.orm.update(experiments).set({ status: 'decided', decision: d.decision, reason: d.reason, decidedAt: d.at, updatedAt: new Date() })
    .where(eq(experiments.id, experimentId));
}

/**
 * The experiment still running on a model, if any, other than the one this run and cell own.
 * While one is live, retraining may train and evaluate but must not move the model's aliases.
 */
export async function liveExperimentOn(deps: { db: Database }, modelName: string, except?: { runId: string; cellId: string }): Promise<Experiment | undefined> {
  const rows = await deps.db.orm
    .select()
    .from(experiments)
    .where(and(eq(experiments.modelName, modelName), eq(experiments.status, 'running')))
    .orderBy(desc(experiments.startedAt));
  return rows.find((e) => !except || e.runId !== except.runId || e.cellId !== except.cellId);
}
