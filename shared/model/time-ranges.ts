/** Time ranges relative to now that every view offers, in ms. */
export const RANGES = { '15m': 15 * 60_000, '1h': 3600_000, '6h': 6 * 3600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type RangeKey = keyof typeof RANGES;
