import type { NotebookIssue } from './types.js';

const WINDOW = 100;

/** Replaces control characters so a report cannot move the cursor or recolour a terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd').replace(/\t/g, ' ');
}

/**
 * A report for people: `file:line:column  message`, then the source line and a caret under the
 * column. Long lines are shown as a window around the column.
 */
export function formatIssues(issues: readonly NotebookIssue[], source: string, fileName: string): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
  const out: string[] = [];
  for (const issue of sorted) {
    out.push(`${printable(fileName)}:${issue.line}:${issue.column}  ${printable(issue.message)}`);
    const line = lines[issue.line - 1];
    if (line === undefined) continue;
    const col = Math.max(1, issue.column) - 1;
    const from = Math.max(0, Math.min(col - WINDOW / 2, line.length - WINDOW));
    const shown = (from > 0 ? '…' : '') + printable(line.slice(from, from + WINDOW)) + (from + WINDOW < line.length ? '…' : '');
    const caretAt = col - from + (from > 0 ? 1 : 0);
    const gutter = `${String(issue.line).padStart(5)} | `;
    out.push(`${gutter}${shown}`, `${' '.repeat(gutter.length)}${' '.repeat(Math.max(0, caretAt))}^`);
  }
  out.push(`${issues.length} problem${issues.length === 1 ? '' : 's'} in ${printable(fileName)}`);
  return out.join('\n');
}
