import type { JsonValue } from '../core/mime.js';
import { escapeTemplate, scanTemplate, setKey } from './interpolate.js';
import { didYouMean, listOf, quote } from './text.js';

export interface CellRefUse {
  path: string[];
  cellId: string;
  output: string;
  raw: string;
}

export interface Substitution {
  value: JsonValue;
  /** Params the value refers to. */
  usedParams: Set<string>;
  cellRefs: CellRefUse[];
  /** Paths (joined by NUL) whose value is only known when the run or the cell starts, or is already reported. */
  deferred: Set<string>;
  problems: Array<{ path: string[]; message: string }>;
}

export const pathKey = (path: readonly PropertyKey[]): string => path.map(String).join('\u0000');

/**
 * Substitutes `${params.x}` in every string of `value`. `params` maps each declared param to its
 * value, or to undefined when the value is not known yet (a param without a default at parse
 * time). Literal text stays in template form (`$${`), and `${cells.…}` stays as written, so
 * `resolveCellRefs` can finish the job when the cell starts.
 */
export function substituteParams(value: JsonValue, params: ReadonlyMap<string, JsonValue | undefined>): Substitution {
  const result: Substitution = { value: null, usedParams: new Set(), cellRefs: [], deferred: new Set(), problems: [] };
  result.value = walk(value, [], params, result);
  return result;
}

function walk(value: JsonValue, path: string[], params: ReadonlyMap<string, JsonValue | undefined>, out: Substitution): JsonValue {
  if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, String(i)], params, out));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) setKey(copy, key, walk(item, [...path, key], params, out));
    return copy;
  }
  if (typeof value !== 'string' || !value.includes('$')) return value;
  const { segments, errors } = scanTemplate(value);
  for (const message of errors) out.problems.push({ path, message });
  // A field already reported as a bad reference is not reported again as the wrong type.
  let known = errors.length === 0;
  const pieces: Array<JsonValue | undefined> = [];
  for (const segment of segments) {
    if (segment.type === 'text') {
      pieces.push(escapeTemplate(segment.text));
      continue;
    }
    const ref = segment.ref;
    if (ref.type === 'cell') {
      out.cellRefs.push({ path, cellId: ref.cellId, output: ref.output, raw: segment.raw });
      known = false;
      pieces.push(segment.raw);
      continue;
    }
    if (!params.has(ref.name)) {
      out.problems.push({ path, message: `${quote(segment.raw)} refers to param ${quote(ref.name)}, which is not declared; declared params: ${listOf(params.keys())}${didYouMean(ref.name, params.keys())}` });
      known = false;
      pieces.push(segment.raw);
      continue;
    }
    out.usedParams.add(ref.name);
    const param = params.get(ref.name);
    if (param === undefined) {
      known = false;
      pieces.push(segment.raw);
    } else {
      pieces.push(typeof param === 'string' ? escapeTemplate(param) : param);
    }
  }
  if (!known) out.deferred.add(pathKey(path));
  const only = segments.length === 1 && segments[0]?.type === 'ref' ? pieces[0] : undefined;
  if (only !== undefined) return only;
  return pieces.map((p) => (typeof p === 'string' ? p : JSON.stringify(p ?? null))).join('');
}
