import { useState, type FormEvent } from 'react';
import { gql } from '../api/client.js';
import { collectParams, type ParamSpec } from '../lib/params.js';
import { navigate } from '../router.js';
import { RoleButton } from './RoleButton.js';

/** A form generated from the notebook's typed params; checked here, then again by the server. */
export function LaunchForm({ notebook, specs }: { notebook: string; specs: ParamSpec[] }) {
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { values, errors: found } = collectParams(specs, texts);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      const d = await gql<{ launchRun: { id: string } }>(`mutation($n: String!, $p: JSON) { launchRun(notebook: $n, params: $p) { id } }`, { n: notebook, p: values });
      navigate(`/runs/${d.launchRun.id}`);
    } catch (err) {
      setFailure((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <form className="launch" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="launch-title">
      <h2 id="launch-title">Launch a run</h2>
      {specs.length === 0 && <p className="muted">This notebook has no parameters.</p>}
      {specs.map((s) => {
        const id = `param-${s.name}`;
        const err = errors[s.name];
        const common = { id, name: s.name, 'aria-invalid': err ? true : undefined, 'aria-describedby': `${id}-help`, value: texts[s.name] ?? (s.default === undefined ? '' : String(s.default)), onChange: (e: { target: { value: string } }) => setTexts({ ...texts, [s.name]: e.target.value }) };
        const bounds = [s.min !== undefined ? `min ${s.min}` : '', s.max !== undefined ? `max ${s.max}` : ''].filter(Boolean).join(', ');
        return (
          <div className="field" key={s.name}>
            <label htmlFor={id}>{s.name} <span className="muted">({s.type}{bounds ? `, ${bounds}` : ''})</span></label>
            {s.type === 'enum' || s.type === 'bool' ? (
              <select {...common}>
                {s.default === undefined && <option value="">choose…</option>}
                {(s.type === 'bool' ? ['true', 'false'] : (s.values ?? [])).map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
            ) : (
              <input {...common} type={s.type === 'string' ? 'text' : 'number'} step={s.type === 'int' ? 1 : 'any'} min={s.min} max={s.max} required={s.default === undefined} />
            )}
            <span id={`${id}-help`} className={err ? 'error' : 'muted'}>{err ?? s.description ?? ''}</span>
          </div>
        );
      })}
      {failure && <p className="error" role="alert">{failure}</p>}
      <RoleButton role="launcher" type="submit" disabled={busy}>{busy ? 'Launching…' : 'Launch run'}</RoleButton>
    </form>
  );
}
