import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CleanCsvScanner, NotCleanError, type CleanCsvOptions } from '../../activities/ingest/clean-csv.js';
import { fits } from '../../activities/ingest/infer.js';
import { pseudonymizer } from '../../activities/ingest/pseudonym.js';
import { fitsBytes } from '../../activities/ingest/value-bytes.js';
import { piiHash } from '../../activities/pii.js';
import { COLUMN_TYPES, type ColumnType } from '../../kinds/ingest.js';

const TYPED = COLUMN_TYPES.filter((t) => t !== 'text');
const check = (t: ColumnType, v: string) => {
  const b = Buffer.from(`,${v},`);
  return fitsBytes(t, b, 1, b.length - 1);
};

// Values near every edge of the grammars in infer.ts.
const EDGES = [
  '0', '-0', '+7', '007', '123456789', '2147483647', '2147483648', '-2147483648', '9223372036854775807', '9223372036854775808',
  '1.', '.5', '+.5', '-1.5e10', '1e', '1e+', 'e5', '.', '+', '-', '1.5.5', '1e5e5', '1E-7', 'NaN', 'Infinity', '1e400', '0x1F', '1_000',
  'true', 'FALSE', 'Yes', 'no', 't', 'F', 'on', 'off', '1 ', ' 1', 'tru', 'y',
  '2024-02-29', '2023-02-29', '0000-01-01', '0001-01-01', '2024-13-01', '2024-00-10', '2024-01-00', '2024-04-31', '2024-1-1', '2024-01-01x',
  '2024-01-01T10:00', '2024-01-01 23:59:59', '2024-01-01T24:00', '2024-01-01T10:60', '2024-01-01T10:00:60', '2024-01-01T10:00:00.123456',
  '2024-01-01T10:00:00.1234567', '2024-01-01T10:00:00.', '2024-01-01T10:00Z', '2024-01-01Z', '2024-01-01+05', '2024-01-01T10:00+05:30',
  '2024-01-01T10:00+0530', '2024-01-01T10:00+05:', '2024-01-01T10:00+05:3', '2024-01-01T10:00-0', '2024-01-01T1', '2024-01-01T10', '2024-01-01T10:0',
  '2024-01-01t10:00', '2024-01-01T10:00z', '', ' ', '１２', '٣',
];

// fits() takes these but Postgres does not: the fast path must leave them to the careful path.
const POSTGRES_REFUSES = new Set(['1e-400', '0.0001e-400', '2024-01-01T10:00+16', '2024-01-01+99:00']);
EDGES.push(...POSTGRES_REFUSES, '0e-999', '0.000e5', '1e-320', '2024-01-01T10:00+15:59');

/** Values fits() takes that Postgres refuses: offsets past 15 hours, numbers that underflow to zero. */
function postgresRefuses(t: ColumnType, v: string): boolean {
  if (t === 'timestamp') return Number(/[+-](\d\d)(:?\d\d)?$/.exec(v.slice(10))?.[1] ?? 0) > 15;
  return t === 'double' && Number(v) === 0 && /[1-9]/.test(v.split(/[eE]/)[0]!);
}

describe('byte-level value checks', () => {
  it('never accept what fits() refuses, and agree with it on every edge value', () => {
    for (const t of TYPED) {
      for (const v of EDGES) {
        if (v === '') continue;
        expect([t, v, check(t, v)]).toEqual([t, v, fits(t, v.trim()) && v.trim() === v && !postgresRefuses(t, v)]);
      }
    }
  });

  it('agree with fits() on random strings from each grammar alphabet', () => {
    const alphabet = fc.constantFrom(...'0123456789+-.eE:TZ tf-'.split(''));
    fc.assert(fc.property(fc.constantFrom(...TYPED), fc.string({ unit: alphabet, minLength: 1, maxLength: 32 }), (t, v) => {
      expect(check(t, v)).toBe(fits(t, v.trim()) && v.trim() === v && !postgresRefuses(t, v));
    }), { numRuns: 4_000 });
    fc.assert(fc.property(fc.constantFrom<ColumnType>('date', 'timestamp'), fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), fc.integer({ min: 10, max: 29 }), (t, d, len) => {
      const v = d.toISOString().slice(0, t === 'date' ? 10 : len);
      expect(check(t, v)).toBe(fits(t, v));
    }), { numRuns: 1_000 });
  });
});

describe('pseudonyms', () => {
  it('equal piiHash for any salt and any text', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.string({ unit: 'grapheme', maxLength: 300 }), (salt, v) => {
      const s = Buffer.from(salt);
      expect(pseudonymizer(s)(Buffer.from(v, 'utf8'))).toBe(piiHash(s, v));
    }), { numRuns: 300 });
    const salt = crypto.randomBytes(32);
    const p = pseudonymizer(salt);
    for (const v of ['a', 'ann@example.com', 'x'.repeat(100_000), 'Zoë ✓ 𝄞']) expect(p(Buffer.from(v))).toBe(piiHash(salt, v));
  });
});

const scanAll = (opts: CleanCsvOptions, data: Buffer, step: number): string => {
  const s = new CleanCsvScanner(opts);
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += step) out.push(...s.push(Buffer.from(data.subarray(i, i + step))));
  out.push(...s.end());
  return Buffer.concat(out).toString('utf8');
};
const opts = (types: ColumnType[], extra: Partial<CleanCsvOptions> = {}): CleanCsvOptions => ({ types, header: true, pii: types.map(() => false), ...extra });
const notClean = (o: CleanCsvOptions, text: string | Buffer) => {
  try {
    scanAll(o, Buffer.from(text), text.length > 10_000 ? 256 * 1024 : 7);
  } catch (e) {
    if (e instanceof NotCleanError) return e;
    throw e;
  }
  return undefined;
};

describe('clean CSV scanner', () => {
  const file = '\ufeffid,note,at\r\n1,"a, ""quoted""\r\nline",2024-01-01T10:00Z\r\n2,,\r\n-3,plain,2024-02-29\r\n';

  it('hands on the data records byte for byte, whatever the chunk sizes', () => {
    const want = '1,"a, ""quoted""\r\nline",2024-01-01T10:00Z\r\n2,,\r\n-3,plain,2024-02-29\r\n';
    for (const step of [1, 2, 3, 5, 16, 4096]) expect(scanAll(opts(['integer', 'text', 'timestamp']), Buffer.from(file), step)).toBe(want);
    const noNewline = scanAll(opts(['integer', 'text']), Buffer.from('a,b\n1,x\n2,y'), 1);
    expect(noNewline).toBe('1,x\n2,y');
  });

  it('replaces PII fields with the same pseudonym piiHash gives, quoted or not', () => {
    const salt = crypto.randomBytes(32);
    const o = opts(['text', 'integer'], { pii: [true, false], pseudonym: pseudonymizer(salt) });
    for (const step of [1, 3, 1000]) {
      expect(scanAll(o, Buffer.from('email,n\nann@x.io,1\n"b,""c""",2\n,3\n'), step))
        .toBe(`${piiHash(salt, 'ann@x.io')},1\n${piiHash(salt, 'b,"c"')},2\n,3\n`);
    }
  });

  it('stops at anything the careful path would reject or read differently, naming the record', () => {
    const two = opts(['integer', 'text']);
    const cases: [CleanCsvOptions, string | Buffer, RegExp][] = [
      [two, 'a,b\n1,x\n2,y,z\n', /record 2: more than 2 fields/],
      [two, 'a,b\n1\n', /record 1: 1 fields, expected 2/],
      [two, 'a,b\n1,x\n\n2,y\n', /record 2: an empty line/],
      [two, 'a,b\n1,"x\n', /never closed/],
      [two, 'a,b\n1,"x"y\n', /after a closing quote/],
      [two, 'a,b\n1,x"y\n', /quote inside an unquoted field/],
      [two, 'a,b\n1,""\n', /quoted empty field/],
      [two, 'a,b\n 1,x\n', /column 1 does not fit integer/],
      [two, 'a,b\n"1""",x\n', /column 1 does not fit integer/],
      [two, 'a,b\n1,x\r2,y\r', /carriage return/],
      [two, 'a,b\n1,x\r\n2,y\n', /record 2: mixed line endings/],
      [two, Buffer.from('a,b\n1,a\0b\n'), /NUL/],
      [two, Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]), /not UTF-8/],
      [two, 'a,b\n1,\uFFFD\n', /U\+FFFD/],
      [opts(['text']), 'a\nx\n\\.\ny\n', /starting with \\\./],
      [two, 'a,b\n1,"x\n\\.\n"\n', /starting with \\\./],
      [two, `a,b\n1,${'x'.repeat(600 * 1024)}\n`, /very large record/],
      [opts(['boolean']), 'a\non\n', /does not fit boolean/],
      [opts(['double']), 'a\nNaN\n', /does not fit double/],
    ];
    for (const [o, text, re] of cases) expect(notClean(o, text)?.message, String(text).slice(0, 40)).toMatch(re);
  });

  it('reads a header-less file from its first byte and skips only a BOM', () => {
    expect(scanAll(opts(['integer', 'integer'], { header: false }), Buffer.from('\ufeff1,2\n3,4\n'), 1)).toBe('1,2\n3,4\n');
    const s = new CleanCsvScanner(opts(['integer'], { header: false }));
    expect(s.push(Buffer.from('5\n6'))).toHaveLength(1);
    expect(Buffer.concat(s.end()).toString()).toBe('6');
    expect(s.rows).toBe(2);
  });
});
