/**
 * The event explorer: the log's signed events, newest first, loaded a page of 100 at a time into a
 * virtualized list, filtered by kind, exported as shown; and one event in full: its statement field
 * by field, the canonical JSON that was signed, its hash, signature and key. Auditors and platform
 * administrators see every event; any other party sees the events it signed or is counterparty of
 * (the ledger decides: `events` answers each caller with what it may see).
 */
import './auditor.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { graphql, type ResultOf } from '../../api/graphql';
import { useQuery } from '../../api/use-query';
import { type Column, DataTable } from '../../components/data-table';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { href } from '../../router';
import { useSession } from '../../session/session';
import { statementFields } from '../../signing/statement-review';

const pageSize = 100;

export const eventsQuery = graphql(`
  query EventPage($last: Int!, $before: String) {
    events(last: $last, before: $before) {
      totalCount
      pageInfo { hasPreviousPage startCursor }
      edges {
        node {
          id
          kind
          actor { id legalName }
          counterparty { id legalName }
          occurredAt
          leafIndex
          keyId
          signature
          custodial
        }
      }
    }
  }
`);

const eventQuery = graphql(`
  query EventDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Event {
        id
        kind
        actor { id legalName }
        counterparty { id legalName }
        occurredAt
        recordedAt
        leafIndex
        keyId
        keyAuthorization
        signature
        eventHash
        custodial
        statement
      }
    }
  }
`);

type EventRow = ResultOf<typeof eventsQuery>['events']['edges'][number]['node'];

export function seesAllEvents(roles: readonly string[]): boolean {
  return roles.includes('AUDITOR') || roles.includes('PLATFORM_ADMIN');
}

export default function EventsPage({ path }: { path: string[] }) {
  const id = path[0];
  return id ? <EventDetail id={id} /> : <EventList />;
}

interface Loaded {
  rows: EventRow[];
  total: number;
  olderCursor: string | null;
  hasOlder: boolean;
}

function EventList() {
  const { t } = useTranslation('auditor');
  const { t: common } = useTranslation();
  const format = useFormat();
  const { party } = useSession();
  const all = seesAllEvents(party.roles);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(false);
  const [kind, setKind] = useState('');
  const latest = useRef(0);

  const loadPage = useCallback(async (before: string | null) => {
    const call = ++latest.current;
    setLoading(true);
    setError(null);
    try {
      const { events } = await request(eventsQuery, { last: pageSize, before });
      if (call !== latest.current) return;
      // A page comes oldest first; the list shows the newest first.
      const page = events.edges.map((edge) => edge.node).reverse();
      setLoaded((previous) => ({
        rows: before === null || previous === null ? page : [...previous.rows, ...page],
        total: events.totalCount,
        olderCursor: events.pageInfo.startCursor ?? null,
        hasOlder: events.pageInfo.hasPreviousPage,
      }));
    } catch (failure) {
      if (call === latest.current) setError(failure as Error);
    } finally {
      if (call === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void loadPage(null);
  }, [loadPage]);

  const rows = loaded?.rows ?? [];
  const kinds = useMemo(() => [...new Set(rows.map((row) => row.kind))].sort(), [rows]);
  const shown = useMemo(() => (kind ? rows.filter((row) => row.kind === kind) : rows), [rows, kind]);

  const columns: Column<EventRow>[] = [
    {
      id: 'leaf',
      header: t('events.leafIndex'),
      text: (row) => (row.leafIndex === null ? t('events.pending') : String(row.leafIndex)),
      width: '4.5rem',
      numeric: true,
    },
    {
      id: 'kind',
      header: t('events.kind'),
      text: (row) => row.kind,
      cell: (row) => (
        <a
          href={href('events', row.id)}
          aria-label={t('events.openEvent', { kind: row.kind, leaf: row.leafIndex ?? t('events.pending') })}
        >
          {row.kind}
        </a>
      ),
      width: 'minmax(11rem, 1fr)',
    },
    { id: 'actor', header: t('events.actor'), text: (row) => row.actor.legalName },
    {
      id: 'counterparty',
      header: t('events.counterparty'),
      text: (row) => row.counterparty?.legalName ?? '—',
    },
    {
      id: 'occurred',
      header: t('events.occurredAt'),
      text: (row) => format.dateTime(row.occurredAt),
      width: '13.5rem',
    },
    {
      id: 'key',
      header: t('events.keyId'),
      text: (row) => row.keyId,
      cell: (row) => <span className="hex">{row.keyId.slice(0, 8)}…</span>,
      width: '6.5rem',
    },
    {
      id: 'signature',
      header: t('events.signature'),
      text: (row) => row.signature,
      cell: (row) => <span className="hex">{row.signature.slice(0, 8)}…</span>,
      width: '6.5rem',
    },
    {
      id: 'custodial',
      header: t('events.custodial'),
      text: (row) => (row.custodial ? common('common.yes') : common('common.no')),
      width: '5.5rem',
    },
  ];

  return (
    <>
      <h1>{all ? t('events.title') : t('events.titleOwn')}</h1>
      <p className="help">{all ? t('events.intro') : t('events.introOwn')}</p>
      <div className="toolbar">
        <div>
          <label htmlFor="event-kind">{t('events.kind')}</label>
          <select id="event-kind" value={kind} onChange={(event) => setKind(event.target.value)}>
            <option value="">{t('events.allKinds')}</option>
            {kinds.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <span className="spacer" />
        <span className="help" aria-live="polite">
          {loaded ? t('events.loaded', { loaded: rows.length, total: loaded.total }) : ''}
          {loaded && kind && loaded.rows.length < loaded.total ? ` ${t('events.filterLoaded')}` : ''}
        </span>
        <button
          type="button"
          className="secondary"
          disabled={loading || !loaded?.hasOlder}
          onClick={() => void loadPage(loaded?.olderCursor ?? null)}
        >
          {t('events.loadMore')}
        </button>
      </div>
      {error && <PageState error={error} reload={() => void loadPage(loaded?.olderCursor ?? null)} />}
      <DataTable
        label={t('events.list')}
        rows={shown}
        columns={columns}
        rowKey={(row) => row.id}
        exportName={kind ? `events-${kind}` : 'events'}
        loading={loading && rows.length === 0}
        visibleRows={14}
      />
    </>
  );
}

function EventDetail({ id }: { id: string }) {
  const { t } = useTranslation('auditor');
  const { t: common } = useTranslation();
  const format = useFormat();
  const { data, error, reload } = useQuery(eventQuery, { id });
  const event = data?.node?.__typename === 'Event' ? data.node : null;
  return (
    <>
      <p>
        <a href={href('events')}>← {t('events.back')}</a>
      </p>
      {!data && <PageState error={error} reload={reload} />}
      {data && !event && (
        <p role="alert" className="error">
          {t('events.notFound')}
        </p>
      )}
      {event && (
        <>
          <h1>{t('events.detail', { kind: event.kind })}</h1>
          <section className="card" aria-labelledby="event-facts">
            <h2 id="event-facts" className="visually-hidden">
              {common('common.details')}
            </h2>
            <dl className="facts">
              <dt>{t('events.kind')}</dt>
              <dd>{event.kind}</dd>
              <dt>{t('events.leafIndex')}</dt>
              <dd>{event.leafIndex ?? t('events.pending')}</dd>
              <dt>{t('events.actor')}</dt>
              <dd>{event.actor.legalName}</dd>
              <dt>{t('events.counterparty')}</dt>
              <dd>{event.counterparty?.legalName ?? '—'}</dd>
              <dt>{t('events.occurredAt')}</dt>
              <dd>{format.dateTime(event.occurredAt)}</dd>
              <dt>{t('events.recordedAt')}</dt>
              <dd>{format.dateTime(event.recordedAt)}</dd>
              <dt>{t('events.eventHash')}</dt>
              <dd className="hex">{event.eventHash}</dd>
              <dt>{t('events.signature')}</dt>
              <dd className="hex" data-testid="event-signature">
                {event.signature}
              </dd>
              <dt>{t('events.keyId')}</dt>
              <dd className="hex" data-testid="event-key-id">
                {event.keyId}
              </dd>
              <dt>{t('events.keyAuthorization')}</dt>
              <dd>{t(`keyAuthorization.${event.keyAuthorization}`)}</dd>
              <dt>{t('events.custodial')}</dt>
              <dd>{event.custodial ? common('common.yes') : common('common.no')}</dd>
            </dl>
          </section>
          <section className="card" aria-labelledby="event-statement">
            <h2 id="event-statement">{t('events.statement')}</h2>
            <table className="plain">
              <thead>
                <tr>
                  <th scope="col">{common('signing.field')}</th>
                  <th scope="col">{common('signing.value')}</th>
                </tr>
              </thead>
              <tbody>
                {statementFields(event.statement).map(([field, value]) => (
                  <tr key={field}>
                    <td>{field}</td>
                    <td className="statement-value">{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <details>
              <summary>{t('events.raw')}</summary>
              <pre className="statement">{event.statement}</pre>
            </details>
          </section>
        </>
      )}
    </>
  );
}
