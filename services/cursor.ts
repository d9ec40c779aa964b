import { BadUserInputError } from './errors.js';

/**
 * Page cursors carry `created_at` as Postgres prints it (microsecond precision; a JS Date
 * would round to milliseconds and skip or repeat runs created in the same millisecond) plus the id.
 */
export function encodeKeysetCursor(createdAtText: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAtText, id]), 'utf8').toString('base64url');
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

export function decodeKeysetCursor(cursor: string): { createdAt: string; id: string } {
  const invalid = () => new BadUserInputError('The "after" cursor is not valid; pass an endCursor or cursor from an earlier page unchanged.');
  if (cursor.length > 200) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalid();
  const [createdAt, id] = value as unknown[];
  if (typeof createdAt !== 'string' || !TIMESTAMP.test(createdAt) || typeof id !== 'string' || id.length > 100) throw invalid();
  return { createdAt, id };
}
