import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { CsvBlobBatcher } from './csv-blob-batcher.js';

const text = (parts: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(parts));

describe('CsvBlobBatcher', () => {
  test('batches end on record boundaries, never inside a quoted field with newlines', () => {
    const batcher = new CsvBlobBatcher(16);
    const batches: string[] = [];
    const input = ['1,"multi\nline",x\n2,', 'plain,y\n3,"a ""quoted"" ', 'value\nstill",z\n4,b,c\n'];
    for (const chunk of input) {
      const b = batcher.push(chunk);
      if (b) batches.push(text(b));
    }
    const rest = batcher.finish();
    if (rest) batches.push(text(rest));
    expect(batches.join('')).toBe(input.join(''));
    for (const b of batches) {
      expect(b.endsWith('\n')).toBe(true);
      // Every batch holds whole records: its quotes balance.
      expect((b.match(/"/g) ?? []).length % 2).toBe(0);
    }
    expect(batches.length).toBeGreaterThan(1);
  });

  test('any chunking of any records reassembles exactly, in balanced batches', () => {
    const field = fc.oneof(fc.string({ maxLength: 8 }).map((s) => s.replace(/[",\n]/g, '')), fc.string({ maxLength: 8 }).map((s) => `"${s.replace(/"/g, '""')}"`));
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 64 }), (rows, cuts, limit) => {
        const csv = rows.map((r) => `${r.join(',')}\n`).join('');
        const batcher = new CsvBlobBatcher(limit);
        const out: string[] = [];
        let at = 0;
        let i = 0;
        while (at < csv.length) {
          const n = cuts[i++ % cuts.length]!;
          const b = batcher.push(csv.slice(at, at + n));
          if (b) out.push(text(b));
          at += n;
        }
        const rest = batcher.finish();
        if (rest) out.push(text(rest));
        expect(out.join('')).toBe(csv);
        for (const b of out) expect((b.match(/"/g) ?? []).length % 2).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
