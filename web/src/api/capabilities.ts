import { gql } from './client.js';

/**
 * Which fields this API offers. Controls for features the server does not have yet (approvals,
 * models, exports…) stay hidden instead of failing when pressed.
 */
export interface Capabilities {
  query: Set<string>;
  mutation: Set<string>;
  run: Set<string>;
  cell: Set<string>;
  /** Mutations whose result is an object (so a selection set is needed). */
  objectResults: Set<string>;
}

const QUERY = `{
  __schema { queryType { fields { name } } mutationType { fields { name type { kind ofType { kind } } } } }
  run: __type(name: "Run") { fields { name } }
  cell: __type(name: "Cell") { fields { name } }
}`;

interface Fields { fields: Array<{ name: string; type?: { kind: string; ofType: { kind: string } | null } }> | null }

export async function loadCapabilities(): Promise<Capabilities> {
  const data = await gql<{ __schema: { queryType: Fields; mutationType: Fields | null }; run: Fields | null; cell: Fields | null }>(QUERY);
  const names = (f: Fields | null | undefined) => new Set((f?.fields ?? []).map((x) => x.name));
  const objectResults = new Set(
    (data.__schema.mutationType?.fields ?? [])
      .filter((f) => (f.type?.kind === 'NON_NULL' ? f.type.ofType?.kind : f.type?.kind) === 'OBJECT')
      .map((f) => f.name),
  );
  return { query: names(data.__schema.queryType), mutation: names(data.__schema.mutationType), run: names(data.run), cell: names(data.cell), objectResults };
}
