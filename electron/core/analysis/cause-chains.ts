/**
 * From factors that rose in a drifted run to causes: mechanisms linked into chains, the root
 * ranked as the cause, coincidences named as such.
 *
 * A mechanism M (a fallback event, a timeout, the lite model being served) has a parent P
 * when most of M's hit requests are also P's (containment ≥ 0.8) and P sits deeper in the
 * causal order: an infrastructure measure (a latency, a GPU clock, a throttled flag) before
 * an infrastructure failure (error, timeout), before an event or another error, before the
 * version served. Among possible parents the one whose hits coincide best with M's wins
 * (Jaccard), then one whose name shares M's service or operation, then per-request evidence
 * over a host metric matched by time. Following parents gives the root: "embedding.lookup
 * duration > 95 ms → embedding.lookup error → event embedding.fallback → score".
 *
 * A root is credited with the largest share any step of its chain explains (the matched
 * counterfactual of that step): a latency that slowed every request of the incident cannot be
 * checked request by request, but the fallbacks it caused can. Roots are ranked by that share
 * in tiers of 0.05 (never by the third decimal), then per-request evidence over time-matched,
 * then deeper role, kind, anomaly and effect size. Factors that rose but whose hit and non-hit
 * requests drift alike are coincidences ("changed at the same time, explains nothing");
 * factors that cannot be checked per request are context.
 */
import type { Cause, ChainStep } from '../../../shared/model/analysis.js';
import type { FactorKind } from '../../../shared/model/factor-kinds.js';
import type { FactorEvidence, RunHits } from './factor-evidence.js';

export const MIN_EXPLAINED_SHARE = 0.2;
const MIN_CONTAINMENT = 0.8;
/** Roots of one kind whose hit requests coincide this much are one root. */
const EQUIVALENT_JACCARD = 0.9;
const INFRA: ReadonlySet<FactorKind> = new Set(['storage', 'gpu', 'network', 'queue']);
const KIND_WEIGHT: Record<FactorKind, number> = { storage: 1, gpu: 1, network: 1, queue: 1, error: 0.9, other: 0.8 };
export const VERSION_FACTOR_PREFIX = 'served version ';

/** Position in the causal order: lower is deeper (closer to the root). */
export function roleRank(e: FactorEvidence): number {
  const f = e.column;
  if (f.basis === 'host') return 9;
  if (f.factor.startsWith(VERSION_FACTOR_PREFIX)) return 5;
  if (f.factor.startsWith('event ')) return 4;
  const infra = INFRA.has(f.kind);
  if (f.unit === 'count' && / (error|timeout)$/.test(f.factor)) return infra ? 1 : 3;
  return infra ? 0 : 3;
}

/** The service or operation a factor name is about ("embedding" of "embedding.lookup duration"). */
function subject(factor: string): string {
  const name = factor.replace(/^(event|metric|served version) /, '');
  return name.split(/[ .]/)[0]!.toLowerCase();
}

function overlap(a: RunHits, b: RunHits): number {
  return a.overlap(b);
}

interface Node {
  e: FactorEvidence;
  rank: number;
  parent: Node | null;
  /** Checkable matched-counterfactual share of this factor itself (0 when not checkable). */
  ownShare: number;
}

function parentOf(m: Node, nodes: Node[]): Node | null {
  if (m.e.runHits.size === 0 || m.rank >= 9) return null;
  let best: { node: Node; key: number[] } | null = null;
  for (const p of nodes) {
    // Only evidence from the request's own trace can say that this request's fallback followed
    // that request's slow call; metric series matched by time corroborate (context), never link.
    if (p === m || p.rank >= m.rank || p.e.column.basis !== 'per-request') continue;
    const both = overlap(m.e.runHits, p.e.runHits);
    if (both / m.e.runHits.size < MIN_CONTAINMENT) continue;
    const jaccard = both / (m.e.runHits.size + p.e.runHits.size - both);
    const key = [Math.round(jaccard * 20), subject(p.e.column.factor) === subject(m.e.column.factor) ? 1 : 0, p.rank];
    if (!best || compareKeys(key, best.key) > 0) best = { node: p, key };
  }
  return best?.node ?? null;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function rootOf(n: Node): Node {
  let r = n;
  for (let guard = 0; r.parent && guard < 16; guard++) r = r.parent;
  return r;
}

function pathFrom(root: Node, to: Node): Node[] {
  const path: Node[] = [];
  for (let n: Node | null = to; n; n = n.parent) {
    path.unshift(n);
    if (n === root) break;
  }
  return path;
}

function step(n: Node): ChainStep {
  return { factor: n.e.column.factor, kind: n.e.column.kind, hitRule: n.e.rule.text, unit: n.e.column.unit };
}

export interface RankedCauses {
  causes: Cause[];
  context: Cause[];
  coincident: Cause[];
}

/** `significant`: factors that rose (effect size and adjusted p-value pass); `driftLabel`: the drifted signal. */
export function rankCauses(significant: FactorEvidence[], driftLabel: string): RankedCauses {
  const nodes: Node[] = significant.map((e) => ({
    e,
    rank: roleRank(e),
    parent: null,
    ownShare: e.cause.evidence.counterfactualCheckable && Number.isFinite(e.cause.explainedShare) ? e.cause.explainedShare : 0,
  }));
  for (const n of nodes) n.parent = parentOf(n, nodes);
  // Break cycles (cannot happen with strict ranks, but stay safe) and group by root.
  const groups = new Map<Node, Node[]>();
  for (const n of nodes) {
    const root = rootOf(n);
    groups.set(root, [...(groups.get(root) ?? []), n]);
  }
  const driftStep: ChainStep = { factor: driftLabel, kind: 'drift', hitRule: 'drifted', unit: '' };
  const roots: { cause: Cause; node: Node; share: number }[] = [];
  const mechanisms: Cause[] = [];
  const inChains = new Set<Node>();
  for (const [root, members] of groups) {
    const best = members.reduce((a, b) => (b.ownShare > a.ownShare ? b : a));
    if (best.ownShare < MIN_EXPLAINED_SHARE) continue;
    // The chain shown runs to the step closest to the drift among those carrying about as much
    // of it as the best one (a fallback and the lite model it served explain the same requests).
    const end = members.filter((n) => n.ownShare >= best.ownShare - 0.1).reduce((a, b) => (b.rank > a.rank ? b : a));
    const mainPath = pathFrom(root, end);
    for (const n of members) if (n.ownShare >= MIN_EXPLAINED_SHARE) for (const k of pathFrom(root, n)) inChains.add(k);
    const chain = [...mainPath.map(step), driftStep];
    roots.push({
      node: root,
      share: best.ownShare,
      cause: {
        ...root.e.cause,
        role: 'root',
        explainedShare: best.ownShare,
        chain,
        ...(root.ownShare < best.ownShare - 0.1 ? { explainedVia: best.e.column.factor } : {}),
      },
    });
    for (const n of members) {
      if (n === root || !inChains.has(n)) continue;
      mechanisms.push({ ...n.e.cause, role: 'mechanism', chain: [...pathFrom(root, n).map(step), driftStep] });
    }
  }
  const tier = (x: number): number => Math.round(x * 20);
  // Roots that hit the same requests (a throttled GPU's clock, temperature, utilisation and
  // slow inference) are one finding: the one with the longest chain speaks, the rest are named.
  roots.sort(
    (a, b) =>
      b.cause.chain.length - a.cause.chain.length ||
      basisOrder(a.cause) - basisOrder(b.cause) ||
      a.node.rank - b.node.rank ||
      b.cause.effectSize - a.cause.effectSize,
  );
  for (let i = 0; i < roots.length; i++) {
    const keep = roots[i]!;
    for (let j = roots.length - 1; j > i; j--) {
      const other = roots[j]!;
      const both = overlap(keep.node.e.runHits, other.node.e.runHits);
      const jaccard = both / (keep.node.e.runHits.size + other.node.e.runHits.size - both);
      if (other.cause.kind !== keep.cause.kind || jaccard < EQUIVALENT_JACCARD) continue;
      keep.cause = { ...keep.cause, equivalents: [...(keep.cause.equivalents ?? []), other.cause.factor] };
      keep.share = Math.max(keep.share, other.share);
      roots.splice(j, 1);
    }
  }
  // A host metric matched by time that rose with a per-request root, on the same requests,
  // corroborates it; it is no root of its own.
  for (let j = roots.length - 1; j >= 0; j--) {
    const t = roots[j]!;
    if (t.cause.basis !== 'time-matched') continue;
    const r = roots.find(
      (x) =>
        x.cause.basis === 'per-request' &&
        x.cause.kind === t.cause.kind &&
        overlap(x.node.e.runHits, t.node.e.runHits) >= 0.5 * Math.min(x.node.e.runHits.size, t.node.e.runHits.size),
    );
    if (!r) continue;
    r.cause = { ...r.cause, corroboratedBy: [...(r.cause.corroboratedBy ?? []), t.cause.factor] };
    roots.splice(j, 1);
  }
  roots.sort(
    (a, b) =>
      tier(b.share) - tier(a.share) ||
      basisOrder(a.cause) - basisOrder(b.cause) ||
      a.node.rank - b.node.rank ||
      KIND_WEIGHT[b.cause.kind] - KIND_WEIGHT[a.cause.kind] ||
      b.cause.evidence.anomalyScore - a.cause.evidence.anomalyScore ||
      b.cause.effectSize - a.cause.effectSize,
  );
  const causes = [...roots.map((r) => ({ ...r.cause, explainedShare: r.share })), ...mechanisms.sort((a, b) => b.explainedShare - a.explainedShare)];
  const rest = nodes.filter((n) => !inChains.has(n) && !roots.some((r) => r.node === n));
  // A host metric matched by time only ever corroborates or accompanies: context. Per-request
  // factors that could be checked and explain nothing are coincidences.
  const isCoincidence = (n: Node): boolean => n.e.cause.evidence.counterfactualCheckable && n.e.cause.basis === 'per-request';
  const context = rest.filter((n) => !isCoincidence(n)).map((n) => ({ ...n.e.cause, role: 'context' as const }));
  const coincident = rest.filter(isCoincidence).map((n) => ({ ...n.e.cause, role: 'coincident' as const }));
  const byEffect = (a: Cause, b: Cause): number => b.effectSize - a.effectSize;
  return { causes, context: context.sort(byEffect), coincident: coincident.sort(byEffect) };
}

function basisOrder(c: Cause): number {
  return c.basis === 'per-request' ? 0 : c.basis === 'time-matched' ? 1 : 2;
}
