import { LoomInputError } from '../../core/errors.js';
import type { AbtestConfig } from '../../kinds/abtest.js';
import type { MetricResult } from '../../experiments/analysis.js';
import { liftChart, resultTable } from '../../experiments/report.js';
import { aliasTarget } from '../../services/models.js';
import { experimentWorkflowId } from '../../services/experiments/control.js';
import { createExperiment, findExperiment, liveExperimentOn, snapshotsOf, type NewArm } from '../../services/experiments/store.js';
import { MIME } from '../../core/mime.js';
import type { CellExecution, CellExecutor } from '../types.js';
import { loadSimulation, simulationDays } from './simulate.js';

/** Simulated experiments start on a fixed day, so a seed always yields the same data. */
const SIMULATION_START = new Date('2026-01-01T00:00:00Z');

async function resolveArms(ctx: Parameters<CellExecutor<AbtestConfig>>[0]): Promise<NewArm[]> {
  const { model, arms } = ctx.config;
  const out: NewArm[] = [];
  for (const [name, arm] of [['control', arms.control], ['treatment', arms.treatment]] as const) {
    let versionId: string | null = null;
    if (arm.alias !== 'none') {
      if (!model) throw new LoomInputError(`cell "${ctx.cellId}": arm ${name} routes to alias "${arm.alias}" but no model is set; add model: <registry name> or use alias: none`);
      const v = await aliasTarget({ db: ctx.db }, model, arm.alias);
      if (!v && name === 'control' && arm.alias === 'champion') {
        // A model's first campaign has no champion yet: control serves no model, the baseline
        // experience, and a winning treatment becomes the first champion.
        ctx.log.info({ model }, 'no champion yet: the control arm serves no model');
        out.push({ name, weight: arm.weight, modelAlias: null, modelVersionId: null });
        continue;
      }
      if (!v) throw new LoomInputError(`cell "${ctx.cellId}": model "${model}" has no "${arm.alias}" alias; deploy a version to it first (a deploy cell) or use alias: none`);
      versionId = v.id;
    }
    out.push({ name, weight: arm.weight, modelAlias: arm.alias === 'none' ? null : arm.alias, modelVersionId: versionId });
  }
  return out;
}

/**
 * Phase 1 creates the experiment (once per run and cell), loads simulated data when asked, and
 * asks the workflow to run the `experimentRun` child. Phase 2 renders the result and the chart.
 */
export const abtestExecutor: CellExecutor<AbtestConfig> = async (ctx): Promise<CellExecution> => {
  const c = ctx.config;
  const name = c.name ?? `${ctx.runId}-${ctx.cellId}`;
  if (!ctx.resume) {
    const clash = await findExperiment({ db: ctx.db }, name);
    if (clash && (clash.runId !== ctx.runId || clash.cellId !== ctx.cellId)) {
      throw new LoomInputError(`cell "${ctx.cellId}": an experiment named "${name}" already exists (from run ${clash.runId ?? 'unknown'}); choose another name`);
    }
    const live = c.model ? await liveExperimentOn({ db: ctx.db }, c.model, { runId: ctx.runId, cellId: ctx.cellId }) : undefined;
    if (live) {
      // One experiment per model at a time: a nightly retrain during a test leaves it alone.
      const note = `Held: experiment **${live.name}** is still running on **${c.model}**; no new experiment was started. It decides by itself, or stop it with stopExperiment.`;
      return { values: { held: true, heldBy: live.name, experiment: live.id }, outputs: [{ data: { [MIME.markdown]: note, [MIME.json]: { held: true, experiment: live.name } }, metadata: { loom: 'summary' } }], outputHash: `abtest:held:${live.id}` };
    }
    const arms = await resolveArms(ctx);
    const { experiment } = await createExperiment({ db: ctx.db }, {
      name,
      modelName: c.model ?? null,
      config: c,
      arms,
      runId: ctx.runId,
      cellId: ctx.cellId,
      ...(c.simulate ? { startedAt: SIMULATION_START } : {}),
    });
    if (c.simulate) {
      const loaded = await loadSimulation(ctx.db, {
        experimentId: experiment.id, salt: experiment.salt, arms, customers: c.simulate.customers, seed: c.simulate.seed,
        effect: c.simulate.effect, start: SIMULATION_START, days: simulationDays(c.maxDuration),
      }, (rows) => ctx.progress({ eventsLoaded: rows }));
      ctx.log.info({ experiment: experiment.id, ...loaded }, 'simulated experiment data loaded');
    }
    return {
      values: { experiment: experiment.id },
      outputs: [],
      outputHash: `abtest:${experiment.id}`,
      pending: {
        type: 'child',
        workflowType: 'experimentRun',
        workflowId: experimentWorkflowId(experiment.id),
        args: [{
          experimentId: experiment.id,
          startMs: experiment.startedAt.getTime(),
          analyzeEveryMs: c.analyzeEvery,
          minDurationMs: c.minDuration,
          maxDurationMs: c.maxDuration,
          simulateTickMs: c.simulate ? c.simulate.tick : null,
        }],
      },
    };
  }
  if (ctx.resume.type !== 'child') throw new Error(`abtest got an unexpected ${ctx.resume.type} resume`);
  const exp = await findExperiment({ db: ctx.db }, name);
  if (!exp) throw new LoomInputError(`cell "${ctx.cellId}": experiment "${name}" vanished while it ran`);
  if (!ctx.resume.ok) throw new LoomInputError(`cell "${ctx.cellId}": experiment "${name}" failed: ${ctx.resume.error}`);
  const snapshots = await snapshotsOf({ db: ctx.db }, exp.id);
  const points = snapshots.map((s) => ({ asOf: s.asOf.toISOString(), results: s.results as unknown as MetricResult[] }));
  const final = points.at(-1)?.results ?? [];
  const decision = exp.decision ?? 'inconclusive';
  const reason = exp.reason ?? '';
  const winner = decision === 'ship' ? 'treatment' : decision === 'keep' ? 'control' : 'none';
  return {
    values: { experiment: exp.id, decision, winner },
    outputs: [resultTable(final, decision, reason), liftChart(points)],
    outputHash: `abtest:${exp.id}:${decision}:${snapshots.length}`,
  };
};
