/**
 * Where a trace becomes huge: up to this many spans it goes to the waterfall whole, with every
 * detail (trace-pages.ts); above it as outlines in pages, whose sorted outline a running core
 * keeps in the store (stored-outlines.ts). Migration 9's partial index traces_huge holds the
 * traces above it: changing the number needs a migration that makes that index again.
 */
export const FULL_DETAIL_MAX_SPANS = 5000;
