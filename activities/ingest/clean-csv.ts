import { isUtf8 } from 'node:buffer';
import type { ColumnType } from '../../kinds/ingest.js';
import { MAX_RECORD_BYTES } from './records.js';
import { fitsBytes } from './value-bytes.js';

/**
 * The fast path's reader: it checks that a CSV file is clean — every record has the expected
 * fields, every typed value is one the careful path accepts, nothing the careful path would reject
 * or read differently from Postgres — and hands the file's own bytes on for `COPY … (FORMAT csv)`.
 * It never repairs anything: the first thing it is not sure of ends the fast path with
 * `NotCleanError`, and the careful path loads the file from the start with its usual rejects.
 */
export class NotCleanError extends Error {
  constructor(readonly record: number, readonly detail: string) {
    super(`record ${record}: ${detail}`);
  }
}

export interface CleanCsvOptions {
  types: readonly ColumnType[];
  header: boolean;
  /** Columns whose values are replaced by `pseudonym(bytes)` before COPY. */
  pii: readonly boolean[];
  pseudonym?: (value: Buffer) => string;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const DOT = 46;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const REPLACEMENT_CHAR = Buffer.from('\uFFFD', 'utf8');
const LINE_BACKSLASH_DOT = Buffer.from('\n\\.');
// Generous margin under the careful path's limit: how csv-parse counts a record is its own business.
const RECORD_LIMIT = MAX_RECORD_BYTES / 2;

/** Incremental: `push()` each chunk of the file, then `end()`; both return COPY-ready bytes. */
export class CleanCsvScanner {
  /** Data records handed on so far (the header is not one). */
  rows = 0;
  private carry: Buffer<ArrayBuffer> | undefined;
  private started = false;
  /** Line ending of the data records: 0 not seen yet, 1 LF, 2 CRLF. */
  private eol = 0;
  private headerPending: boolean;
  private readonly ncols: number;
  private readonly anyPii: boolean;

  constructor(private readonly opts: CleanCsvOptions) {
    this.ncols = opts.types.length;
    this.headerPending = opts.header;
    this.anyPii = opts.pii.some(Boolean);
    if (this.anyPii && !opts.pseudonym) throw new Error('pii columns need a pseudonym function');
  }

  push(chunk: Buffer<ArrayBuffer>): Buffer<ArrayBuffer>[] {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    if (!this.started) {
      if (buf.length < BOM.length && buf.equals(BOM.subarray(0, buf.length))) {
        this.carry = buf;
        return [];
      }
      this.started = true;
      if (buf.subarray(0, 3).equals(BOM)) buf = buf.subarray(3);
    }
    return this.scan(buf, false);
  }

  end(): Buffer<ArrayBuffer>[] {
    const buf = this.carry ?? Buffer.alloc(0);
    this.carry = undefined;
    if (!this.started && buf.subarray(0, 3).equals(BOM)) return this.scan(buf.subarray(3), true);
    return this.scan(buf, true);
  }

  private fail(detail: string): never {
    throw new NotCleanError(this.rows + 1, detail);
  }

  /** Scans whole records of `buf`; keeps an unfinished last record for the next chunk unless at the end. */
  private scan(buf: Buffer<ArrayBuffer>, eof: boolean): Buffer<ArrayBuffer>[] {
    if (buf.indexOf(0) >= 0) this.fail('contains a NUL byte');
    if (buf.indexOf(REPLACEMENT_CHAR) >= 0) this.fail('contains U+FFFD');
    if (buf.indexOf(LINE_BACKSLASH_DOT) >= 0) this.fail('a line starting with \\.');
    const { types, pii } = this.opts;
    const ncols = this.ncols;
    const n = buf.length;
    const out: Buffer<ArrayBuffer>[] = [];
    let outStart = 0;
    let p = 0;
    let done = 0;
    records: while (p < n) {
      const recStart = p;
      // A record cut by the chunk's end is scanned again with the next chunk: undo its pseudonyms.
      const outAtRecord = out.length;
      const outStartAtRecord = outStart;
      let col = 0;
      let lastEmpty = false;
      let lastQuoted = false;
      let firstField = -1;
      for (;;) {
        let fs: number, fe: number;
        let quoted = false, escaped = false;
        if (p < n && buf[p] === QUOTE) {
          quoted = true;
          fs = ++p;
          for (;;) {
            const q = buf.indexOf(QUOTE, p);
            if (q < 0 || (q + 1 >= n && !eof)) {
              if (eof) this.fail('a quoted field is never closed');
              out.length = outAtRecord;
              outStart = outStartAtRecord;
              break records;
            }
            if (buf[q + 1] === QUOTE) {
              escaped = true;
              p = q + 2;
              continue;
            }
            fe = q;
            p = q + 1;
            break;
          }
        } else {
          fs = p;
          while (p < n) {
            const c = buf[p]!;
            if (c === COMMA || c === LF || c === CR) break;
            if (c === QUOTE) this.fail('a quote inside an unquoted field');
            p++;
          }
          fe = p;
          if (p >= n && !eof) {
            out.length = outAtRecord;
            outStart = outStartAtRecord;
            break records;
          }
        }
        if (col >= ncols) this.fail(`more than ${ncols} fields`);
        if (!this.headerPending) {
          if (fs === fe) {
            // "" is an empty string to Postgres but NULL to the careful path.
            if (quoted) this.fail('a quoted empty field');
          } else if (types[col] !== 'text') {
            if (escaped || !fitsBytes(types[col]!, buf, fs, fe)) this.fail(`column ${col + 1} does not fit ${types[col]}`);
          } else if (pii[col]) {
            // The value's UTF-8 bytes: what the careful path hashes after decoding the same text.
            const start = quoted ? fs - 1 : fs;
            const end = quoted ? fe + 1 : fe;
            const raw = escaped ? Buffer.from(buf.toString('utf8', fs, fe).replace(/""/g, '"'), 'utf8') : buf.subarray(fs, fe);
            out.push(buf.subarray(outStart, start), Buffer.from(this.opts.pseudonym!(raw), 'latin1'));
            outStart = end;
          }
        }
        if (col === 0) firstField = fe - fs;
        col++;
        lastEmpty = fs === fe;
        lastQuoted = quoted;
        if (p >= n) break; // end of file after the last field
        const c = buf[p]!;
        if (c === COMMA) {
          p++;
          if (p >= n && !eof) {
            out.length = outAtRecord;
            outStart = outStartAtRecord;
            break records;
          }
          continue;
        }
        let eol = 1;
        if (c === LF) p++;
        else if (c === CR) {
          eol = 2;
          if (p + 1 >= n && !eof) {
            out.length = outAtRecord;
            outStart = outStartAtRecord;
            break records;
          }
          if (buf[p + 1] !== LF) this.fail('a carriage return that does not end a line');
          p += 2;
        } else this.fail('characters after a closing quote');
        // Postgres takes the first data line's ending for all of them.
        if (!this.headerPending) {
          if (this.eol === 0) this.eol = eol;
          else if (this.eol !== eol) this.fail('mixed line endings');
        }
        break;
      }
      if (p - recStart > RECORD_LIMIT) this.fail('a very large record');
      // Postgres reads a line that is just \. as the end of the data; any line starting so is left to the careful path.
      if (firstField >= 2 && buf[recStart] === BACKSLASH && buf[recStart + 1] === DOT) this.fail('a line starting with \\.');
      if (col === 1 && lastEmpty && !lastQuoted) this.fail('an empty line');
      if (col !== ncols) this.fail(`${col} fields, expected ${ncols}`);
      if (this.headerPending) {
        this.headerPending = false;
        outStart = p;
      } else this.rows++;
      done = p;
    }
    if (!eof && n - done > RECORD_LIMIT) this.fail('a very large record');
    this.carry = done < n ? buf.subarray(done) : undefined;
    if (eof && this.carry) this.fail('an unfinished record');
    if (!isUtf8(buf.subarray(0, done))) this.fail('bytes that are not UTF-8');
    if (outStart < done) out.push(buf.subarray(outStart, done));
    return out;
  }
}
