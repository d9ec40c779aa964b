import { useState, type FormEvent } from 'react';

/** Paste an API token; it is kept in sessionStorage only, so closing the tab signs out. */
export function SignIn({ onSignIn, message }: { onSignIn(token: string): Promise<void>; message: string | null }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) return setError('Paste your API token first. An admin creates one with `loom token create --name you --role launcher`.');
    if (value.length > 500 || /\s/.test(value)) return setError('That does not look like a Loom API token: tokens are one word without spaces.');
    setBusy(true);
    setError(null);
    try {
      await onSignIn(value);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const shown = error ?? message;
  return (
    <main id="main" className="signin">
      <h1>Sign in to Loom</h1>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} aria-describedby="token-help" aria-invalid={shown ? true : undefined} />
        <p id="token-help" className="muted">Ask an admin for a token (<code>loom token create</code>). It is kept only in this browser tab.</p>
        {shown && <p className="error" role="alert">{shown}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
