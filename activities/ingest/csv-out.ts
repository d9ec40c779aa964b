/** Builds COPY-ready CSV text in large strings, so the database sees few, big writes. */
export const COPY_CHUNK_CHARS = 256 * 1024;

/** One CSV field for COPY: NULL is an unquoted empty field; text is always quoted (so `\.` and "" stay data). */
export function csvField(value: string | null, quote: boolean): string {
  if (value === null) return '';
  if (!quote) return value;
  return value.includes('"') ? `"${value.replace(/"/g, '""')}"` : `"${value}"`;
}
