/** How the screen writes numbers: money in yuan from integer cents, counts with separators. */

/** Groups the digits of a non-negative integer string by thousands. */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer cents as yuan, exact: `123456789` → `¥1,234,567.89`. */
export function formatMoney(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  const yuan = Math.floor(abs / 100);
  const rest = abs - yuan * 100;
  return `${sign}¥${group(String(yuan))}.${String(rest).padStart(2, '0')}`;
}

/** Integer cents as a short axis label in yuan: `¥1.2万`, `¥3.4亿`, or `¥950`. */
export function formatMoneyShort(cents: number): string {
  const yuan = cents / 100;
  if (Math.abs(yuan) >= 1e8) return `¥${(yuan / 1e8).toFixed(1)}亿`;
  if (Math.abs(yuan) >= 1e4) return `¥${(yuan / 1e4).toFixed(1)}万`;
  return `¥${Math.round(yuan)}`;
}

/** A count with thousands separators: `12345` → `12,345`. */
export function formatCount(n: number): string {
  return `${n < 0 ? '-' : ''}${group(String(Math.abs(Math.trunc(n))))}`;
}

/** A share in [0, 1] as a percentage with two decimals: `0.1234` → `12.34%`. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}

/** Epoch milliseconds as `HH:MM` in the screen's time zone. */
export function formatMinute(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Epoch milliseconds as `YYYY-MM-DD HH:MM` in the screen's time zone. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${formatMinute(ms)}`;
}
