import type { JsonValue } from '../core/mime.js';
import { LIMITS } from './limits.js';
import { didYouMean, listOf, quote, show } from './text.js';
import { PARAM_TYPES, type Notebook, type NotebookIssue, type ParamSpec, type ParamType } from './types.js';
import type { YamlBlock } from './yaml-block.js';

export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const SPEC_KEYS = ['type', 'default', 'min', 'max', 'values', 'description'] as const;

type Check = { value: JsonValue } | { error: string };

/**
 * Checks one value against a param's type and bounds. Text (from the command line) is coerced:
 * "20" is the int 20; typed values (JSON) must already have the right type.
 */
export function checkParamValue(spec: Omit<ParamSpec, 'line' | 'column'>, value: unknown): Check {
  const got = `got ${show(value)}`;
  let typed: JsonValue;
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') return { error: `expects a string, ${got}; quote it` };
      if (value.length > 10_000) return { error: `is ${value.length} characters long; the limit is 10000` };
      typed = value;
      break;
    case 'int': {
      const n = typeof value === 'string' && /^\s*[+-]?\d{1,16}\s*$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) return { error: `expects a whole number (int), ${got}` };
      typed = n;
      break;
    }
    case 'float': {
      const n = typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { error: `expects a number (float), ${got}` };
      typed = n;
      break;
    }
    case 'bool':
      if (value === true || value === 'true') typed = true;
      else if (value === false || value === 'false') typed = false;
      else return { error: `expects true or false, ${got}` };
      break;
    case 'enum':
      if (typeof value !== 'string' || !(spec.values ?? []).includes(value)) {
        return { error: `must be one of ${listOf(spec.values ?? [])}, ${got}${typeof value === 'string' ? didYouMean(value, spec.values ?? []) : ''}` };
      }
      typed = value;
      break;
  }
  if (typeof typed === 'number') {
    if (spec.min !== undefined && typed < spec.min) return { error: `must be at least ${spec.min}, got ${typed}` };
    if (spec.max !== undefined && typed > spec.max) return { error: `must be at most ${spec.max}, got ${typed}` };
  }
  return { value: typed };
}

/** Reads the `params:` mapping of the front matter into specs, reporting every malformed one. */
export function readParamSpecs(raw: JsonValue, yaml: YamlBlock, issues: NotebookIssue[]): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const report = (path: string[], message: string, key = false): void => {
    issues.push({ ...yaml.locate(path, { key }), message, field: path.join('.') });
  };
  if (raw === null) return specs;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    report(['params'], 'params must be a mapping of name to spec, e.g. params: { epochs: { type: int, default: 20 } }');
    return specs;
  }
  const entries = Object.entries(raw);
  if (entries.length > LIMITS.params) report(['params'], `declares ${entries.length} params; the limit is ${LIMITS.params}`);
  for (const [name, spec] of entries.slice(0, LIMITS.params)) {
    const at = ['params', name];
    const where = `param ${quote(name)}`;
    if (!PARAM_NAME.test(name)) {
      report(at, `${where}: names start with a letter or _ and hold only letters, digits and _ (at most 63)`, true);
      continue;
    }
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
      report(at, `${where} must be a mapping like { type: int, default: 20 }`);
      continue;
    }
    for (const key of Object.keys(spec)) {
      if (!(SPEC_KEYS as readonly string[]).includes(key)) {
        report([...at, key], `${where}: unknown key ${quote(key)}; a param has ${SPEC_KEYS.join(', ')}${didYouMean(key, SPEC_KEYS)}`, true);
      }
    }
    const type = spec.type;
    if (typeof type !== 'string' || !(PARAM_TYPES as readonly string[]).includes(type)) {
      const hint = typeof type === 'string' ? didYouMean(type, PARAM_TYPES) : '';
      report(spec.type === undefined ? at : [...at, 'type'], `${where} needs a type, one of ${PARAM_TYPES.join(', ')}${spec.type === undefined ? '' : `; got ${show(type)}${hint}`}`);
      continue;
    }
    const out: ParamSpec = { name, type: type as ParamType, ...yaml.locate(at, { key: true }) };
    for (const bound of ['min', 'max'] as const) {
      const v = spec[bound];
      if (v === undefined) continue;
      if (type !== 'int' && type !== 'float') {
        report([...at, bound], `${where}: ${bound} applies only to int and float params`);
      } else if (typeof v !== 'number' || (type === 'int' && !Number.isSafeInteger(v))) {
        report([...at, bound], `${where}: ${bound} must be ${type === 'int' ? 'a whole number' : 'a number'}, got ${show(v)}`);
      } else out[bound] = v;
    }
    if (out.min !== undefined && out.max !== undefined && out.min > out.max) {
      report([...at, 'min'], `${where}: min ${out.min} is greater than max ${out.max}; swap them`);
    }
    if (type === 'enum') {
      const values = spec.values;
      if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) {
        report(spec.values === undefined ? at : [...at, 'values'], `${where}: an enum needs values, a non-empty list of strings, e.g. values: [small, large]`);
        out.values = [];
      } else {
        const unique = new Set(values);
        if (unique.size !== values.length) report([...at, 'values'], `${where}: values are listed more than once; list each once`);
        out.values = [...unique];
      }
    } else if (spec.values !== undefined) {
      report([...at, 'values'], `${where}: values applies only to enum params; use type: enum or remove values`);
    }
    if (spec.description !== undefined) {
      if (typeof spec.description !== 'string') report([...at, 'description'], `${where}: description must be text`);
      else out.description = spec.description;
    }
    if (spec.default !== undefined && spec.default !== null) {
      const checked = checkParamValue(out, spec.default);
      if ('error' in checked) {
        report([...at, 'default'], `${where}: default ${checked.error}`);
      } else out.default = checked.value;
    }
    // Kept even when malformed, so references to it do not also read as undeclared.
    specs.push(out);
  }
  return specs;
}

/**
 * Resolves a run's params: overrides (typed JSON from the API, or text from the command line)
 * over defaults, every value checked. Each problem is located at the param's declaration.
 */
export function resolveParams(notebook: Pick<Notebook, 'params'>, overrides: Record<string, unknown>): { params: Record<string, JsonValue>; issues: NotebookIssue[] } {
  const params: Record<string, JsonValue> = {};
  const issues: NotebookIssue[] = [];
  const byName = new Map(notebook.params.map((p) => [p.name, p]));
  for (const name of Object.keys(overrides)) {
    if (!byName.has(name)) {
      issues.push({ line: 1, column: 1, field: `params.${name}`, message: `param ${quote(name)} is not declared by this notebook; declared params: ${listOf(byName.keys())}${didYouMean(name, byName.keys())}` });
    }
  }
  for (const spec of notebook.params) {
    const given = Object.hasOwn(overrides, spec.name) ? overrides[spec.name] : undefined;
    const at = { line: spec.line, column: spec.column, field: `params.${spec.name}` };
    if (given === undefined) {
      if (spec.default === undefined) issues.push({ ...at, message: `param ${quote(spec.name)} has no default; give it a value (--param ${spec.name}=…)` });
      else params[spec.name] = spec.default;
      continue;
    }
    const checked = checkParamValue(spec, given);
    if ('error' in checked) issues.push({ ...at, message: `param ${quote(spec.name)} ${checked.error}` });
    else params[spec.name] = checked.value;
  }
  return { params, issues };
}
