/**
 * What changes with NODE_ENV=production: introspection only for callers with an API key, no
 * "Did you mean …" hints in error messages (both map the schema for a stranger), and cross-origin
 * access only from the CORS_ORIGINS allow-list. CORS never allows credentials: the API key travels
 * in the Authorization header, so no cookie ever needs to.
 */
import { type ASTVisitor, GraphQLError, type ValidationContext } from 'graphql';
import type { CORSOptions, Plugin } from 'graphql-yoga';

/** Origins allowed cross-origin: a list, or every origin. */
export type CorsOrigins = readonly string[] | 'any';

function introspectionNeedsKey(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value !== '__schema' && node.name.value !== '__type') return;
      context.reportError(
        new GraphQLError(
          'introspection needs an API key in production: send Authorization: Bearer <api key>',
          { nodes: node, extensions: { code: 'UNAUTHENTICATED' } },
        ),
      );
    },
  };
}

/**
 * Refuses __schema and __type to a request without an Authorization header. Validation runs before
 * the key is checked; a request with a header but a wrong key is refused with 401 right after.
 */
export function useIntrospectionForKeyHolders(): Plugin {
  return {
    onValidate({ addValidationRule, context }) {
      const request = (context as { request?: Request }).request;
      if (!request?.headers.has('authorization')) addValidationRule(introspectionNeedsKey);
    },
  };
}

// graphql-js appends every hint at the end of its message: " Did you mean "x" or "y"?".
const suggestion = / ?Did you mean [\s\S]*$/;

function withoutSuggestion(error: GraphQLError): GraphQLError {
  if (!suggestion.test(error.message)) return error;
  return new GraphQLError(error.message.replace(suggestion, ''), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/** Strips suggestions from validation errors and from variable errors found at execution. */
export function useNoSuggestions(): Plugin {
  return {
    onExecutionResult({ result, setResult }) {
      if (!result || Symbol.asyncIterator in result || !result.errors) return;
      setResult({ ...result, errors: result.errors.map(withoutSuggestion) });
    },
  };
}

/** yoga's CORS option: headers only for an allowed Origin (no headers at all for others). */
export function corsPolicy(origins: CorsOrigins): (request: Request) => CORSOptions | false {
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || (origins !== 'any' && !origins.includes(origin))) return false;
    return {
      origin,
      methods: ['GET', 'POST'],
      allowedHeaders: ['accept', 'authorization', 'content-type'],
      credentials: false,
      maxAge: 600,
    };
  };
}

/** Every answer depends on the Origin header now, so a shared cache must not mix them up. */
export function useVaryOnOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary') ?? '';
      if (!/\borigin\b/i.test(vary)) response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
    },
  };
}
