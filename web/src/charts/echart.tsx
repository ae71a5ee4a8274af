/**
 * One ECharts instance in a box of fixed height (the page does not jump when data arrives). The
 * caller registers what its chart needs with `use([...])` from 'echarts/core' before rendering; this
 * file is imported only by lazily loaded chart modules, so ECharts stays out of the first page load.
 * SVG renderer: labels are real text (crisp when zoomed, and readable by the browser tests).
 * The box is role="img" with a label; each chart also gives a text alternative beside it.
 */
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { init } from 'echarts/core';
import { useEffect, useRef } from 'react';

export interface EChartProps {
  option: EChartsCoreOption;
  height: number;
  label: string;
  /** Called with the box's width and height when they change (for layouts computed in pixels). */
  onResize?: (width: number, height: number) => void;
  testId?: string;
}

export function EChart({ option, height, label, onResize, testId }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const resized = useRef(onResize);
  resized.current = onResize;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => {
      instance.resize();
      resized.current?.(element.clientWidth, element.clientHeight);
    });
    observer.observe(element);
    resized.current?.(element.clientWidth, element.clientHeight);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={box}
      className="chart"
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ height, width: '100%' }}
    />
  );
}
