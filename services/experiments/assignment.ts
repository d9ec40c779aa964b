import { assignArm } from '../../experiments/assignment.js';
import type { Database } from '../../db/client.js';
import { BadUserInputError, ConflictError } from '../errors.js';
import { MAX_ID_CHARS } from './events.js';
import { armsOf, getExperiment } from './store.js';

export interface Assignment {
  experimentId: string;
  arm: string;
  /** Registry alias the app should call for this customer (null: serve no model). */
  modelAlias: string | null;
  modelVersionId: string | null;
  modelName: string | null;
  /** When the customer was first exposed (this call, or an earlier one: the first wins). */
  firstExposedAt: Date;
}

/**
 * The customer's arm and the model it routes to; logs the exposure (first one wins, so repeated
 * calls are idempotent and never move a customer).
 */
export async function assignCustomer(deps: { db: Database }, input: { experiment: string; customerId: string; now?: Date }): Promise<Assignment> {
  const { customerId } = input;
  if (typeof customerId !== 'string' || customerId.length === 0 || customerId.length > MAX_ID_CHARS || customerId.includes('\0')) {
    throw new BadUserInputError(`customerId must be 1–${MAX_ID_CHARS} characters without NUL.`);
  }
  const exp = await getExperiment(deps, input.experiment);
  if (exp.status !== 'running') throw new ConflictError(`Experiment "${exp.name}" is ${exp.status} (decision: ${exp.decision ?? 'none'}); it no longer assigns customers.`);
  const arms = await armsOf(deps, exp.id);
  const armName = assignArm(exp.salt, customerId, arms);
  const arm = arms.find((a) => a.name === armName)!;
  const now = input.now ?? new Date();
  const rows = await deps.db.query<{ arm: string; first_exposed_at: Date | string }>(
    `WITH ins AS (
       INSERT INTO experiment_exposures (experiment_id, customer_id, arm, first_exposed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (experiment_id, customer_id) DO NOTHING RETURNING arm, first_exposed_at
     )
     SELECT arm, first_exposed_at FROM ins
     UNION ALL
     SELECT arm, first_exposed_at FROM experiment_exposures WHERE experiment_id = $1 AND customer_id = $2 AND NOT EXISTS (SELECT 1 FROM ins)`,
    [exp.id, customerId, armName, now.toISOString()],
  );
  const first = rows[0];
  return {
    experimentId: exp.id,
    arm: first?.arm ?? armName,
    modelAlias: arm.modelAlias,
    modelVersionId: arm.modelVersionId,
    modelName: exp.modelName,
    firstExposedAt: first ? new Date(first.first_exposed_at) : now,
  };
}
