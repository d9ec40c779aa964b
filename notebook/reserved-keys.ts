import type { JsonValue } from '../core/mime.js';
import type { CellRetryPolicy } from '../core/run-plan.js';
import { parseDuration } from './duration.js';
import { didYouMean, show } from './text.js';
import type { CellOverrides } from './types.js';

/** Config keys Loom reads itself; the kind schema never sees them. */
export const RESERVED_KEYS = ['retry', 'timeout', 'heartbeatTimeout', 'cache'] as const;
const RETRY_KEYS = ['maximumAttempts', 'initialInterval', 'backoffCoefficient', 'maximumInterval', 'nonRetryableErrorTypes'] as const;

export type Problem = { path: string[]; message: string; key?: boolean };

/** Reads the reserved keys of a cell config into overrides. `skip` lists keys not known yet. */
export function readReservedKeys(config: Record<string, JsonValue>, skip: ReadonlySet<string>): { overrides: CellOverrides; problems: Problem[] } {
  const overrides: CellOverrides = {};
  const problems: Problem[] = [];
  const duration = (key: string): number | undefined => {
    const d = parseDuration(config[key]);
    if ('error' in d) problems.push({ path: [key], message: d.error });
    return 'ms' in d ? d.ms : undefined;
  };
  if (config.retry !== undefined && !skip.has('retry')) {
    const retry = readRetry(config.retry, problems);
    if (retry) overrides.retry = retry;
  }
  if (config.timeout !== undefined && !skip.has('timeout')) {
    const ms = duration('timeout');
    if (ms !== undefined) overrides.timeouts = { ...overrides.timeouts, startToCloseMs: ms };
  }
  if (config.heartbeatTimeout !== undefined && !skip.has('heartbeatTimeout')) {
    const ms = duration('heartbeatTimeout');
    if (ms !== undefined) overrides.timeouts = { ...overrides.timeouts, heartbeatMs: ms };
  }
  if (config.cache !== undefined && !skip.has('cache')) {
    if (typeof config.cache !== 'boolean') problems.push({ path: ['cache'], message: `must be true or false, got ${show(config.cache)}` });
    else overrides.cache = config.cache;
  }
  return { overrides, problems };
}

function readRetry(raw: JsonValue, problems: Problem[]): Partial<CellRetryPolicy> | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ path: ['retry'], message: 'must be a mapping, e.g. retry: { maximumAttempts: 5, initialInterval: 5s }' });
    return undefined;
  }
  const retry: Partial<CellRetryPolicy> = {};
  for (const key of Object.keys(raw)) {
    if (!(RETRY_KEYS as readonly string[]).includes(key)) {
      problems.push({ path: ['retry', key], key: true, message: `unknown key; retry takes ${RETRY_KEYS.join(', ')}${didYouMean(key, RETRY_KEYS)}` });
    }
  }
  const attempts = raw.maximumAttempts;
  if (attempts !== undefined) {
    if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1 || attempts > 100) {
      problems.push({ path: ['retry', 'maximumAttempts'], message: `must be a whole number from 1 to 100, got ${show(attempts)}` });
    } else retry.maximumAttempts = attempts;
  }
  const coefficient = raw.backoffCoefficient;
  if (coefficient !== undefined) {
    if (typeof coefficient !== 'number' || coefficient < 1 || coefficient > 100) {
      problems.push({ path: ['retry', 'backoffCoefficient'], message: `must be a number from 1 to 100, got ${show(coefficient)}` });
    } else retry.backoffCoefficient = coefficient;
  }
  for (const [key, target] of [['initialInterval', 'initialIntervalMs'], ['maximumInterval', 'maximumIntervalMs']] as const) {
    if (raw[key] === undefined) continue;
    const d = parseDuration(raw[key]);
    if ('error' in d) problems.push({ path: ['retry', key], message: d.error });
    else retry[target] = d.ms;
  }
  if (retry.initialIntervalMs !== undefined && retry.maximumIntervalMs !== undefined && retry.maximumIntervalMs < retry.initialIntervalMs) {
    problems.push({ path: ['retry', 'maximumInterval'], message: 'is shorter than initialInterval; make it at least as long' });
  }
  const types = raw.nonRetryableErrorTypes;
  if (types !== undefined) {
    if (!Array.isArray(types) || !types.every((t) => typeof t === 'string' && /^[A-Za-z_][\w.]{0,99}$/.test(t)) || types.length > 50) {
      problems.push({ path: ['retry', 'nonRetryableErrorTypes'], message: 'must be a list of error type names, e.g. [QuotaExceeded]' });
    } else retry.nonRetryableErrorTypes = types as string[];
  }
  return retry;
}
