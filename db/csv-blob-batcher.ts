const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Groups streamed CSV into batches that end on record boundaries. PGlite runs one COPY per Blob,
 * so a Blob that ended inside a record (or a quoted field with newlines) would break the load.
 * Quotes and newlines are ASCII, so scanning UTF-8 bytes is safe.
 */
export class CsvBlobBatcher {
  private parts: Uint8Array[] = [];
  private size = 0;
  private inQuotes = false;
  /** The latest record boundary: part index and the offset just after its newline. */
  private boundary: { part: number; offset: number } | undefined;
  private readonly encoder = new TextEncoder();

  constructor(private readonly limitBytes: number) {}

  /** Adds a chunk; returns a batch of whole records once the limit is reached. */
  push(chunk: string | Uint8Array): Uint8Array[] | undefined {
    const bytes = typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk;
    const index = this.parts.length;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === QUOTE) this.inQuotes = !this.inQuotes;
      else if (b === NEWLINE && !this.inQuotes) this.boundary = { part: index, offset: i + 1 };
    }
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size < this.limitBytes || !this.boundary) return undefined;
    const { part, offset } = this.boundary;
    const batch = [...this.parts.slice(0, part), this.parts[part]!.subarray(0, offset)];
    const rest = [this.parts[part]!.subarray(offset), ...this.parts.slice(part + 1)].filter((p) => p.length > 0);
    this.parts = rest;
    this.size = rest.reduce((n, p) => n + p.length, 0);
    this.boundary = undefined;
    return batch;
  }

  /** What is left at the end of the stream. */
  finish(): Uint8Array[] | undefined {
    const rest = this.parts;
    this.parts = [];
    this.size = 0;
    return rest.length > 0 ? rest : undefined;
  }
}
