/**
 * The big screen in the browser: polls `/api/metrics` (every `?refresh=MS`, default 2000) and
 * redraws the figures, the table and the five ECharts charts (SVG, so their labels are text).
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { TopUsers } from '../../outputs.ts';
import type { ScreenSnapshot } from '../snapshot.ts';
import { brandOption, categoryOption, gender10Option, genderOption, minutesOption } from './charts.ts';
import { formatCount, formatDateTime, formatMoney } from './format.ts';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const refreshMs = Math.max(200, Number(new URLSearchParams(location.search).get('refresh') ?? 2000) || 2000);

function element(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el;
}

const charts = {
  category: echarts.init(element('chart-category'), undefined, { renderer: 'svg' }),
  minutes: echarts.init(element('chart-minutes'), undefined, { renderer: 'svg' }),
  brands: echarts.init(element('chart-brands'), undefined, { renderer: 'svg' }),
  gender: echarts.init(element('chart-gender'), undefined, { renderer: 'svg' }),
  gender10: echarts.init(element('chart-gender10'), undefined, { renderer: 'svg' }),
};
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

function setMoney(id: string, cents: number | undefined): void {
  const el = element(id);
  el.dataset.cents = cents === undefined ? '' : String(cents);
  el.textContent = cents === undefined ? '—' : formatMoney(cents);
}

function setCount(id: string, n: number | undefined): void {
  const el = element(id);
  el.dataset.value = n === undefined ? '' : String(n);
  el.textContent = n === undefined ? '—' : formatCount(n);
}

function renderUsers(top: TopUsers | null): void {
  const body = element('top-users').querySelector('tbody');
  if (body === null) return;
  body.replaceChildren(
    ...(top?.top ?? []).map((u, i) => {
      const row = document.createElement('tr');
      for (const [text, cls] of [[String(i + 1), ''], [u.user_name, ''], [formatMoney(u.amount_cents), 'num']] as const) {
        const cell = document.createElement('td');
        cell.textContent = text;
        if (cls) cell.className = cls;
        row.append(cell);
      }
      row.dataset.userId = String(u.user_id);
      return row;
    }),
  );
}

function render(s: ScreenSnapshot): void {
  const lastMinute = s.minute_sales[s.minute_sales.length - 1];
  setMoney('total-amount', s.totals?.amount_cents);
  setCount('total-quantity', s.totals?.quantity);
  setMoney('minute-amount', lastMinute?.amount_cents);
  setCount('minute-orders', lastMinute?.orders);
  const asOf = element('as-of');
  asOf.dataset.asOf = s.totals ? String(s.totals.as_of) : '';
  asOf.textContent = s.totals ? formatDateTime(s.totals.as_of) : '—';
  element('panel-minutes').dataset.minutes = String(s.minute_sales.length);
  charts.category.setOption(categoryOption(s.category_rank));
  charts.minutes.setOption(minutesOption(s.minute_sales));
  charts.brands.setOption(brandOption(s.brand_rank));
  charts.gender.setOption(genderOption(s.gender_share));
  charts.gender10.setOption(gender10Option(s.gender_10min));
  renderUsers(s.top_users);
  element('source').textContent = `数据源 Source: ${s.source}`;
}

function setStatus(live: boolean): void {
  const status = element('status');
  status.className = `status ${live ? 'live' : 'offline'}`;
  status.textContent = live ? '● 实时 Live' : '● 连接中断 Offline';
}

async function refresh(): Promise<void> {
  try {
    const res = await fetch('/api/metrics', { cache: 'no-store' });
    if (!res.ok) throw new Error(`GET /api/metrics: ${res.status}`);
    render((await res.json()) as ScreenSnapshot);
    setStatus(true);
  } catch {
    setStatus(false);
  }
  setTimeout(() => void refresh(), refreshMs);
}

void refresh();
