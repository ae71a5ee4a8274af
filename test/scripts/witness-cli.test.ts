/**
 * `npm run witness`, end to end: a child process against a real HTTP server on the test ledger. It
 * registers, cosigns a first checkpoint and a later one, and refuses (writing nothing, sending
 * nothing) a rewritten history, a fork and a checkpoint the pinned key did not sign, which a small
 * proxy in front of the real server presents, as a compromised platform would.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../../graphql/http.js';
import type { WitnessStateFile } from '../../scripts/client/witness-state.js';
import { generateKeyPair, toHex } from '../../services/crypto/index.js';
import { signCheckpoint } from '../../services/ledger/checkpoint.js';
import { findCheckpoint } from '../../services/ledger/proof.repository.js';
import { rewrittenLog } from '../ledger/witness-support.js';
import { anchorAll } from '../support/anchor.js';
import { type TestParty, testLimits, testLogOrigin, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
const root = new URL('../../', import.meta.url).pathname;
const witnessName = 'bank-a.test/witness';
let server: RunningServer;
let lender: TestParty;
let directory: string;
let stateFile: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function witness(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/witness.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, NODE_OPTIONS: '', TRADEPROOF_API_KEY: '', ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** One round as a lender's cron job runs it, against `url`. */
const round = (url = server.url) => witness(['--state', stateFile, '--url', url, '--api-key', lender.apiKey]);

async function savedState(): Promise<WitnessStateFile> {
  return JSON.parse(await readFile(stateFile, 'utf8'));
}

async function cosignaturesAt(treeSize: number): Promise<Array<{ witness: string; signatureLine: string }>> {
  const answer = await ledger.gql(
    `{ checkpoint(treeSize: ${treeSize}) { ... on Checkpoint { cosignatures { witness signatureLine } } } }`,
  );
  return answer.data.checkpoint.cosignatures;
}

async function cosignatureRows(): Promise<number> {
  const rows = await ledger.owner.db.selectFrom('cosignature').select('tree_size').execute();
  return rows.length;
}

/**
 * A proxy in front of the real server that presents `checkpoint` as the latest, with consistency
 * proofs from `rewritten` when given, and passes everything else (the cosign mutation) through.
 */
async function presentingProxy(
  checkpoint: { treeSize: number; note: string },
  rewritten?: ReturnType<typeof rewrittenLog>,
): Promise<{ url: string; submitted: () => number; close: () => Promise<void> }> {
  let submitted = 0;
  const proxy: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
    const answer = (data: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data }));
    };
    if (query.includes('checkpoint {'))
      return answer({ checkpoint: { __typename: 'Checkpoint', ...checkpoint } });
    if (query.includes('consistencyProof(') && rewritten) {
      const consistencyPath = rewritten.consistencyPath(Number(variables.fromSize)).map(toHex);
      return answer({ consistencyProof: { __typename: 'ConsistencyProof', consistencyPath } });
    }
    if (query.includes('cosignCheckpoint(')) submitted += 1;
    const forwarded = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' },
      body,
    });
    response.writeHead(forwarded.status, { 'content-type': 'application/json' });
    response.end(await forwarded.text());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    submitted: () => submitted,
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}

beforeAll(async () => {
  server = await startHttpServer({
    ledger: ledger.ledger,
    logSigner: ledger.logSigner,
    graphiql: false,
    host: '127.0.0.1',
    port: 0,
    requestBodyBytesMax: 1_048_576,
    ...testLimits,
  });
  lender = await ledger.newParty(['lender']);
  await anchorAll(ledger);
  directory = await mkdtemp(path.join(tmpdir(), 'tradeproof-witness-cli-'));
  stateFile = path.join(directory, 'witness.json');
});

afterAll(async () => {
  await server?.close(1000);
  if (directory) await rm(directory, { recursive: true, force: true });
});

// Each run starts Node with tsx: seconds apiece on a busy 2-core machine.
describe('npm run witness', { timeout: 180_000 }, () => {
  it('--init writes a state file only its owner reads and registers the witness; never twice', async () => {
    const init = await witness(
      [
        '--init',
        '--state',
        stateFile,
        '--url',
        server.url,
        '--name',
        witnessName,
        '--log-key',
        ledger.logSigner.verifierKey,
      ],
      { TRADEPROOF_API_KEY: lender.apiKey },
    );
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const state = await savedState();
    expect(state).toMatchObject({
      format: 'tradeproof-witness-state/v1',
      witness: { name: witnessName, id: expect.any(String) },
      log: { verifierKey: ledger.logSigner.verifierKey, origin: testLogOrigin },
      cosigned: null,
    });
    expect(init.stdout).toContain(`registered witness ${witnessName} (id ${state.witness.id})`);
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
    const listed = await ledger.gql('{ witnesses { id name publicKey } }', {}, lender.apiKey);
    expect(listed.data.witnesses).toEqual([
      { id: state.witness.id, name: witnessName, publicKey: state.witness.publicKey },
    ]);

    const before = await readFile(stateFile, 'utf8');
    const again = await witness(
      [
        '--init',
        '--state',
        stateFile,
        '--url',
        server.url,
        '--name',
        witnessName,
        '--log-key',
        ledger.logSigner.verifierKey,
      ],
      { TRADEPROOF_API_KEY: lender.apiKey },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${stateFile}: exists already; refusing to overwrite a witness state`);
    expect(await readFile(stateFile, 'utf8')).toBe(before);
  });

  it('cosigns the latest checkpoint on the first round, and the ledger shows the cosignature', async () => {
    const size = await anchorAll(ledger);
    const first = await round();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      `first round: took the checkpoint of size ${size} on the log key's signature alone`,
    );
    const state = await savedState();
    const checkpoint = await findCheckpoint(ledger.app.db, size);
    expect(state.cosigned).toMatchObject({
      treeSize: size,
      rootHash: checkpoint?.rootHash.toString('hex'),
      checkpoint: checkpoint?.note,
    });
    expect(await cosignaturesAt(size)).toEqual([{ witness: witnessName, signatureLine: expect.any(String) }]);
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
  });

  it('cosigns a later checkpoint after proving the log only grew; an idle round changes nothing', async () => {
    const earlier = (await savedState()).cosigned?.treeSize ?? 0;
    await ledger.newParty(['supplier']);
    const size = await anchorAll(ledger);
    expect(size).toBeGreaterThan(earlier);
    const second = await round();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`the checkpoint of size ${size} extends size ${earlier}`);
    expect((await savedState()).cosigned?.treeSize).toBe(size);
    expect(await cosignaturesAt(size)).toHaveLength(1);

    const before = await readFile(stateFile, 'utf8');
    const idle = await round();
    expect(idle.code).toBe(0);
    expect(idle.stdout).toContain(`the log has not grown since size ${size}`);
    expect(await readFile(stateFile, 'utf8')).toBe(before);
  });

  it('refuses a validly signed checkpoint of a rewritten history: exit 1, nothing sent, nothing written', async () => {
    const cosigned = (await savedState()).cosigned?.treeSize ?? 0;
    // The platform rebuilt its tree over other leaves and signed it with the real log key.
    const leaves = Array.from({ length: cosigned + 3 }, () => randomBytes(32));
    const rewritten = rewrittenLog(ledger.logSigner, leaves);
    const proxy = await presentingProxy({ treeSize: rewritten.treeSize, note: rewritten.note }, rewritten);
    try {
      const before = await readFile(stateFile, 'utf8');
      const rows = await cosignatureRows();
      const refused = await round(proxy.url);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `witness: REFUSED: the checkpoint of size ${rewritten.treeSize} is not consistent with the tree of size ${cosigned} this witness cosigned: history was rewritten`,
      );
      expect(refused.stderr).toContain(`${stateFile} is unchanged (last cosigned: size ${cosigned})`);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(proxy.submitted()).toBe(0);
      expect(await cosignatureRows()).toBe(rows);
      expect(await readFile(stateFile, 'utf8')).toBe(before);
    } finally {
      await proxy.close();
    }
  });

  it.each([
    [
      'a fork: another tree of the size it cosigned, signed by the log key',
      (size: number) =>
        signCheckpoint(
          { origin: testLogOrigin, treeSize: size, rootHash: randomBytes(32) },
          testLogOrigin,
          ledger.logSigner.privateKey,
        ),
      (size: number) => `the log presents two different trees of size ${size}: a fork`,
    ],
    [
      'a checkpoint signed by another key under the log name',
      (size: number) =>
        signCheckpoint(
          { origin: testLogOrigin, treeSize: size + 1, rootHash: randomBytes(32) },
          testLogOrigin,
          generateKeyPair().privateKey,
        ),
      () => 'the checkpoint does not verify with the pinned log key',
    ],
  ])('refuses %s: exit 1, nothing sent, nothing written', async (_label, noteFor, reasonFor) => {
    const cosigned = (await savedState()).cosigned?.treeSize ?? 0;
    const note = noteFor(cosigned);
    const treeSize = Number(note.split('\n')[1]);
    const proxy = await presentingProxy({ treeSize, note });
    try {
      const before = await readFile(stateFile, 'utf8');
      const refused = await round(proxy.url);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`witness: REFUSED: ${reasonFor(cosigned)}`);
      expect(proxy.submitted()).toBe(0);
      expect(await readFile(stateFile, 'utf8')).toBe(before);
    } finally {
      await proxy.close();
    }
  });

  it('answers --help with the usage (exit 0), and bad arguments with a sentence and the usage (exit 2)', async () => {
    const help = await witness(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run witness -- --state <file> --url <graphql url>/);
    const runs = await Promise.all([
      witness(['--state', stateFile, '--url', server.url, '--api-key', lender.apiKey, '--force']),
      witness(['--url', server.url, '--api-key', lender.apiKey]),
      witness(['--state', stateFile, '--url', server.url]),
      witness(['--state', stateFile, '--url', server.url, '--api-key', lender.apiKey, '--name', 'x']),
    ]);
    const messages = [
      "Unknown option '--force'",
      '--state is required',
      'an API key is required: --api-key or TRADEPROOF_API_KEY',
      '--name applies to --init only',
    ];
    runs.forEach((run, index) => {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`witness: ${messages[index]}`);
      expect(run.stderr).toContain('Usage: npm run witness');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('says what is wrong with a state file it cannot use, and keeps an unreachable ledger apart (exit 3)', async () => {
    const broken = path.join(directory, 'broken.json');
    await writeFile(broken, '{"format":"tradeproof-witness-state/v1"');
    const edited = path.join(directory, 'edited.json');
    const state = await savedState();
    await writeFile(
      edited,
      JSON.stringify({ ...state, witness: { ...state.witness, publicKey: toHex(randomBytes(32)) } }),
    );
    const [notJson, mismatched, missing] = await Promise.all(
      [broken, edited, path.join(directory, 'absent.json')].map((file) =>
        witness(['--state', file, '--url', server.url, '--api-key', lender.apiKey]),
      ),
    );
    expect(notJson?.code).toBe(2);
    expect(notJson?.stderr).toContain(`witness: ${broken}: not JSON`);
    expect(mismatched?.code).toBe(2);
    expect(mismatched?.stderr).toContain('witness.publicKey is not the public key of witness.privateKey');
    expect(missing?.code).toBe(2);
    expect(missing?.stderr).toContain('cannot read (ENOENT): create one with --init');

    // A port nobody listens on: a server started and closed again.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const before = await readFile(stateFile, 'utf8');
    const unreachable = await round(`http://127.0.0.1:${port}/graphql`);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain(
      `witness: the round did not complete: cannot reach http://127.0.0.1:${port}/graphql`,
    );
    expect(await readFile(stateFile, 'utf8')).toBe(before);
  });
});
