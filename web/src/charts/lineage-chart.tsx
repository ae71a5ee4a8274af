/**
 * LineageChart: the tree of a receivable, from the confirmed root (tier 0) on the left to every part
 * split off and passed on, each node with its holder, amount (face), status and tier; the requested
 * receivable highlighted (a larger diamond, bold label). Self-contained: it runs receivableLineage
 * itself and holds its own words (i18n namespace 'lineage'). Import it lazily, e.g.
 *   const LineageChart = lazy(() => import('../../charts/lineage-chart').then((m) => ({ default: m.LineageChart })));
 * so that ECharts stays out of the first page load.
 */
import { TreeChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import type { EChartsCoreOption } from 'echarts/core';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { graphql, type ResultOf } from '../api/graphql';
import { useQuery } from '../api/use-query';
import { PageState } from '../components/page-state';
import { formatAmount } from '../format/format';
import { EChart } from './echart';
import { buildLineageTree, countNodes, flatten, type LineageTreeNode } from './lineage-tree';

use([TreeChart, TooltipComponent, SVGRenderer]);

export const lineageQuery = graphql(`
  query LineageChart($id: UUID!) {
    receivableLineage(id: $id) {
      __typename
      ... on ReceivableLineage {
        ancestors { id parentId tier face outstanding currency status holder { id legalName } }
        receivable { id parentId tier face outstanding currency status holder { id legalName } }
        descendants { id parentId tier face outstanding currency status holder { id legalName } }
      }
      ... on DomainError { code message field }
    }
  }
`);

type Lineage = Extract<
  ResultOf<typeof lineageQuery>['receivableLineage'],
  { __typename: 'ReceivableLineage' }
>;
type Part = Lineage['receivable'];

const highlight = '#b3261e';
const normal = '#0b5cad';

export interface LineageChartProps {
  receivableId: string;
  /** Fixed height of the picture in pixels (default 440): the page does not jump when data arrives. */
  height?: number;
}

export function LineageChart({ receivableId, height = 440 }: LineageChartProps) {
  const { t, i18n } = useTranslation('lineage');
  const { t: tc } = useTranslation();
  const language = i18n.language;
  const answer = useQuery(lineageQuery, { id: receivableId });
  const value = answer.data?.receivableLineage;
  const lineage = value?.__typename === 'ReceivableLineage' ? value : null;

  const tree = useMemo(
    () =>
      lineage ? buildLineageTree<Part>(lineage.ancestors, lineage.receivable, lineage.descendants) : null,
    [lineage],
  );

  const describe = (part: Part) =>
    t('node', {
      holder: part.holder.legalName,
      amount: formatAmount(part.face, part.currency, language),
      status: tc(`status.${part.status}`),
      tier: part.tier,
    });

  const option = useMemo<EChartsCoreOption | null>(() => {
    if (!tree) return null;
    const toData = (node: LineageTreeNode<Part>): Record<string, unknown> => {
      const part = node.part;
      const amount = formatAmount(part.face, part.currency, language);
      const status = tc(`status.${part.status}`);
      const tier = t('tier', { tier: part.tier });
      return {
        name: part.holder.legalName,
        value: part.face,
        tip: [part.holder.legalName, `${amount} · ${status} · ${tier}`, node.requested ? t('requested') : '']
          .filter(Boolean)
          .map((line) => line.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`))
          .join('<br>'),
        symbol: node.requested ? 'diamond' : 'circle',
        symbolSize: node.requested ? 22 : 12,
        itemStyle: node.requested
          ? { color: highlight, borderColor: '#1d2430', borderWidth: 2 }
          : { color: normal, borderColor: normal },
        label: {
          formatter: `${part.holder.legalName}\n${amount} · ${status} · ${tier}`,
          fontWeight: node.requested ? 'bold' : 'normal',
          color: node.requested ? highlight : '#1d2430',
        },
        children: node.children.map(toData),
      };
    };
    return {
      animation: false,
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (params: { data?: { tip?: string } }) => params.data?.tip ?? '',
      },
      series: [
        {
          type: 'tree',
          data: [toData(tree)],
          orient: 'LR',
          layout: 'orthogonal',
          left: 40,
          right: 300,
          top: 30,
          bottom: 30,
          initialTreeDepth: -1,
          expandAndCollapse: false,
          roam: false,
          edgeShape: 'polyline',
          lineStyle: { color: '#8a94a6', width: 1.5 },
          label: {
            position: 'top',
            verticalAlign: 'bottom',
            align: 'left',
            fontSize: 12,
            lineHeight: 16,
            distance: 8,
            width: 280,
            overflow: 'truncate',
          },
          leaves: { label: { position: 'right', verticalAlign: 'middle', align: 'left' } },
        },
      ],
    };
  }, [tree, language, t, tc]);

  if (answer.error) {
    return (
      <div style={{ minHeight: height }}>
        <PageState error={answer.error} reload={answer.reload} />
      </div>
    );
  }
  if (value?.__typename === 'DomainError') {
    return (
      <div style={{ minHeight: height }}>
        <p className="error" role="alert">
          {value.message}
        </p>
      </div>
    );
  }
  if (!tree || !option || !lineage) {
    return (
      <div style={{ minHeight: height }} aria-busy="true">
        <PageState error={null} />
      </div>
    );
  }
  const label = t('label', { holder: lineage.receivable.holder.legalName, count: countNodes(tree) });
  return (
    <div className="lineage-chart">
      <EChart option={option} height={height} label={label} testId="lineage-chart" />
      <ul className="chart-legend-inline">
        <li>
          <span className="swatch diamond" aria-hidden="true" style={{ background: highlight }} />
          {t('legendRequested')}
        </li>
        <li>
          <span className="swatch" aria-hidden="true" style={{ background: normal }} />
          {t('legendOther')}
        </li>
      </ul>
      <details className="chart-summary">
        <summary>{t('summaryHeading')}</summary>
        <p>{label}</p>
        <ul data-testid="lineage-summary">
          {flatten(tree).map(({ node, level }) => (
            <li key={node.part.id} style={{ marginLeft: `${level * 1.2}rem` }}>
              {node.requested ? (
                <strong>{`${describe(node.part)} (${t('requested')})`}</strong>
              ) : (
                describe(node.part)
              )}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

export default LineageChart;
