// An ECharts chart (only the pieces the dashboard uses, SVG renderer) with its text alternatives: a summary
// as the figure's accessible name and the data as a table anyone can open.
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { type EChartsCoreOption, type EChartsType, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { TableWrap } from './table-wrap';

use([
  LineChart,
  BarChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  VisualMapComponent,
  SVGRenderer,
]);

/** Series colours with at least 3:1 contrast on white. */
export const PALETTE = ['#1f5fbf', '#c2590a', '#1a7336', '#b42318', '#6f42c1', '#4f5663', '#0e7490'];

/** The page's system font stack: ECharts measures text with it, so labels do not overlap. */
const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export interface ChartTable {
  columns: string[];
  rows: string[][];
}

interface ChartProps {
  option: EChartsCoreOption;
  /** One or two sentences: what the chart shows (its accessible name). */
  summary: string;
  table: ChartTable;
  height?: number;
  /** A name tests and styles can select (data-chart). */
  name: string;
}

export function Chart({ option, summary, table, height = 280, name }: ChartProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        color: PALETTE,
        aria: { enabled: false },
        textStyle: { fontFamily: CHART_FONT },
        ...option,
      },
      true,
    );
  }, [option]);

  return (
    <figure className="chart-figure" data-chart={name}>
      <div ref={ref} className="chart" style={{ height }} role="img" aria-label={summary} />
      <details>
        <summary>{t('chart.showTable')}</summary>
        <TableWrap label={summary}>
          <table>
            <caption>{summary}</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.join('\u0000')}>
                  {row.map((v, i) =>
                    i === 0 ? (
                      <th key={table.columns[i]} scope="row">
                        {v}
                      </th>
                    ) : (
                      <td key={table.columns[i]} className="num">
                        {v}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </figure>
  );
}
