/**
 * submitStatements: up to statementBatchItemsMax prepared statements in one request, each answered on
 * its own (SubmittedStatement or DomainError) in input order. The signatures are checked together on
 * the server's verifier threads; see services/events/fact-batch.service.ts.
 */
import { z } from 'zod';
import type { AppendedEvent } from '../services/events/event.js';
import { statementBatchItemsMax, submitFacts } from '../services/events/fact-batch.service.js';
import type { Result } from '../services/result.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { DomainError, domainErrors, unwrap } from './domain-error.js';
import { SubmittedStatementRef } from './statement.js';

const SubmitStatementItemInput = builder.inputType('SubmitStatementItem', {
  description: 'A prepared statement and its signature, as submitStatement takes them.',
  fields: (t) => ({
    statement: t.string({ required: true }),
    signature: t.field({
      type: 'HexBytes',
      required: false,
      description: 'Omit it to sign with the custodial key.',
    }),
  }),
});

const SubmittedStatementsRef = builder
  .objectRef<Array<Result<AppendedEvent>>>('SubmittedStatements')
  .implement({
    fields: (t) => ({
      results: t.field({
        type: [SubmittedStatementRef],
        itemErrors: domainErrors('SubmitStatementItemResult'),
        description: 'One per item, in the order sent.',
        // itemErrors makes each DomainError item a union member; Pothos types the items as the success.
        resolve: (answers) =>
          answers.map((answer) =>
            answer.ok ? answer.value : DomainError.from(answer),
          ) as unknown as AppendedEvent[],
      }),
    }),
  });

builder.mutationField('submitStatements', (t) =>
  t.field({
    type: SubmittedStatementsRef,
    authScopes: { authenticated: true },
    errors: domainErrors('SubmitStatementsResult'),
    description:
      `Appends up to ${statementBatchItemsMax} prepared statements of the caller, each with its own ` +
      'result in input order: an item already recorded (or repeated in the call) answers replayed.',
    args: {
      items: t.arg({
        type: [SubmitStatementItemInput],
        required: true,
        validate: z.array(z.unknown()).max(statementBatchItemsMax, {
          message: `at most ${statementBatchItemsMax} statements per call`,
        }),
      }),
    },
    resolve: async (_root, args, context) =>
      unwrap(
        await submitFacts(
          context.ledger,
          actorOf(context),
          args.items.map((item) => ({ statement: item.statement, signature: item.signature ?? null })),
        ),
      ),
  }),
);
