import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoomInputError } from '../core/errors.js';
import { escapeTemplate, resolveCellRefs, scanTemplate } from './index.js';
import { substituteParams } from './substitute.js';

const upstream = { s: { values: { dataset: 'ds-1', rows: 42, meta: { a: 1 } }, outputHash: 'h' } };

describe('substituteParams', () => {
  const params = new Map<string, string | number | undefined>([['n', 5], ['path', 'a/b.csv'], ['later', undefined], ['tricky', 'x${cells.s.rows}']]);
  it('keeps the type when a scalar is exactly one reference, and interpolates text otherwise', () => {
    const out = substituteParams({ a: '${params.n}', b: 'n=${params.n} in ${params.path}', c: ['${params.path}'] }, params);
    expect(out.value).toEqual({ a: 5, b: 'n=5 in a/b.csv', c: ['a/b.csv'] });
    expect([...out.usedParams].sort()).toEqual(['n', 'path']);
    expect(out.problems).toEqual([]);
  });
  it('escapes $${ and leaves ${cells…} and unknown values for later, recording their paths', () => {
    const out = substituteParams({ a: 'cost $${x}', b: '${cells.s.rows}', c: '${params.later}' }, params);
    expect(out.value).toEqual({ a: 'cost $${x}', b: '${cells.s.rows}', c: '${params.later}' });
    expect(out.deferred).toEqual(new Set(['b', 'c']));
    expect(out.cellRefs).toEqual([{ path: ['b'], cellId: 's', output: 'rows', raw: '${cells.s.rows}' }]);
  });
  it('never lets a param value inject a reference', () => {
    const out = substituteParams({ a: '${params.tricky}' }, params);
    expect(resolveCellRefs(out.value, upstream)).toEqual({ a: 'x${cells.s.rows}' });
  });
  it('reports unknown params and malformed references by path', () => {
    const out = substituteParams({ a: { b: '${params.nope}' }, c: '${ params.n }', d: 'x ${params.n' }, params);
    expect(out.problems.map((p) => p.path)).toEqual([['a', 'b'], ['c'], ['d']]);
    expect(out.problems[0]?.message).toMatch(/param "nope", which is not declared; declared params: n, path, later, tricky/);
    expect(out.problems[2]?.message).toMatch(/without a closing "}"/);
  });
});

describe('resolveCellRefs', () => {
  it('resolves typed and text references and unescapes $${', () => {
    expect(resolveCellRefs({ rows: '${cells.s.rows}', label: '${cells.s.dataset}: ${cells.s.rows} rows, $${literal}', meta: ['${cells.s.meta}'], n: 3 }, upstream)).toEqual({
      rows: 42,
      label: 'ds-1: 42 rows, ${literal}',
      meta: [{ a: 1 }],
      n: 3,
    });
  });
  it('throws LoomInputError naming the missing output or cell', () => {
    expect(() => resolveCellRefs({ q: '${cells.s.model}' }, upstream)).toThrow(LoomInputError);
    expect(() => resolveCellRefs({ q: '${cells.s.model}' }, upstream)).toThrow(/cell "s" produced no output "model"; it produced: dataset, rows, meta/);
    expect(() => resolveCellRefs({ q: '${cells.t.rows}' }, upstream)).toThrow(/cell "t" has no result here/);
    expect(() => resolveCellRefs('${params.x}', upstream)).toThrow(/was not substituted/);
  });
  it('keeps __proto__ as a plain key', () => {
    const value = JSON.parse('{"__proto__": {"polluted": "${cells.s.rows}"}}');
    const out = resolveCellRefs(value, upstream) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 42 });
  });
  it('round-trips literal text through escapeTemplate for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('$', '{', '}', 'a', 'p', '.', ' ') }), (text) => {
        const { segments, errors } = scanTemplate(escapeTemplate(text));
        expect(errors).toEqual([]);
        expect(segments.map((s) => (s.type === 'text' ? s.text : '')).join('')).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
