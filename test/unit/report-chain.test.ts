/**
 * The chain check on its own (report-chain.ts is pure): an intact chain passes; a copy of a
 * report, two reports following the same one (a fork), a chain whose first report was deleted,
 * and an empty chain each fail with a line that names what is wrong. The CLI cases (a gap in
 * the middle, a swap, the store's history) are in test/integration/report-chain.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkChain, type ChainLink } from '../../electron/core/reports/report-chain.js';

const sha = (c: string): string => c.repeat(64);
const link = (name: string, hash: string, previous: string | null): ChainLink => ({
  name,
  sha256: sha(hash),
  previousSha256: previous === null ? null : sha(previous),
  problems: [],
});

test('an intact chain passes, each report following the one before it', () => {
  const r = checkChain([link('a.html', 'a', null), link('b.html', 'b', 'a'), link('c.pdf', 'c', 'b')]);
  assert.equal(r.ok, true);
  assert.deepEqual(
    r.reports.map((x) => x.detail),
    ['the first report of the chain', 'follows a.html', 'follows b.html'],
  );
  assert.equal(r.summary, 'a chain of 3 reports, each following the one before it');
});

test('a copy, a fork, a deleted first report and an empty chain are named', () => {
  const copy = checkChain([link('a.html', 'a', null), link('b.html', 'b', 'a'), link('b-copy.html', 'b', 'a')]);
  assert.equal(copy.ok, false);
  assert.deepEqual(
    copy.reports.map((x) => x.ok),
    [true, true, false],
  );
  assert.match(copy.reports[2]!.detail, /^duplicate: the same report \(same SHA-256\) as b\.html; duplicated link: it and b\.html both follow a\.html$/);

  const fork = checkChain([link('a.html', 'a', null), link('b.html', 'b', 'a'), link('b2.html', 'd', 'a')]);
  assert.equal(fork.reports[2]!.detail, 'duplicated link: it and b.html both follow a.html');

  const headless = checkChain([link('b.html', 'b', 'a'), link('c.html', 'c', 'b')]);
  assert.equal(
    headless.reports[0]!.detail,
    `a report is missing before it: it follows SHA-256 ${'a'.repeat(12)}…, which is not in the chain (the chain's first report follows none)`,
  );
  assert.equal(headless.reports[1]!.ok, true);

  const broken = checkChain([{ name: 'x.html', sha256: sha('x'), previousSha256: undefined, problems: ['seal: no Sightline seal in the file'] }]);
  assert.equal(broken.reports[0]!.detail, 'seal: no Sightline seal in the file; its seal cannot be read, so what it follows is unknown');

  const empty = checkChain([]);
  assert.equal(empty.ok, false);
  assert.equal(empty.summary, 'no reports to check');
});
