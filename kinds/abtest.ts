import { z } from 'zod';
import { TASK_QUEUES } from '../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from './types.js';

const DAY_MS = 86_400_000;
const MAX_DURATION_MS = 366 * DAY_MS;

/** `1d`, `12h`, `30m`, `45s`, `2w`, or a number of days. */
export const experimentDuration = z.union([
  z.number().positive().transform((d) => Math.round(d * DAY_MS)),
  z.string().regex(/^\d+(\.\d+)?\s*(s|m|h|d|w)$/, 'durations look like "1d", "12h", "30m" or "2w"').transform((s) => {
    const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/.exec(s)!;
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
    return Math.round(Number(m[1]) * unit);
  }),
], { error: 'a duration must be a number of days or look like "1d", "12h", "30m" or "2w"' })
  .pipe(z.number().int().min(1_000, 'a duration must be at least 1s').max(MAX_DURATION_MS, 'a duration may be at most 366d'));

const days = z.number().int('days must be a whole number').min(1, 'days must be at least 1').max(365, 'days may be at most 365');
const better = z.enum(['higher', 'lower'], { error: 'better must be "higher" or "lower"' });
const cap = z.union([
  z.strictObject({ value: z.number().positive('a cap value must be positive') }),
  z.strictObject({ percentile: z.number().gt(0.5, 'a winsorisation percentile must be above 0.5').max(0.9999, 'a winsorisation percentile must be below 1') }),
], { error: 'cap must be { value: <number> } or { percentile: <0.5–0.9999> }' });

/**
 * A loyalty metric, computed per exposed customer relative to their first exposure. Windows are
 * in days; customers whose window has not ended by the analysis time are not counted yet.
 */
export const metricSpecSchema = z.discriminatedUnion('type', [
  /** 1 if the customer purchased within `days` of first exposure. */
  z.strictObject({ type: z.literal('repeat_purchase'), days: days.default(14), better: better.default('higher') }),
  /** 1 if any visit or purchase happened in [day, day + window) after first exposure. */
  z.strictObject({ type: z.literal('retention'), day: days.default(7), window: days.default(7), better: better.default('higher') }),
  /** Purchases per customer within `days` of exposure (or up to the analysis time when absent). */
  z.strictObject({ type: z.literal('purchases'), days: days.optional(), cap: cap.optional(), better: better.default('higher') }),
  /** Revenue per customer within `days` of exposure (or up to the analysis time when absent). */
  z.strictObject({ type: z.literal('revenue'), days: days.optional(), cap: cap.optional(), better: better.default('higher') }),
  /** 1 if no visit or purchase in the last `inactiveDays` before the analysis time. */
  z.strictObject({ type: z.literal('churn'), inactiveDays: days.default(14), better: better.default('lower') }),
  /** 1 if the customer wrote a review within `days` of exposure. */
  z.strictObject({ type: z.literal('review_rate'), days: days.default(14), better: better.default('higher') }),
  /** 1 if the customer wrote a review rated at most `maxRating` within `days` of exposure. */
  z.strictObject({ type: z.literal('negative_review_rate'), days: days.default(14), maxRating: z.number().min(0).max(10).default(2), better: better.default('lower') }),
], { error: 'metric type must be one of repeat_purchase, retention, purchases, revenue, churn, review_rate, negative_review_rate' });

export type MetricSpec = z.infer<typeof metricSpecSchema>;
export type MetricType = MetricSpec['type'];

const arm = (defaultAlias: string) => z.strictObject({
  weight: z.number().positive('an arm weight must be positive').max(1_000_000, 'an arm weight may be at most 1000000'),
  /** Registry alias the arm routes to; `none` serves no model. */
  alias: z.enum(['champion', 'challenger', 'none'], { error: 'alias must be champion, challenger or none' }).default(defaultAlias as 'champion'),
});

export const abtestConfigSchema = z.strictObject({
  /** Experiment name; unique. Defaults to `<notebook run>-<cell id>`. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'name must be 1–100 characters of letters, digits, "_", "." or "-"').optional(),
  /** Model registry name whose champion/challenger aliases the arms route to; promotion needs it. */
  model: z.string().min(1, 'model is empty').max(200, 'model may be at most 200 characters').optional(),
  arms: z.strictObject({ control: arm('champion'), treatment: arm('challenger') }),
  metric: metricSpecSchema,
  guardrails: z.array(metricSpecSchema).max(10, 'at most 10 guardrails').default([]),
  analyzeEvery: experimentDuration.default(DAY_MS),
  maxDuration: experimentDuration.default(28 * DAY_MS),
  minDuration: experimentDuration.default(7 * DAY_MS),
  alpha: z.number().gt(0, 'alpha must be above 0').max(0.2, 'alpha may be at most 0.2').default(0.05),
  sequential: z.strictObject({ nStar: z.number().int().min(10).max(100_000_000).default(5000) }).default({ nStar: 5000 }),
  cuped: z.boolean().default(true),
  /** Simulation: events come from a seeded generator and the analysis clock advances one `analyzeEvery` per tick. */
  simulate: z.strictObject({
    customers: z.number().int().min(10, 'simulate at least 10 customers').max(1_000_000, 'simulate at most 1000000 customers'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /**
     * Planted relative lift of the treatment on purchase propensity (0.1 = +10%): one number for
     * every customer, or per intent segment (`{ high: 0.3, medium: 0.1, low: 0 }`) for a
     * heterogeneous effect such as personalised offers that help high-intent customers most.
     */
    effect: z.union([
      z.number().min(-0.9).max(5),
      z.strictObject({ high: z.number().min(-0.9).max(5), medium: z.number().min(-0.9).max(5), low: z.number().min(-0.9).max(5) }),
    ]).default(0),
    /** Real time between simulated analyses. */
    tick: experimentDuration.default(1_000),
  }).optional(),
}).superRefine((c, ctx) => {
  if (c.minDuration > c.maxDuration) ctx.addIssue({ code: 'custom', path: ['minDuration'], message: 'minDuration is longer than maxDuration' });
  if (c.analyzeEvery > c.maxDuration) ctx.addIssue({ code: 'custom', path: ['analyzeEvery'], message: 'analyzeEvery is longer than maxDuration, so no analysis would run' });
  if (c.maxDuration / c.analyzeEvery > 2_000) ctx.addIssue({ code: 'custom', path: ['analyzeEvery'], message: 'more than 2000 analyses: analyse less often or shorten maxDuration' });
});

export type AbtestConfig = z.infer<typeof abtestConfigSchema>;

export const abtestKind: KindSpec<AbtestConfig> = {
  kind: 'abtest',
  description: 'Runs an A/B test of the champion against the challenger on a loyalty metric and promotes the winner.',
  schema: abtestConfigSchema,
  defaultQueue: TASK_QUEUES.cpu,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 5 },
  timeouts: { startToCloseMs: 30 * 60_000, heartbeatMs: 60_000 },
  outputs: ['experiment', 'decision', 'winner', 'held'],
  // An experiment observes customers; its result is never taken from an earlier run.
  cacheable: false,
};
