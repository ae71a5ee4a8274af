/**
 * The exposure picture: an ECharts graph with one column per depth (the party asked about, depth 0,
 * on the left), an edge from each party to what it is linked to on the previous depth, its width by
 * amount relative to the largest edge. Depth-1 parties link to the party asked about itself; a deeper
 * party's claim is summed by the ledger over the whole previous depth, so its edge goes to that
 * depth's junction (a bar under that depth's column), which dashed lines tie to its parties.
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

export interface StressMark {
  band: LossBand;
  /** Loss share in percent, two decimals ("12.34"). */
  percent: string;
  loss: string;
}

export interface ExposureChartProps {
  root: { id: string; name: string };
  parties: readonly ExposureNode[];
  direction: 'UPSTREAM' | 'DOWNSTREAM';
  stress: ReadonlyMap<string, StressMark> | null;
  label: string;
  height: number;
  /** Texts, already translated and formatted (the chart module holds no words of its own). */
  text: {
    amount: (amount: string) => string;
    edge: (holder: string, obligor: string, amount: string) => string;
    edgeDepth: (holder: string, depth: number, amount: string) => string;
    depthNode: (depth: number, count: number) => string;
    depthNodeHelp: string;
    loss: (mark: StressMark) => string;
  };
}

const accent = '#0b5cad';
const rootColour = '#1d2430';
const obligorColour = '#5b2c83';
const junctionColour = '#6b7688';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function ExposureChart(props: ExposureChartProps) {
  const { root, parties, direction, stress, text, height } = props;
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
    const largest = largestAmount(parties.map((party) => party.claimOnPreviousDepth));
    const countAt = new Map<number, number>();
    for (const party of parties) countAt.set(party.depth, (countAt.get(party.depth) ?? 0) + 1);
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

    // Junctions: one per depth d >= 1 that deeper parties have claims on.
    const junctionDepths = new Set(
      parties.filter((party) => party.depth >= 2).map((party) => party.depth - 1),
    );
    for (const depth of junctionDepths) {
      // Under its column, where no label runs: the column's parties drop dashed lines to it.
      const x = layout.columnX.get(depth) ?? 0;
      const id = `depth:${depth}`;
      nodes.push({
        id,
        name: text.depthNode(depth, countAt.get(depth) ?? 0),
        x,
        y: height - 8,
        symbol: 'rect',
        symbolSize: [56, 7],
        itemStyle: { color: junctionColour },
        label: { show: false },
        tip: `${escapeHtml(text.depthNode(depth, countAt.get(depth) ?? 0))}<br>${escapeHtml(text.depthNodeHelp)}`,
      });
      for (const party of parties.filter((candidate) => candidate.depth === depth)) {
        edges.push({
          source: party.id,
          target: id,
          lineStyle: { width: 1, type: 'dashed', color: junctionColour, opacity: 0.6 },
          silent: true,
          tip: '',
        });
      }
    }

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
      const linkedTo = party.depth === 1 ? root.id : `depth:${party.depth - 1}`;
      const tip =
        party.depth === 1
          ? direction === 'UPSTREAM'
            ? text.edge(party.name, root.name, amount)
            : text.edge(root.name, party.name, amount)
          : text.edgeDepth(party.name, party.depth - 1, amount);
      edges.push({
        source: party.id,
        target: linkedTo,
        lineStyle: {
          width: edgeWidth(party.claimOnPreviousDepth, largest),
          color: accent,
          opacity: 0.45,
          curveness: 0,
        },
        tip: escapeHtml(tip),
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
  }, [root, parties, direction, stress, text, width, height]);

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
