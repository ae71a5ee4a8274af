/**
 * A value the schema's types refuse is a GraphQL error `BAD_USER_INPUT` with HTTP 400, wherever it
 * is written. Without this, a bad scalar in the document came back as GRAPHQL_VALIDATION_FAILED with
 * HTTP 200, the same value in the variables with HTTP 400 and no code at all, and a variable of the
 * wrong type (a missing input field, a string for an Int) with no code either. A document that does
 * not fit the schema otherwise (an unknown field, a missing argument) stays GRAPHQL_VALIDATION_FAILED.
 */
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

// `spec: false`: yoga would otherwise answer a spec-shaped error with 200 to application/json clients.
const extensions = () => ({ code: 'BAD_USER_INPUT', http: { status: 400, spec: false } });

/** The error a scalar throws for a value not of its form; `node` when it was written in the document. */
export function badUserInput(message: string, node?: ValueNode): GraphQLError {
  return new GraphQLError(message, { nodes: node ?? null, extensions: extensions() });
}

/**
 * graphql-js words a scalar's refusal of a variable as `Variable "$a" got invalid value <the whole
 * value> at "a.amount"; <the scalar's message>`, which repeats the value uncut. The scalar's message
 * quotes it already, so this keeps the variable and the path and drops the repeat.
 */
function variableMessage(error: GraphQLError, variable: string): string {
  const original = error.originalError;
  if (!(original instanceof GraphQLError) || original.extensions.code !== 'BAD_USER_INPUT')
    return error.message;
  const prefix = `Variable "$${variable}" got invalid value `;
  const suffix = `; ${original.message}`;
  if (!error.message.startsWith(prefix) || !error.message.endsWith(suffix)) return error.message;
  const value = error.message.slice(prefix.length, error.message.length - suffix.length);
  // Strings inside the printed value are JSON, their quotes escaped: an unescaped ` at "…"` at its
  // end can only be the path graphql-js appended.
  const path = / at "([^"\\]*)"$/.exec(value)?.[1];
  return `Variable "$${variable}"${path === undefined ? '' : ` at "${path}"`}: ${original.message}`;
}

/**
 * Literals in the document: graphql-js reports a literal its type refuses (`first: "x"`, an unknown
 * enum value, an input object missing a field) at the literal's own node, and no other validation
 * error points at a value.
 */
const valueKinds = new Set<string>([
  Kind.INT,
  Kind.FLOAT,
  Kind.STRING,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
  Kind.OBJECT_FIELD,
]);

/**
 * BAD_USER_INPUT for a literal its type refuses (validation) and for a variable that cannot be
 * coerced (which ends the request before execution, with an error pointing at the variable's
 * definition), unless the error carries another code already.
 */
export function useBadUserInputCode(): Plugin {
  return {
    onValidate() {
      return ({ valid, result }) => {
        if (valid) return;
        for (const error of result) {
          const code = error.extensions.code;
          if (!valueKinds.has(error.nodes?.[0]?.kind ?? '')) continue;
          if (code !== undefined && code !== 'GRAPHQL_VALIDATION_FAILED') continue;
          // yoga labels validation errors after this hook, keeping a code and an http entry it finds.
          Object.assign(error.extensions, extensions());
        }
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors || 'data' in result) return;
          const errors = result.errors.map((error) => {
            const definition = error.nodes?.[0];
            if (definition?.kind !== Kind.VARIABLE_DEFINITION) return error;
            return new GraphQLError(variableMessage(error, definition.variable.name.value), {
              nodes: error.nodes,
              originalError: error.originalError,
              extensions: {
                ...extensions(),
                ...error.extensions,
                code: error.extensions?.code ?? 'BAD_USER_INPUT',
              },
            });
          });
          setResult({ ...result, errors });
        },
      };
    },
  };
}
