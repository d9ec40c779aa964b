const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Longest duration accepted anywhere in a notebook: a year is past any sensible timeout. */
const MAX_MS = 365 * 86_400_000;

/**
 * Parses a duration such as `30s`, `10m`, `1h30m` or `250ms` into milliseconds. Returns a message
 * for a person when the text is not a positive duration.
 */
export function parseDuration(value: unknown): { ms: number } | { error: string } {
  const hint = 'write a duration such as "30s", "10m" or "2h"';
  if (typeof value !== 'string') return { error: `expected a duration, got ${typeof value === 'number' ? value : typeof value}; ${hint}` };
  const text = value.trim();
  if (text.length === 0 || text.length > 40 || !/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text)) {
    return { error: `${JSON.stringify(value.slice(0, 40))} is not a duration; ${hint}` };
  }
  let ms = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    ms += Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1_000);
  }
  ms = Math.round(ms);
  if (ms <= 0) return { error: `the duration must be longer than zero; ${hint}` };
  if (ms > MAX_MS) return { error: `${JSON.stringify(text)} is longer than the limit of 365d` };
  return { ms };
}
