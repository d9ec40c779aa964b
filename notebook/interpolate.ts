import { LoomInputError } from '../core/errors.js';
import type { JsonValue } from '../core/mime.js';
import type { CellResult } from '../core/run-plan.js';
import { quote } from './text.js';

/**
 * `${params.x}` and `${cells.<id>.<output>}` substitution. Plain text replacement by a small
 * grammar: nothing is ever evaluated. `$${` writes a literal `${`.
 */
export type Reference = { type: 'param'; name: string } | { type: 'cell'; cellId: string; output: string };
export type Segment = { type: 'text'; text: string } | { type: 'ref'; ref: Reference; raw: string };

const PARAM_REF = /^params\.([A-Za-z_][A-Za-z0-9_]{0,62})$/;
const CELL_REF = /^cells\.([a-z][a-z0-9_]{0,62})\.([A-Za-z_][A-Za-z0-9_]{0,62})$/;
const MAX_REF_CHARS = 200;
const MAX_DEPTH = 64;

/** Splits a string into literal text and references; errors are worded for a person. */
export function scanTemplate(input: string): { segments: Segment[]; errors: string[] } {
  const segments: Segment[] = [];
  const errors: string[] = [];
  let text = '';
  let i = 0;
  while (i < input.length) {
    const next = input.indexOf('$', i);
    if (next === -1) {
      text += input.slice(i);
      break;
    }
    text += input.slice(i, next);
    i = next;
    if (input.startsWith('$${', i)) {
      text += '${';
      i += 3;
    } else if (input.startsWith('${', i)) {
      const close = input.indexOf('}', i + 2);
      if (close === -1 || close - i > MAX_REF_CHARS) {
        errors.push(`${quote(input.slice(i, i + 30))} opens "\${" without a closing "}"; close it, or write "$\${" for a literal "\${"`);
        text += input.slice(i);
        break;
      }
      const inner = input.slice(i + 2, close);
      const raw = input.slice(i, close + 1);
      const param = PARAM_REF.exec(inner);
      const cell = CELL_REF.exec(inner);
      if (text) segments.push({ type: 'text', text });
      text = '';
      if (param?.[1]) segments.push({ type: 'ref', ref: { type: 'param', name: param[1] }, raw });
      else if (cell?.[1] && cell[2]) segments.push({ type: 'ref', ref: { type: 'cell', cellId: cell[1], output: cell[2] }, raw });
      else {
        errors.push(`${quote(raw)} is not a reference Loom understands; write \${params.<name>} or \${cells.<id>.<output>}, or "$\${" for a literal "\${"`);
        segments.push({ type: 'text', text: raw });
      }
      i = close + 1;
    } else {
      text += '$';
      i += 1;
    }
  }
  if (text) segments.push({ type: 'text', text });
  return { segments, errors };
}

/** Writes literal text back in template form, so a later scan reads it unchanged. */
export function escapeTemplate(text: string): string {
  return text.split('${').join('$${');
}

/** Sets a key without ever touching an object's prototype (`__proto__` stays a plain key). */
export function setKey(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function asText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Resolves `${cells.<id>.<output>}` in a planned cell's config from upstream results, and turns
 * `$${` escapes into literal `${`. A string that is exactly one reference takes the output's
 * typed value. Throws `LoomInputError` when an output is missing.
 */
export function resolveCellRefs(config: JsonValue, upstream: Record<string, CellResult>): JsonValue {
  return resolveValue(config, upstream, [], 0);
}

function resolveValue(value: JsonValue, upstream: Record<string, CellResult>, path: string[], depth: number): JsonValue {
  if (depth > MAX_DEPTH) throw new LoomInputError(`config is nested deeper than ${MAX_DEPTH} levels at ${path.join('.')}; flatten it`);
  if (Array.isArray(value)) return value.map((item, i) => resolveValue(item, upstream, [...path, String(i)], depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) setKey(out, key, resolveValue(item, upstream, [...path, key], depth + 1));
    return out;
  }
  if (typeof value !== 'string' || !value.includes('$')) return value;
  const where = path.length ? ` (config field ${path.join('.')})` : '';
  const { segments, errors } = scanTemplate(value);
  if (errors[0]) throw new LoomInputError(`${errors[0]}${where}`);
  const lookup = (ref: Reference, raw: string): JsonValue => {
    if (ref.type === 'param') throw new LoomInputError(`${quote(raw)} was not substituted before the run${where}; plan the run with its params`);
    const result = upstream[ref.cellId];
    if (!result) throw new LoomInputError(`${quote(raw)}${where}: cell ${quote(ref.cellId)} has no result here; it must be upstream of this cell (list it in needs)`);
    if (!Object.hasOwn(result.values, ref.output)) {
      const have = Object.keys(result.values);
      throw new LoomInputError(`${quote(raw)}${where}: cell ${quote(ref.cellId)} produced no output ${quote(ref.output)}; it produced: ${have.length ? have.join(', ') : '(nothing)'}`);
    }
    return result.values[ref.output] ?? null;
  };
  const only = segments.length === 1 ? segments[0] : undefined;
  if (only?.type === 'ref') return lookup(only.ref, only.raw);
  return segments.map((s) => (s.type === 'text' ? s.text : asText(lookup(s.ref, s.raw)))).join('');
}
