/** Counts read as en-US writes them (format.ts formatCount), without Intl for whole numbers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, plural } from '../../renderer/src/app/format.js';

test('counts have thousands separators as en-US writes them', () => {
  for (const n of [0, 7, 999, 1000, 9999, 200_000, 1_234_567, -1_234_567, -999, 2 ** 53 - 1, 12.5, 1234.5678, 1e21, NaN, Infinity]) {
    assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
  }
  assert.equal(plural(200_000, 'span'), '200,000 spans');
  assert.equal(plural(1, 'span'), '1 span');
});
