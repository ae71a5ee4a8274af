/**
 * `npm run sign -- submit`: prepared statements, one per line, signed with the party's key file and
 * sent with submitStatements in batches, progress on stderr and one outcome per statement on stdout.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from './cli.js';
import { readKeyFile } from './client/key-file.js';
import { statementBatchItemsMax, submitStatementsWith } from './client/statement-batch.js';
import { TradeproofClient } from './client/tradeproof-client.js';

type Options = Record<string, string | boolean | undefined>;

/** A line is the statement as a JSON string, or an object with a "statement" (a saved prepare result). */
function statementOf(line: string, number: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new UsageError(`line ${number}: not JSON (each line holds one statement as a JSON string)`);
  }
  if (typeof parsed === 'string') return parsed;
  const statement = (parsed as { statement?: unknown } | null)?.statement;
  if (typeof statement === 'string') return statement;
  throw new UsageError(`line ${number}: neither a JSON string nor an object with a "statement"`);
}

async function readStatements(file: string | undefined): Promise<string[]> {
  if (file === undefined && process.stdin.isTTY) {
    throw new UsageError('no --statements given and stdin is a terminal: pipe the statements in');
  }
  const input = file === undefined ? process.stdin : createReadStream(file);
  const statements: string[] = [];
  let number = 0;
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    number++;
    if (line.trim() !== '') statements.push(statementOf(line, number));
  }
  return statements;
}

function batchSizeOf(text: string | undefined): number {
  if (text === undefined) return statementBatchItemsMax;
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > statementBatchItemsMax) {
    throw new UsageError(`--batch must be an integer from 1 to ${statementBatchItemsMax}, not "${text}"`);
  }
  return size;
}

/** Exit code 0 when every statement was recorded (or was already), 1 when any was refused. */
export async function submitCommand(options: Options): Promise<number> {
  const keyFile = options.key;
  const url = options.url;
  if (typeof keyFile !== 'string' || keyFile === '') throw new UsageError('--key is required');
  if (typeof url !== 'string' || url === '') throw new UsageError('--url is required');
  const apiKey = typeof options['api-key'] === 'string' ? options['api-key'] : process.env.TRADEPROOF_API_KEY;
  if (!apiKey) throw new UsageError('give --api-key or set TRADEPROOF_API_KEY');
  const batchSize = batchSizeOf(options.batch as string | undefined);
  const key = await readKeyFile(keyFile);
  const statements = await readStatements(options.statements as string | undefined);
  const client = new TradeproofClient({ url, apiKey });
  const outcomes = await submitStatementsWith(client, key.privateKey, statements, {
    batchSize,
    onProgress: (done, total) => process.stderr.write(`submitted ${done}/${total}\n`),
  });
  const counts = { recorded: 0, replayed: 0, refused: 0 };
  outcomes.forEach((outcome, index) => {
    const line = index + 1;
    if (outcome.ok) {
      counts[outcome.replayed ? 'replayed' : 'recorded']++;
      const { id, eventHash } = outcome.event;
      console.log(JSON.stringify({ line, eventId: id, eventHash, replayed: outcome.replayed }));
    } else {
      counts.refused++;
      const { code, message, field, retryable } = outcome.error;
      console.log(
        JSON.stringify({
          line,
          error: { code, message: message.replace(/^submit: /, ''), field, retryable },
        }),
      );
    }
  });
  process.stderr.write(
    `${statements.length} statements: ${counts.recorded} recorded, ${counts.replayed} already recorded, ${counts.refused} refused\n`,
  );
  return counts.refused === 0 ? 0 : 1;
}
