import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Admission } from '../../electron/core/ingest/admission.js';

const MiB = 1048576;

test('before the drain rate is known, a small initial allowance bounds the queue', () => {
  const a = new Admission({ maxQueuedBytes: 128 * MiB, maxWaitMs: 1000, initialBytes: 4 * MiB, now: () => 0 });
  assert.ok(a.admits(30 * MiB), 'an empty queue takes any one request');
  a.added(3 * MiB);
  assert.ok(a.admits(MiB));
  assert.ok(!a.admits(2 * MiB), 'past the initial allowance');
});

test('the queue admits what the measured drain rate commits within the wait target, never more than the cap', () => {
  let t = 0;
  const a = new Admission({ maxQueuedBytes: 64 * MiB, maxWaitMs: 1000, initialBytes: 64 * MiB, now: () => t });
  // The writer drains 10 MiB/s while busy.
  for (let i = 0; i < 20; i++) {
    a.added(MiB);
    a.added(MiB);
    t += 100;
    a.done(MiB);
  }
  assert.ok(Math.abs(a.limitBytes - 10 * MiB) < 0.5 * MiB, `limit ${a.limitBytes / MiB} MiB ≈ 1 s of 10 MiB/s`);
  assert.ok(!a.admits(a.limitBytes), 'a backlog of a second is full');
  assert.ok(a.retryAfterSeconds() >= 1);

  const fast = new Admission({ maxQueuedBytes: 8 * MiB, maxWaitMs: 1000, now: () => t });
  for (let i = 0; i < 20; i++) {
    fast.added(10 * MiB);
    t += 10;
    fast.done(10 * MiB);
  }
  assert.equal(fast.limitBytes, 8 * MiB, 'the byte cap still bounds memory');
});

test('an idle queue does not count as slow: idle time never lowers the measured rate', () => {
  let t = 0;
  const a = new Admission({ maxQueuedBytes: 1024 * MiB, maxWaitMs: 1000, now: () => t });
  for (let i = 0; i < 10; i++) {
    a.added(5 * MiB);
    t += 100; // busy: 50 MiB/s
    a.done(5 * MiB);
    t += 5_000; // then idle for a long time
  }
  assert.ok(a.limitBytes > 40 * MiB, `limit ${(a.limitBytes / MiB).toFixed(1)} MiB reflects 50 MiB/s`);
});
