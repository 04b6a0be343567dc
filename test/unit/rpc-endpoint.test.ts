/**
 * The typed request/response helper every thread and process boundary uses
 * (electron/core/util/rpc/), between this thread and a real worker thread: answers in both
 * directions on one port, errors that keep their name and kind, timeouts, a worker that exits
 * with calls pending, an answer that cannot be cloned, and an ArrayBuffer moved, not copied.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { RpcError } from '../../electron/core/util/rpc/rpc-error.js';
import { startRpcTestWorker } from '../helpers/rpc-test-worker.js';

const started: Worker[] = [];
function start(): ReturnType<typeof startRpcTestWorker> {
  const w = startRpcTestWorker();
  started.push(w.worker);
  return w;
}
after(() => Promise.all(started.map((w) => w.terminate())));

/** Matches an RpcError of this kind (and name, when given) whose message matches. */
function rpcError(kind: RpcError['kind'], message: RegExp, name?: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof RpcError, `an RpcError, not ${String(e)}`);
    assert.equal(e.kind, kind);
    assert.match(e.message, message);
    if (name) assert.equal(e.name, name);
    return true;
  };
}

test('a call is answered, and the worker can call back while its own call runs', async () => {
  const { endpoint } = start();
  assert.deepEqual(await endpoint.call('echo', { text: 'hello' }), { text: 'hello', fromWorker: true });
  assert.equal(await endpoint.call('askBack', { n: 20 }), 41, 'the worker asked this thread to double 20, then added 1');
  const many = await Promise.all(Array.from({ length: 50 }, (_, i) => endpoint.call('askBack', { n: i })));
  assert.deepEqual(
    many,
    Array.from({ length: 50 }, (_, i) => 2 * i + 1),
    'answers find their own calls',
  );
});

test('errors come back with their name, message and kind', async () => {
  const { endpoint } = start();
  await assert.rejects(endpoint.call('refuse', { why: 'no such model "ranker"' }), rpcError('user', /^no such model "ranker"$/, 'BadRequestError'));
  await assert.rejects(endpoint.call('crash', undefined), rpcError('internal', /something inside broke/, 'TypeError'));
  await assert.rejects(endpoint.call('unclonable', undefined), rpcError('internal', /the answer to unclonable could not be sent/));
  const callAnything = endpoint.call.bind(endpoint) as (method: string, request: unknown) => Promise<unknown>;
  await assert.rejects(callAnything('nothing', {}), rpcError('internal', /no method "nothing" is served here/));
  await assert.rejects(
    callAnything('toString', {}),
    rpcError('internal', /no method "toString" is served here/),
    'only methods served, not what every object has',
  );
  assert.deepEqual(await endpoint.call('echo', { text: 'still here' }), { text: 'still here', fromWorker: true });
});

test('a call without an answer in time is rejected as a timeout, and the channel goes on', async () => {
  const { endpoint } = start();
  const t0 = Date.now();
  await assert.rejects(endpoint.call('never', undefined, { timeoutMs: 150 }), rpcError('timeout', /never: no answer within 150 ms/));
  assert.ok(Date.now() - t0 >= 140, 'not before its time');
  assert.deepEqual(await endpoint.call('echo', { text: 'after' }), { text: 'after', fromWorker: true });
});

test('when the worker exits, every pending call is rejected, and later calls at once', async () => {
  const { endpoint } = start();
  await endpoint.call('echo', { text: 'up' });
  const waiting = [endpoint.call('never', undefined), endpoint.call('never', undefined)];
  const exiting = endpoint.call('exit', { code: 7 });
  for (const p of [...waiting, exiting]) await assert.rejects(p, rpcError('closed', /the worker thread stopped \(exit code 7\)/));
  await assert.rejects(endpoint.call('echo', { text: 'anyone?' }), rpcError('closed', /^the worker thread stopped \(exit code 7\)$/));
});

test('an ArrayBuffer in `transfer` is moved to the worker, not copied', async () => {
  const { endpoint } = start();
  const bytes = new Uint8Array(1 << 20).fill(3);
  const answer = await endpoint.call('sumBytes', { bytes: bytes.buffer }, { transfer: [bytes.buffer] });
  assert.deepEqual(answer, { byteLength: 1 << 20, sum: 3 << 20 });
  assert.equal(bytes.buffer.byteLength, 0, 'this thread gave the buffer away (detached)');
  const copy = new Uint8Array(16).fill(1);
  await endpoint.call('sumBytes', { bytes: copy.buffer });
  assert.equal(copy.buffer.byteLength, 16, 'without transfer it is copied');
});
