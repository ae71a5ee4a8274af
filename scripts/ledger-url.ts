/**
 * Where a client on this machine finds the ledger that `npm start` runs: `--url` when given, else
 * http://HOST:PORT/graphql from the same variables and defaults the server reads, with an address
 * that listens on every interface (0.0.0.0, ::) reached through loopback.
 */
import { ConfigError, listenAddress } from '../services/config.js';

export interface LedgerUrl {
  url: string;
  /** Where the URL came from, for an error that has to say what to change. */
  from: string;
}

const everyInterface: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1', '[::]': '::1' };

/** The ledger's GraphQL URL; a ConfigError when neither --url nor HOST and PORT can give one. */
export function ledgerUrl(flag: string | undefined, env: Record<string, string | undefined>): LedgerUrl {
  if (flag !== undefined) {
    if (!URL.canParse(flag) || !/^https?:$/.test(new URL(flag).protocol))
      throw new ConfigError(
        `--url must be an http(s) URL such as http://127.0.0.1:4000/graphql, got "${flag}"`,
      );
    return { url: flag, from: '--url' };
  }
  const { host, port } = listenAddress(env);
  if (port === 0)
    throw new ConfigError('PORT=0 lets the server pick its port: give the URL it printed with --url');
  const reachable = everyInterface[host] ?? host;
  const hostPart = reachable.includes(':') && !reachable.startsWith('[') ? `[${reachable}]` : reachable;
  const from = env.HOST || env.PORT ? 'HOST and PORT' : 'the default, as npm start without HOST and PORT';
  return { url: `http://${hostPart}:${port}/graphql`, from };
}
