import { GraphQLError, Kind, OperationTypeNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Role } from '../db/schema/tokens.js';
import type { DbDeps } from '../services/deps.js';
import { authenticate, roleAtLeast } from '../services/tokens.js';
import type { GraphQLContext } from './context.js';

/**
 * The one place roles are decided. Queries and subscriptions need any valid token (viewer);
 * mutations need the role listed here, and a mutation missing from this list needs admin.
 */
export const MUTATION_ROLES: Readonly<Record<string, Role>> = {
  saveNotebook: 'launcher',
  launchRun: 'launcher',
  cancelRun: 'launcher',
  pauseSchedule: 'launcher',
  unpauseSchedule: 'launcher',
  triggerSchedule: 'launcher',
  backfillSchedule: 'launcher',
  rerunFrom: 'launcher',
  retryFailed: 'launcher',
  approveDeployment: 'launcher',
  rejectDeployment: 'launcher',
  setModelAlias: 'admin',
  rollbackModelAlias: 'admin',
  recordEvents: 'launcher',
  stopExperiment: 'launcher',
  extendExperiment: 'launcher',
  decideExperiment: 'admin',
  createApiToken: 'admin',
  revokeApiToken: 'admin',
};

function authError(code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: code === 'UNAUTHENTICATED' ? 401 : 403 } } });
}

/** Reads `Authorization: Bearer <token>` and returns the token record, or throws UNAUTHENTICATED. */
export async function authenticateRequest(deps: DbDeps, request: Request) {
  const header = request.headers.get('authorization');
  if (!header) {
    throw authError('UNAUTHENTICATED', 'Missing API token: send the header "Authorization: Bearer <token>" (create tokens with `loom token create`).');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw authError('UNAUTHENTICATED', 'Malformed Authorization header: expected "Bearer <token>".');
  const token = await authenticate(deps, match[1]);
  if (!token) throw authError('UNAUTHENTICATED', 'The API token is unknown, expired or revoked; ask an admin for a new one.');
  return token;
}

function rootFieldNames(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) names.push(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) names.push(...rootFieldNames(sel.selectionSet, fragments, seen));
    else {
      const name = sel.name.value;
      const frag = fragments.get(name);
      if (frag && !seen.has(name)) {
        seen.add(name);
        names.push(...rootFieldNames(frag.selectionSet, fragments, seen));
      }
    }
  }
  return names;
}

/** The role an operation needs: the highest any of its root fields needs. */
export function requiredRole(document: DocumentNode, operationName?: string | null): Role {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op || op.operation !== OperationTypeNode.MUTATION) return 'viewer';
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  let role: Role = 'viewer';
  for (const name of rootFieldNames(op.selectionSet, fragments)) {
    if (name === '__typename') continue;
    const needed = MUTATION_ROLES[name] ?? 'admin';
    if (!roleAtLeast(role, needed)) role = needed;
  }
  return role;
}

function check(args: { document: DocumentNode; operationName?: string | null | undefined; contextValue: unknown }): GraphQLError | undefined {
  const ctx = args.contextValue as GraphQLContext;
  const needed = requiredRole(args.document, args.operationName);
  if (!roleAtLeast(ctx.token.role, needed)) {
    return authError('FORBIDDEN', `This operation needs the ${needed} role; token "${ctx.token.name}" has the ${ctx.token.role} role.`);
  }
  return undefined;
}

/** Enforces `MUTATION_ROLES` before any resolver runs, for execution and subscriptions alike. */
export function useRoleCheck(): Plugin<GraphQLContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
