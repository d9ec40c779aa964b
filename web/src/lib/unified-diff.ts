/** One line of a unified diff as the compare page shows it. */
export interface DiffLine {
  type: 'added' | 'removed' | 'context' | 'hunk' | 'file';
  text: string;
  /** Line number in the old (a) and new (b) source; null where the line is not on that side. */
  oldLine: number | null;
  newLine: number | null;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;
/** Beyond this the page shows a note instead of freezing the tab on a huge diff. */
export const MAX_DIFF_LINES = 5_000;

/**
 * Splits a unified diff into typed, numbered lines. Never throws: unknown lines read as context,
 * so a diff in an unexpected shape still shows as text.
 */
export function parseUnifiedDiff(diff: string): { lines: DiffLine[]; truncated: boolean } {
  const raw = diff.replace(/\r\n?/g, '\n').split('\n');
  if (raw.at(-1) === '') raw.pop();
  const lines: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  for (const text of raw) {
    if (lines.length >= MAX_DIFF_LINES) return { lines, truncated: true };
    const hunk = HUNK.exec(text);
    if (hunk) {
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      lines.push({ type: 'hunk', text, oldLine: null, newLine: null });
    } else if (text.startsWith('===') || text.startsWith('--- ') || text.startsWith('+++ ') || text.startsWith('Index: ') || text.startsWith('\\')) {
      lines.push({ type: 'file', text, oldLine: null, newLine: null });
    } else if (text.startsWith('+')) {
      lines.push({ type: 'added', text: text.slice(1), oldLine: null, newLine: newNo++ });
    } else if (text.startsWith('-')) {
      lines.push({ type: 'removed', text: text.slice(1), oldLine: oldNo++, newLine: null });
    } else {
      lines.push({ type: 'context', text: text.startsWith(' ') ? text.slice(1) : text, oldLine: oldNo++, newLine: newNo++ });
    }
  }
  return { lines, truncated: false };
}
