import { describe, expect, test } from 'vitest';
import { formatInterval, formatPValue, metricColumns, srmStatus } from '../../web/src/lib/format.js';
import { liftChartSpec, liftSeries, primaryMetric } from '../../web/src/lib/lift-chart.js';
import { exampleRow, MAX_ROWS, MAX_ROWS_TEXT, parseRows } from '../../web/src/lib/predict-rows.js';
import { MAX_DIFF_LINES, parseUnifiedDiff } from '../../web/src/lib/unified-diff.js';
import { cellStatusLabel } from '../../web/src/lib/status.js';
import { testTransform } from '../registry/fixtures.js';

describe('predict rows typed into the "try it" form', () => {
  test('one object or a list of flat objects', () => {
    expect(parseRows('{"age": 3}')).toEqual({ ok: true, rows: [{ age: 3 }] });
    expect(parseRows('[{"a": "x", "b": null, "c": true}]')).toEqual({ ok: true, rows: [{ a: 'x', b: null, c: true }] });
  });

  test('malformed, hostile and oversized input is refused with the fix', () => {
    expect(parseRows('')).toMatchObject({ ok: false, error: expect.stringMatching(/at least one row/) });
    expect(parseRows("{'age': 3}")).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON.*double quotes/) });
    expect(parseRows('[]')).toMatchObject({ ok: false, error: expect.stringMatching(/empty/) });
    expect(parseRows('[1, 2]')).toMatchObject({ ok: false, error: 'Row 1 must be an object of column: value, e.g. {"age": 34}.' });
    expect(parseRows('"<script>"')).toMatchObject({ ok: false, error: expect.stringMatching(/^The row must be an object/) });
    expect(parseRows('{"__proto__": {"x": 1}}')).toMatchObject({ ok: false, error: expect.stringMatching(/column "__proto__" must be text/) });
    expect(parseRows(JSON.stringify(Array.from({ length: MAX_ROWS + 1 }, () => ({}))))).toMatchObject({ ok: false, error: expect.stringMatching(/101 rows is too many/) });
    expect(parseRows('x'.repeat(MAX_ROWS_TEXT + 1))).toMatchObject({ ok: false, error: expect.stringMatching(/KiB/) });
    const wide = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`c${i}`, i]));
    expect(parseRows(JSON.stringify(wide))).toMatchObject({ ok: false, error: expect.stringMatching(/201 columns/) });
  });

  test('the example row names every raw column of the feature spec and ignores junk specs', () => {
    expect(exampleRow(testTransform())).toEqual({ age: 40, channel: 'email', member: true, review: '' });
    expect(exampleRow(null)).toEqual({});
    expect(exampleRow({ numeric: 'x', categorical: [null], boolean: [1] })).toEqual({});
  });
});

describe('unified diff lines', () => {
  const diff = ['===', '--- a v1\trun-a', '+++ b v2\trun-b', '@@ -3,3 +3,3 @@', ' keep', '-old', '+new', ' tail', '\\ No newline at end of file', ''].join('\n');

  test('typed and numbered on both sides', () => {
    const { lines } = parseUnifiedDiff(diff);
    expect(lines.map((l) => l.type)).toEqual(['file', 'file', 'file', 'hunk', 'context', 'removed', 'added', 'context', 'file']);
    expect(lines[5]).toEqual({ type: 'removed', text: 'old', oldLine: 4, newLine: null });
    expect(lines[6]).toEqual({ type: 'added', text: 'new', oldLine: null, newLine: 4 });
    expect(lines[7]).toMatchObject({ oldLine: 5, newLine: 5 });
  });

  test('empty, odd and huge diffs never throw', () => {
    expect(parseUnifiedDiff('').lines).toEqual([]);
    expect(parseUnifiedDiff('@@ garbage @@\r\nplain').lines.map((l) => l.type)).toEqual(['context', 'context']);
    const big = parseUnifiedDiff(`@@ -1,1 +1,1 @@\n${'+x\n'.repeat(MAX_DIFF_LINES + 10)}`);
    expect(big.truncated).toBe(true);
    expect(big.lines).toHaveLength(MAX_DIFF_LINES);
  });
});

describe('experiment lift chart and figures', () => {
  const r = (relative: number | null, ci: number[] | null, role = 'primary', metric = 'repeat') => ({ metric, role, relative, ci });
  const snaps = [
    { asOf: '2026-03-02T00:00:00Z', results: [r(0.05, [0.01, 0.09]), r(0.3, [0, 1], 'guardrail', 'churn')] },
    { asOf: '2026-03-01T00:00:00Z', results: [r(0.08, [-0.1, 0.2])] },
    { asOf: '2026-03-03T00:00:00Z', results: [r(null, null)] },
    { asOf: '2026-03-04T00:00:00Z', results: [r(0.04, [Number.NaN, 0.1])] },
  ];

  test('series: primary metric, oldest first, no points without a finite lift, no band without a finite interval', () => {
    expect(primaryMetric(snaps)).toBe('repeat');
    expect(primaryMetric([])).toBeNull();
    expect(liftSeries(snaps, 'repeat')).toEqual([
      { asOf: '2026-03-01T00:00:00Z', lift: 0.08, lo: -0.1, hi: 0.2 },
      { asOf: '2026-03-02T00:00:00Z', lift: 0.05, lo: 0.01, hi: 0.09 },
      { asOf: '2026-03-04T00:00:00Z', lift: 0.04, lo: null, hi: null },
    ]);
  });

  test('spec layers: interval band, estimate line, zero rule', () => {
    const spec = liftChartSpec(liftSeries(snaps, 'repeat'), 'repeat') as { layer: Array<{ mark: { type: string }; data: { values: unknown[] } }> };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['area', 'line', 'rule']);
    expect(spec.layer[0]!.data.values).toHaveLength(2);
    expect(spec.layer[1]!.data.values).toHaveLength(3);
    expect(spec.layer[2]!.data.values).toEqual([{ zero: 0 }]);
  });

  test('SRM is flagged below p = 0.001 even if the server flag were missing; p-values and intervals read well', () => {
    expect(srmStatus({ pValue: 0.0004, mismatch: false })).toEqual({ label: 'sample ratio mismatch (p < 0.001)', tone: 'bad' });
    expect(srmStatus({ pValue: 0.2, mismatch: false })).toEqual({ label: 'sample ratio OK (p 0.200)', tone: 'good' });
    expect(srmStatus(null).tone).toBe('neutral');
    expect(formatPValue(1e-9)).toBe('< 0.001');
    expect(formatPValue(Number.NaN)).toBe('—');
    expect(formatInterval([-0.012, 0.034])).toBe('[-1.2%, 3.4%]');
    expect(formatInterval('x')).toBe('—');
  });

  test('metric columns: headline metrics first, non-numbers dropped', () => {
    expect(metricColumns([{ threshold: 0.5, zeta: 1, auc: 0.8, note: 'x' }, { f1: 0.4, log_loss: Number.NaN }])).toEqual(['auc', 'f1', 'threshold', 'zeta']);
  });

  test('the server\'s GPU wait wording wins over the local label', () => {
    expect(cellStatusLabel({ status: 'pending', queue: 'loom-gpu', attempt: 0, displayStatus: 'waiting for a GPU worker' }).label).toBe('waiting for a GPU worker');
    expect(cellStatusLabel({ status: 'queued', queue: 'loom-gpu', attempt: 0 }).label).toBe('waiting for a GPU worker');
    expect(cellStatusLabel({ status: 'running', queue: 'loom-gpu', attempt: 1, displayStatus: 'running' }).label).toBe('running');
  });
});
