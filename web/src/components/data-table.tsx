/**
 * A list as a virtualized grid: only the rows in view are in the DOM, so 10,000 rows scroll as fast
 * as 10. The body's height is fixed before data arrives, so the page does not jump on load. Export
 * writes what the grid shows: its columns, its (filtered) rows, each cell's text as displayed.
 * ARIA table roles on divs, not <table>: rows are absolutely positioned as the virtualizer places
 * them, which table layout does not allow (biome.json turns useSemanticElements off for this file,
 * and the rules that take table roles for widgets). The scrolling body takes focus (tabIndex 0) so
 * that a keyboard can scroll it.
 * A row is chosen with a button or link in one of its cells, never by a click on the row itself.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../format/format';
import { download, type Table, toCsv, toXlsx } from './export';

export interface Column<Row> {
  id: string;
  header: string;
  /** The cell's text as shown: the grid draws it unless `cell` draws something richer. */
  text: (row: Row) => string;
  cell?: (row: Row) => ReactNode;
  width?: string;
  numeric?: boolean;
  /** false for a column of actions (buttons), which exports leave out. */
  exported?: boolean;
}

export interface DataTableProps<Row> {
  label: string;
  rows: readonly Row[];
  columns: Column<Row>[];
  rowKey: (row: Row) => string;
  exportName?: string;
  selectedKey?: string | null;
  visibleRows?: number;
  loading?: boolean;
}

const rowHeight = 40;

export function tableOf<Row>(rows: readonly Row[], allColumns: Column<Row>[]): Table {
  const columns = allColumns.filter((column) => column.exported !== false);
  return {
    headers: columns.map((column) => column.header),
    rows: rows.map((row) => columns.map((column) => column.text(row))),
  };
}

export function DataTable<Row>(props: DataTableProps<Row>) {
  const { t, i18n } = useTranslation();
  const { rows, columns, rowKey, selectedKey } = props;
  const body = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => body.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  const template = columns.map((column) => column.width ?? 'minmax(0, 1fr)').join(' ');
  const height = (props.visibleRows ?? 12) * rowHeight;
  const exportName = props.exportName;
  return (
    <section aria-label={props.label}>
      <div className="toolbar">
        <span aria-live="polite">
          {props.loading
            ? t('state.loading')
            : t('table.rows', { count: rows.length, n: formatNumber(rows.length, i18n.language) })}
        </span>
        <span className="spacer" />
        {exportName && (
          <>
            <button
              type="button"
              className="secondary"
              disabled={rows.length === 0}
              onClick={() =>
                download(`${exportName}.csv`, toCsv(tableOf(rows, columns)), 'text/csv;charset=utf-8')
              }
            >
              {t('table.exportCsv')}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={rows.length === 0}
              onClick={async () =>
                download(
                  `${exportName}.xlsx`,
                  (await toXlsx(tableOf(rows, columns), exportName)) as BlobPart,
                  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                )
              }
            >
              {t('table.exportExcel')}
            </button>
          </>
        )}
      </div>
      <div className="grid-table" role="table" aria-label={props.label} aria-rowcount={rows.length + 1}>
        <div role="rowgroup">
          <div
            className="grid-row grid-head"
            role="row"
            aria-rowindex={1}
            style={{ gridTemplateColumns: template }}
          >
            {columns.map((column) => (
              <span key={column.id} role="columnheader" className={column.numeric ? 'num' : undefined}>
                {column.header}
              </span>
            ))}
          </div>
        </div>
        <div
          ref={body}
          className="grid-body"
          role="rowgroup"
          style={{ height }}
          tabIndex={0}
          aria-label={props.label}
        >
          {rows.length === 0 && !props.loading && (
            // A row of its own, so that an empty list is still a sound table to a screen reader.
            <div role="row" className="page-state" data-placeholder="">
              <span role="cell">{t('table.empty')}</span>
            </div>
          )}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index] as Row;
              const key = rowKey(row);
              return (
                <div
                  key={key}
                  role="row"
                  aria-rowindex={item.index + 2}
                  className={`grid-row${key === selectedKey ? ' selected' : ''}`}
                  style={{
                    gridTemplateColumns: template,
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: rowHeight,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  {columns.map((column) => (
                    <span key={column.id} role="cell" className={column.numeric ? 'num' : undefined}>
                      {column.cell ? column.cell(row) : column.text(row)}
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
