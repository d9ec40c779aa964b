import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { JsonValue } from '../core/mime.js';
import { LIMITS } from './limits.js';
import { dotted, quote } from './text.js';

/** Where a YAML snippet sits in the notebook file, so its positions become file positions. */
export interface Placement {
  /** File line of the snippet's first line. */
  firstLine: number;
  /** Columns to add to every snippet column (the fence's indentation). */
  indent: number;
  /** Where to point when the snippet is empty (e.g. the cell's fence). */
  empty?: Position;
}

export interface Position {
  line: number;
  column: number;
}

export interface YamlProblem extends Position {
  message: string;
  field?: string;
}

/** A parsed YAML snippet: its JSON value and a way to find any path's position in the file. */
export interface YamlBlock {
  value: JsonValue | undefined;
  problems: YamlProblem[];
  /** Position of the node at `path`, or of its deepest existing ancestor. `key` points at the map key. */
  locate(path: readonly PropertyKey[], options?: { key?: boolean }): Position;
}

export function parseYamlBlock(text: string, placement: Placement, what: string): YamlBlock {
  const counter = new LineCounter();
  const toFile = (offset: number): Position => {
    const { line, col } = counter.linePos(offset);
    return { line: placement.firstLine + line - 1, column: Math.max(1, col) + placement.indent };
  };
  const start: Position = { line: placement.firstLine, column: 1 + placement.indent };
  const problems: YamlProblem[] = [];
  if (text.length > LIMITS.yamlChars) {
    problems.push({ ...start, message: `${what} is ${text.length} characters long; the limit is ${LIMITS.yamlChars}. Move bulk data into a file and reference it` });
    return { value: undefined, problems, locate: () => start };
  }
  let doc: Document.Parsed | undefined;
  try {
    doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch {
    // The yaml library reports problems as errors; a throw means input it cannot handle at all.
    problems.push({ ...start, message: `${what} could not be read as YAML; check its indentation and brackets` });
    return { value: undefined, problems, locate: () => start };
  }
  const parsed = doc;
  const locate = (path: readonly PropertyKey[], options?: { key?: boolean }): Position => {
    let node: unknown = parsed.contents;
    let at: Position = node && (node as Node).range ? toFile((node as Node).range![0]) : (placement.empty ?? start);
    for (const [i, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(parsed);
      let next: unknown;
      let keyNode: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        keyNode = pair?.key;
        next = pair?.value ?? pair?.key;
      } else if (isSeq(node) && /^\d+$/.test(String(segment))) {
        next = node.items[Number(segment)];
      }
      if (!next || !(next as Node).range) break;
      const useKey = options?.key === true && i === path.length - 1 && keyNode && (keyNode as Node).range;
      at = toFile(useKey ? (keyNode as Node).range![0] : (next as Node).range![0]);
      node = next;
    }
    return at;
  };
  // Only the first YAML error: the ones after it are usually echoes of the same mistake.
  const error = parsed.errors[0];
  if (error) {
    const at = toFile(error.pos[0]);
    const first = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    const lineText = text.split('\n')[counter.linePos(error.pos[0]).line - 1] ?? '';
    const hint = /[[{].*\$\{/.test(lineText) ? '; inside { } or [ ], put quotes around values with ${…}, e.g. "${params.x}"' : '; check the indentation, colons and brackets';
    problems.push({ ...at, message: `${what} is not valid YAML: ${first}${hint}` });
  }
  if (problems.length > 0) return { value: undefined, problems, locate };
  let raw: unknown;
  try {
    raw = parsed.toJS({ maxAliasCount: LIMITS.yamlAliases });
  } catch (error) {
    const alias = error instanceof Error && /alias/i.test(error.message);
    problems.push({
      ...start,
      message: alias
        ? `${what} expands YAML aliases more than ${LIMITS.yamlAliases} times; write the values out instead of nesting *aliases`
        : `${what} is too deeply nested or complex to read; simplify it`,
    });
    return { value: undefined, problems, locate };
  }
  const value = toJson(raw, [], problems, locate, what);
  return { value, problems, locate };
}

/** Converts what YAML produced into JSON, reporting what JSON cannot hold. Depth-limited. */
function toJson(raw: unknown, path: PropertyKey[], problems: YamlProblem[], locate: YamlBlock['locate'], what: string): JsonValue | undefined {
  const fail = (message: string): undefined => {
    problems.push({ ...locate(path), message: `${what}${path.length ? ` ${dotted(path)}` : ''}: ${message}`, ...(path.length ? { field: dotted(path) } : {}) });
    return undefined;
  };
  if (path.length > LIMITS.yamlDepth) return fail(`nested deeper than ${LIMITS.yamlDepth} levels; flatten it`);
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? raw : fail(`${String(raw)} is not a usable number; write a finite number`);
  }
  if (typeof raw === 'bigint') return fail(`${raw} is too large a number; the largest is ${Number.MAX_SAFE_INTEGER}`);
  if (Array.isArray(raw)) {
    const out: JsonValue[] = [];
    for (const [i, item] of raw.entries()) {
      const converted = toJson(item, [...path, i], problems, locate, what);
      if (converted === undefined) return undefined;
      out.push(converted);
    }
    return out;
  }
  if (typeof raw === 'object' && Object.getPrototypeOf(raw) === Object.prototype) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(raw)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        return fail(`the key ${quote(key)} is not allowed; rename it`);
      }
      const converted = toJson(item, [...path, key], problems, locate, what);
      if (converted === undefined) return undefined;
      out[key] = converted;
    }
    return out;
  }
  return fail('this YAML value has no JSON equivalent; use a string, number, boolean, list or mapping');
}
