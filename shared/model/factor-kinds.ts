/** The kinds of infrastructure factor a drift can be attributed to (issue #5's `kind`). */
export const FACTOR_KINDS = ['storage', 'gpu', 'network', 'queue', 'error', 'other'] as const;
export type FactorKind = (typeof FACTOR_KINDS)[number];
