/**
 * The log's own Ed25519 key, which signs checkpoints. Created once with the ledger, its private half
 * sealed with the custody key like any custodial key; its public half is the C2SP verifier key
 * ("vkey") that lenders and the offline verifier pin. The key name is the log's origin.
 */

import type { Custody } from '../context.js';
import { generateKeyPair, open, publicKeyFromPrivate, seal } from '../crypto/index.js';
import { encodeVerifierKey, isValidKeyName } from '../crypto/signed-note.js';
import { type Db, inTransaction } from '../db/transaction.js';

export interface LogSigner {
  origin: string;
  privateKey: Buffer;
  publicKey: Buffer;
  /** "<origin>+<key id>+<base64 key>": what a verifier pins. */
  verifierKey: string;
}

const originSetting = 'log_origin';
const sealedKeySetting = 'log_private_key_sealed';

export const defaultLogOrigin = 'tradeproof.local/log';

function signerOf(origin: string, privateKey: Buffer): LogSigner {
  const publicKey = publicKeyFromPrivate(privateKey);
  return { origin, privateKey, publicKey, verifierKey: encodeVerifierKey(origin, publicKey) };
}

/** Loads the log key, creating it on first use. The origin is fixed from then on. */
export async function ensureLogSigner(db: Db, custody: Custody, origin: string): Promise<LogSigner> {
  if (!isValidKeyName(origin))
    throw new Error(`LOG_ORIGIN "${origin}" must be non-empty, without spaces or "+"`);
  const custodyKey = custody.key;
  if (custodyKey === null) throw new Error('the log key needs a custody key (CUSTODY_KEY)');
  return inTransaction(db, async (trx) => {
    const rows = await trx
      .selectFrom('ledger_setting')
      .select(['name', 'value'])
      .where('name', 'in', [originSetting, sealedKeySetting])
      .execute();
    const stored = new Map(rows.map((row) => [row.name, row.value]));
    const storedOrigin = stored.get(originSetting);
    const sealed = stored.get(sealedKeySetting);
    if (storedOrigin !== undefined && sealed !== undefined) {
      if (storedOrigin !== origin) {
        throw new Error(
          `LOG_ORIGIN is "${origin}" but this log was created as "${storedOrigin}"; it cannot change`,
        );
      }
      const privateKey = open(custodyKey, Buffer.from(sealed, 'hex'));
      if (privateKey === null) throw new Error('the log key does not open with the configured CUSTODY_KEY');
      return signerOf(origin, privateKey);
    }
    const { privateKey } = generateKeyPair();
    await trx
      .insertInto('ledger_setting')
      .values([
        { name: originSetting, value: origin },
        { name: sealedKeySetting, value: seal(custodyKey, privateKey).toString('hex') },
      ])
      .execute();
    return signerOf(origin, privateKey);
  });
}
