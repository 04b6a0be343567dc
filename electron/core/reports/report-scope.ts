import type { ReportScope } from '../../../shared/model/report.js';

const NS_PER_MS = 1_000_000n;

/** The time range of a report's scope in ns, [from, to); open ends reach the whole store. */
export function scopeRangeNs(scope: ReportScope): [bigint, bigint] {
  return [
    scope.fromMs !== null ? BigInt(Math.floor(scope.fromMs)) * NS_PER_MS : -(2n ** 62n),
    scope.toMs !== null ? BigInt(Math.ceil(scope.toMs)) * NS_PER_MS : 2n ** 62n,
  ];
}
