/**
 * The browser's services/crypto/secret-box.ts: the console never seals or opens a custodial key (the
 * ledger does, server side), but services/crypto/index.ts re-exports these, so the verifier's import
 * graph reaches this module. Both refuse, loudly.
 */
import type { Buffer } from 'buffer';

function unavailable(): never {
  throw new Error('secret-box: custodial keys are sealed and opened by the ledger, not in the browser');
}

export function seal(_key: Uint8Array, _plaintext: Uint8Array): Buffer {
  return unavailable();
}

export function open(_key: Uint8Array, _sealed: Uint8Array): Buffer | null {
  return unavailable();
}
