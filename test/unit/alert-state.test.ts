/** The alert state machine, step by step, as Prometheus defines it (pending until `for` has passed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { step } from '../../electron/core/alerts/alert-engine.js';
import type { AlertRule } from '../../shared/model/alerts.js';

const rule: AlertRule = { name: 'r', kind: 'latency_p95', threshold: 100, forSeconds: 60, windowSeconds: 60 };

test('a breach is pending until it has held for the for-duration, then fires once', () => {
  let s = step({ rule, state: 'inactive', sinceMs: null }, 150, 1_000);
  assert.deepEqual(s, { state: 'pending', sinceMs: 1_000, event: 'pending' });
  s = step({ rule, ...s }, 150, 30_000);
  assert.deepEqual(s, { state: 'pending', sinceMs: 1_000 }, 'still pending, no new event');
  s = step({ rule, ...s }, 150, 61_000);
  assert.deepEqual(s, { state: 'firing', sinceMs: 61_000, event: 'firing' });
  s = step({ rule, ...s }, 150, 90_000);
  assert.deepEqual(s, { state: 'firing', sinceMs: 61_000 }, 'firing stays firing without repeating');
  s = step({ rule, ...s }, 50, 95_000);
  assert.deepEqual(s, { state: 'inactive', sinceMs: 95_000, event: 'resolved' });
});

test('a pending alert that recovers goes back quietly; no data is not a breach; for 0 fires at once', () => {
  const pending = step({ rule, state: 'inactive', sinceMs: null }, 150, 0);
  assert.deepEqual(step({ rule, state: pending.state, sinceMs: pending.sinceMs }, 90, 10_000), { state: 'inactive', sinceMs: 10_000 });
  assert.equal(step({ rule, state: 'firing', sinceMs: 0 }, null, 10_000).event, 'resolved');
  assert.equal(step({ rule: { ...rule, forSeconds: 0 }, state: 'inactive', sinceMs: null }, 101, 5).event, 'firing');
  assert.equal(step({ rule, state: 'inactive', sinceMs: null }, 100, 5).state, 'inactive', 'equal to the threshold is not above it');
});
