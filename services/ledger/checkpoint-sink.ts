/**
 * Every checkpoint also leaves the database: appended to a file (the default) and, optionally, POSTed
 * to a webhook. The sinks run after commit — never inside a transaction body — and each keeps its own
 * high-water mark, so a crash between commit and publication only delays it: the next round sends
 * every checkpoint after the mark, in order.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/transaction.js';

export interface CheckpointSink {
  name: string;
  /** The largest tree size this sink has published. */
  publishedSize(): Promise<number>;
  publish(checkpoint: { treeSize: number; note: string }): Promise<void>;
}

const separator = '\n';

/** An append-only file of notes, each followed by one empty line (a note never contains two). */
export function fileSink(file: string): CheckpointSink {
  let known: number | null = null;
  return {
    name: `file ${file}`,
    async publishedSize() {
      if (known !== null) return known;
      const text = await readFile(file, 'utf8').catch(() => '');
      const sizes = [...text.matchAll(/^.+\n(\d+)\n/gm)].map((match) => Number(match[1]));
      known = sizes.length > 0 ? Math.max(...sizes) : 0;
      return known;
    },
    async publish({ treeSize, note }) {
      await mkdir(path.dirname(file), { recursive: true });
      await appendFile(file, `${note}${separator}`);
      known = treeSize;
    },
  };
}

/** POSTs each note as text/plain; the mark lives in a small state file beside the data. */
export function webhookSink(url: string, stateFile: string): CheckpointSink {
  return {
    name: `webhook ${new URL(url).origin}`,
    async publishedSize() {
      return Number((await readFile(stateFile, 'utf8').catch(() => '0')).trim()) || 0;
    },
    async publish({ treeSize, note }) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8', 'x-tradeproof-tree-size': String(treeSize) },
        body: note,
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
      await mkdir(path.dirname(stateFile), { recursive: true });
      await writeFile(stateFile, `${treeSize}\n`);
    },
  };
}

/** Sends each sink every checkpoint after its mark, oldest first; stops a sink at its first failure. */
export async function publishCheckpoints(
  db: Db,
  sinks: readonly CheckpointSink[],
  log: (line: string) => void,
) {
  for (const sink of sinks) {
    try {
      const after = await sink.publishedSize();
      const rows = await db
        .selectFrom('checkpoint')
        .select(['tree_size', 'note'])
        .where('tree_size', '>', BigInt(after))
        .orderBy('tree_size')
        .limit(1000)
        .execute();
      for (const row of rows) await sink.publish({ treeSize: Number(row.tree_size), note: row.note });
    } catch (error) {
      log(
        `checkpoint sink ${sink.name}: ${error instanceof Error ? error.message : String(error)} (will retry)`,
      );
    }
  }
}
