/**
 * In production the app must not connect as a role that can rewrite history: the restricted role
 * tradeproof_app is what keeps a bug or an injected statement from editing events. An operator who
 * accepts the risk says so with ALLOW_OWNER_CONNECTION=true.
 */
import { type Config, ConfigError } from '../services/config.js';
import { mayRewriteEvents } from '../services/db/app-role.js';
import type { Db } from '../services/db/transaction.js';

export async function refuseOwnerConnection(
  db: Db,
  config: Pick<Config, 'production' | 'allowOwnerConnection'>,
  log: (line: string) => void,
): Promise<void> {
  if (!config.production || !(await mayRewriteEvents(db))) return;
  if (!config.allowOwnerConnection) {
    throw new ConfigError(
      'NODE_ENV=production, and the app connection may UPDATE events (it is the schema owner or a superuser): ' +
        'set APP_DATABASE_URL to the restricted role tradeproof_app, or set ALLOW_OWNER_CONNECTION=true to run like this anyway',
    );
  }
  log('ALLOW_OWNER_CONNECTION=true: the app connection may UPDATE events; only the Merkle log would show it');
}
