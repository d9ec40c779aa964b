import type { JsonValue } from '../core/mime.js';
import type { KindSpec } from '../kinds/types.js';
import { RESERVED_KEYS, readReservedKeys } from './reserved-keys.js';
import { pathKey, substituteParams } from './substitute.js';
import { dotted, listOf, quote } from './text.js';
import type { CellOverrides, NotebookIssue } from './types.js';
import type { YamlBlock } from './yaml-block.js';

export interface CellCheckInput {
  cellId: string;
  kind: string;
  /** The cell body as parsed YAML. */
  raw: JsonValue;
  yaml: YamlBlock;
  spec: KindSpec | undefined;
  /** Declared params with their value, or undefined while the value is not known. */
  params: ReadonlyMap<string, JsonValue | undefined>;
  /** Kinds of all cells, by id. */
  kindOf: ReadonlyMap<string, string>;
  kinds: ReadonlyMap<string, KindSpec>;
  /** Cells this one depends on, directly or not; undefined when the graph is broken. */
  upstream: ReadonlySet<string> | undefined;
}

export interface CheckedCell {
  /** Kind config with params substituted (reserved keys removed). */
  config: JsonValue;
  /** Kind config as written (reserved keys removed). */
  written: JsonValue;
  overrides: CellOverrides;
  usedParams: Set<string>;
  issues: NotebookIssue[];
}

const isReserved = (key: string): boolean => (RESERVED_KEYS as readonly string[]).includes(key);

function withoutReserved(value: Record<string, JsonValue>): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !isReserved(k)));
}

/** Substitutes params, checks references and reserved keys, and validates the kind config. */
export function checkCellConfig(input: CellCheckInput): CheckedCell {
  const { cellId, yaml } = input;
  const issues: NotebookIssue[] = [];
  const report = (path: readonly PropertyKey[], message: string, key = false): void => {
    const field = dotted(path);
    issues.push({ ...yaml.locate(path, { key }), cellId, ...(field ? { field } : {}), message: `cell ${quote(cellId)}${field ? ` ${field}` : ''}: ${message}` });
  };
  const empty: CheckedCell = { config: {}, written: {}, overrides: {}, usedParams: new Set(), issues };
  const raw = input.raw ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    report([], 'the cell body must be a YAML mapping of settings (key: value), or empty');
    return empty;
  }
  const sub = substituteParams(raw, input.params);
  for (const p of sub.problems) report(p.path, p.message);
  for (const ref of sub.cellRefs) {
    const top = ref.path[0] ?? '';
    if (isReserved(top)) {
      report(ref.path, `${quote(ref.raw)} cannot be used in ${top}, which must be known before the run starts; use a value or a param`);
      continue;
    }
    const refKind = input.kindOf.get(ref.cellId);
    if (refKind === undefined) {
      report(ref.path, `${quote(ref.raw)} refers to cell ${quote(ref.cellId)}, which is not a cell in this notebook`);
    } else if (ref.cellId === cellId) {
      report(ref.path, `${quote(ref.raw)} refers to this cell itself; a cell can only use outputs of cells it needs`);
    } else if (input.upstream && !input.upstream.has(ref.cellId)) {
      report(ref.path, `${quote(ref.raw)} uses cell ${quote(ref.cellId)}, which this cell does not need; add it to needs=[…]`);
    } else {
      const outputs = input.kinds.get(refKind)?.outputs;
      if (outputs && !outputs.includes(ref.output)) {
        report(ref.path, `${quote(ref.raw)}: cell ${quote(ref.cellId)} (kind ${refKind}) has no output ${quote(ref.output)}; its outputs: ${listOf(outputs)}`);
      }
    }
  }
  const substituted = sub.value as Record<string, JsonValue>;
  const unknownReserved = new Set(RESERVED_KEYS.filter((k) => [...sub.deferred].some((d) => d.split('\u0000')[0] === k)));
  const reserved = readReservedKeys(substituted, unknownReserved);
  for (const p of reserved.problems) report(p.path, p.message, p.key);
  const config = withoutReserved(substituted);
  const written = withoutReserved(raw);
  if (input.spec) {
    const result = input.spec.schema.safeParse(config);
    if (!result.success) {
      for (const zi of result.error.issues) {
        const path = zi.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
        if (sub.deferred.has(pathKey(path))) continue;
        if (zi.code === 'unrecognized_keys') {
          for (const key of zi.keys) report([...path, key], `unknown setting for kind ${input.kind}; remove it or check its spelling`, true);
          continue;
        }
        const present = hasPath(config, path);
        report(path, present ? zi.message : `missing; kind ${input.kind} needs it (${zi.message})`);
      }
    }
  }
  return { config, written, overrides: reserved.overrides, usedParams: sub.usedParams, issues };
}

function hasPath(value: JsonValue, path: readonly PropertyKey[]): boolean {
  let node: JsonValue | undefined = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return false;
    node = Array.isArray(node) ? node[Number(segment)] : Object.hasOwn(node, String(segment)) ? node[String(segment)] : undefined;
    if (node === undefined) return false;
  }
  return true;
}
