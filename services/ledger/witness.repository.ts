import type { Selectable } from 'kysely';
import type { WitnessTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { Cosignature, Witness } from './witness.js';

function toWitness(row: Selectable<WitnessTable>): Witness {
  return {
    id: row.id,
    partyId: row.party_id,
    name: row.name,
    publicKey: row.public_key,
    createdAt: row.created_at,
  };
}

export async function insertWitness(trx: Trx, witness: Omit<Witness, 'createdAt'>): Promise<Witness> {
  const row = await trx
    .insertInto('witness')
    .values({
      id: witness.id,
      party_id: witness.partyId,
      name: witness.name,
      public_key: witness.publicKey,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toWitness(row);
}

export async function findWitness(db: Db | Trx, id: string): Promise<Witness | undefined> {
  const row = await db.selectFrom('witness').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toWitness(row);
}

/** A witness that already holds this name or this key, if any. */
export async function findWitnessByNameOrKey(
  db: Db | Trx,
  name: string,
  publicKey: Buffer,
): Promise<Witness | undefined> {
  const row = await db
    .selectFrom('witness')
    .selectAll()
    .where((eb) => eb.or([eb('name', '=', name), eb('public_key', '=', publicKey)]))
    .executeTakeFirst();
  return row && toWitness(row);
}

/** A party's witnesses, oldest first, at most `limit`. */
export async function listWitnessesOfParty(db: Db | Trx, partyId: string, limit: number): Promise<Witness[]> {
  const rows = await db
    .selectFrom('witness')
    .selectAll()
    .where('party_id', '=', partyId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toWitness);
}

const cosignatureColumns = [
  'cosignature.tree_size',
  'cosignature.witness_id',
  'witness.name',
  'cosignature.signature_line',
  'cosignature.cosigned_at',
] as const;

function toCosignature(row: {
  tree_size: bigint;
  witness_id: string;
  name: string;
  signature_line: string;
  cosigned_at: Date;
}): Cosignature {
  return {
    treeSize: Number(row.tree_size),
    witnessId: row.witness_id,
    witnessName: row.name,
    signatureLine: row.signature_line,
    cosignedAt: row.cosigned_at,
  };
}

/** The cosignature of the largest tree size this witness cosigned, if any. */
export async function findLatestCosignature(
  db: Db | Trx,
  witnessId: string,
): Promise<Cosignature | undefined> {
  const row = await db
    .selectFrom('cosignature')
    .innerJoin('witness', 'witness.id', 'cosignature.witness_id')
    .select(cosignatureColumns)
    .where('cosignature.witness_id', '=', witnessId)
    .orderBy('cosignature.tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toCosignature(row);
}

export async function insertCosignature(trx: Trx, cosignature: Omit<Cosignature, 'witnessName'>) {
  await trx
    .insertInto('cosignature')
    .values({
      tree_size: BigInt(cosignature.treeSize),
      witness_id: cosignature.witnessId,
      signature_line: cosignature.signatureLine,
      cosigned_at: cosignature.cosignedAt,
    })
    .execute();
}

/** The cosignatures of one checkpoint, oldest first, at most `limit`. */
export async function listCosignatures(
  db: Db | Trx,
  treeSize: number,
  limit: number,
): Promise<Cosignature[]> {
  const rows = await db
    .selectFrom('cosignature')
    .innerJoin('witness', 'witness.id', 'cosignature.witness_id')
    .select(cosignatureColumns)
    .where('cosignature.tree_size', '=', BigInt(treeSize))
    .orderBy('cosignature.cosigned_at')
    .orderBy('witness.name')
    .limit(limit)
    .execute();
  return rows.map(toCosignature);
}
