import { useMemo } from 'react';
import { parseUnifiedDiff } from '../lib/unified-diff.js';

/**
 * A unified diff with line numbers. Added and removed lines differ by colour and by a "+"/"−"
 * sign and a screen-reader word, so the change never depends on colour alone.
 */
export function DiffView({ diff }: { diff: string }) {
  const { lines, truncated } = useMemo(() => parseUnifiedDiff(diff), [diff]);
  if (!diff) return <p className="muted">Both runs used the same notebook source.</p>;
  return (
    <div className="diff" role="region" aria-label="Notebook source diff" tabIndex={0}>
      <table>
        <tbody>
          {lines.map((l, i) => (
            <tr key={i} className={`diff-${l.type}`}>
              <td className="ln" aria-hidden="true">{l.oldLine ?? ''}</td>
              <td className="ln" aria-hidden="true">{l.newLine ?? ''}</td>
              <td className="sign" aria-hidden="true">{l.type === 'added' ? '+' : l.type === 'removed' ? '−' : ''}</td>
              <td className="code">{l.type === 'added' && <span className="visually-hidden">added: </span>}{l.type === 'removed' && <span className="visually-hidden">removed: </span>}{l.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {truncated && <p className="muted">The diff is longer than this view shows; compare the versions with <code>loom diff</code>.</p>}
    </div>
  );
}
