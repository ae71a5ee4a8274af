/**
 * The one way the console talks to the ledger: POST /graphql with the session's API key. GraphQL
 * errors (a bad scalar, a limit, a refused key) become an ApiError; DomainError values stay in the
 * data, where each screen shows their message beside the field they name.
 */
import { print } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';
import { currentApiKey } from '../session/storage';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly code: string | null,
    readonly status: number,
  ) {
    super(message);
  }
}

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function request<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  apiKey: string | null = currentApiKey(),
): Promise<Result> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
  } catch {
    throw new ApiError('network', 'NETWORK', 0);
  }
  let body: GraphqlResponse<Result>;
  try {
    body = (await response.json()) as GraphqlResponse<Result>;
  } catch {
    throw new ApiError(`HTTP ${response.status}`, null, response.status);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? null, response.status);
  if (body.data == null) throw new ApiError(`HTTP ${response.status}`, null, response.status);
  return body.data;
}

/** A DomainError value, as every mutation and most queries may answer one. */
export interface DomainErrorValue {
  __typename: 'DomainError';
  code: string;
  message: string;
  field: string | null;
}

export function isDomainError(value: { __typename?: string } | null | undefined): value is DomainErrorValue {
  return value?.__typename === 'DomainError';
}
