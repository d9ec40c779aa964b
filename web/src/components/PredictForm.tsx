import { useState, type FormEvent } from 'react';
import { gql } from '../api/client.js';
import { formatNumber } from '../lib/format.js';
import { exampleRow, parseRows } from '../lib/predict-rows.js';

interface Result { version: number; alias: string | null; threshold: number; predictions: Array<{ probability: number; label: number }> }

/** "Try it": rows typed as JSON go to `predict` on the chosen alias or version. */
export function PredictForm({ model, featureSpec, targets }: { model: string; featureSpec: unknown; targets: string[] }) {
  const [text, setText] = useState(() => JSON.stringify([exampleRow(featureSpec)], null, 2));
  const [target, setTarget] = useState(targets[0] ?? '');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseRows(text);
    if (!parsed.ok) return setError(parsed.error);
    setError(null);
    setBusy(true);
    const version = /^v(\d+)$/.exec(target)?.[1];
    try {
      const d = await gql<{ predict: Result }>(
        `query($m: String!, $r: JSON!, $a: String, $v: Int) { predict(model: $m, rows: $r, alias: $a, version: $v) { version alias threshold predictions { probability label } } }`,
        { m: model, r: parsed.rows, a: version ? null : target || null, v: version ? Number(version) : null },
      );
      setResult(d.predict);
    } catch (err) {
      setResult(null);
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="predict card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="predict-title">
      <h2 id="predict-title">Try it</h2>
      <div className="field">
        <label htmlFor="predict-target">Model to call</label>
        <select id="predict-target" value={target} onChange={(e) => setTarget(e.target.value)}>
          {targets.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="predict-rows">Rows (JSON: one object or a list, column: value)</label>
        <textarea id="predict-rows" rows={8} spellCheck={false} value={text} aria-invalid={error ? true : undefined} aria-describedby="predict-help" onChange={(e) => setText(e.target.value)} />
        <span id="predict-help" className={error ? 'error' : 'muted'} role={error ? 'alert' : undefined}>{error ?? 'Raw feature values, as the model was trained on them.'}</span>
      </div>
      <button type="submit" disabled={busy}>{busy ? 'Predicting…' : 'Predict'}</button>
      {result && (
        <table className="list predictions" aria-label="Predictions">
          <caption>v{result.version}{result.alias ? ` (${result.alias})` : ''}, threshold {formatNumber(result.threshold)}</caption>
          <thead><tr><th scope="col">Row</th><th scope="col">Probability of purchase</th><th scope="col">Label</th></tr></thead>
          <tbody>{result.predictions.map((p, i) => <tr key={i}><td>{i + 1}</td><td data-probability={p.probability}>{formatNumber(p.probability)}</td><td>{p.label === 1 ? 'buys' : 'does not buy'}</td></tr>)}</tbody>
        </table>
      )}
    </form>
  );
}
