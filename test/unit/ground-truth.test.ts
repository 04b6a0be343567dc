/** Quality metrics from a confusion table, checked by hand (as sklearn's macro average with zero_division=0). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { macroScores } from '../../electron/core/analysis/ground-truth.js';

test('macro precision, recall and F1', () => {
  // predicted → actual: (a,a) (b,a) (b,b) (b,b) (a,c)
  const confusion = new Map([
    [
      'a',
      new Map([
        ['a', 1],
        ['c', 1],
      ]),
    ],
    [
      'b',
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    ],
  ]);
  const s = macroScores(confusion)!;
  // a: P 1/2 R 1/2 F1 1/2; b: P 2/3 R 1 F1 4/5; c: P 0 R 0 F1 0 (never predicted)
  assert.ok(Math.abs(s.precision - (0.5 + 2 / 3) / 3) < 1e-12);
  assert.ok(Math.abs(s.recall - 1.5 / 3) < 1e-12);
  assert.ok(Math.abs(s.f1 - 1.3 / 3) < 1e-12);
  assert.equal(macroScores(new Map()), null);
});
