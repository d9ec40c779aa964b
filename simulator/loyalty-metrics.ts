import { LoomInputError } from '../core/errors.js';
import type { LoyaltySimulation } from './loyalty.js';
import { DAY_MS, type Exposure, type LoyaltyEvent } from './loyalty-customer.js';
import { CHURN_INACTIVE_DAYS, RETENTION_WEEK_DAYS, type ExpectedMetrics, type MetricWindow } from './loyalty-expected.js';
import { LOYALTY_MODEL } from './loyalty-model.js';
import { resolveWindow, type TruthWindow } from './loyalty-truth.js';

/**
 * Loyalty metrics measured from generated exposures and events, with the definitions of
 * `truth().definitions`: what an experiment engine should find on the same data.
 * Windows are half-open in time after exposure: post [0, windowDays), retention
 * [retentionDay, retentionDay + 7), churn [windowDays − 30, windowDays); pre-period [−30, 0).
 */

export type MetricName = keyof ExpectedMetrics;
export const METRIC_NAMES: readonly MetricName[] = [
  'repeatPurchaseRate',
  'purchasesPerCustomer',
  'revenuePerCustomer',
  'retentionRate',
  'churnRate',
  'prePurchasesPerCustomer',
  'preVisitsPerCustomer',
];

/** One customer's value of every metric (0/1 for rates). */
export type CustomerOutcome = ExpectedMetrics;

export interface MeasureOptions extends TruthWindow {
  /** Revenue per customer is capped at this value before averaging (winsorising); default uncapped. */
  revenueCap?: number | undefined;
}

export interface GroupMetrics {
  customers: number;
  mean: ExpectedMetrics;
  /** Sample variance across customers; standard error = sqrt(variance / customers). */
  variance: ExpectedMetrics;
}

type EventLike = Pick<LoyaltyEvent, 'type' | 'value' | 'occurredAt'>;

function toMs(at: string | number, what: string): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new LoomInputError(`${what} must be an ISO timestamp, got ${JSON.stringify(String(at).slice(0, 40))}`);
  return ms;
}

/**
 * One customer's metrics from its exposure and events (in any order). `times`, when given, holds
 * each event's time in epoch milliseconds in the same order and spares parsing `occurredAt`.
 */
export function customerOutcome(
  exposedAt: string | number,
  events: readonly EventLike[],
  window: MetricWindow,
  revenueCap = Infinity,
  times?: readonly number[],
): CustomerOutcome {
  const e = toMs(exposedAt, 'exposedAt');
  const end = e + window.windowDays * DAY_MS;
  const retentionFrom = e + window.retentionDay * DAY_MS;
  const retentionTo = retentionFrom + RETENTION_WEEK_DAYS * DAY_MS;
  const churnFrom = end - Math.min(CHURN_INACTIVE_DAYS, window.windowDays) * DAY_MS;
  const preFrom = e - LOYALTY_MODEL.prePeriodDays * DAY_MS;
  const o: CustomerOutcome = {
    repeatPurchaseRate: 0,
    purchasesPerCustomer: 0,
    revenuePerCustomer: 0,
    retentionRate: 0,
    churnRate: 1,
    prePurchasesPerCustomer: 0,
    preVisitsPerCustomer: 0,
  };
  for (let i = 0; i < events.length; i++) {
    const ev = events[i] as EventLike;
    if (ev.type === 'review') continue;
    const t = times?.[i] ?? toMs(ev.occurredAt, 'occurredAt');
    if (t < e) {
      if (t >= preFrom && ev.type === 'purchase') o.prePurchasesPerCustomer++;
      else if (t >= preFrom) o.preVisitsPerCustomer++;
      continue;
    }
    if (t >= end) continue;
    if (ev.type === 'purchase') {
      o.repeatPurchaseRate = 1;
      o.purchasesPerCustomer++;
      o.revenuePerCustomer += ev.value;
    }
    if (t >= retentionFrom && t < retentionTo) o.retentionRate = 1;
    if (t >= churnFrom) o.churnRate = 0;
  }
  o.revenuePerCustomer = Math.min(o.revenuePerCustomer, revenueCap);
  return o;
}

/** Running mean and variance per group (Welford), so memory stays constant in the number of customers. */
export class LoyaltyTally {
  private readonly groups = new Map<string, { n: number; mean: ExpectedMetrics; m2: ExpectedMetrics }>();

  add(group: string, outcome: CustomerOutcome): void {
    let g = this.groups.get(group);
    if (!g) {
      const zero = () => Object.fromEntries(METRIC_NAMES.map((k) => [k, 0])) as unknown as ExpectedMetrics;
      g = { n: 0, mean: zero(), m2: zero() };
      this.groups.set(group, g);
    }
    g.n++;
    for (const k of METRIC_NAMES) {
      const delta = outcome[k] - g.mean[k];
      g.mean[k] += delta / g.n;
      g.m2[k] += delta * (outcome[k] - g.mean[k]);
    }
  }

  summary(): Map<string, GroupMetrics> {
    const out = new Map<string, GroupMetrics>();
    for (const [name, g] of this.groups) {
      const variance = Object.fromEntries(METRIC_NAMES.map((k) => [k, g.n > 1 ? g.m2[k] / (g.n - 1) : 0])) as unknown as ExpectedMetrics;
      out.set(name, { customers: g.n, mean: { ...g.mean }, variance });
    }
    return out;
  }
}

function checkCap(cap: number | undefined): number {
  if (cap === undefined) return Infinity;
  if (typeof cap !== 'number' || Number.isNaN(cap) || cap <= 0) throw new LoomInputError(`revenueCap must be a positive number, got ${String(cap)}`);
  return cap;
}

/**
 * The realised metrics of a simulation per arm and per arm and intent segment (`"<arm>/<segment>"`),
 * streaming over its customers (constant memory).
 */
export function measureSimulation(sim: LoyaltySimulation, options: MeasureOptions = {}): { arms: Map<string, GroupMetrics>; segments: Map<string, GroupMetrics> } {
  const window = resolveWindow(sim.options, options);
  const cap = checkCap(options.revenueCap);
  const arms = new LoyaltyTally();
  const segments = new LoyaltyTally();
  for (const c of sim.customers()) {
    const outcome = customerOutcome(c.exposedMs, c.events, window, cap, c.eventTimes);
    arms.add(c.arm, outcome);
    segments.add(`${c.arm}/${c.segment}`, outcome);
  }
  return { arms: arms.summary(), segments: segments.summary() };
}

/**
 * The same metrics per arm from plain exposure and event streams (e.g. read back from CSV or a
 * database), in any order. Holds every customer's events in memory; events of customers without an
 * exposure are ignored. The window must fit in the observed data or late customers are undercounted.
 */
export function measureStreams(exposures: Iterable<Exposure>, events: Iterable<LoyaltyEvent>, window: MetricWindow, revenueCap?: number): Map<string, GroupMetrics> {
  const cap = checkCap(revenueCap);
  const byCustomer = new Map<string, { exposure: Exposure; events: EventLike[] }>();
  for (const x of exposures) {
    if (byCustomer.has(x.customerId)) throw new LoomInputError(`customer ${x.customerId} has two exposures; keep the first exposure only`);
    byCustomer.set(x.customerId, { exposure: x, events: [] });
  }
  for (const ev of events) byCustomer.get(ev.customerId)?.events.push(ev);
  const tally = new LoyaltyTally();
  for (const { exposure, events: evs } of byCustomer.values()) tally.add(exposure.arm, customerOutcome(exposure.exposedAt, evs, window, cap));
  return tally.summary();
}
