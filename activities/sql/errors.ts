import { LoomInputError } from '../../core/errors.js';

interface PgError {
  code?: string;
  message: string;
  position?: string | number;
}

/** 1-based line and column of a 0-based offset. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/**
 * Turns a database error from the user's query into a message for a person, or returns undefined
 * for faults that are not the query's (connection lost…), which stay retryable.
 * `prefixLength` is how much Loom text precedes the query in the statement sent.
 */
export function queryError(err: unknown, query: string, prefixLength: number, timeoutMs: number, aliases: readonly string[]): LoomInputError | undefined {
  const e = err as PgError;
  if (!e || typeof e.message !== 'string' || typeof e.code !== 'string') return undefined;
  const pos = Number(e.position ?? 0) - 1 - prefixLength;
  const where = pos >= 0 && pos <= query.length ? ` at ${lineCol(query, pos)}` : '';
  const available = aliases.length > 0 ? `Datasets available: ${aliases.join(', ')}.` : 'No datasets are available: the cell needs an upstream cell that produced one, or a `datasets:` alias.';
  switch (e.code) {
    case '42601':
      if (pos >= 0 && query[pos] === ';') return new LoomInputError(`A sql cell runs exactly one statement; remove the ";"${where} and what follows it.`);
      return new LoomInputError(`SQL syntax error${where}: ${e.message}.`);
    case '25006':
      return new LoomInputError(`sql cells are read-only: ${e.message}. Select the rows you want; the cell stores the result as a new dataset.`);
    case '42501':
      return new LoomInputError(`Access refused: ${e.message}. sql cells may read only datasets. ${available}`);
    case '42P01':
      return new LoomInputError(`${e.message}${where}. sql cells may read only datasets. ${available}`);
    case '57014':
      return new LoomInputError(`The query ran longer than its timeout of ${timeoutMs} ms and was cancelled. Make it cheaper or raise \`timeout\`.`);
    case '42701':
      return new LoomInputError(`${e.message}: every result column needs a distinct name; rename duplicates with AS.`);
    case '0A000':
      if (/data-modifying/i.test(e.message)) return new LoomInputError(`sql cells are read-only: ${e.message}.`);
      return new LoomInputError(`Unsupported query${where}: ${e.message}.`);
    default:
      // Class 08 (connection), 40 (rollback), 53 (resources), 58 (system) are transient.
      if (/^(08|40|53|57P|58)/.test(e.code)) return undefined;
      return new LoomInputError(`The query failed${where}: ${e.message} (SQLSTATE ${e.code}).`);
  }
}
