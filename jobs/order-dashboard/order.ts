/** An order of the order-dashboard input, and the checks that make a line one. */

/** A valid order, as the job reads it (extra fields are kept but unused). */
export interface Order {
  order_id: string | number;
  ts: number;
  user_id: string | number;
  user_name: string;
  gender: 'M' | 'F';
  product_id: string | number;
  product_name: string;
  category: string;
  brand: string;
  price_cents: number;
  quantity: number;
}

/** Describes a value for an error message. */
function shown(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** Why an id field is invalid: ids are strings or safe integers. */
function invalidId(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  if (typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value))) return undefined;
  return `${field} must be a string or a safe integer, got ${shown(value)}`;
}

/** Why an integer field is invalid, with its lower bound. */
function invalidInteger(record: Record<string, unknown>, field: string, min?: number): string | undefined {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `${field} must be an integer, got ${shown(value)}`;
  if (min !== undefined && value < min) return `${field} must be >= ${min}, got ${value}`;
  return undefined;
}

/** Why a string field is invalid. */
function invalidString(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  return typeof value === 'string' ? undefined : `${field} must be a string, got ${shown(value)}`;
}

/**
 * Why a parsed line is not a valid order, or undefined when it is. Beyond the field types, the
 * contract's bounds (`price_cents >= 0`, `quantity >= 1`) apply, and the amount
 * `price_cents * quantity` must be a safe integer so that sums stay exact.
 */
export function invalidOrder(record: Record<string, unknown>): string | undefined {
  const error =
    invalidId(record, 'order_id') ??
    invalidInteger(record, 'ts') ??
    invalidId(record, 'user_id') ??
    invalidString(record, 'user_name') ??
    (record.gender === 'M' || record.gender === 'F' ? undefined : `gender must be "M" or "F", got ${shown(record.gender)}`) ??
    invalidId(record, 'product_id') ??
    invalidString(record, 'product_name') ??
    invalidString(record, 'category') ??
    invalidString(record, 'brand') ??
    invalidInteger(record, 'price_cents', 0) ??
    invalidInteger(record, 'quantity', 1);
  if (error !== undefined) return error;
  const amount = (record.price_cents as number) * (record.quantity as number);
  return Number.isSafeInteger(amount) ? undefined : `price_cents * quantity is not a safe integer (${amount})`;
}
