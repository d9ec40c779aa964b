import { LIMITS } from './limits.js';

/**
 * Quotes user-written text for a message: JSON escaping keeps control characters and terminal
 * escape sequences out of reports, and long text is shortened.
 */
export function quote(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  const short = text.length > LIMITS.quotedChars ? `${text.slice(0, LIMITS.quotedChars)}…` : text;
  return JSON.stringify(short);
}

/** A JSON value shown in a message (numbers and booleans bare, strings quoted). */
export function show(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' || value === null ? String(value) : quote(value);
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 99;
}

/** ` (did you mean "x"?)` for a near miss among the candidates, else an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  if (word.length > 64) return '';
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3));
  for (const candidate of candidates) {
    // A truncated word ("backof") is a near miss even though many letters are missing.
    const [w, c] = [word.toLowerCase(), candidate.toLowerCase()];
    if ((w.length >= 4 && c.startsWith(w)) || (c.length >= 3 && w.startsWith(c))) return ` (did you mean ${quote(candidate)}?)`;
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d <= bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean ${quote(best)}?)`;
}

/** `a, b, c` or `(none)`. */
export function listOf(items: Iterable<string>): string {
  const all = [...items];
  return all.length === 0 ? '(none)' : all.join(', ');
}

/** Dotted path for messages and `NotebookIssue.field`: `source.csv`, `pii.0`. */
export function dotted(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}
