import type { Database } from '../../db/client.js';
import { quoteIdent } from '../../db/client.js';
import { assignArm } from '../../experiments/assignment.js';
import { simulateLoyalty } from '../../simulator/loyalty.js';

/**
 * Simulation mode: exposures and events for every simulated customer, from the loyalty simulator
 * (planted treatment effect), loaded with COPY in one transaction. Customer ids and idempotency
 * keys carry the experiment id, so simulated experiments never see each other's events. A retried
 * load finds the exposures already there and loads nothing.
 */
export interface SimulateInput {
  experimentId: string;
  salt: string;
  arms: { name: string; weight: number }[];
  customers: number;
  seed: number;
  effect: number | { high: number; medium: number; low: number };
  start: Date;
  days: number;
}

const DAY_MS = 86_400_000;

export async function loadSimulation(db: Database, input: SimulateInput, progress: (rows: number) => void): Promise<{ exposures: number; events: number; loaded: boolean }> {
  const prefix = `${input.experimentId}-`;
  const sim = simulateLoyalty({
    customers: input.customers,
    seed: input.seed,
    start: input.start.toISOString().slice(0, 10),
    days: Math.max(1, Math.ceil(input.days)),
    arms: input.arms.map((a) => ({ name: a.name, treatment: a.name !== 'control' })),
    assign: (id) => assignArm(input.salt, prefix + id, input.arms),
    effect: { relativeLift: typeof input.effect === 'number' ? { high: input.effect, medium: input.effect, low: input.effect } : input.effect },
    exposureDays: Math.max(1, Math.min(14, Math.floor(input.days / 2))),
  });
  return db.transaction(async (tx) => {
    const [have] = await tx.query<{ n: string }>('SELECT count(*) AS n FROM experiment_exposures WHERE experiment_id = $1', [input.experimentId]);
    if (Number(have?.n ?? 0) > 0) return { exposures: Number(have?.n), events: 0, loaded: false };
    let exposures = 0;
    let events = 0;
    await tx.copyFrom(quoteIdent('experiment_exposures'), ['experiment_id', 'customer_id', 'arm', 'first_exposed_at'].map(quoteIdent), (async function* () {
      for (const e of sim.exposures()) {
        exposures++;
        yield `${input.experimentId},${prefix}${e.customerId},${e.arm},${e.exposedAt}\n`;
      }
    })());
    // Keys are new for this experiment, so COPY cannot conflict; batches keep memory flat.
    await tx.copyFrom(quoteIdent('customer_events'), ['customer_id', 'type', 'value', 'occurred_at', 'idempotency_key'].map(quoteIdent), (async function* () {
      let batch = '';
      for (const e of sim.events()) {
        events++;
        batch += `${prefix}${e.customerId},${e.type},${e.value},${e.occurredAt},${prefix}${e.idempotencyKey}\n`;
        if (batch.length > 1 << 20) {
          progress(events);
          yield batch;
          batch = '';
        }
      }
      if (batch) yield batch;
    })());
    return { exposures, events, loaded: true };
  });
}

export const simulationDays = (maxDurationMs: number) => Math.ceil(maxDurationMs / DAY_MS);
