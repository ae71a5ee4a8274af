import { describe, expect, it } from 'vitest';
import {
  isBusinessDateInRange,
  isInstantInRange,
  jsonTextProblem,
  type TextKind,
  textCharacterProblem,
} from '../services/input-rules.js';
import { badCharacters } from './support/bad-text.js';

const kinds: TextKind[] = ['code', 'name', 'freeText'];

describe('the text rule', () => {
  it.each(badCharacters.flatMap(([name, character]) => kinds.map((kind) => [name, kind, character])))(
    'refuses %s in %s text, wherever it stands',
    (_name, kind, character) => {
      for (const value of [`${character}A`, `A${character}B`, `A${character}`]) {
        expect(textCharacterProblem(value, kind as TextKind)).toMatch(/^contains .*U\+[0-9A-F]{4}/);
      }
    },
  );

  it('names the character it refuses', () => {
    expect(textCharacterProblem('INV-1\u202e9', 'code')).toBe('contains the bidirectional control U+202E');
    expect(textCharacterProblem('a\u0000b', 'name')).toBe('contains the control character U+0000');
    expect(textCharacterProblem('a\ud83db', 'name')).toBe('contains a lone UTF-16 surrogate U+D83D');
  });

  it.each([
    ['\n', 'a line feed'],
    ['\t', 'a tab'],
  ])('allows %j (%s) in free text only', (character) => {
    expect(textCharacterProblem(`first${character}second`, 'freeText')).toBeNull();
    expect(textCharacterProblem(`first${character}second`, 'name')).toMatch(/control character/);
    expect(textCharacterProblem(`first${character}second`, 'code')).toMatch(/control character/);
  });

  it.each([
    ['a zero-width space', '\u200b'],
    ['a zero-width joiner', '\u200d'],
    ['a word joiner', '\u2060'],
    ['a byte order mark', '\ufeff'],
    ['a soft hyphen', '\u00ad'],
    ['a no-break space', '\u00a0'],
    ['an ideographic space', '\u3000'],
  ])('refuses %s in a code, where two look-alike codes must not differ', (_name, character) => {
    expect(textCharacterProblem(`TAX-${character}1`, 'code')).toMatch(/^contains the invisible character/);
  });

  it('keeps joiners in names and free text, which scripts and emoji need', () => {
    expect(textCharacterProblem('👩\u200d👩\u200d👧', 'name')).toBeNull();
    expect(textCharacterProblem('می\u200cخواهم', 'freeText')).toBeNull();
  });

  it.each(kinds)('accepts ordinary text of every script in %s text, with surrogate pairs', (kind) => {
    for (const value of [
      'PO-2026-001',
      '深圳市小部件有限公司',
      'Ünïcödé Straße',
      'm²',
      '📦 carton',
      'שלום',
    ]) {
      expect(textCharacterProblem(value, kind)).toBeNull();
    }
  });

  it('walks plain JSON and names the path of the first string that breaks it', () => {
    expect(jsonTextProblem({ a: 'ok', lines: [{ b: 'fine' }, { b: 'x\u0000' }] }, 'name')).toEqual({
      field: 'lines.1.b',
      problem: 'contains the control character U+0000',
    });
    expect(jsonTextProblem({ 'k\u202e': 1 }, 'freeText')?.field).toBe('k\u202e');
    expect(jsonTextProblem({ a: ['x', 1, null, true] }, 'code')).toBeNull();
  });
});

describe('the date range', () => {
  it.each([
    ['1900-01-01', true],
    ['2200-12-31', true],
    ['2026-09-01', true],
    ['1899-12-31', false],
    ['2201-01-01', false],
    ['0025-03-01', false],
  ])('%s is in range: %s', (date, inRange) => {
    expect(isBusinessDateInRange(date)).toBe(inRange);
  });

  it.each([
    ['1900-01-01T00:00:00Z', true],
    ['2200-12-31T23:59:59.999Z', true],
    ['1900-01-01T07:59:59+08:00', false],
    ['2201-01-01T00:00:00Z', false],
    ['0000-01-01T00:00:00Z', false],
  ])('the instant %s is in range: %s', (instant, inRange) => {
    expect(isInstantInRange(instant)).toBe(inRange);
  });
});
