/**
 * The cache of huge traces' outlines (trace-outline-cache.ts): one build per version of a trace,
 * shared by the pages that wait for it; a failed build is not kept; dropping after the last page
 * leaves a newer build alone; the total is bounded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceOutlineCache } from '../../electron/core/store/trace-outline-cache.js';
import type { TraceOutline } from '../../electron/core/store/trace-outline.js';

function counting(): { build: () => Promise<TraceOutline>; builds: () => number } {
  let n = 0;
  return { build: () => Promise.resolve({ count: ++n } as unknown as TraceOutline), builds: () => n };
}

test('one build per version of a trace; a new version builds anew; dropping an older build leaves the newer', async () => {
  const cache = new TraceOutlineCache();
  const b = counting();
  const first = cache.get(1, 200_000, b.build);
  assert.equal(cache.get(1, 200_000, b.build), first, 'asked for again, the same build');
  assert.equal(b.builds(), 1);
  const newer = cache.get(1, 200_001, b.build);
  assert.equal(b.builds(), 2, 'a span arrived: a new version');
  cache.drop(1, 200_000);
  assert.equal(cache.get(1, 200_001, b.build), newer, 'the last page of the old version does not drop the new one');
  cache.drop(1, 200_001);
  await cache.get(1, 200_001, b.build);
  assert.equal(b.builds(), 3);
});

test('a failed build is not kept; the oldest outlines go past the bound', async () => {
  const cache = new TraceOutlineCache(300_000);
  await assert.rejects(
    cache.get(1, 200_000, () => Promise.reject(new Error('disk I/O error'))),
    /disk/,
  );
  const b = counting();
  await cache.get(1, 200_000, b.build);
  assert.equal(b.builds(), 1, 'built again after the failure');
  await cache.get(2, 200_000, b.build);
  await cache.get(2, 200_000, b.build);
  assert.equal(b.builds(), 2);
  await cache.get(1, 200_000, b.build);
  assert.equal(b.builds(), 3, 'trace 1 went when trace 2 came (400,000 spans > 300,000)');
});

test('a build knows whether a page waits for it, until it settles', async () => {
  const cache = new TraceOutlineCache();
  let awaited = (): boolean => false;
  let finish = (): void => {};
  const build = (a: () => boolean): Promise<TraceOutline> => {
    awaited = a;
    return new Promise((resolve) => (finish = () => resolve({ count: 1 } as unknown as TraceOutline)));
  };
  void cache.get(7, 300_000, build);
  assert.equal(awaited(), false, 'asked for ahead of need by the first page');
  const page = cache.get(7, 300_000, build, true);
  assert.equal(awaited(), true, 'the second page waits for it');
  finish();
  await page;
  assert.equal(awaited(), false);
});

test('an outline put in (loaded whole from the store) replaces a build of it and is what later pages get', async () => {
  const cache = new TraceOutlineCache(300_000);
  const b = counting();
  void cache.get(1, 200_000, b.build);
  const loaded = { count: 'loaded' } as unknown as TraceOutline;
  cache.put(1, 200_000, loaded);
  assert.equal(await cache.get(1, 200_000, b.build), loaded);
  assert.equal(b.builds(), 1, 'no second build');
  cache.put(2, 200_000, loaded);
  await cache.get(1, 200_000, b.build);
  assert.equal(b.builds(), 2, 'past the bound, the older entry went');
});
