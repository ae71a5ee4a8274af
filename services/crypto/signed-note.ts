/**
 * C2SP signed notes (c2sp.org/signed-note), read and written byte for byte as golang.org/x/mod/sumdb/note
 * does, so that Go verifiers and witnesses accept ours: a newline-terminated UTF-8 body, an empty line,
 * then lines "— <key name> <base64(4-byte key ID || signature)>". Two signature types: Ed25519 (0x01),
 * over the body, and the timestamped witness cosignature of c2sp.org/tlog-cosignature (0x04), over
 * "cosignature/v1\ntime <seconds>\n" followed by the body.
 * Parsing and verifying return values (notes come from outside); signing throws on bad input (a bug).
 */
import { sha256 } from './digest.js';
import { isUsablePublicKey, publicKeyFromPrivate, sign, verify } from './ed25519.js';

export const signatureTypeEd25519 = 0x01;
export const signatureTypeCosignatureV1 = 0x04;
export type SignatureType = typeof signatureTypeEd25519 | typeof signatureTypeCosignatureV1;

/** As Go's note.Open: more signature lines than this and the note is refused unread. */
export const noteSignaturesMax = 100;
export const noteLengthMax = 1_048_576;
const signaturePrefix = '— ';
const ed25519SignatureBytes = 64;
const timestampBytes = 8;

/** A key a verifier knows, as a vkey names it; `keyId` is the big-endian 32-bit key hash. */
export interface VerifierKey {
  name: string;
  keyId: number;
  type: SignatureType;
  publicKey: Buffer;
}

/** One signature line; `signature` excludes the 4-byte key ID that precedes it in the line. */
export interface NoteSignature {
  name: string;
  keyId: number;
  signature: Buffer;
}

export interface Note {
  body: string;
  signatures: NoteSignature[];
}

/** A signature that verified; `timestamp` (POSIX seconds) only for cosignatures. */
export interface VerifiedSignature {
  name: string;
  keyId: number;
  type: SignatureType;
  timestamp: number | null;
}

export type NoteVerification =
  | { ok: true; body: string; verifiedBy: string[]; signatures: VerifiedSignature[] }
  | { ok: false; reason: string };

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Key names and origins: non-empty, no Unicode space (Go's unicode.IsSpace), no "+", no control. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s\u0085+]/u.test(name) && textProblem(name) === null;
}

/**
 * Why `text` cannot appear in a note: a control character other than newline (Go refuses any rune
 * below U+0020 but "\n") or a lone surrogate, which has no UTF-8 encoding. Null when it can.
 */
export function textProblem(text: string): string | null {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 && code !== 0x0a) {
      return `contains control character U+${code.toString(16).padStart(4, '0').toUpperCase()} at position ${index}`;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(index + 1);
      if (code >= 0xdc00 || !(next >= 0xdc00 && next <= 0xdfff)) {
        return `is not valid UTF-8 (lone surrogate at position ${index})`;
      }
      index++;
    }
  }
  return null;
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard padded base64, strictly: canonical only (no stray bits), since Buffer.from skips junk. */
export function parseBase64(text: string): Buffer | null {
  if (!base64Pattern.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** The key ID: the first 4 bytes of SHA-256(name || 0x0A || type || public key), big-endian. */
export function noteKeyId(
  name: string,
  publicKey: Uint8Array,
  type: SignatureType = signatureTypeEd25519,
): number {
  if (!isValidKeyName(name)) throw new RangeError(`invalid note key name: ${JSON.stringify(name)}`);
  return sha256(
    Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, type]), publicKey]),
  ).readUInt32BE(0);
}

function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function keyLabel(key: { name: string; keyId: number }): string {
  return `${key.name}+${keyIdHex(key.keyId)}`;
}

/** The vkey "<name>+<key ID as 8 hex digits>+<base64(type || public key)>". */
export function encodeVerifierKey(
  name: string,
  publicKey: Uint8Array,
  type: SignatureType = signatureTypeEd25519,
): string {
  if (publicKey.length !== 32)
    throw new RangeError(`Ed25519 public key must be 32 bytes, got ${publicKey.length}`);
  const keyId = noteKeyId(name, publicKey, type);
  return `${name}+${keyIdHex(keyId)}+${Buffer.concat([Buffer.from([type]), publicKey]).toString('base64')}`;
}

/** Parses a vkey strictly: lowercase hex, a known type, a usable Ed25519 key, the key ID it claims. */
export function parseVerifierKey(vkey: string): VerifierKey | null {
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) return null;
  const name = vkey.slice(0, first);
  const keyIdText = vkey.slice(first + 1, second);
  const key = parseBase64(vkey.slice(second + 1));
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(keyIdText) || key?.length !== 33) return null;
  const type = key[0];
  if (type !== signatureTypeEd25519 && type !== signatureTypeCosignatureV1) return null;
  const publicKey = Buffer.from(key.subarray(1));
  if (!isUsablePublicKey(publicKey)) return null;
  const keyId = Number.parseInt(keyIdText, 16);
  return keyId === noteKeyId(name, publicKey, type) ? { name, keyId, type, publicKey } : null;
}

function parseSignatureLine(line: string): Parsed<NoteSignature> {
  if (!line.startsWith(signaturePrefix))
    return { ok: false, reason: 'does not start with an em dash and a space' };
  const rest = line.slice(signaturePrefix.length);
  const space = rest.indexOf(' ');
  if (space < 0) return { ok: false, reason: 'has no space between the key name and the signature' };
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) return { ok: false, reason: `has an invalid key name ${JSON.stringify(name)}` };
  const bytes = parseBase64(rest.slice(space + 1));
  if (!bytes) return { ok: false, reason: 'is not valid base64' };
  if (bytes.length < 5) return { ok: false, reason: 'is too short to hold a key ID and a signature' };
  return {
    ok: true,
    value: { name, keyId: bytes.readUInt32BE(0), signature: Buffer.from(bytes.subarray(4)) },
  };
}

function parseNoteDetailed(text: string): Parsed<Note> {
  if (text.length > noteLengthMax)
    return { ok: false, reason: `note is longer than ${noteLengthMax} characters` };
  const problem = textProblem(text);
  if (problem) return { ok: false, reason: `note ${problem}` };
  if (!text.endsWith('\n')) return { ok: false, reason: 'note does not end with a newline' };
  // As Go: the last empty line ends the body; signature lines are never empty.
  const split = text.lastIndexOf('\n\n');
  if (split < 0) return { ok: false, reason: 'note has no empty line between the body and the signatures' };
  const block = text.slice(split + 2);
  if (block === '') return { ok: false, reason: 'note has no signature lines' };
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > noteSignaturesMax) {
    return { ok: false, reason: `note has more than ${noteSignaturesMax} signature lines` };
  }
  const signatures: NoteSignature[] = [];
  for (const [index, line] of lines.entries()) {
    const parsed = parseSignatureLine(line);
    if (!parsed.ok) return { ok: false, reason: `signature line ${index + 1} ${parsed.reason}` };
    signatures.push(parsed.value);
  }
  return { ok: true, value: { body: text.slice(0, split + 1), signatures } };
}

/** The body and signature lines of a well-formed note, or null; verifies nothing. */
export function parseNote(text: string): Note | null {
  const parsed = parseNoteDetailed(text);
  return parsed.ok ? parsed.value : null;
}

/** What a cosignature/v1 signs: "cosignature/v1\ntime <seconds>\n" then the whole note body. */
export function cosignatureMessage(body: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, 'utf8');
}

function signatureProblem(key: VerifierKey, body: string, signature: Buffer): Parsed<number | null> {
  if (key.type === signatureTypeEd25519) {
    return verify(key.publicKey, Buffer.from(body, 'utf8'), signature)
      ? { ok: true, value: null }
      : { ok: false, reason: 'is invalid' };
  }
  if (signature.length !== timestampBytes + ed25519SignatureBytes) {
    return { ok: false, reason: 'is not an 8-byte timestamp and a 64-byte signature' };
  }
  const timestamp = signature.readBigUInt64BE(0);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER))
    return { ok: false, reason: 'has a timestamp out of range' };
  const message = cosignatureMessage(body, Number(timestamp));
  return verify(key.publicKey, message, signature.subarray(timestampBytes))
    ? { ok: true, value: Number(timestamp) }
    : { ok: false, reason: 'is invalid' };
}

/**
 * Verifies a note against the keys the caller trusts. Lines by unknown keys are ignored; every line by
 * a known key must verify; a known key may sign only once; at least one known key must have signed.
 */
export function verifyNote(text: string, verifierKeys: readonly VerifierKey[]): NoteVerification {
  const parsed = parseNoteDetailed(text);
  if (!parsed.ok) return parsed;
  const { body } = parsed.value;
  const seen = new Set<string>();
  const signatures: VerifiedSignature[] = [];
  for (const [index, line] of parsed.value.signatures.entries()) {
    const key = verifierKeys.find((known) => known.name === line.name && known.keyId === line.keyId);
    if (!key) continue;
    const label = keyLabel(key);
    if (seen.has(label)) return { ok: false, reason: `key ${label} signed the note more than once` };
    seen.add(label);
    const checked = signatureProblem(key, body, line.signature);
    if (!checked.ok)
      return { ok: false, reason: `signature line ${index + 1} by key ${label} ${checked.reason}` };
    signatures.push({ name: key.name, keyId: key.keyId, type: key.type, timestamp: checked.value });
  }
  if (signatures.length === 0) {
    const trusted = verifierKeys.map(keyLabel).join(', ') || 'none';
    return { ok: false, reason: `note has no signature by a trusted key (trusted: ${trusted})` };
  }
  return { ok: true, body, verifiedBy: signatures.map((signature) => signature.name), signatures };
}

/** A body to sign, or a note to add a signature to (any text holding an empty line is taken as one). */
function noteForSigning(text: string): Note {
  if (text.includes('\n\n')) {
    const parsed = parseNoteDetailed(text);
    if (!parsed.ok) throw new RangeError(`cannot sign: ${parsed.reason}`);
    return parsed.value;
  }
  const problem =
    text === ''
      ? 'is empty'
      : (textProblem(text) ?? (text.endsWith('\n') ? null : 'is not newline-terminated'));
  if (problem) throw new RangeError(`cannot sign: body ${problem}`);
  return { body: text, signatures: [] };
}

function formatNote(note: Note): string {
  const lines = note.signatures.map(({ name, keyId, signature }) => {
    const keyIdBytes = Buffer.alloc(4);
    keyIdBytes.writeUInt32BE(keyId);
    return `${signaturePrefix}${name} ${Buffer.concat([keyIdBytes, signature]).toString('base64')}\n`;
  });
  return `${note.body}\n${lines.join('')}`;
}

function addSignature(note: Note, signature: NoteSignature): string {
  const label = keyLabel(signature);
  if (note.signatures.some((line) => keyLabel(line) === label)) {
    throw new RangeError(`cannot sign: key ${label} already signed the note`);
  }
  if (note.signatures.length >= noteSignaturesMax) {
    throw new RangeError(`cannot sign: the note already has ${noteSignaturesMax} signatures`);
  }
  return formatNote({ body: note.body, signatures: [...note.signatures, signature] });
}

/** Signs a body, or adds a signature to a note keeping its earlier lines; Ed25519 (type 0x01). */
export function signNote(text: string, name: string, privateKey: Uint8Array): string {
  const note = noteForSigning(text);
  const keyId = noteKeyId(name, publicKeyFromPrivate(privateKey));
  return addSignature(note, { name, keyId, signature: sign(privateKey, Buffer.from(note.body, 'utf8')) });
}

/** Adds a cosignature/v1 (type 0x04) line made at `timestamp` (POSIX seconds) to a body or note. */
export function cosignNote(text: string, name: string, privateKey: Uint8Array, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`cosignature timestamp must be a non-negative integer of seconds, got ${timestamp}`);
  }
  const note = noteForSigning(text);
  const keyId = noteKeyId(name, publicKeyFromPrivate(privateKey), signatureTypeCosignatureV1);
  const timestampPrefix = Buffer.alloc(timestampBytes);
  timestampPrefix.writeBigUInt64BE(BigInt(timestamp));
  const signature = sign(privateKey, cosignatureMessage(note.body, timestamp));
  return addSignature(note, { name, keyId, signature: Buffer.concat([timestampPrefix, signature]) });
}
