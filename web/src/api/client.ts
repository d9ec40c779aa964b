import { SseParser } from '../lib/sse.js';

const TOKEN_KEY = 'loom.token';
const ENDPOINT = '/graphql';

/** A GraphQL error with its stable `extensions.code` (UNAUTHENTICATED, FORBIDDEN, …). */
export class ApiError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

type Listener = (err: ApiError) => void;
const authListeners = new Set<Listener>();
/** Called when any request finds the token missing, unknown, expired or revoked. */
export function onUnauthenticated(listener: Listener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

interface GqlBody<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

function toError(body: GqlBody<unknown>, status: number): ApiError | null {
  const first = body.errors?.[0];
  if (!first) return status >= 400 ? new ApiError(`The server answered ${status}.`, 'HTTP_ERROR') : null;
  const err = new ApiError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  if (err.code === 'UNAUTHENTICATED') authListeners.forEach((l) => l(err));
  return err;
}

function headers(token: string | null, accept: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept };
  if (token) h.authorization = `Bearer ${token}`;
  return h;
}

/** One query or mutation; throws ApiError with the server's message and code. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, token = tokenStore.get()): Promise<T> {
  let res: Response;
  try {
    res = await fetch(ENDPOINT, { method: 'POST', headers: headers(token, 'application/graphql-response+json, application/json'), body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError('Cannot reach the Loom API. Check that the server is running, then try again.', 'NETWORK');
  }
  let body: GqlBody<T>;
  try {
    body = (await res.json()) as GqlBody<T>;
  } catch {
    throw new ApiError(`The server answered ${res.status} without a GraphQL response.`, 'HTTP_ERROR');
  }
  const err = toError(body, res.status);
  if (err) throw err;
  if (!body.data) throw new ApiError('The server returned no data.', 'HTTP_ERROR');
  return body.data;
}

/**
 * A subscription over server-sent events (graphql-yoga's distinct-connection mode). Calls
 * `onData` for each result; resolves when the server completes the stream or `signal` aborts.
 */
export async function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  signal: AbortSignal,
): Promise<void> {
  const res = await fetch(ENDPOINT, {
    method: 'POST',
    headers: headers(tokenStore.get(), 'text/event-stream'),
    body: JSON.stringify({ query, variables }),
    signal,
  });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => ({}))) as GqlBody<T>;
    throw toError(body, res.status) ?? new ApiError(`Live updates failed with status ${res.status}.`, 'HTTP_ERROR');
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    for (const event of parser.push(value)) {
      if (event.event === 'complete') return;
      if (!event.data) continue;
      const body = JSON.parse(event.data) as GqlBody<T>;
      const err = toError(body, 200);
      if (err) throw err;
      if (body.data) onData(body.data);
    }
  }
}
