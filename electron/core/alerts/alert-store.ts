/** Alert rules, their current state and the history, in the store. */
import type { AlertEvent, AlertRule, AlertState, AlertStatus } from '../../../shared/model/alerts.js';
import type { Db } from '../store/db.js';

export function readAlertStatuses(db: Db): AlertStatus[] {
  const rows = db.prepare('SELECT rule, state, since_ms, value, evaluated_at_ms FROM alert_rules ORDER BY id').all() as {
    rule: string;
    state: AlertState;
    since_ms: number | null;
    value: number | null;
    evaluated_at_ms: number | null;
  }[];
  return rows.map((r) => ({ rule: JSON.parse(r.rule) as AlertRule, state: r.state, sinceMs: r.since_ms, value: r.value, evaluatedAtMs: r.evaluated_at_ms }));
}

export function readAlertHistory(db: Db, limit = 200): AlertEvent[] {
  return (
    db.prepare('SELECT rule_name, state, value, threshold, at_ms, message FROM alert_events ORDER BY id DESC LIMIT ?').all(limit) as {
      rule_name: string;
      state: AlertEvent['state'];
      value: number | null;
      threshold: number;
      at_ms: number;
      message: string;
    }[]
  ).map((r) => ({ rule: r.rule_name, state: r.state, value: r.value, threshold: r.threshold, atMs: r.at_ms, message: r.message }));
}

/** Replaces all rules; a rule whose definition did not change keeps its state. */
export function replaceAlertRules(db: Db, rules: AlertRule[]): void {
  db.transaction(() => {
    const old = new Map(readAlertStatuses(db).map((s) => [s.rule.name, s]));
    db.prepare('DELETE FROM alert_rules').run();
    const insert = db.prepare('INSERT INTO alert_rules(name, rule, state, since_ms, value, evaluated_at_ms) VALUES (?, ?, ?, ?, ?, ?)');
    for (const rule of rules) {
      const prev = old.get(rule.name);
      const same = prev && JSON.stringify(prev.rule) === JSON.stringify(rule);
      insert.run(
        rule.name,
        JSON.stringify(rule),
        same ? prev.state : 'inactive',
        same ? prev.sinceMs : null,
        same ? prev.value : null,
        same ? prev.evaluatedAtMs : null,
      );
    }
  }).immediate();
}

export function recordEvaluation(
  db: Db,
  updates: { name: string; state: AlertState; sinceMs: number | null; value: number | null }[],
  events: AlertEvent[],
  nowMs: number,
): void {
  db.transaction(() => {
    const update = db.prepare('UPDATE alert_rules SET state = ?, since_ms = ?, value = ?, evaluated_at_ms = ? WHERE name = ?');
    for (const u of updates) update.run(u.state, u.sinceMs, u.value, nowMs, u.name);
    const insert = db.prepare('INSERT INTO alert_events(rule_name, state, value, threshold, at_ms, message) VALUES (?, ?, ?, ?, ?, ?)');
    for (const e of events) insert.run(e.rule, e.state, e.value, e.threshold, e.atMs, e.message);
  }).immediate();
}
