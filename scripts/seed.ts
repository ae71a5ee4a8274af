/**
 * `npm run seed`: writes a synthetic supply chain straight into the ledger's database, for trying the
 * exposure queries at scale. The database is the one `npm start` would use (the embedded PostgreSQL
 * in DATA_DIR, or DATABASE_URL), or --database-url; it is migrated and given its platform operator as
 * a start would, with anchoring and webhook delivery off while seeding.
 */
import { ConfigError, loadConfig } from '../services/config.js';
import { commandLine, usageError } from './cli.js';
import { startRuntime } from './runtime.js';
import { progressBar } from './seed/progress.js';
import { SeedRefused, seedDatabase } from './seed/seed-database.js';

const usage = `usage: npm run seed -- [--parties 1000] [--receivables 10000] [--seed 1] [--database-url URL] [--force]

Writes a synthetic supply chain into the ledger's database: a few core enterprises, suppliers on
tiers 1 to 5 (each selling to a buyer one tier up, chosen so that a few buyers have most suppliers),
lenders, and receivable trees — confirmed invoices, parts split to deeper suppliers, parts financed,
payments settling trees in full or in part, some defaulted or on hold. Progress goes to stderr.
  --parties N         parties to create besides the platform (default 1000, at least 20)
  --receivables N     receivables to write, every part counted (default 10000)
  --seed N            the random seed: the same seed on an empty database writes the same rows (default 1)
  --database-url URL  the database, as its owner (default DATABASE_URL, else the embedded PostgreSQL in DATA_DIR)
  --force             seed even though the database holds other parties (adds a second chain beside them)
Seeded events are synthetic: they carry zero signatures, so verification reports flag them.
Exit status: 0 seeded, 1 failed or refused, 2 bad arguments.`;

function integer(text: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!/^[\d_]+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    usageError(usage, `${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = commandLine(usage, {
    parties: { type: 'string' },
    receivables: { type: 'string' },
    seed: { type: 'string' },
    'database-url': { type: 'string' },
    force: { type: 'boolean' },
  });
  const options = {
    parties: integer(values.parties, 1000, '--parties', 20, 1_000_000),
    receivables: integer(values.receivables, 10_000, '--receivables', 1, 100_000_000),
    seed: integer(values.seed, 1, '--seed', 0, 2 ** 32 - 1),
    force: values.force === true,
  };
  const config = loadConfig();
  const log = (line: string) => console.error(`[seed] ${line}`);
  const runtime = await startRuntime(
    {
      ...config,
      databaseUrl: values['database-url'] ?? config.databaseUrl,
      log: { ...config.log, anchoring: false },
      webhooks: { ...config.webhooks, delivery: false },
    },
    log,
  );
  try {
    const outcome = await seedDatabase(runtime.ledger.db, runtime.ledger.platformPartyId, options, (total) =>
      progressBar('receivables', total),
    );
    const { counts } = outcome;
    console.log(
      `seeded ${counts.parties} parties, ${counts.receivables} receivables on ${counts.invoices} invoices, ` +
        `${counts.payments} payments, ${counts.financings} financings (${counts.events} events) ` +
        `in ${outcome.seconds.toFixed(1)} s into ${runtime.databaseLabel}`,
    );
  } finally {
    await runtime.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof SeedRefused || error instanceof ConfigError;
  console.error(
    `seed failed: ${error instanceof Error ? (known ? error.message : error.stack) : String(error)}`,
  );
  process.exit(1);
});
