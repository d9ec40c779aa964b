import type { JsonValue } from '../core/mime.js';
import type { PlannedCell, RunPlan } from '../core/run-plan.js';
import type { KindSpec } from '../kinds/types.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { analyzeNotebook } from './parse.js';
import { resolveParams } from './params.js';
import type { NotebookIssue } from './types.js';
import { topologicalOrder } from './graph.js';

export { downstreamOf, findCycles, topologicalOrder, upstreamClosure, type GraphCell } from './graph.js';

/**
 * Turns a notebook source and a run's param overrides into the `RunPlan` the workflow executes:
 * cells in dependency order, each with its queue, retry policy, timeouts, config with params
 * substituted, and an input hash. Returns issues instead when the notebook or a param is wrong.
 */
export function planRun(
  source: string,
  kinds: ReadonlyMap<string, KindSpec>,
  overrides: Record<string, unknown>,
  ids: { runId: string; notebookVersionId: string },
): { plan: RunPlan | undefined; issues: NotebookIssue[] } {
  const parsed = analyzeNotebook(source, kinds);
  if (!parsed.notebook) return { plan: undefined, issues: parsed.issues };
  const resolved = resolveParams(parsed.notebook, overrides ?? {});
  if (resolved.issues.length > 0) return { plan: undefined, issues: resolved.issues };
  // Checked again with the run's values: a param may pass its own bounds yet not suit a kind.
  const analysis = analyzeNotebook(source, kinds, resolved.params);
  if (!analysis.notebook) return { plan: undefined, issues: analysis.issues };
  const issues: NotebookIssue[] = [];
  const planned: PlannedCell[] = [];
  for (const { cell, checked } of topologicalOrder(analysis.cells.map((c) => ({ ...c, id: c.cell.id, needs: c.cell.needs })))) {
    const spec = kinds.get(cell.kind);
    if (!spec) {
      issues.push({ line: cell.line, column: 1, cellId: cell.id, message: `cell "${cell.id}": kind "${cell.kind}" is not installed` });
      continue;
    }
    const used: Record<string, JsonValue> = {};
    for (const name of [...checked.usedParams].sort()) used[name] = resolved.params[name] ?? null;
    const retry = { ...spec.retry, ...checked.overrides.retry };
    retry.nonRetryableErrorTypes = [...new Set([...spec.retry.nonRetryableErrorTypes, ...(checked.overrides.retry?.nonRetryableErrorTypes ?? [])])];
    planned.push({
      id: cell.id,
      kind: cell.kind,
      needs: [...cell.needs],
      queue: cell.queue ?? spec.defaultQueue,
      retry,
      timeouts: { ...spec.timeouts, ...checked.overrides.timeouts },
      config: checked.config,
      inputHash: sha256Hex(canonicalJson({ kind: cell.kind, config: checked.config, params: used })),
      cache: checked.overrides.cache ?? spec.cacheable !== false,
    });
  }
  if (issues.length > 0) return { plan: undefined, issues };
  return {
    plan: { runId: ids.runId, notebookName: analysis.notebook.name, notebookVersionId: ids.notebookVersionId, params: resolved.params, cells: planned },
    issues: [],
  };
}
