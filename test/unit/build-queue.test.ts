/**
 * The reader threads' queue (readers/build-queue.ts): one build at a time, in order; a build
 * nobody waits for gives way to the ones behind it, and runs when nothing is behind it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildQueue, BuildSuperseded } from '../../electron/core/readers/build-queue.js';

test('builds run one at a time in order; one nobody waits for gives way to those behind it', async () => {
  const queue = new BuildQueue();
  const ran: string[] = [];
  let release = (): void => {};
  const slow = new Promise<void>((resolve) => (release = resolve));
  const job = (name: string, wait?: Promise<void>) => async (): Promise<string> => {
    ran.push(`start ${name}`);
    await wait;
    ran.push(`end ${name}`);
    return name;
  };
  const a = queue.run(job('a', slow), () => true);
  const b = queue.run(job('b'), () => true); // a prefetch nobody waits for, with c behind it
  const c = queue.run(job('c'), () => false); // a page waits for this one
  const d = queue.run(job('d'), () => true); // a prefetch, last: nothing behind it
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(ran, ['start a'], 'one at a time');
  release();
  assert.equal(await a, 'a', 'the running build is never dropped');
  await assert.rejects(b, BuildSuperseded);
  assert.equal(await c, 'c');
  assert.equal(await d, 'd', 'nothing behind it: it runs');
  assert.deepEqual(ran, ['start a', 'end a', 'start c', 'end c', 'start d', 'end d']);
  await assert.rejects(
    queue.run(
      () => Promise.reject(new Error('disk')),
      () => false,
    ),
    /disk/,
  );
  assert.equal(await queue.run(job('e'), () => true), 'e', 'a failure does not stop the queue');
});
