/**
 * Checks each field of a five-field cron expression against its range, so a schedule such as
 * "61 2 * * *" is refused with the field named instead of by the Temporal server.
 */
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
] as const;

/** Longest cron expression accepted; real ones are a few dozen characters. */
export const MAX_CRON_LENGTH = 200;

function checkPart(part: string, field: (typeof FIELDS)[number]): string | undefined {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined || range === undefined || range === '') return `"${part}" is not a ${field.name} value`;
  if (step !== undefined && !/^[1-9][0-9]{0,3}$/.test(step)) return `the step in "${part}" must be a positive whole number`;
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `"${part}" is not a ${field.name} range`;
  const nums: number[] = [];
  for (const b of bounds) {
    if (!/^[0-9]{1,2}$/.test(b)) return `"${part}" is not a ${field.name} value; use numbers ${field.min}-${field.max}`;
    const n = Number(b);
    if (n < field.min || n > field.max) return `${n} is outside ${field.name} ${field.min}-${field.max}`;
    nums.push(n);
  }
  if (nums.length === 2 && nums[0]! > nums[1]!) return `the ${field.name} range "${range}" runs backwards`;
  return undefined;
}

/** A person-readable problem with the expression, or undefined when it is valid. */
export function cronProblem(cron: string): string | undefined {
  if (typeof cron !== 'string') return 'the cron expression must be a string such as "0 2 * * *"';
  if (cron.length > MAX_CRON_LENGTH) return `the cron expression is ${cron.length} characters; at most ${MAX_CRON_LENGTH} are accepted`;
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) {
    return `"${cron.slice(0, 60)}" has ${parts.length} fields; a cron expression has 5 (minute hour day-of-month month day-of-week), e.g. "0 2 * * *"`;
  }
  for (const [i, field] of FIELDS.entries()) {
    for (const piece of parts[i]!.split(',')) {
      const problem = checkPart(piece, field);
      if (problem) return `cron "${cron.slice(0, 60)}": ${problem}`;
    }
  }
  return undefined;
}
