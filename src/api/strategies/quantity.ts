// Resource quantities ("500m", "1Gi", "2e3") parsed to numbers for comparisons in validation
// (requests ≤ limits, non-negative values) and by the scheduler, where it must be cheap. Exact
// decimal arithmetic is not needed for ordering; the typed decoder has already checked the grammar.

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export { QUANTITY_FORMAT_WRONG as QUANTITY_FORMAT_ERROR } from '../resource-quantity.js';

/** The value of a quantity (a JSON string or number), or undefined when it is not one. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][-+]?[0-9]+)?$/.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in binary) return base * (binary[suffix] ?? 1);
  if (suffix in decimal) return base * (decimal[suffix] ?? 1);
  return base * 10 ** Number(suffix.slice(1));
}

/** A quantity as it appears in messages (kube prints the canonical form; we print what was sent). */
export function quantityText(q: unknown): string {
  return typeof q === 'string' || typeof q === 'number' ? String(q) : JSON.stringify(q);
}
