/**
 * The exposure picture: an ECharts graph with one column per depth (the party asked about, depth 0,
 * on the left), an edge for each link of the walk (the claims joining a party to one of the depth
 * before), its width by amount relative to the largest link.
 * After a stress test, nodes take the colour of their loss-share band and their label the share.
 */
import { GraphChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import type { EChartsCoreOption } from 'echarts/core';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useMemo, useState } from 'react';
import { EChart } from './echart';
import { bandColour, edgeWidth, type LossBand, largestAmount, layoutColumns } from './exposure-layout';

use([GraphChart, TooltipComponent, SVGRenderer]);

export interface ExposureNode {
  id: string;
  name: string;
  depth: number;
  claimOnPreviousDepth: string;
}

/** A link of the walk: the claims between a party of depth - 1 (nearer) and one of depth (farther). */
export interface ExposureEdge {
  depth: number;
  nearer: string;
  farther: string;
  claim: string;
}

export interface StressMark {
  band: LossBand;
  /** Loss share in percent, two decimals ("12.34"). */
  percent: string;
  loss: string;
}

export interface ExposureChartProps {
  root: { id: string; name: string };
  parties: readonly ExposureNode[];
  links: readonly ExposureEdge[];
  direction: 'UPSTREAM' | 'DOWNSTREAM';
  stress: ReadonlyMap<string, StressMark> | null;
  label: string;
  height: number;
  /** Texts, already translated and formatted (the chart module holds no words of its own). */
  text: {
    amount: (amount: string) => string;
    edge: (holder: string, obligor: string, amount: string) => string;
    loss: (mark: StressMark) => string;
  };
}

const accent = '#0b5cad';
const rootColour = '#1d2430';
const obligorColour = '#5b2c83';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function ExposureChart(props: ExposureChartProps) {
  const { root, parties, links, direction, stress, text, height } = props;
  const [width, setWidth] = useState(900);

  const option = useMemo<EChartsCoreOption>(() => {
    const marginLeft = 40;
    const marginRight = 280;
    const layout = layoutColumns(
      [
        { id: root.id, depth: 0, amount: '0' },
        ...parties.map((party) => ({ id: party.id, depth: party.depth, amount: party.claimOnPreviousDepth })),
      ],
      { width, height, marginLeft, marginRight, marginY: 34 },
    );
    const positions = new Map(layout.placed.map((placed) => [placed.id, placed]));
    const largest = largestAmount(links.map((link) => link.claim));
    const names = new Map(parties.map((party) => [party.id, party.name]));
    names.set(root.id, root.name);

    type NodeDatum = Record<string, unknown> & { name: string; tip: string };
    const nodes: NodeDatum[] = [];
    const edges: Record<string, unknown>[] = [];

    const rootPlace = positions.get(root.id);
    nodes.push({
      id: root.id,
      name: root.name,
      x: rootPlace?.x ?? marginLeft,
      y: rootPlace?.y ?? height / 2,
      symbol: stress ? 'diamond' : 'circle',
      symbolSize: 26,
      itemStyle: { color: stress ? obligorColour : rootColour },
      label: {
        show: true,
        position: 'bottom',
        align: 'left',
        formatter: root.name,
        fontWeight: 'bold',
        width: 260,
        overflow: 'truncate',
      },
      tip: escapeHtml(root.name),
    });

    for (const party of parties) {
      const place = positions.get(party.id);
      const mark = stress?.get(party.id);
      const amount = text.amount(party.claimOnPreviousDepth);
      const labelText = mark ? `${party.name}\n${amount} · ${mark.percent} %` : `${party.name}\n${amount}`;
      nodes.push({
        id: party.id,
        name: party.name,
        x: place?.x ?? 0,
        y: place?.y ?? 0,
        symbolSize: 18,
        itemStyle: {
          color: stress ? bandColour(mark?.band ?? 'none') : accent,
          borderColor: '#1d2430',
          borderWidth: stress ? 1 : 0,
        },
        label: { show: true, position: 'right', formatter: labelText, width: 260, overflow: 'truncate' },
        tip: [escapeHtml(party.name), escapeHtml(amount), mark ? escapeHtml(text.loss(mark)) : '']
          .filter(Boolean)
          .join('<br>'),
      });
    }

    for (const link of links) {
      const [holder, obligor] =
        direction === 'UPSTREAM' ? [link.farther, link.nearer] : [link.nearer, link.farther];
      edges.push({
        source: link.farther,
        target: link.nearer,
        lineStyle: { width: edgeWidth(link.claim, largest), color: accent, opacity: 0.45, curveness: 0 },
        tip: escapeHtml(
          text.edge(names.get(holder) ?? '', names.get(obligor) ?? '', text.amount(link.claim)),
        ),
      });
    }

    // Two invisible corner anchors: the graph's view then maps this pixel box one to one.
    for (const [id, x, y] of [
      ['anchor:top-left', 0, 0],
      ['anchor:bottom-right', width, height],
    ] as const) {
      nodes.push({ id, name: id, x, y, symbolSize: 0, silent: true, label: { show: false }, tip: '' });
    }

    return {
      animation: false,
      aria: { enabled: false },
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (params: { data?: { tip?: string } }) => params.data?.tip || '',
      },
      series: [
        {
          type: 'graph',
          layout: 'none',
          left: 0,
          top: 0,
          right: 0,
          bottom: 0,
          roam: false,
          data: nodes,
          links: edges,
          emphasis: { focus: 'adjacency', lineStyle: { opacity: 0.8 } },
          label: { color: '#1d2430', fontSize: 12, lineHeight: 16 },
          lineStyle: { color: accent },
        },
      ],
    };
  }, [root, parties, links, direction, stress, text, width, height]);

  return (
    <EChart
      option={option}
      height={height}
      label={props.label}
      testId="exposure-chart"
      onResize={(newWidth) => {
        if (newWidth > 0 && Math.abs(newWidth - width) > 4) setWidth(newWidth);
      }}
    />
  );
}
