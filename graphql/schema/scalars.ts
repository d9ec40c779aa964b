import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from '../builder.js';
import type { JsonValue } from '../../core/mime.js';

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function literalToJson(node: ValueNode, variables: Record<string, unknown> | null | undefined): JsonValue {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return (variables?.[node.name.value] ?? null) as JsonValue;
    default:
      throw badInput('JSON values must be strings, numbers, booleans, null, lists or objects.');
  }
}

builder.scalarType('JSON', {
  description: 'Any JSON value: MIME bundle data, run params, cell progress.',
  serialize: (value) => value,
  parseValue: (value) => value as JsonValue,
  parseLiteral: (node, variables) => literalToJson(node, variables),
});

builder.scalarType('DateTime', {
  description: 'An ISO 8601 timestamp in UTC, e.g. 2025-03-01T12:00:00.000Z.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value as string).toISOString()),
  parseValue: (value) => {
    const date = typeof value === 'string' && value.length <= 40 ? new Date(value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO 8601 string, e.g. 2025-03-01T12:00:00Z.');
    return date;
  },
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING) throw badInput('DateTime must be an ISO 8601 string, e.g. 2025-03-01T12:00:00Z.');
    const date = new Date(node.value);
    if (Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO 8601 string, e.g. 2025-03-01T12:00:00Z.');
    return date;
  },
});
