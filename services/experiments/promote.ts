import type { Database } from '../../db/client.js';
import { aliasTarget, setAlias } from '../models.js';

/**
 * Applies an experiment's decision to the model registry: `ship` moves `champion` to the
 * challenger's version; anything else leaves `champion` and points `challenger` back at the
 * champion's version (the challenger is retired). Both moves are idempotent.
 */
export interface Promotion {
  promoted: boolean;
  note: string;
}

export async function applyDecision(deps: { db: Database }, input: { modelName: string | null; decision: string; experimentName: string; challengerVersionId: string | null }): Promise<Promotion> {
  const { modelName, decision } = input;
  if (!modelName) return { promoted: false, note: 'no model configured; nothing to promote' };
  const by = `experiment:${input.experimentName}`;
  if (decision === 'ship') {
    const versionId = input.challengerVersionId ?? (await aliasTarget(deps, modelName, 'challenger'))?.id;
    if (!versionId) return { promoted: false, note: `model "${modelName}" has no challenger version to promote` };
    const move = await setAlias(deps, modelName, 'champion', versionId, by, `A/B test ${input.experimentName}: treatment won`);
    return { promoted: true, note: move.moved ? `champion moved to ${versionId}` : `champion already at ${versionId}` };
  }
  const champion = await aliasTarget(deps, modelName, 'champion');
  if (!champion) return { promoted: false, note: `model "${modelName}" has no champion; challenger left as is` };
  await setAlias(deps, modelName, 'challenger', champion.id, by, `A/B test ${input.experimentName}: ${decision}, challenger rolled back`);
  return { promoted: false, note: `champion kept at ${champion.id}; challenger rolled back to it` };
}
