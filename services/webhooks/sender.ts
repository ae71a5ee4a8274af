/**
 * One POST of a delivery. node:http rather than fetch: it follows no redirect (a 3xx is a failed
 * attempt, never a request to wherever the Location points), and its `lookup` hook checks the very
 * address a name resolves to before connecting, so a name cannot lead to a private address when the
 * operator refuses those (a check before the request could be answered differently at connect).
 */
import { type LookupAddress, type LookupAllOptions, type LookupOneOptions, lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './url-rules.js';

export interface SendOptions {
  timeoutMs: number;
  privateAddressesAllowed: boolean;
  /** Aborts the request (the server is stopping): the attempt fails and is made again later. */
  signal?: AbortSignal;
}

export type SendResult =
  | { ok: true; statusCode: number }
  | { ok: false; statusCode: number | null; error: string };

/** Bytes of a response body read (and dropped): a receiver's answer does not matter beyond its status. */
const responseBytesMax = 4096;

type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for http.request that fails when the name resolves to any private address. `resolve` is
 * the system resolver; tests give their own.
 */
export function publicOnlyLookup(resolve: Resolve = lookup): LookupFunction {
  return ((
    hostname: string,
    options: LookupOneOptions | LookupAllOptions,
    callback: (...args: unknown[]) => void,
  ) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const refused = addresses.find((entry) => isPrivateAddress(entry.address));
      if (refused) {
        return callback(
          new Error(
            `${hostname} resolves to ${refused.address}, a private address this server does not call`,
          ),
        );
      }
      const [first] = addresses;
      if (!first) return callback(new Error(`${hostname} has no address`));
      if (options.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

/** A sentence for last_error: connection errors can come with an empty message and only a code. */
function describeError(error: Error): string {
  if (error.message) return error.message;
  const code = (error as { code?: unknown }).code;
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors
      .map((inner: unknown) => (inner instanceof Error ? describeError(inner) : String(inner)))
      .join('; ');
  }
  return typeof code === 'string' ? code : String(error);
}

/** POSTs `body` to `url`; 2xx is delivered, anything else (or no answer in time) is a failure. */
export function postDelivery(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendResult> {
  const target = new URL(url);
  if (
    !options.privateAddressesAllowed &&
    (target.hostname === 'localhost' || isPrivateAddress(target.hostname))
  ) {
    return Promise.resolve({
      ok: false,
      statusCode: null,
      error: `${target.hostname} is a private address this server does not call`,
    });
  }
  const payload = Buffer.from(body, 'utf8');
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.request(
      target,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(payload.length) },
        ...(options.privateAddressesAllowed ? {} : { lookup: publicOnlyLookup() }),
      },
      (response) => {
        const statusCode = response.statusCode ?? 0;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > responseBytesMax) response.destroy();
        });
        const done = () => {
          if (statusCode >= 200 && statusCode < 300) return finish({ ok: true, statusCode });
          const redirect = statusCode >= 300 && statusCode < 400;
          finish({
            ok: false,
            statusCode,
            error: redirect
              ? `answered ${statusCode} (redirects are not followed; register the final URL)`
              : `answered ${statusCode}`,
          });
        };
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const abort = () => request.destroy(new Error('the server stopped while sending'));
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    request.on('close', () => options.signal?.removeEventListener('abort', abort));
    request.on('error', (error: Error) =>
      finish({ ok: false, statusCode: null, error: describeError(error) }),
    );
    request.end(payload);
  });
}
