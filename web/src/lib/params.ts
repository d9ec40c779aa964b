/** A launch parameter as declared in the notebook's front matter (`params:`). */
export interface ParamSpec {
  name: string;
  type: 'string' | 'int' | 'float' | 'bool' | 'enum';
  default?: string | number | boolean;
  min?: number;
  max?: number;
  values?: string[];
  description?: string;
}

const TYPES = new Set(['string', 'int', 'float', 'bool', 'enum']);

/** Reads `params` from front matter, skipping entries the server would reject anyway. */
export function paramSpecs(raw: unknown): ParamSpec[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const specs: ParamSpec[] = [];
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const v = value as Record<string, unknown>;
    const type = typeof v.type === 'string' && TYPES.has(v.type) ? (v.type as ParamSpec['type']) : null;
    if (!type) continue;
    const spec: ParamSpec = { name, type };
    if (['string', 'number', 'boolean'].includes(typeof v.default)) spec.default = v.default as ParamSpec['default'];
    if (typeof v.min === 'number') spec.min = v.min;
    if (typeof v.max === 'number') spec.max = v.max;
    if (Array.isArray(v.values)) spec.values = v.values.map(String);
    if (typeof v.description === 'string') spec.description = v.description;
    specs.push(spec);
  }
  return specs;
}

export type Coerced = { ok: true; value: string | number | boolean | undefined } | { ok: false; error: string };

/** Converts a form field's text to the param's typed value, with a message a person can act on. */
export function coerceParam(spec: ParamSpec, text: string): Coerced {
  const raw = text.trim();
  if (raw === '') {
    return spec.default === undefined ? { ok: false, error: `${spec.name} is required.` } : { ok: true, value: undefined };
  }
  switch (spec.type) {
    case 'string':
      return { ok: true, value: text };
    case 'bool':
      if (raw === 'true' || raw === 'false') return { ok: true, value: raw === 'true' };
      return { ok: false, error: `${spec.name} must be true or false.` };
    case 'enum':
      if (spec.values?.includes(raw)) return { ok: true, value: raw };
      return { ok: false, error: `${spec.name} must be one of ${(spec.values ?? []).join(', ')}.` };
    case 'int':
    case 'float': {
      const n = Number(raw);
      if (!Number.isFinite(n) || (spec.type === 'int' && !/^-?\d+$/.test(raw))) {
        return { ok: false, error: `${spec.name} must be ${spec.type === 'int' ? 'a whole number' : 'a number'}.` };
      }
      if (spec.min !== undefined && n < spec.min) return { ok: false, error: `${spec.name} must be at least ${spec.min}.` };
      if (spec.max !== undefined && n > spec.max) return { ok: false, error: `${spec.name} must be at most ${spec.max}.` };
      return { ok: true, value: n };
    }
  }
}

/** Typed values for every param the user set, or the errors by param name. */
export function collectParams(specs: ParamSpec[], texts: Record<string, string>): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const result = coerceParam(spec, texts[spec.name] ?? '');
    if (!result.ok) errors[spec.name] = result.error;
    else if (result.value !== undefined && result.value !== spec.default) values[spec.name] = result.value;
  }
  return { values, errors };
}
