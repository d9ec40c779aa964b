import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiError} from './api/client.js';
import { gql, onUnauthenticated, tokenStore } from './api/client.js';
import { loadCapabilities } from './api/capabilities.js';
import { Link, usePath } from './router.js';
import { SessionContext, type Role, type Session } from './session.js';
import { SignIn } from './pages/SignIn.js';
import { NotebookList } from './pages/NotebookList.js';
import { NotebookPage } from './pages/NotebookPage.js';
import { NotebookEditor } from './pages/NotebookEditor.js';
import { RunPage } from './pages/RunPage.js';
import { RunList } from './pages/RunList.js';
import { ModelList } from './pages/ModelList.js';
import { ModelPage } from './pages/ModelPage.js';
import { ExperimentList } from './pages/ExperimentList.js';
import { ExperimentPage } from './pages/ExperimentPage.js';
import { ComparePage } from './pages/ComparePage.js';

async function startSession(token: string) {
  const me = await gql<{ me: Session['me'] & { role: Role } }>(`{ me { name role expiresAt } }`, {}, token);
  tokenStore.set(token);
  const caps = await loadCapabilities();
  return { me: me.me, caps };
}

function signInMessage(err: ApiError): string {
  if (err.code === 'UNAUTHENTICATED') return `Signed out: ${err.message}`;
  return err.message;
}

/** Top-level sections; a section shows only when the API offers the query behind it. */
const NAV = [
  { href: '/', label: 'Notebooks', query: null },
  { href: '/runs', label: 'Runs', query: 'runs' },
  { href: '/models', label: 'Models', query: 'models' },
  { href: '/experiments', label: 'Experiments', query: 'experiments' },
];

/** The nav entry a path belongs to: notebook pages under Notebooks, compare under Runs. */
function section(path: string): string {
  const first = path.split('/').filter(Boolean)[0];
  if (first === 'runs' || first === 'compare') return '/runs';
  if (first === 'models' || first === 'experiments') return `/${first}`;
  return '/';
}

function Page({ path }: { path: string }) {
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (seg.length === 0) return <NotebookList />;
  if (seg[0] === 'new' && seg.length === 1) return <NotebookEditor name={null} />;
  if (seg[0] === 'notebooks' && seg[1] && seg.length === 2) return <NotebookPage name={seg[1]} />;
  if (seg[0] === 'notebooks' && seg[1] && seg[2] === 'edit' && seg.length === 3) return <NotebookEditor key={seg[1]} name={seg[1]} />;
  if (seg[0] === 'runs' && seg.length === 1) return <RunList />;
  if (seg[0] === 'runs' && seg[1] && seg.length === 2) return <RunPage id={seg[1]} />;
  if (seg[0] === 'compare' && seg[1] && seg[2] && seg.length === 3) return <ComparePage key={`${seg[1]}/${seg[2]}`} a={seg[1]} b={seg[2]} />;
  if (seg[0] === 'models' && seg.length === 1) return <ModelList />;
  if (seg[0] === 'models' && seg[1] && seg.length === 2) return <ModelPage key={seg[1]} name={seg[1]} />;
  if (seg[0] === 'experiments' && seg.length === 1) return <ExperimentList />;
  if (seg[0] === 'experiments' && seg[1] && seg.length === 2) return <ExperimentPage key={seg[1]} name={seg[1]} />;
  return <p>Nothing here. Go back to the <Link href="/">notebooks</Link>.</p>;
}

export function App() {
  const path = usePath();
  const [state, setState] = useState<Omit<Session, 'signOut'> | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(() => tokenStore.get() !== null);

  const signOut = useCallback((why?: string) => {
    tokenStore.clear();
    setState(null);
    setMessage(why ?? null);
  }, []);
  useEffect(() => onUnauthenticated((err) => signOut(signInMessage(err))), [signOut]);
  useEffect(() => {
    const saved = tokenStore.get();
    if (!saved) return;
    startSession(saved)
      .then(setState)
      .catch((err: ApiError) => signOut(signInMessage(err)))
      .finally(() => setRestoring(false));
  }, [signOut]);
  const session = useMemo(() => (state ? { ...state, signOut } : null), [state, signOut]);

  const signIn = async (token: string) => {
    try {
      setState(await startSession(token));
      setMessage(null);
    } catch (err) {
      tokenStore.clear();
      const e = err as ApiError;
      throw new Error(e.code === 'UNAUTHENTICATED' ? `That token was not accepted: ${e.message}` : e.message);
    }
  };

  if (restoring && !session) return <main id="main"><p aria-live="polite">Signing in…</p></main>;
  if (!session) return <SignIn onSignIn={signIn} message={message} />;
  return (
    <SessionContext.Provider value={session}>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <Link href="/" className="brand">Loom</Link>
        <nav aria-label="Main">
          {NAV.filter((n) => !n.query || session.caps.query.has(n.query)).map((n) => (
            <Link key={n.href} href={n.href} aria-current={section(path) === n.href ? 'page' : undefined}>{n.label}</Link>
          ))}
        </nav>
        <span className="who">{session.me.name} · {session.me.role}</span>
        <button type="button" className="secondary small" onClick={() => signOut()}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} />
      </main>
    </SessionContext.Provider>
  );
}
