import { LoomInputError } from '../core/errors.js';
import { parseIsoDay } from './calendar.js';
import { MAX_CUSTOMERS } from './campaign.js';
import { DEFAULT_EFFECT, LIFT_RANGE, SEGMENTS, type EffectSpec } from './loyalty-model.js';

export const MAX_LOYALTY_DAYS = 730;
export const MAX_ARMS = 10;
export const DEFAULT_EXPOSURE_DAYS = 14;
/** Letters, digits, `_` and `-`, starting with a letter: safe as a CSV value, a label and an identifier part. */
export const ARM_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export interface LoyaltyArm {
  name: string;
  /** Treatment arms get the planted lift; control arms (`false`) never do. */
  treatment: boolean;
}

export interface LoyaltyOptions {
  customers: number;
  seed: number;
  /** Day 0, `YYYY-MM-DD` (UTC): exposures start then. */
  start: string;
  /** Days observed from day 0; events stop at the end of day `days − 1`. */
  days: number;
  arms: readonly LoyaltyArm[];
  /** The arm of a customer; must be a pure function of the id (the same id always gets the same arm). */
  assign: (customerId: string) => string;
  /** @default DEFAULT_EFFECT */
  effect?: EffectSpec | undefined;
  /** Exposures are spread evenly over days 0 .. exposureDays − 1. @default min(14, days) */
  exposureDays?: number | undefined;
}

/** Options checked and completed. */
export interface ResolvedLoyaltyOptions {
  customers: number;
  seed: number;
  start: string;
  startDay: number;
  days: number;
  exposureDays: number;
  arms: readonly LoyaltyArm[];
  effect: EffectSpec;
  assign: (customerId: string) => string;
}

/** A short, printable rendering of any value for an error message. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function wholeNumber(name: string, value: unknown, min: number, max: number, example: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new LoomInputError(`${name} must be a whole number from ${min} to ${max}, got ${shown(value)}; e.g. ${example}`);
  }
  return value;
}

function checkArms(value: unknown): LoyaltyArm[] {
  if (!Array.isArray(value) || value.length < 2 || value.length > MAX_ARMS) {
    throw new LoomInputError(`arms must list 2 to ${MAX_ARMS} arms, e.g. [{ name: "control", treatment: false }, { name: "treatment", treatment: true }]`);
  }
  const seen = new Set<string>();
  const arms = (value as unknown[]).map((arm, i): LoyaltyArm => {
    const a = (typeof arm === 'object' && arm !== null ? arm : {}) as Record<string, unknown>;
    if (typeof a.name !== 'string' || !ARM_NAME.test(a.name)) {
      throw new LoomInputError(`arms[${i}].name must be 1–64 letters, digits, "_" or "-" starting with a letter, got ${shown(a.name)}`);
    }
    if (typeof a.treatment !== 'boolean') throw new LoomInputError(`arms[${i}].treatment must be true or false, got ${shown(a.treatment)}`);
    if (seen.has(a.name)) throw new LoomInputError(`arms has "${a.name}" twice; give each arm its own name`);
    seen.add(a.name);
    return { name: a.name, treatment: a.treatment };
  });
  if (!arms.some((a) => !a.treatment)) throw new LoomInputError('arms needs at least one control arm (treatment: false) to compare against');
  return arms;
}

export function checkEffect(value: unknown): EffectSpec {
  if (value === undefined) return DEFAULT_EFFECT;
  const lifts = (typeof value === 'object' && value !== null ? (value as Record<string, unknown>).relativeLift : undefined);
  if (typeof lifts !== 'object' || lifts === null) {
    throw new LoomInputError(`effect must look like { relativeLift: { high: 0.2, medium: 0.05, low: 0 } }, got ${shown(value)}`);
  }
  const relativeLift = { high: 0, medium: 0, low: 0 };
  for (const segment of SEGMENTS) {
    const lift = (lifts as Record<string, unknown>)[segment];
    if (typeof lift !== 'number' || !Number.isFinite(lift) || lift < LIFT_RANGE.min || lift > LIFT_RANGE.max) {
      throw new LoomInputError(
        `effect.relativeLift.${segment} must be a number from ${LIFT_RANGE.min} to ${LIFT_RANGE.max} (0.2 = +20% purchase hazard), got ${shown(lift)}`,
      );
    }
    relativeLift[segment] = lift;
  }
  const extra = Object.keys(lifts).filter((k) => !(SEGMENTS as readonly string[]).includes(k));
  if (extra.length > 0) throw new LoomInputError(`effect.relativeLift has unknown segment ${shown(extra[0])}; the segments are high, medium and low`);
  return { relativeLift };
}

/** Checks every option and fills in defaults; throws LoomInputError naming the option and the fix. */
export function resolveLoyaltyOptions(options: LoyaltyOptions): ResolvedLoyaltyOptions {
  const o = (typeof options === 'object' && options !== null ? options : {}) as Partial<Record<keyof LoyaltyOptions, unknown>>;
  const customers = wholeNumber('customers', o.customers, 1, MAX_CUSTOMERS, 'customers: 10000');
  if (typeof o.seed !== 'number' || !Number.isSafeInteger(o.seed)) throw new LoomInputError(`seed must be a whole number, got ${shown(o.seed)}`);
  const startDay = typeof o.start === 'string' ? parseIsoDay(o.start) : undefined;
  if (startDay === undefined) throw new LoomInputError(`start must be a date like 2026-03-01, got ${shown(o.start)}`);
  const days = wholeNumber('days', o.days, 1, MAX_LOYALTY_DAYS, 'days: 60');
  const exposureDays = o.exposureDays === undefined ? Math.min(DEFAULT_EXPOSURE_DAYS, days) : wholeNumber('exposureDays', o.exposureDays, 1, days, `exposureDays: ${Math.min(DEFAULT_EXPOSURE_DAYS, days)} (at most days)`);
  const arms = checkArms(o.arms);
  if (typeof o.assign !== 'function') throw new LoomInputError('assign must be a function from a customer id to an arm name');
  return {
    customers,
    seed: o.seed,
    start: o.start as string,
    startDay,
    days,
    exposureDays,
    arms,
    effect: checkEffect(o.effect),
    assign: o.assign as (customerId: string) => string,
  };
}
