import { Client, Connection } from '@temporalio/client';
import { createYoga, type LoomYoga } from '../../graphql/yoga.js';
import type { Database } from '../../db/client.js';
import { createToken } from '../../services/tokens.js';
import type { Role } from '../../db/schema/tokens.js';

export interface GqlResponse {
  status: number;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }> };
  text: string;
}

/** A Temporal client that connects on first use; tests that never launch runs never reach it. */
export function idleTemporalClient(): Client {
  return new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
}

export function testYoga(db: Database, temporal: Client = idleTemporalClient(), maxBodyBytes = 1024 * 1024): LoomYoga {
  return createYoga({ db, temporal, config: { maxBodyBytes, graphiql: false } });
}

export async function tokenFor(db: Database, role: Role): Promise<string> {
  return (await createToken({ db }, { name: `${role}-test`, role })).token;
}

/** Sends one request to /graphql; `init` overrides the JSON POST built from query and variables. */
export async function gql(
  yoga: LoomYoga,
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
  init: RequestInit = {},
): Promise<GqlResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await yoga.fetch('http://loom.test/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
    ...init,
  });
  const text = await res.text();
  let body: GqlResponse['body'] = {};
  try {
    body = JSON.parse(text) as GqlResponse['body'];
  } catch {
    // Some HTTP-level rejections are not JSON; tests then look at `text`.
  }
  return { status: res.status, body, text };
}

export function codes(res: GqlResponse): unknown[] {
  return (res.body.errors ?? []).map((e) => e.extensions?.code);
}
