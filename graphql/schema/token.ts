import { ROLES, type ApiToken, type Role } from '../../db/schema/tokens.js';
import { createToken, revokeToken } from '../../services/tokens.js';
import { builder } from '../builder.js';

export const RoleEnum = builder.enumType('Role', {
  description: 'viewer reads; launcher also saves notebooks and launches or cancels runs; admin also manages tokens.',
  values: Object.keys(ROLES) as Role[],
});

const ApiTokenRef = builder.objectRef<ApiToken>('ApiToken').implement({
  description: 'An API token; the secret itself is shown only once, when created.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    role: t.field({ type: RoleEnum, resolve: (tok) => tok.role }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreatedTokenRef = builder.objectRef<{ token: string; record: ApiToken }>('CreateApiTokenPayload').implement({
  fields: (t) => ({
    secret: t.exposeString('token', { description: 'Send as `Authorization: Bearer <secret>`. Not retrievable later.' }),
    apiToken: t.field({ type: ApiTokenRef, resolve: (p) => p.record }),
  }),
});

const MeRef = builder.objectRef<ApiToken>('Me').implement({
  description: 'The token making this request.',
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.field({ type: RoleEnum, resolve: (tok) => tok.role }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  me: t.field({ type: MeRef, resolve: (_root, _args, ctx) => ctx.token }),
}));

builder.mutationFields((t) => ({
  createApiToken: t.field({
    type: CreatedTokenRef,
    args: {
      name: t.arg.string({ required: true }),
      role: t.arg({ type: RoleEnum, required: true }),
      expiresAt: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: (_root, args, ctx) => createToken(ctx, { name: args.name, role: args.role, expiresAt: args.expiresAt ?? undefined }),
  }),
  revokeApiToken: t.field({
    type: ApiTokenRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => revokeToken(ctx, String(args.id)),
  }),
}));
