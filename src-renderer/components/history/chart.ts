// The consumption chart's data and its ECharts option, from accounts.history: bars per meter (stacked,
// patterned by the reading's source), or what was billed by norm for an account without meters; the
// expected consumption and the norm as lines. Pure: the component only draws what this returns.
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { formatCubicMetres } from '../../../src-shared/readings/format';
import type { AccountHistory, HistoryPoint } from '../../../src-shared/schemas/history';
import { DECALS, METER_COLOURS, sourceKey } from './patterns';
import type { HistoryWords } from './words';

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;
/** 'all' or a meter's id: what the chart shows */
export type Shown = 'all' | number;

/** Per month: the drawn consumption, expected and norm, in litres (what the chart's series carry, in m³). */
export interface ChartSeries {
  consumption: (number | null)[];
  expected: (number | null)[];
  norm: (number | null)[];
  billedByNorm: (number | null)[] | null;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function drawnMeters(history: AccountHistory, shown: Shown) {
  return shown === 'all' ? history.meters : history.meters.filter((m) => m.meterId === shown);
}

export function chartSeries(history: AccountHistory, shown: Shown): ChartSeries {
  const all = shown === 'all';
  const meter = drawnMeters(history, shown)[0];
  const activeMeters = Math.max(1, history.meters.filter((m) => m.removedOn === null).length);
  return {
    consumption: history.months.map((month, i) =>
      all ? month.consumptionLitres : (meter?.points[i]!.consumptionLitres ?? null),
    ),
    expected: history.months.map((month, i) =>
      all ? month.expectedLitres : (meter?.points[i]!.expectedLitres ?? null),
    ),
    norm: history.months.map((month) =>
      month.normLitres === null ? null : all ? month.normLitres : Math.round(month.normLitres / activeMeters),
    ),
    billedByNorm:
      history.meters.length === 0
        ? history.months.map((month) => (month.basis === 'norm' ? month.billedLitres : null))
        : null,
  };
}

/** The chart in one sentence, for a screen reader. */
export function chartAria(history: AccountHistory, s: ChartSeries, w: HistoryWords): string {
  const used = (s.billedByNorm ?? s.consumption).filter((v): v is number => v !== null);
  if (!used.length) return w.t('history.chart.ariaEmpty', { n: history.periods.length });
  const total = used.reduce((a, b) => a + b, 0);
  return w.t('history.chart.aria', {
    n: history.periods.length,
    total: formatCubicMetres(total),
    average: formatCubicMetres(Math.round(total / used.length)),
  });
}

function tooltip(history: AccountHistory, shown: Shown, s: ChartSeries, w: HistoryWords, index: number): string {
  const unit = w.t('history.unit');
  const month = history.months[index]!;
  const lines = [`<b>${escapeHtml(w.monthLabel(month.period))}</b>`];
  const meters = drawnMeters(history, shown);
  for (const meter of meters) {
    const p = meter.points[index]!;
    const source = p.litres === null ? w.t('history.chart.noReading') : w.sourceLabel(sourceKey(p));
    lines.push(
      `${escapeHtml(w.t('history.chart.meter', { serial: meter.serial }))} (${escapeHtml(w.placeOf(meter.place))}): ${w.m3(p.consumptionLitres)} ${unit} · ${escapeHtml(source)}`,
    );
  }
  const line = (key: string, litres: number | null) => `${escapeHtml(w.t(key))}: ${w.m3(litres)} ${unit}`;
  if (meters.length > 1) lines.push(line('history.chart.total', s.consumption[index]!));
  if (s.billedByNorm) lines.push(line('history.chart.billed', s.billedByNorm[index]!));
  lines.push(line('history.chart.expected', s.expected[index]!));
  lines.push(line('history.chart.norm', s.norm[index]!));
  return lines.join('<br>');
}

export function chartOption(
  history: AccountHistory,
  shown: Shown,
  w: HistoryWords,
  font: string,
): { option: ChartOption; series: ChartSeries; aria: string } {
  const s = chartSeries(history, shown);
  const aria = chartAria(history, s, w);
  const colourOf = (meterId: number) =>
    METER_COLOURS[history.meters.findIndex((m) => m.meterId === meterId) % METER_COLOURS.length]!;
  const toM3 = (litres: number | null) => (litres === null ? null : litres / 1000);
  const bars: BarSeriesOption[] = drawnMeters(history, shown).map((meter) => ({
    type: 'bar',
    name: `${w.t('history.chart.meter', { serial: meter.serial })} (${w.placeOf(meter.place)})`,
    stack: 'consumption',
    barMaxWidth: 26,
    itemStyle: { color: colourOf(meter.meterId) },
    data: meter.points.map((p: HistoryPoint) => {
      if (p.consumptionLitres === null) return null;
      const key = sourceKey(p);
      return {
        value: toM3(p.consumptionLitres),
        itemStyle: { color: colourOf(meter.meterId), opacity: key === 'pending' ? 0.45 : 1, decal: DECALS[key] },
      };
    }),
  }));
  if (s.billedByNorm)
    bars.push({
      type: 'bar',
      name: w.t('history.chart.billed'),
      barMaxWidth: 26,
      itemStyle: { color: '#9aa9bb' },
      data: s.billedByNorm.map(toM3),
    });
  // The expected consumption where there is one to draw (an account without meters has none), and the norm.
  const lines: LineSeriesOption[] = [
    ...(s.expected.some((v) => v !== null)
      ? [
          {
            type: 'line' as const,
            name: w.t('history.chart.expected'),
            data: s.expected.map(toM3),
            symbol: 'circle',
            symbolSize: 5,
            lineStyle: { type: 'dashed' as const, width: 2 },
            itemStyle: { color: '#d9822b' },
            z: 3,
          },
        ]
      : []),
    {
      type: 'line',
      name: w.t('history.chart.norm'),
      data: s.norm.map(toM3),
      step: 'middle',
      symbol: 'none',
      lineStyle: { type: 'dotted', width: 2 },
      itemStyle: { color: '#6b7785' },
      z: 3,
    },
  ];
  const option: ChartOption = {
    animation: false,
    aria: { enabled: true, label: { description: aria }, decal: { show: false } },
    // ECharts measures labels with this font: the page's own, so the legend's items do not overlap.
    textStyle: { fontFamily: font },
    grid: { left: 44, right: 12, top: 30, bottom: 34 },
    legend: { top: 0, left: 0, itemHeight: 10, itemWidth: 18, textStyle: { fontSize: 12 } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) =>
        tooltip(history, shown, s, w, (Array.isArray(params) ? params[0] : params)?.dataIndex ?? 0),
    },
    xAxis: {
      type: 'category',
      data: history.periods,
      axisTick: { alignWithLabel: true },
      axisLabel: {
        interval: 0,
        fontSize: 11,
        lineHeight: 13,
        formatter: (period: string, i: number) =>
          i === 0 || period.endsWith('-01') ? `${w.monthName(period)}\n${period.slice(0, 4)}` : w.monthName(period),
      },
    },
    yAxis: { type: 'value', axisLabel: { fontSize: 11 }, splitLine: { lineStyle: { color: '#eef1f5' } } },
    series: [...bars, ...lines],
  };
  return { option, series: s, aria };
}
