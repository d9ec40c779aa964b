import { LoomInputError } from '../core/errors.js';
import { fnv1a32 } from './assignment.js';
import { DAY_MS, generateLoyaltyCustomer, loyaltyProfile, type Exposure, type LoyaltyContext, type LoyaltyCustomer, type LoyaltyEvent } from './loyalty-customer.js';
import { SEGMENTS } from './loyalty-model.js';
import { resolveLoyaltyOptions, shown, type LoyaltyOptions, type ResolvedLoyaltyOptions } from './loyalty-options.js';
import { loyaltyTruth, type LoyaltyTruth, type TruthWindow } from './loyalty-truth.js';

export interface LoyaltySimulation {
  readonly options: Readonly<Omit<ResolvedLoyaltyOptions, 'assign'>>;
  /** Customers 1..N in order, one at a time, with their exposure, events and latent truth. */
  customers(): Generator<LoyaltyCustomer>;
  /** Customer `index` (1-based) alone, identical to its place in the full sequence. */
  customerAt(index: number): LoyaltyCustomer;
  /** One exposure per customer, in customer order (not time order). */
  exposures(): Generator<Exposure>;
  /** Every customer's events in time order, customer after customer: pre-period history, then post-exposure behaviour. */
  events(): Generator<LoyaltyEvent>;
  /** The planted effect per segment and the expected metrics per arm (population values, from the model). */
  truth(window?: TruthWindow): LoyaltyTruth;
}

/**
 * Simulates an experiment on loyalty: every customer is exposed once in the first `exposureDays`
 * days, then visits, buys and reviews until the end of `days` or until they stop coming back;
 * the 30 days before exposure are history (the pre-period). Treatment arms raise the purchase
 * hazard by the planted lift of the customer's intent segment (see loyalty-model.ts).
 *
 * Pure and lazy: nothing is generated until iterated, each iteration starts over and yields the
 * same data, and memory does not grow with `customers`. Throws LoomInputError for bad options;
 * iteration throws LoomInputError if `assign` returns a name that is not an arm.
 */
export function simulateLoyalty(options: LoyaltyOptions): LoyaltySimulation {
  const o = resolveLoyaltyOptions(options);
  const startMs = o.startDay * DAY_MS;
  const armByName = new Map(o.arms.map((a) => [a.name, a]));
  const lifts = SEGMENTS.map((s) => o.effect.relativeLift[s]);
  const anyTreatment = o.arms.some((a) => a.treatment);
  const { assign: _assign, ...described } = o;
  const ctx: LoyaltyContext = {
    seed: o.seed,
    startMs,
    endMs: startMs + o.days * DAY_MS,
    exposureDays: o.exposureDays,
    effect: o.effect,
    maxMultiplier: anyTreatment ? Math.max(1, ...lifts.map((l) => 1 + l)) : 1,
    keyPrefix: `sim${fnv1a32(JSON.stringify([o.seed, o.start, o.days, o.exposureDays, o.arms, o.effect])).toString(16).padStart(8, '0')}`,
  };

  const armOf = (customerId: string) => {
    let name: unknown;
    try {
      name = o.assign(customerId);
    } catch (err) {
      throw new LoomInputError(`assign failed for customer ${customerId}: ${err instanceof Error ? err.message : shown(err)}`);
    }
    const arm = typeof name === 'string' ? armByName.get(name) : undefined;
    if (!arm) {
      throw new LoomInputError(`assign returned ${shown(name)} for customer ${customerId}, which is not an arm; the arms are ${o.arms.map((a) => a.name).join(', ')}`);
    }
    return { arm: arm.name, treatment: arm.treatment };
  };

  const customerAt = (index: number): LoyaltyCustomer => {
    if (!Number.isInteger(index) || index < 1 || index > o.customers) throw new RangeError(`no customer ${index} in 1..${o.customers}`);
    return generateLoyaltyCustomer(ctx, index, armOf);
  };

  function* customers(): Generator<LoyaltyCustomer> {
    for (let i = 1; i <= o.customers; i++) yield customerAt(i);
  }

  return {
    options: described,
    customers,
    customerAt,
    *exposures() {
      for (let i = 1; i <= o.customers; i++) yield loyaltyProfile(ctx, i, armOf).exposure;
    },
    *events() {
      for (const c of customers()) yield* c.events;
    },
    truth: (window) => loyaltyTruth(o, window),
  };
}
