import type { JsonValue } from '../core/mime.js';
import { parseDuration } from './duration.js';
import { checkParamValue, readParamSpecs } from './params.js';
import { didYouMean, quote, show } from './text.js';
import { OVERLAP_POLICIES, type NotebookIssue, type OverlapPolicy, type ParamSpec, type ScheduleSpec } from './types.js';
import { parseYamlBlock, type YamlBlock } from './yaml-block.js';

export const NOTEBOOK_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const KEYS = ['name', 'description', 'params', 'schedule'] as const;
const SCHEDULE_KEYS = ['cron', 'timezone', 'overlap', 'catchupWindow', 'params'] as const;
const CRON_FIELD = /^[0-9A-Za-z*/,?#-]{1,64}$/;

export interface FrontMatter {
  name?: string;
  description?: string;
  params: ParamSpec[];
  schedule?: ScheduleSpec;
}

/** Finds the `---` fenced front matter at the top of the file. Lines are 1-based. */
export function splitFrontMatter(lines: readonly string[]): { yaml: string; firstLine: number; endLine: number } | { error: NotebookIssue } | undefined {
  if (lines[0]?.trimEnd() !== '---') return undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]?.trimEnd();
    if (line === '---' || line === '...') return { yaml: lines.slice(1, i).join('\n'), firstLine: 2, endLine: i + 1 };
  }
  return { error: { line: 1, column: 1, message: 'the front matter opened by "---" on line 1 is never closed; add a line with --- after it' } };
}

export function readFrontMatter(text: string, firstLine: number, issues: NotebookIssue[]): FrontMatter {
  const yaml = parseYamlBlock(text, { firstLine, indent: 0 }, 'front matter');
  for (const p of yaml.problems) issues.push({ line: p.line, column: p.column, message: p.message, ...(p.field ? { field: p.field } : {}) });
  const out: FrontMatter = { params: [] };
  const raw = yaml.value;
  const top = { line: firstLine - 1, column: 1 };
  if (raw === undefined) return out;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ ...top, message: 'front matter must be a YAML mapping with at least a name, e.g. name: spring-loyalty' });
    return out;
  }
  const at = (path: string[], key = false) => yaml.locate(path, { key });
  for (const key of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      issues.push({ ...at([key], true), field: key, message: `front matter: unknown key ${quote(key)}; allowed keys: ${KEYS.join(', ')}${didYouMean(key, KEYS)}` });
    }
  }
  if (raw.name === undefined) {
    issues.push({ ...top, field: 'name', message: 'front matter needs a name, e.g. name: spring-loyalty (lowercase letters, digits and -)' });
  } else if (typeof raw.name !== 'string' || !NOTEBOOK_NAME.test(raw.name)) {
    issues.push({ ...at(['name']), field: 'name', message: `name ${show(raw.name)} is not valid; use lowercase letters, digits and -, starting with a letter or digit, at most 63 characters (e.g. spring-loyalty)` });
  } else out.name = raw.name;
  if (raw.description !== undefined) {
    if (typeof raw.description !== 'string') issues.push({ ...at(['description']), field: 'description', message: 'description must be text' });
    else out.description = raw.description;
  }
  if (raw.params !== undefined) out.params = readParamSpecs(raw.params, yaml, issues);
  if (raw.schedule !== undefined) {
    const schedule = readSchedule(raw.schedule, yaml, out.params, issues);
    if (schedule) out.schedule = schedule;
  }
  return out;
}

function readSchedule(raw: JsonValue, yaml: YamlBlock, params: ParamSpec[], issues: NotebookIssue[]): ScheduleSpec | undefined {
  const report = (path: string[], message: string, key = false): void => {
    issues.push({ ...yaml.locate(['schedule', ...path], { key }), field: ['schedule', ...path].join('.'), message: `schedule${path.length ? ` ${path.join('.')}` : ''}: ${message}` });
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    report([], 'must be a mapping, e.g. schedule: { cron: "0 2 * * *", timezone: UTC, overlap: skip }');
    return undefined;
  }
  const before = issues.length;
  for (const key of Object.keys(raw)) {
    if (!(SCHEDULE_KEYS as readonly string[]).includes(key)) report([key], `unknown key ${quote(key)}; allowed keys: ${SCHEDULE_KEYS.join(', ')}${didYouMean(key, SCHEDULE_KEYS)}`, true);
  }
  const cron = raw.cron;
  if (typeof cron !== 'string') report(cron === undefined ? [] : ['cron'], 'needs a cron expression with 5 fields (minute hour day-of-month month day-of-week), e.g. cron: "0 2 * * *"');
  else {
    const fields = cron.trim().split(/\s+/);
    if (fields.length !== 5) report(['cron'], `${quote(cron)} has ${fields.length} fields; a cron expression has 5 (minute hour day-of-month month day-of-week), e.g. "0 2 * * *"`);
    else {
      const bad = fields.find((f) => !CRON_FIELD.test(f));
      if (bad !== undefined) report(['cron'], `${quote(bad)} is not a cron field; use numbers, *, ranges (1-5), lists (1,3) and steps (*/15)`);
    }
  }
  let timezone = 'UTC';
  if (raw.timezone !== undefined) {
    if (typeof raw.timezone !== 'string' || !isTimeZone(raw.timezone)) report(['timezone'], `${show(raw.timezone)} is not a time zone; use an IANA name such as UTC or Europe/Paris`);
    else timezone = raw.timezone;
  }
  let overlap: OverlapPolicy = 'skip';
  if (raw.overlap !== undefined) {
    if (typeof raw.overlap !== 'string' || !(OVERLAP_POLICIES as readonly string[]).includes(raw.overlap)) {
      report(['overlap'], `${show(raw.overlap)} is not an overlap policy; use one of ${OVERLAP_POLICIES.join(', ')}${typeof raw.overlap === 'string' ? didYouMean(raw.overlap, OVERLAP_POLICIES) : ''}`);
    } else overlap = raw.overlap as OverlapPolicy;
  }
  let catchupWindowMs: number | undefined;
  if (raw.catchupWindow !== undefined) {
    const d = parseDuration(raw.catchupWindow);
    if ('error' in d) report(['catchupWindow'], d.error);
    else catchupWindowMs = d.ms;
  }
  const values: Record<string, JsonValue> = {};
  const given = raw.params;
  if (given !== undefined && given !== null) {
    if (typeof given !== 'object' || Array.isArray(given)) report(['params'], 'must be a mapping of param name to value, e.g. params: { epochs: 50 }');
    else {
      const byName = new Map(params.map((p) => [p.name, p]));
      for (const [name, value] of Object.entries(given)) {
        const spec = byName.get(name);
        if (!spec) report(['params', name], `param ${quote(name)} is not declared in params${didYouMean(name, byName.keys())}`, true);
        else {
          const checked = checkParamValue(spec, value);
          if ('error' in checked) report(['params', name], `param ${quote(name)} ${checked.error}`);
          else values[name] = checked.value;
        }
      }
    }
  }
  if (issues.length > before || typeof cron !== 'string') return undefined;
  return { cron: cron.trim(), timezone, overlap, ...(catchupWindowMs !== undefined ? { catchupWindowMs } : {}), params: values };
}

function isTimeZone(name: string): boolean {
  if (name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
