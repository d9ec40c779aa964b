import { hashAssignment, simulateLoyalty, type EffectSpec, type LoyaltySimulation } from '../../simulator/index.js';

export const TWO_ARMS = [
  { name: 'control', treatment: false },
  { name: 'treatment', treatment: true },
] as const;

export const A_A: EffectSpec = { relativeLift: { high: 0, medium: 0, low: 0 } };

/** A two-arm loyalty simulation with equal hash assignment: 14 days of exposures, 30 days to measure after the last. */
export function twoArmSimulation(customers: number, seed: number, effect?: EffectSpec, days = 44): LoyaltySimulation {
  return simulateLoyalty({
    customers,
    seed,
    start: '2026-03-02',
    days,
    arms: [...TWO_ARMS],
    assign: hashAssignment(['control', 'treatment'], `test-${seed}`),
    effect,
  });
}
