/**
 * Tamper evidence (issue 4, item 6): a superuser edits event rows directly, and verifyLog names
 * exactly the event that broke; a platform that rebuilds and re-signs its tree over altered events is
 * caught by a consistency check against a checkpoint a witness saw earlier.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { witnessOnce } from '../../scripts/client/witness.js';
import { type Ed25519KeyPair, generateKeyPair, sha256 } from '../../services/crypto/index.js';
import { parseVerifierKey } from '../../services/crypto/signed-note.js';
import { verifyCheckpoint } from '../../services/ledger/checkpoint.js';
import { leafHash } from '../../services/ledger/merkle.js';
import { inclusionProof } from '../../services/ledger/proof.service.js';
import { verifyConsistency, verifyInclusion } from '../../services/ledger/verify.js';
import { verifyLog } from '../../services/ledger/verify-log.service.js';
import { registerWitness } from '../../services/ledger/witness.service.js';
import { anchorAll } from '../support/anchor.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { apiClient, presentingClient, rewrittenLog } from './witness-support.js';

const ledger = useTestLedger();

interface Anchored {
  id: string;
  leafIndex: number;
  statement: Buffer;
  eventHash: Buffer;
}

let anchored: Anchored[];
let treeSize: number;
let checkpointCount: number;

const verifyAs = (actor = ledger.admin, chunkRowsMax?: number) =>
  verifyLog(ledger.ledger, actor, {
    logVerifierKey: ledger.logSigner.verifierKey,
    ...(chunkRowsMax === undefined ? {} : { chunkRowsMax }),
  });

async function verifiedReport(chunkRowsMax?: number) {
  const result = await verifyAs(ledger.admin, chunkRowsMax);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

async function loadAnchored(): Promise<Anchored[]> {
  const rows = await ledger.owner.db
    .selectFrom('leaf')
    .innerJoin('event', 'event.id', 'leaf.event_id')
    .select(['event.id', 'leaf.leaf_index', 'event.statement', 'event.event_hash'])
    .orderBy('leaf.leaf_index')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    leafIndex: Number(row.leaf_index),
    statement: row.statement,
    eventHash: row.event_hash,
  }));
}

/** The statement with one hex digit of its salt changed: still canonical JSON, no longer what was signed. */
function flipSaltCharacter(statement: Buffer): Buffer {
  const text = statement.toString('utf8');
  const at = text.indexOf('"salt":"') + '"salt":"'.length;
  const flipped = text[at] === '0' ? '1' : '0';
  return Buffer.from(`${text.slice(0, at)}${flipped}${text.slice(at + 1)}`, 'utf8');
}

async function rewriteEvent(id: string, statement: Buffer, eventHash: Buffer): Promise<void> {
  await ledger.owner.db
    .updateTable('event')
    .set({ statement, event_hash: eventHash })
    .where('id', '=', id)
    .execute();
}

const restore = (event: Anchored) => rewriteEvent(event.id, event.statement, event.eventHash);

function target(leafIndex: number): Anchored {
  const event = anchored[leafIndex];
  if (!event) throw new Error(`no anchored event at ${leafIndex}`);
  return event;
}

describe('tamper evidence', () => {
  let lender: TestParty;
  let witnessKeys: Ed25519KeyPair;
  let witnessId: string;

  beforeAll(async () => {
    lender = await ledger.newParty(['lender']);
    witnessKeys = generateKeyPair();
    const registered = await registerWitness(ledger.ledger, lender.actor, {
      name: 'witness.tamper.test',
      publicKey: witnessKeys.publicKey.toString('hex'),
      idempotencyKey: freshKey(),
    });
    if (!registered.ok) throw new Error(registered.message);
    witnessId = registered.value.witness.id;
    for (const roles of [['supplier'], ['core_enterprise'], ['logistics'], ['supplier']] as const) {
      await ledger.newParty([...roles]);
      treeSize = await anchorAll(ledger);
    }
    anchored = await loadAnchored();
    checkpointCount = (await ledger.owner.db.selectFrom('checkpoint').select('tree_size').execute()).length;
  });

  it('finds nothing wrong in an untouched log, however the scan is paged', async () => {
    for (const chunkRowsMax of [undefined, 1, 3, 7]) {
      expect(await verifiedReport(chunkRowsMax)).toEqual({
        ok: true,
        treeSize,
        eventsChecked: treeSize,
        checkpointsChecked: checkpointCount,
        problems: [],
      });
    }
  });

  it('names exactly the event whose statement a superuser edited, and nothing else', async () => {
    const event = target(5);
    await rewriteEvent(event.id, flipSaltCharacter(event.statement), event.eventHash);
    const expected = {
      check: 'statement_hash',
      eventId: event.id,
      leafIndex: 5,
      detail: 'statement no longer hashes to the recorded event hash',
    };
    expect(await verifiedReport(4)).toMatchObject({ ok: false, problems: [expected] });
    const answer = await ledger.gql(
      '{ verifyLog { ... on LogVerification { ok problems { check eventId leafIndex treeSize detail } } } }',
    );
    expect(answer.data.verifyLog).toEqual({
      ok: false,
      problems: [{ ...expected, check: 'STATEMENT_HASH', treeSize: null }],
    });
    await restore(event);
    expect(await verifiedReport()).toMatchObject({ ok: true, problems: [] });
  });

  it('names the event whose statement and hash were both rewritten, whose proof then fails offline', async () => {
    const event = target(6);
    const statement = flipSaltCharacter(event.statement);
    const eventHash = sha256(statement);
    await rewriteEvent(event.id, statement, eventHash);
    const report = await verifiedReport();
    expect(report.ok).toBe(false);
    expect(report.problems.map(({ check, eventId, leafIndex }) => ({ check, eventId, leafIndex }))).toEqual([
      { check: 'signature', eventId: event.id, leafIndex: 6 },
      { check: 'leaf_hash', eventId: event.id, leafIndex: 6 },
    ]);

    const proof = await inclusionProof(ledger.ledger, ledger.admin, event.id);
    if (!proof.ok) throw new Error(proof.message);
    const file = proof.value;
    expect(sha256(file.statement ?? '').toString('hex')).toBe(file.eventHash);
    const logKey = parseVerifierKey(ledger.logSigner.verifierKey);
    if (!logKey) throw new Error('log key does not parse');
    const checkpoint = verifyCheckpoint(file.checkpoint, logKey);
    if (!checkpoint.ok) throw new Error(checkpoint.reason);
    const path = file.inclusionPath.map((hex) => Buffer.from(hex, 'hex'));
    const leaf = leafHash(Buffer.from(file.eventHash, 'hex'));
    expect(verifyInclusion(leaf, file.leafIndex, file.treeSize, path, checkpoint.checkpoint.rootHash)).toBe(
      false,
    );
    expect(
      verifyInclusion(leafHash(event.eventHash), 6, file.treeSize, path, checkpoint.checkpoint.rootHash),
    ).toBe(true);
    await restore(event);
    expect(await verifiedReport()).toMatchObject({ ok: true });
  });

  it('is for administrators and auditors only', async () => {
    const supplier = await ledger.newParty(['supplier']);
    expect(await verifyAs(supplier.actor)).toMatchObject({ ok: false, code: 'forbidden' });
    const answer = await ledger.gql('{ verifyLog { ... on DomainError { code } } }', {}, supplier.apiKey);
    expect(answer.data.verifyLog).toEqual({ code: 'FORBIDDEN' });
    const auditor = await ledger.newParty(['auditor']);
    expect(await verifyAs(auditor.actor)).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('catches a rebuilt and re-signed history with a consistency check against what a witness saw', async () => {
    const witness = (
      state: Parameters<typeof witnessOnce>[0]['state'],
      client = apiClient(ledger, lender.apiKey),
    ) =>
      witnessOnce({
        client,
        logVerifierKey: ledger.logSigner.verifierKey,
        witnessId,
        witnessName: 'witness.tamper.test',
        witnessPrivateKey: witnessKeys.privateKey,
        state,
      });
    const seen = await witness(null);
    if (!seen.ok) throw new Error(seen.reason);
    const oldSize = seen.state.size;

    // More events arrive; the platform alters an early one, then rebuilds the whole tree over the
    // altered events and signs a checkpoint for the larger size with its real log key.
    await ledger.newParty(['supplier']);
    const event = target(1);
    const statement = flipSaltCharacter(event.statement);
    await rewriteEvent(event.id, statement, sha256(statement));
    const pending = await ledger.owner.db
      .selectFrom('event')
      .select('event_hash')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('leaf').select('leaf.event_id').whereRef('leaf.event_id', '=', 'event.id'))),
      )
      .orderBy('recorded_at')
      .orderBy('id')
      .execute();
    const eventHashes = [
      ...(await loadAnchored()).map((row) => row.eventHash),
      ...pending.map((row) => row.event_hash),
    ];
    const rewritten = rewrittenLog(ledger.logSigner, eventHashes.map(leafHash));
    expect(rewritten.treeSize).toBeGreaterThan(oldSize);
    const logKey = parseVerifierKey(ledger.logSigner.verifierKey);
    if (!logKey) throw new Error('log key does not parse');
    expect(verifyCheckpoint(rewritten.note, logKey)).toMatchObject({ ok: true });

    const oldRoot = Buffer.from(seen.state.rootHash, 'hex');
    const proof = rewritten.consistencyPath(oldSize);
    expect(verifyConsistency(oldSize, rewritten.treeSize, oldRoot, rewritten.rootHash, proof)).toBe(false);
    const client = presentingClient(apiClient(ledger, lender.apiKey), rewritten, rewritten);
    const refused = await witness(seen.state, client);
    expect(!refused.ok && refused.reason).toMatch(/history was rewritten/);
    expect(client.submitted).toBe(0);
    const report = await verifiedReport();
    expect(report.problems.map((problem) => [problem.check, problem.eventId])).toEqual([
      ['signature', event.id],
      ['leaf_hash', event.id],
    ]);

    // The honest log, anchored over the true events, passes the same check.
    await restore(event);
    await anchorAll(ledger);
    expect(await witness(seen.state)).toMatchObject({ ok: true, cosigned: true });
  });
});
