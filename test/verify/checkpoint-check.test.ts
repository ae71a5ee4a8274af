/**
 * The checkpoint check's refusals where the notes are crafted: signed by other keys only, signed
 * twice by the log key, or carrying the log key's key ID under another name; and the path of the
 * first schema issue, as every "file shape" refusal words it.
 */
import { describe, expect, it } from 'vitest';
import { signNote } from '../../services/crypto/signed-note.js';
import { firstIssue, signedLog } from '../../services/verify/checkpoint-check.js';
import { checkpointOf, newLog, newLogKey, treeSize } from './material.js';

function refusal(noteText: string, logKey: string): string {
  const result = signedLog(noteText, 'bundle', treeSize, { logKey }, []);
  return result.ok ? 'OK' : result.failed;
}

/** "name+0000abcd", as the verifier labels a key: the vkey's first two fields. */
const labelOf = (vkey: string) => vkey.split('+').slice(0, 2).join('+');

describe('a checkpoint note', () => {
  it('signed only by other keys is refused, naming each of them', () => {
    const log = newLog();
    const [other, third] = [newLogKey('other.example/log'), newLogKey('third.example/log')];
    const body = checkpointOf(log, treeSize).split('\n\n')[0] ?? '';
    const note = signNote(signNote(`${body}\n`, other.name, other.privateKey), third.name, third.privateKey);
    expect(refusal(note, log.vkey)).toBe(
      `checkpoint: has no signature by log key ${labelOf(log.vkey)} (signed by ${labelOf(other.vkey)}, ${labelOf(third.vkey)})`,
    );
  });

  it('signed twice by the log key is refused', () => {
    const log = newLog();
    const note = checkpointOf(log, treeSize);
    const signature = note.trimEnd().split('\n').at(-1) ?? '';
    expect(refusal(`${note}${signature}\n`, log.vkey)).toBe(
      `checkpoint: log key ${labelOf(log.vkey)} signed it more than once`,
    );
  });

  it("carrying the log key's key ID under another name is not the log key's signature", () => {
    const log = newLog();
    const note = checkpointOf(log, treeSize);
    const renamed = note.replace(`— ${log.name} `, '— impostor.example/log ');
    const keyIdHex = labelOf(log.vkey).split('+')[1];
    expect(refusal(renamed, log.vkey)).toBe(
      `checkpoint: has no signature by log key ${labelOf(log.vkey)} (signed by impostor.example/log+${keyIdHex})`,
    );
  });
});

describe('firstIssue', () => {
  const issue = (path: PropertyKey[], message = 'Invalid input') => [{ path, message }];

  it('says the format is not matched when there is no issue to name', () => {
    expect(firstIssue([])).toBe('does not match the format');
  });

  it('gives the message alone at the top level', () => {
    expect(firstIssue(issue([]))).toBe('Invalid input');
  });

  it('names the path: fields with dots, array positions in brackets', () => {
    expect(firstIssue(issue(['events', 3, 'keyId'], 'Required'))).toBe('events[3].keyId: Required');
    expect(firstIssue(issue(['checkpoint']))).toBe('checkpoint: Invalid input');
    expect(firstIssue(issue([2]))).toBe('[2]: Invalid input');
    expect(firstIssue(issue(['a', 'b', 0, 1]))).toBe('a.b[0][1]: Invalid input');
  });

  it('names the first issue only', () => {
    expect(firstIssue([...issue(['first']), ...issue(['second'])])).toBe('first: Invalid input');
  });
});
