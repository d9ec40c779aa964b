import { LoomInputError } from '../../core/errors.js';
import type { Database } from '../../db/client.js';
import { applyDecision } from '../../services/experiments/promote.js';
import { armsOf, findExperiment, recordDecision } from '../../services/experiments/store.js';

export interface ConcludeInput {
  experimentId: string;
  decision: string;
  reason: string;
  atMs: number;
}

export interface ConcludeOutput {
  decision: string;
  reason: string;
  promoted: boolean;
  note: string;
}

/** Applies the decision to the registry, then records it; both steps are idempotent, so retries are safe. */
export async function concludeExperiment(db: Database, input: ConcludeInput): Promise<ConcludeOutput> {
  const exp = await findExperiment({ db }, input.experimentId);
  if (!exp) throw new LoomInputError(`experiment ${input.experimentId} does not exist (was it deleted?)`);
  const treatment = (await armsOf({ db }, exp.id)).find((a) => a.name === 'treatment');
  const promotion = await applyDecision({ db }, {
    modelName: exp.modelName,
    decision: input.decision,
    experimentName: exp.name,
    challengerVersionId: treatment?.modelVersionId ?? null,
  });
  const reason = `${input.reason}; ${promotion.note}`;
  await recordDecision({ db }, exp.id, { decision: input.decision, reason, at: new Date(input.atMs) });
  return { decision: input.decision, reason, promoted: promotion.promoted, note: promotion.note };
}
