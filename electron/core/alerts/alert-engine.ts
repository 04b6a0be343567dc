/**
 * Evaluates the alert rules whenever new data was committed (at most once a second; drift
 * rules at most every 30 s, in a job worker), moves each rule through
 * inactive → pending → firing → resolved as Prometheus does, records every change in the
 * history and announces it as a live 'alert' event.
 */
import type { AlertEvent, AlertRule, AlertState, AlertStatus } from '../../../shared/model/alerts.js';
import type { AnalysisResult } from '../../../shared/model/analysis.js';
import type { Db } from '../store/db.js';
import { latestDataTimeMs, spanRuleValue } from './alert-values.js';
import { readAlertStatuses, recordEvaluation } from './alert-store.js';

const DRIFT_EVERY_MS = 30_000;

export class AlertEngine {
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private lastDriftRunMs = 0;
  private readonly driftValues = new Map<string, number | null>();
  private closed = false;

  constructor(
    private readonly reader: Db,
    private readonly withWriter: <T>(fn: (db: Db) => T) => T,
    /** Analyses the live dataset (the core runs it in a job worker), for drift rules. */
    private readonly analyzeLive: (model: string | undefined) => Promise<AnalysisResult>,
    private readonly announce: (event: AlertEvent) => void,
  ) {}

  /** Called on every commit; evaluation is coalesced to at most once a second. */
  poke(): void {
    if (this.closed) return;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.evaluate();
    }, 1000);
  }

  private current: Promise<void> | null = null;

  evaluate(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.current ?? Promise.resolve();
    }
    this.current = this.evaluateNow().catch((e: unknown) => {
      if (!this.closed) process.stderr.write(`sightline: alert evaluation failed: ${(e as Error).message}\n`);
    });
    return this.current;
  }

  private async evaluateNow(): Promise<void> {
    this.running = true;
    try {
      if (this.closed) return;
      const statuses = readAlertStatuses(this.reader);
      if (statuses.length === 0) return;
      const nowMs = latestDataTimeMs(this.reader);
      if (nowMs === null) return;
      await this.refreshDrift(statuses.map((s) => s.rule));
      const events: AlertEvent[] = [];
      const updates: { name: string; state: AlertState; sinceMs: number | null; value: number | null }[] = [];
      for (const status of statuses) {
        const rule = status.rule;
        const value = rule.kind === 'drift' ? (this.driftValues.get(rule.model ?? '') ?? null) : spanRuleValue(this.reader, rule, nowMs);
        const next = step(status, value, nowMs);
        updates.push({ name: rule.name, state: next.state, sinceMs: next.sinceMs, value });
        if (next.event)
          events.push({ rule: rule.name, state: next.event, value, threshold: rule.threshold, atMs: nowMs, message: describe(rule, next.event, value) });
      }
      if (this.closed) return;
      this.withWriter((db) => recordEvaluation(db, updates, events, nowMs));
      for (const e of events) this.announce(e);
    } finally {
      this.running = false;
      if (this.again && !this.closed) {
        this.again = false;
        this.poke();
      }
    }
  }

  private async refreshDrift(rules: AlertRule[]): Promise<void> {
    const models = [...new Set(rules.filter((r) => r.kind === 'drift').map((r) => r.model ?? ''))];
    if (models.length === 0 || Date.now() - this.lastDriftRunMs < DRIFT_EVERY_MS) return;
    this.lastDriftRunMs = Date.now();
    for (const model of models) {
      try {
        const result = await this.analyzeLive(model || undefined);
        const last = result.models.flatMap((m) => m.windows.slice(-1));
        const ratios = last.flatMap((w) => Object.values(w.driftRatio));
        this.driftValues.set(model, ratios.length ? Math.max(...ratios) : null);
      } catch {
        this.driftValues.set(model, null);
      }
    }
  }

  /** Stops scheduling and waits for an evaluation under way. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }
}

/** One step of the state machine; `event` is set when the change is worth a history entry. */
export function step(
  status: Pick<AlertStatus, 'state' | 'sinceMs' | 'rule'>,
  value: number | null,
  nowMs: number,
): { state: AlertState; sinceMs: number | null; event?: 'pending' | 'firing' | 'resolved' } {
  const breached = value !== null && value > status.rule.threshold;
  const forMs = status.rule.forSeconds * 1000;
  if (!breached) {
    if (status.state === 'firing') return { state: 'inactive', sinceMs: nowMs, event: 'resolved' };
    return { state: 'inactive', sinceMs: status.state === 'inactive' ? status.sinceMs : nowMs };
  }
  if (status.state === 'firing') return { state: 'firing', sinceMs: status.sinceMs };
  const since = status.state === 'pending' && status.sinceMs !== null ? status.sinceMs : nowMs;
  if (nowMs - since >= forMs) return { state: 'firing', sinceMs: nowMs, event: 'firing' };
  return status.state === 'pending' ? { state: 'pending', sinceMs: since } : { state: 'pending', sinceMs: since, event: 'pending' };
}

function describe(rule: AlertRule, event: 'pending' | 'firing' | 'resolved', value: number | null): string {
  const what =
    rule.kind === 'drift'
      ? `drift of ${rule.model ?? 'any model'}`
      : `${rule.kind.replace('_', ' ')} of ${rule.span ?? 'all spans'}${rule.service ? ` in ${rule.service}` : ''}`;
  const v = value === null ? 'no data' : rule.kind.startsWith('latency_p') ? `${value.toFixed(1)} ms` : value.toFixed(3);
  return `${rule.name}: ${what} is ${v} (threshold ${rule.threshold}) — ${event}`;
}
