/**
 * The rules every typed-in value obeys, in one place: the zod schemas of fact payloads
 * (validation.ts), the registry checks (parties/input-checks.ts), the envelope checks and the GraphQL
 * scalars all call these. Pure and without imports, so every layer may use them.
 *
 * Text. A signed statement is read by people, in consoles, PDFs and spreadsheets, long after it was
 * signed; what they see must be what was signed, and PostgreSQL must be able to store it. So no text
 * holds:
 * - a lone UTF-16 surrogate: it has no UTF-8 encoding, so it can be neither hashed nor stored;
 * - a C0 or C1 control character or DEL (U+0000-U+001F, U+007F-U+009F): NUL cannot be stored in TEXT
 *   or JSONB, and the others are invisible or move the cursor. Free text (descriptions, reasons) may
 *   hold line feeds and tabs; a carriage return is refused everywhere, so a line break has one
 *   spelling and two statements cannot differ only in invisible line endings;
 * - a bidirectional control (U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates, and the
 *   marks U+200E, U+200F, U+061C): they reorder what is displayed ("Trojan Source"), so
 *   "INV-1\u202E9" reads as something else than what was signed;
 * - a line or paragraph separator (U+2028, U+2029): line breaks in free text are "\n".
 * Codes (document numbers, item codes, units, idempotency keys) are compared for equality — a tax
 * invoice number is unique per seller — so they also refuse every other invisible format character
 * (zero-width space and joiners, word joiner, BOM, soft hyphen: Unicode category Cf) and every space
 * but U+0020, which would let two codes that look the same differ.
 */

/** Single-line codes compared for equality; single-line names and labels; multi-line free text. */
export type TextKind = 'code' | 'name' | 'freeText';

const bidiControls = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e]);
for (let code = 0x2066; code <= 0x2069; code++) bidiControls.add(code);

const formatCharacter = /^\p{Cf}$/u;
const spaceCharacter = /^\p{Zs}$/u;

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** Why `character` (one code point, or one lone surrogate) may not appear in text of `kind`. */
function characterProblem(character: string, kind: TextKind): string | null {
  const code = character.codePointAt(0) ?? 0;
  if (code >= 0xd800 && code <= 0xdfff) return `contains a lone UTF-16 surrogate ${codePoint(code)}`;
  if (isControl(code)) {
    if (kind === 'freeText' && (code === 0x0a || code === 0x09)) return null;
    const allowed = kind === 'freeText' ? ' (line breaks are \\n)' : '';
    return `contains the control character ${codePoint(code)}${allowed}`;
  }
  if (bidiControls.has(code)) return `contains the bidirectional control ${codePoint(code)}`;
  if (code === 0x2028 || code === 0x2029) return `contains the line separator ${codePoint(code)}`;
  if (
    kind === 'code' &&
    (formatCharacter.test(character) || (spaceCharacter.test(character) && code !== 0x20))
  ) {
    return `contains the invisible character ${codePoint(code)}`;
  }
  return null;
}

/**
 * Why `value` breaks the text rule for its kind, as a phrase to follow the field's name
 * ("contains the control character U+0000"), or null when it is fine.
 */
export function textCharacterProblem(value: string, kind: TextKind): string | null {
  // for…of walks code points: a well-formed pair arrives whole, a lone surrogate on its own.
  for (const character of value) {
    const problem = characterProblem(character, kind);
    if (problem) return problem;
  }
  return null;
}

/** The first string in plain JSON (keys included) that breaks the rule, with its dotted path. */
export function jsonTextProblem(
  value: unknown,
  kind: TextKind,
  path = '',
): { field: string; problem: string } | null {
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (typeof value === 'string') {
    const problem = textCharacterProblem(value, kind);
    return problem ? { field: path, problem } : null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = jsonTextProblem(item, kind, at(String(index)));
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const problem = textCharacterProblem(key, 'code');
    if (problem) return { field: at(key), problem: `has a key that ${problem}` };
    const found = jsonTextProblem(item, kind, at(key));
    if (found) return found;
  }
  return null;
}

/**
 * Business dates (order, delivery, shipment, receipt, issue, due, payment) lie in this range: wide
 * enough for any real trade, narrow enough that a typo ("0225-03-01", "20250-…") is caught and date
 * arithmetic stays far from the limits of JavaScript and SQL.
 */
export const businessDateMin = '1900-01-01';
export const businessDateMax = '2200-12-31';

/** A "YYYY-MM-DD" string inside [businessDateMin, businessDateMax]; compares as text. */
export function isBusinessDateInRange(value: string): boolean {
  return value >= businessDateMin && value <= businessDateMax;
}

const instantMinMs = Date.parse(`${businessDateMin}T00:00:00Z`);
const instantMaxMs = Date.parse(`${businessDateMax}T23:59:59.999Z`);

/** An instant (parsed from ISO 8601) inside the same range as business dates. */
export function isInstantInRange(value: string): boolean {
  const ms = Date.parse(value);
  return ms >= instantMinMs && ms <= instantMaxMs;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A lowercase UUID, as every id on the API and in an envelope is spelled. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value);
}
