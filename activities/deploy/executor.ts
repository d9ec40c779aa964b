import fs from 'node:fs';
import path from 'node:path';
import { LoomInputError } from '../../core/errors.js';
import { formatDuration, type DeployConfig } from '../../kinds/deploy.js';
import type { ModelVersion } from '../../db/schema/models.js';
import { aliasTarget, registerVersion, setAlias, versionForCell } from '../../services/models.js';
import { liveExperimentOn } from '../../services/experiments/store.js';
import { LoomServiceError } from '../../services/errors.js';
import type { CellContext, CellExecution, CellExecutor } from '../types.js';
import { checkModelSource, copyWithHash, readModelFacts, registryPath, sha256File } from './artifact.js';
import { findSources } from './sources.js';
import { comparisonMarkdown, deployOutputs } from './summary.js';

/** Registers the model once per (run, cell); a retry or the second phase finds it again. */
async function register(ctx: CellContext<DeployConfig>): Promise<ModelVersion> {
  const deps = { db: ctx.db };
  const existing = await versionForCell(deps, ctx.runId, ctx.cellId);
  if (existing && existing.modelName !== ctx.config.model) {
    throw new LoomInputError(`cell "${ctx.cellId}" already registered model "${existing.modelName}" in this run; one deploy cell registers one model.`);
  }
  if (existing && fs.existsSync(existing.artifactPath) && (await sha256File(existing.artifactPath)) === existing.artifactSha256) return existing;

  const sources = await findSources(ctx);
  const source = checkModelSource(sources.modelPath, sources.modelCell, ctx.artifactsDir, ctx.dataRoots);
  const facts = readModelFacts(source, sources.modelCell);
  const incoming = path.join(ctx.artifactsDir, 'registry', ctx.config.model, `.incoming-${ctx.runId}-${ctx.cellId}.onnx`);
  const sha = await copyWithHash(source, incoming);
  try {
    const { version } = await registerVersion(deps, {
      model: ctx.config.model,
      runId: ctx.runId,
      cellId: ctx.cellId,
      artifactPath: (n) => registryPath(ctx.artifactsDir, ctx.config.model, n),
      artifactSha256: sha,
      metrics: sources.metrics,
      featureSpec: facts.transform,
      datasetId: sources.datasetId,
      datasetHash: sources.datasetHash,
      notebookVersionId: sources.notebookVersionId,
      params: sources.params,
    });
    if (version.artifactSha256 !== sha) {
      throw new LoomInputError(`cell "${ctx.cellId}": the model file of cell "${sources.modelCell}" changed since version ${version.version} was registered from it; rerun the run instead of this cell.`);
    }
    fs.mkdirSync(path.dirname(version.artifactPath), { recursive: true });
    fs.renameSync(incoming, version.artifactPath);
    return version;
  } finally {
    fs.rmSync(incoming, { force: true });
  }
}

/**
 * `deploy`: registers the upstream model as a new version, then moves the alias to it — at once,
 * or, with `approval: required`, after a person approves (the workflow waits for the signal and
 * runs this executor again with the decision).
 */
export const deployExecutor: CellExecutor<DeployConfig> = async (ctx): Promise<CellExecution> => {
  const { model, alias } = ctx.config;
  const deps = { db: ctx.db };
  try {
    const version = await register(ctx);
    const values = { model, version: version.version, versionId: version.id, alias };
    const champion = await aliasTarget(deps, model, 'champion');
    const shownChampion = champion?.id === version.id ? null : champion;
    const outputHash = `deploy:${version.id}:${alias}`;

    // Retraining during a live A/B test on this model registers the version but moves no alias:
    // the experiment is measuring the current champion and challenger.
    const live = ctx.resume ? undefined : await liveExperimentOn(deps, model);
    if (live) {
      const status = `Deploy held: experiment **${live.name}** is still running on **${model}**, so **${alias}** was not moved. v${version.version} is registered; set the alias once the experiment has decided (setModelAlias), or stop the experiment first.`;
      ctx.log.info({ model, experiment: live.name }, 'deploy held by a live experiment');
      return { values: { ...values, held: true, heldBy: live.name }, outputHash: `${outputHash}:held`, outputs: deployOutputs({ model, version, champion: shownChampion, status }) };
    }
    if (ctx.config.approval === 'required' && !ctx.resume) {
      const wait = formatDuration(ctx.config.approvalTimeout);
      const status = `Awaiting approval to move **${alias}** of **${model}** to v${version.version} (times out after ${wait}).`;
      return {
        values, outputHash,
        outputs: deployOutputs({ model, version, champion: shownChampion, status }),
        pending: { type: 'approval', timeoutMs: ctx.config.approvalTimeout, summary: `${status}\n\n${comparisonMarkdown(model, version, shownChampion)}` },
      };
    }
    let by = `run:${ctx.runId}`;
    let reason = `deployed by cell "${ctx.cellId}" of run ${ctx.runId}`;
    if (ctx.resume) {
      if (ctx.resume.type !== 'approval') throw new Error(`deploy got a ${ctx.resume.type} result; it only waits for approvals`);
      const d = ctx.resume;
      if (d.decision === 'rejected') throw new LoomInputError(`deployment of ${model} v${version.version} rejected by ${d.by ?? 'unknown'}: ${d.note ?? '(no note)'}`);
      if (d.decision === 'timed_out') {
        throw new LoomInputError(`deployment of ${model} v${version.version} timed out after ${formatDuration(ctx.config.approvalTimeout)} without an approval; the version stays registered without the ${alias} alias — run the notebook again or set the alias with setModelAlias.`);
      }
      by = d.by ?? by;
      reason = `approved${d.note ? `: ${d.note}` : ''} (run ${ctx.runId})`;
    }
    const move = await setAlias(deps, model, alias, version.id, by, reason);
    const status = move.moved
      ? `**${alias}** of **${model}** now points at v${version.version}${move.fromVersionId ? ' (moved from the previous version)' : ''}; moved by ${by}.`
      : `**${alias}** of **${model}** already pointed at v${version.version}.`;
    return { values, outputHash, outputs: deployOutputs({ model, version, champion: shownChampion, status }) };
  } catch (err) {
    // Registry refusals (bad name, conflicts) are the notebook's to fix, not worth a retry.
    if (err instanceof LoomServiceError) throw new LoomInputError(`cell "${ctx.cellId}": ${err.message}`);
    throw err;
  }
};
