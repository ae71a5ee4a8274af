/**
 * Limits on what a request may ask, each refused with its own `extensions.code` and HTTP 400.
 *
 * Tokens, nesting, operations and fragments are counted by the lexer alone, before the parser: an
 * 888 KB document of repeated fields is refused after its first QUERY_TOKENS_MAX tokens, and 20,000
 * nested `[` never reach the recursive-descent parser, which would overflow the stack. Variables,
 * already parsed from JSON, are walked without recursion for the same reason. Depth, cost and
 * aliases need the parsed document; they are graphql-armor validation rules whose refusals are
 * re-labelled here (graphql-armor calls them "Syntax Error", which they are not).
 */
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, Lexer, Source, type Token, TokenKind, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface GraphqlLimits {
  queryDepthMax: number;
  queryCostMax: number;
  queryAliasesMax: number;
  queryTokensMax: number;
  queryOperationsMax: number;
  queryFragmentsMax: number;
}

/**
 * Brackets and braces, in the document or in the variables. Far above what any real query nests
 * (selection depth is capped at QUERY_DEPTH_MAX, at most 100) and far below the ~2,000 levels at
 * which graphql-js's parser overflows the stack.
 */
export const nestingMax = 128;

export type RequestLimitCode =
  | 'QUERY_TOO_MANY_TOKENS'
  | 'QUERY_TOO_MANY_OPERATIONS'
  | 'QUERY_TOO_MANY_FRAGMENTS'
  | 'QUERY_NESTED_TOO_DEEP'
  | 'VARIABLES_NESTED_TOO_DEEP'
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COSTLY'
  | 'QUERY_TOO_MANY_ALIASES'
  | 'QUERY_TOO_COMPLEX';

export function limitError(code: RequestLimitCode, message: string): GraphQLError {
  // `spec: false`: yoga would otherwise answer a spec-shaped error with 200 to application/json clients.
  return new GraphQLError(message, { extensions: { code, http: { status: 400, spec: false } } });
}

const openers = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const closers = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);
const operationKeywords = new Set(['query', 'mutation', 'subscription']);

/** What a definition's first token makes it; every executable definition ends with a top-level `}`. */
function definitionKind(token: Token): 'operation' | 'fragment' | 'other' {
  if (token.kind === TokenKind.BRACE_L) return 'operation';
  if (token.kind !== TokenKind.NAME) return 'other';
  if (operationKeywords.has(token.value)) return 'operation';
  return token.value === 'fragment' ? 'fragment' : 'other';
}

/** The first limit the document breaks, or null. A syntax error is left to the parser to report. */
export function checkDocument(query: string, limits: GraphqlLimits): GraphQLError | null {
  const lexer = new Lexer(new Source(query));
  const counts = { tokens: 0, nesting: 0, operation: 0, fragment: 0, other: 0 };
  let definitionStarts = true;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++counts.tokens > limits.queryTokensMax) {
        return limitError(
          'QUERY_TOO_MANY_TOKENS',
          `the document has more than ${limits.queryTokensMax} tokens`,
        );
      }
      if (definitionStarts) {
        definitionStarts = false;
        counts[definitionKind(token)]++;
        if (counts.operation > limits.queryOperationsMax) {
          return limitError(
            'QUERY_TOO_MANY_OPERATIONS',
            `the document has more than ${limits.queryOperationsMax} operations`,
          );
        }
        if (counts.fragment > limits.queryFragmentsMax) {
          return limitError(
            'QUERY_TOO_MANY_FRAGMENTS',
            `the document has more than ${limits.queryFragmentsMax} fragment definitions`,
          );
        }
      }
      if (openers.has(token.kind) && ++counts.nesting > nestingMax) {
        return limitError(
          'QUERY_NESTED_TOO_DEEP',
          `the document nests brackets more than ${nestingMax} deep`,
        );
      }
      if (closers.has(token.kind)) {
        counts.nesting = Math.max(0, counts.nesting - 1);
        definitionStarts = counts.nesting === 0 && token.kind === TokenKind.BRACE_R;
      }
    }
  } catch (error) {
    if (error instanceof GraphQLError) return null;
    throw error;
  }
  return null;
}

/** Whether arrays and objects nest deeper than nestingMax, the variables object being level 1. */
export function nestedTooDeep(value: unknown): boolean {
  const pending: Array<{ value: unknown; level: number }> = [{ value, level: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.level > nestingMax) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, level: next.level + 1 });
  }
  return false;
}

/** Refuses a request over a lexical limit before yoga parses its document. */
export function useRequestLimits(limits: GraphqlLimits): Plugin {
  return {
    onParams({ params, setResult }) {
      const documentRefusal = typeof params.query === 'string' ? checkDocument(params.query, limits) : null;
      const refusal =
        documentRefusal ??
        (nestedTooDeep(params.variables)
          ? limitError('VARIABLES_NESTED_TOO_DEEP', `the variables nest more than ${nestingMax} deep`)
          : null);
      if (refusal) setResult({ errors: [refusal] });
    },
  };
}

function reportAs(code: RequestLimitCode) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    context?.reportError(limitError(code, error.message.replace(/^Syntax Error: /, '')));
  };
}

/** Depth, cost and alias limits as validation errors with their own codes. */
export function validationLimitPlugins(limits: GraphqlLimits): Plugin[] {
  const reject = (code: RequestLimitCode) => ({
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [reportAs(code)],
  });
  return [
    maxDepthPlugin({ n: limits.queryDepthMax, ignoreIntrospection: true, ...reject('QUERY_TOO_DEEP') }),
    costLimitPlugin({
      maxCost: limits.queryCostMax,
      ignoreIntrospection: true,
      ...reject('QUERY_TOO_COSTLY'),
    }),
    // Every alias counts, `__typename` ones too (graphql-armor exempts those by default): the limit
    // is the number README states, however the document spells its aliases.
    maxAliasesPlugin({ n: limits.queryAliasesMax, allowList: [], ...reject('QUERY_TOO_MANY_ALIASES') }),
    tooComplexToValidate,
  ];
}

/**
 * graphql-js gives up comparing same-named fields beyond a budget (hundreds of `__typename` in one
 * selection fit in the token limit) and says only "Validation aborted.": named here as the limit it is.
 */
const tooComplexToValidate: Plugin = {
  onValidate:
    () =>
    ({ result, setResult }) => {
      if (!result.some((error) => error.message === validationAborted)) return;
      setResult(
        result.map((error) =>
          error.message === validationAborted
            ? limitError(
                'QUERY_TOO_COMPLEX',
                'the document repeats fields of one name too often to be checked: ask for each field once',
              )
            : error,
        ),
      );
    },
};
const validationAborted = 'Validation aborted.';
