/**
 * Where anchorBatch spends its time, measured from outside services/ledger: a kysely plugin stamps
 * the start (transformQuery) and end (transformResult) of every statement the batch issues and names
 * its step from the SQL. The gaps between statements are the batch's own computing, named by the
 * statement they lead to (the gap before the leaf insert is the hashing, the one before the
 * checkpoint insert folds the root and signs); before the first statement is BEGIN, after the last
 * is COMMIT. The pending-events statement is kept so that EXPLAIN ANALYZE can replay it.
 */
import { performance } from 'node:perf_hooks';
import {
  CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresQueryCompiler,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Db } from '../../services/db/transaction.js';

export const anchorSteps = [
  'begin',
  'lease',
  'treeSize',
  'pendingEvents',
  'fetchNodes',
  'hashing',
  'writeLeaves',
  'writeTiles',
  'checkpoint',
  'commit',
  'other',
] as const;
export type AnchorStep = (typeof anchorSteps)[number];

export const stepLabels: Record<AnchorStep, string> = {
  begin: 'BEGIN (and a pooled connection)',
  lease: 'lease upsert',
  treeSize: 'current tree size (max checkpoint)',
  pendingEvents: 'reading pending events',
  fetchNodes: 'fetchNodes (frontier)',
  hashing: 'hashing (leaf hashes, new nodes, frontier fold)',
  writeLeaves: 'writing leaves (unnest insert)',
  writeTiles: 'writing tiles (read widest rows, insert)',
  checkpoint: 'checkpoint (root fold, Ed25519 note, insert)',
  commit: 'COMMIT',
  other: 'other',
};

export interface AnchorProfile {
  batches: number;
  totalMs: number;
  stepMs: Record<AnchorStep, number>;
}

interface Span {
  step: AnchorStep;
  startMs: number;
  endMs: number;
}

function classify(text: string, leavesWritten: boolean): AnchorStep {
  if (/^insert into "lease"/i.test(text)) return 'lease';
  if (/^insert into "checkpoint"/i.test(text)) return 'checkpoint';
  if (/^insert into "tile"/i.test(text)) return 'writeTiles';
  if (/^INSERT INTO leaf/.test(text)) return 'writeLeaves';
  if (/^select max\("tree_size"\)/i.test(text)) return 'treeSize';
  if (/\bfrom "event"|from "leaf" inner join "event"/i.test(text)) return 'pendingEvents';
  // node-store's one query: the frontier before the leaves are written, the widest tiles after.
  if (/FROM (leaf|tile)\b/.test(text)) return leavesWritten ? 'writeTiles' : 'fetchNodes';
  return 'other';
}

function gapStep(next: AnchorStep): AnchorStep {
  if (next === 'writeLeaves') return 'hashing';
  if (next === 'checkpoint' || next === 'writeTiles') return next;
  return 'other';
}

function emptySteps(): Record<AnchorStep, number> {
  return Object.fromEntries(anchorSteps.map((step) => [step, 0])) as Record<AnchorStep, number>;
}

export class AnchorProfiler implements KyselyPlugin {
  readonly #compiler = new PostgresQueryCompiler();
  readonly #open = new Map<string, { step: AnchorStep; startMs: number }>();
  #spans: Span[] = [];
  #leavesWritten = false;
  #pendingQuery: CompiledQuery | null = null;
  readonly profile: AnchorProfile = { batches: 0, totalMs: 0, stepMs: emptySteps() };

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const compiled = this.#compiler.compileQuery(args.node, args.queryId);
    const step = classify(compiled.sql, this.#leavesWritten);
    if (step === 'writeLeaves') this.#leavesWritten = true;
    if (step === 'pendingEvents' && /^select "event"\."id"/i.test(compiled.sql))
      this.#pendingQuery = compiled;
    this.#open.set(args.queryId.queryId, { step, startMs: performance.now() });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const open = this.#open.get(args.queryId.queryId);
    if (open) {
      this.#spans.push({ ...open, endMs: performance.now() });
      this.#open.delete(args.queryId.queryId);
    }
    return args.result;
  }

  /** Runs one batch and adds its time, step by step, to the profile. */
  async measure<T>(batch: () => Promise<T>): Promise<T> {
    this.#spans = [];
    this.#open.clear();
    this.#leavesWritten = false;
    const startedMs = performance.now();
    const result = await batch();
    this.#attribute(startedMs, performance.now());
    return result;
  }

  #attribute(startedMs: number, endedMs: number): void {
    const { stepMs } = this.profile;
    let cursor = startedMs;
    this.#spans.forEach((span, index) => {
      stepMs[index === 0 ? 'begin' : gapStep(span.step)] += span.startMs - cursor;
      stepMs[span.step] += span.endMs - span.startMs;
      cursor = span.endMs;
    });
    stepMs.commit += endedMs - cursor;
    this.profile.batches += 1;
    this.profile.totalMs += endedMs - startedMs;
  }

  /** The last pending-events statement anchorBatch ran, exactly, or null before the first batch. */
  get pendingQuery(): CompiledQuery | null {
    return this.#pendingQuery;
  }
}

/** Steps by time spent, largest first, with their share of the whole. */
export function rankSteps(profile: AnchorProfile): Array<{ step: AnchorStep; ms: number; share: number }> {
  return anchorSteps
    .map((step) => ({ step, ms: profile.stepMs[step], share: profile.stepMs[step] / profile.totalMs }))
    .sort((a, b) => b.ms - a.ms);
}

/** Replays a captured statement under EXPLAIN ANALYZE; the plan as text lines. */
export async function explainAnalyze(db: Db, query: CompiledQuery): Promise<string[]> {
  const { rows } = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(`EXPLAIN ANALYZE ${query.sql}`, [...query.parameters]),
  );
  return rows.map((row) => String(Object.values(row)[0]));
}
