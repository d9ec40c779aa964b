import { describe, expect, it } from 'vitest';
import { applyTransform, featureShape, fitTransform, murmur3, parseTransform, tokenize, validateRows, type FeatureSpec } from '../../features/index.js';

const spec: FeatureSpec = {
  numeric: ['age'],
  categorical: [{ column: 'dept', topK: 2 }, { column: 'city', hashBuckets: 4 }],
  boolean: ['member'],
  text: ['review'],
  clip: 2,
  textOptions: { buckets: 1000, maxTokens: 16 },
};
const train = [
  { age: 20, dept: 'dresses', city: 'Oslo', member: true, review: 'Love this dress!' },
  { age: 30, dept: 'dresses', city: 'Lima', member: false, review: 'Runs small.' },
  { age: 40, dept: 'tops', city: 'Oslo', member: 'yes', review: null },
  { age: null, dept: 'jackets', city: null, member: null, review: '很好看，质量不错' },
];

describe('feature transform', () => {
  const t = fitTransform(spec, train);

  it('standardises numerics with train mean and population std, clips, flags missing', () => {
    const n = t.numeric[0]!;
    expect(n.mean).toBe(30);
    expect(n.std).toBeCloseTo(Math.sqrt(200 / 3), 12);
    const b = applyTransform(t, [{ age: 40 }, { age: 1000 }, { age: null }, { age: 'n/a' }]);
    const at = (row: number, name: string) => b.dense[row * b.denseDim + t.denseNames.indexOf(name)];
    expect(at(0, 'age')).toBeCloseTo(10 / Math.sqrt(200 / 3), 6);
    expect(at(1, 'age')).toBe(2);
    expect([at(2, 'age'), at(2, 'age__missing')]).toEqual([0, 1]);
    expect([at(3, 'age'), at(3, 'age__missing')]).toEqual([0, 1]);
  });

  it('one-hots the top K train values and sends unseen values to "other"', () => {
    expect(t.categorical[0]).toEqual({ column: 'dept', mode: 'onehot', values: ['dresses', 'jackets'] });
    const b = applyTransform(t, [{ dept: 'dresses' }, { dept: 'swimwear' }, { dept: null }]);
    const block = (row: number) => ['dept=dresses', 'dept=jackets', 'dept=__other__'].map((n) => b.dense[row * b.denseDim + t.denseNames.indexOf(n)]);
    expect(block(0)).toEqual([1, 0, 0]);
    expect(block(1)).toEqual([0, 0, 1]);
    expect(block(2)).toEqual([0, 0, 1]);
  });

  it('hashes categoricals into buckets when asked', () => {
    const b = applyTransform(t, [{ city: 'Oslo' }, { city: 'never seen' }]);
    const row = (r: number) => [0, 1, 2, 3].map((k) => b.dense[r * b.denseDim + t.denseNames.indexOf(`city#${k}`)]);
    expect(row(0).reduce((a, v) => a! + v!, 0)).toBe(1);
    expect(row(0)[murmur3('Oslo') % 4]).toBe(1);
    expect(row(1).reduce((a, v) => a! + v!, 0)).toBe(1);
  });

  it('encodes booleans with a missing flag', () => {
    const b = applyTransform(t, [{ member: 'yes' }, { member: false }, { member: 'maybe' }]);
    const v = (r: number) => [b.dense[r * b.denseDim + t.denseNames.indexOf('member')], b.dense[r * b.denseDim + t.denseNames.indexOf('member__missing')]];
    expect([v(0), v(1), v(2)]).toEqual([[1, 0], [0, 0], [0, 1]]);
  });

  it('tokenises English words and CJK characters after NFKC, lowercase and punctuation stripping', () => {
    expect(tokenize('Ｌｏｖｅ  THIS dress!!! Don’t')).toEqual(['love', 'this', 'dress', 'dont']);
    expect(tokenize('很好看，质量不错 ok')).toEqual(['很', '好', '看', '质', '量', '不', '错', 'ok']);
    expect(tokenize('日本語のテキスト')).toEqual(['日', '本', '語', 'の', 'テ', 'キ', 'ス', 'ト']);
  });

  it('hashes text into ids 1..buckets, padded with 0, capped at maxTokens, same text same ids', () => {
    const b = applyTransform(t, [{ review: 'Love this dress!' }, { review: 'love THIS dress' }, { review: '很好看' }, { review: '' }]);
    const row = (r: number) => Array.from(b.tokens.subarray(r * 16, (r + 1) * 16));
    expect(row(0)).toEqual(row(1));
    expect(row(0).slice(0, 5).every((id) => id >= 1 && id <= 1000)).toBe(true);
    expect(row(0).slice(5).every((id) => id === 0)).toBe(true);
    // Words only by default: 3 words + 2 bigrams.
    expect(row(0).filter((id) => id > 0)).toHaveLength(5);
    // With character n-grams, they follow the word n-grams up to the cap of 16.
    const withChars = fitTransform({ ...spec, textOptions: { ...spec.textOptions, charNgrams: [3, 5] } }, train);
    const c = applyTransform(withChars, [{ review: 'Love this dress!' }]);
    expect(Array.from(c.tokens.subarray(0, 5))).toEqual(row(0).slice(0, 5));
    expect(Array.from(c.tokens).filter((id) => id > 0)).toHaveLength(16);
    // 3 CJK characters + 2 character bigrams, no character n-grams inside CJK.
    expect(row(2).filter((id) => id > 0)).toHaveLength(5);
    expect(row(3).every((id) => id === 0)).toBe(true);
  });

  it('is deterministic, JSON-serialisable and describes its shape', () => {
    const again = parseTransform(JSON.stringify(fitTransform(spec, train)));
    expect(again).toEqual(t);
    const rows = [train[0]!, train[3]!];
    expect(applyTransform(again, rows)).toEqual(applyTransform(t, rows));
    expect(featureShape(t)).toEqual({ denseDim: 2 + 3 + 4 + 2, maxTokens: 16, textBuckets: 1000, denseNames: t.denseNames });
    expect(() => parseTransform('{"format":"other"}')).toThrow(/not a Loom feature transform/);
    expect(() => parseTransform('not json')).toThrow(/not valid JSON/);
  });

  it('fits on the rows it is given only: test rows never move the statistics', () => {
    const withTest = fitTransform(spec, train);
    const test = [{ age: 90, dept: 'swimwear' }];
    const b = applyTransform(withTest, test);
    expect(withTest.numeric[0]!.mean).toBe(30);
    expect(withTest.categorical[0]).toMatchObject({ values: ['dresses', 'jackets'] });
    expect(b.dense[t.denseNames.indexOf('dept=__other__')]).toBe(1);
  });
});

describe('validateRows', () => {
  const t = { ...fitTransform(spec, train), label: { column: 'recommended', positive: '1' }, id: 'customer_id' };

  it('accepts good rows, including nulls, label and id columns', () => {
    expect(validateRows(t, [{ age: 3, dept: 'x', city: null, member: true, review: 'ok', customer_id: 'c1', recommended: 1 }])).toEqual([]);
  });

  it('names the row and column of unknown, missing and mistyped values', () => {
    const issues = validateRows(t, [
      { age: 'old', dept: 'x', city: 'y', member: 'maybe', review: 5, extra: 1 },
      { dept: 'x', city: 'y', member: true, review: 'ok' },
      [1, 2],
      null,
    ]);
    const by = (row: number, column: string) => issues.find((i) => i.row === row && i.column === column)?.message;
    expect(by(0, 'extra')).toMatch(/row 0: unknown column "extra"; the model takes age, dept, city, member, review/);
    expect(by(0, 'age')).toMatch(/expects a number, got "old"/);
    expect(by(0, 'member')).toMatch(/expects true or false/);
    expect(by(0, 'review')).toMatch(/expects text, got 5/);
    expect(by(1, 'age')).toMatch(/column "age" is missing; send null/);
    expect(by(2, '')).toMatch(/must be an object/);
    expect(by(3, '')).toMatch(/must be an object/);
  });

  it('caps the report and refuses oversized text', () => {
    const many = Array.from({ length: 500 }, () => ({ nope: 1 }));
    expect(validateRows(t, many)).toHaveLength(100);
    const big = validateRows(t, [{ age: 1, dept: 'a', city: 'b', member: true, review: 'x'.repeat(200_000) }]);
    expect(big[0]!.message).toMatch(/200000 characters; at most 100000/);
  });
});
