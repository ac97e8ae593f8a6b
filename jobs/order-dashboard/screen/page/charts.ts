/** The ECharts options of the screen's five charts, each from its part of the snapshot. */
import type { EChartsCoreOption } from 'echarts/core';
import type { BrandRank, CategoryRank, Gender10Min, GenderShare, MinuteSales } from '../../outputs.ts';
import { formatCount, formatMinute, formatMoney, formatMoneyShort, formatShare } from './format.ts';

const TEXT = '#d6e6ff';
const DIM = '#7f9cc8';
const GRID_LINE = 'rgba(29, 95, 168, 0.35)';
const CYAN = '#00d8ff';
const GOLD = '#ffc53d';
const MALE = '#3d8bff';
const FEMALE = '#ff5fa2';

const axisLabel = { color: DIM, fontSize: 12 };
const splitLine = { lineStyle: { color: GRID_LINE } };
const tooltip = { backgroundColor: 'rgba(5, 13, 31, 0.92)', borderColor: CYAN, textStyle: { color: TEXT } };

/** Horizontal ranking bars, the first entry on top. */
function rankingBars(names: string[], values: number[], color: string, label: (v: number) => string): EChartsCoreOption {
  return {
    animationDurationUpdate: 600,
    tooltip: { ...tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 90, top: 6, bottom: 6, containLabel: true },
    xAxis: { type: 'value', axisLabel: { show: false }, splitLine },
    yAxis: { type: 'category', inverse: true, data: names, axisLabel: { color: TEXT, fontSize: 13 }, axisLine: { lineStyle: { color: GRID_LINE } } },
    series: [
      {
        type: 'bar',
        data: values,
        barMaxWidth: 16,
        itemStyle: { color, borderRadius: [0, 8, 8, 0] },
        label: { show: true, position: 'right', color: TEXT, formatter: (p: { value: number }) => label(p.value) },
      },
    ],
  };
}

/** The category ranking of the last minute, by units. */
export function categoryOption(rank: CategoryRank | null): EChartsCoreOption {
  const entries = (rank?.ranking ?? []).slice(0, 10);
  return rankingBars(entries.map((e) => e.category), entries.map((e) => e.quantity), CYAN, (v) => `${formatCount(v)} 件`);
}

/** The top brands by cumulative sales. */
export function brandOption(rank: BrandRank | null): EChartsCoreOption {
  const entries = rank?.ranking ?? [];
  return rankingBars(entries.map((e) => e.brand), entries.map((e) => e.amount_cents), GOLD, formatMoneyShort);
}

/** The sales flow per minute: amount as an area line, orders as a thin line on its own axis. */
export function minutesOption(minutes: MinuteSales[]): EChartsCoreOption {
  return {
    animationDurationUpdate: 600,
    tooltip: { ...tooltip, trigger: 'axis' },
    legend: { data: ['销售额 Sales', '订单数 Orders'], textStyle: { color: TEXT }, top: 0, right: 10 },
    grid: { left: 10, right: 10, top: 34, bottom: 6, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: minutes.map((m) => formatMinute(m.window_start)), axisLabel, axisLine: { lineStyle: { color: GRID_LINE } } },
    yAxis: [
      { type: 'value', axisLabel: { ...axisLabel, formatter: formatMoneyShort }, splitLine },
      { type: 'value', axisLabel, splitLine: { show: false } },
    ],
    series: [
      {
        name: '销售额 Sales',
        type: 'line',
        smooth: true,
        showSymbol: minutes.length < 20,
        data: minutes.map((m) => m.amount_cents),
        lineStyle: { color: CYAN, width: 3 },
        itemStyle: { color: CYAN },
        areaStyle: { color: 'rgba(0, 216, 255, 0.18)' },
        tooltip: { valueFormatter: (v: number) => formatMoney(v) },
      },
      {
        name: '订单数 Orders',
        type: 'line',
        yAxisIndex: 1,
        smooth: true,
        showSymbol: false,
        data: minutes.map((m) => m.orders),
        lineStyle: { color: GOLD, width: 1.5, type: 'dashed' },
        itemStyle: { color: GOLD },
      },
    ],
  };
}

/** The share of cumulative sales per gender. */
export function genderOption(share: GenderShare | null): EChartsCoreOption {
  const parts = [
    { name: '男 Male', value: share?.M.amount_cents ?? 0, share: share?.M.share ?? 0, itemStyle: { color: MALE } },
    { name: '女 Female', value: share?.F.amount_cents ?? 0, share: share?.F.share ?? 0, itemStyle: { color: FEMALE } },
  ];
  return {
    animationDurationUpdate: 600,
    tooltip: { ...tooltip, trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}<br>${formatMoney(p.value)}` },
    legend: { bottom: 0, textStyle: { color: TEXT } },
    series: [
      {
        type: 'pie',
        radius: ['36%', '60%'],
        center: ['50%', '45%'],
        data: parts,
        label: { color: TEXT, fontSize: 13, overflow: 'none', formatter: (p: { name: string; data: { share: number } }) => `${p.name}\n${formatShare(p.data.share)}` },
        itemStyle: { borderColor: '#050d1f', borderWidth: 3 },
      },
    ],
  };
}

/** Units per gender per 10-minute window, side by side. */
export function gender10Option(windows: Gender10Min[]): EChartsCoreOption {
  return {
    animationDurationUpdate: 600,
    tooltip: { ...tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: ['男 Male', '女 Female'], textStyle: { color: TEXT }, top: 0, right: 10 },
    grid: { left: 10, right: 10, top: 34, bottom: 6, containLabel: true },
    xAxis: { type: 'category', data: windows.map((w) => `${formatMinute(w.window_start)}–${formatMinute(w.window_end)}`), axisLabel, axisLine: { lineStyle: { color: GRID_LINE } } },
    yAxis: { type: 'value', axisLabel, splitLine },
    series: [
      { name: '男 Male', type: 'bar', barMaxWidth: 22, data: windows.map((w) => w.M), itemStyle: { color: MALE, borderRadius: [4, 4, 0, 0] } },
      { name: '女 Female', type: 'bar', barMaxWidth: 22, data: windows.map((w) => w.F), itemStyle: { color: FEMALE, borderRadius: [4, 4, 0, 0] } },
    ],
  };
}
