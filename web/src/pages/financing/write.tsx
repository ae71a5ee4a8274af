/**
 * Every financing write is prepare -> StatementReview -> submit. This keeps the prepared statement
 * (or the ledger's DomainError, shown beside the form) and a labelled field with its help and error.
 */
import { type ReactNode, useState } from 'react';
import { type PrepareAnswer, prepareStatement } from '../../signing/prepare';
import type { Prepared, Submitted } from '../../signing/statement-review';
import { StatementReview } from '../../signing/statement-review';

export interface PrepareState {
  prepared: Prepared | null;
  problem: string | null;
  busy: boolean;
  run: (call: () => Promise<PrepareAnswer>) => Promise<void>;
  reset: () => void;
}

export function usePrepare(): PrepareState {
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(call: () => Promise<PrepareAnswer>) {
    setBusy(true);
    setProblem(null);
    const outcome = await prepareStatement(call);
    setProblem(outcome.problem ?? null);
    if (outcome.prepared) setPrepared(outcome.prepared);
    setBusy(false);
  }
  return { prepared, problem, busy, run, reset: () => setPrepared(null) };
}

/** The form until a statement is prepared, then its review; `onDone` after the ledger recorded it. */
export function WriteStep(props: {
  state: PrepareState;
  onDone: (submitted: Submitted) => void;
  children: ReactNode;
}) {
  const { state } = props;
  if (state.prepared) {
    return (
      <StatementReview
        prepared={state.prepared}
        onCancel={state.reset}
        onDone={(submitted) => {
          state.reset();
          props.onDone(submitted);
        }}
      />
    );
  }
  return (
    <>
      {props.children}
      {state.problem && (
        <p role="alert" className="error">
          {state.problem}
        </p>
      )}
    </>
  );
}

export function Field(props: {
  id: string;
  label: string;
  help?: string;
  error?: string | null;
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  const described = [props.help ? `${props.id}-help` : null, props.error ? `${props.id}-error` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children(described || undefined, Boolean(props.error))}
      {props.help && (
        <p id={`${props.id}-help`} className="help">
          {props.help}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} className="error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A status badge in words, never colour alone. */
export function StatusBadge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`badge ${tone}`}>{children}</span>;
}

/** A one-line notice after a write, read out by screen readers (the live region is always there). */
export function Notice({ text }: { text: string | null }) {
  return (
    <p role="status" className="ok notice">
      {text ?? ''}
    </p>
  );
}
