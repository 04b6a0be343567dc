/** Attribute filter syntax and the trace list's URL state. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAttributeFilters, parseAttributeFilters } from '../../shared/model/trace-search.js';
import { listStateUrl, readListState, searchRequest } from '../../renderer/src/traces/trace-search-url.js';

test('attribute filters: equals, not equals, numeric comparisons, exists; numbers in quotes stay strings', () => {
  assert.deepEqual(parseAttributeFilters('http.status_code>=500, tenant=acme, gpu.id?, region!=eu, code="42", p<0.5'), [
    { key: 'http.status_code', op: 'ge', value: 500 },
    { key: 'tenant', op: 'eq', value: 'acme' },
    { key: 'gpu.id', op: 'exists' },
    { key: 'region', op: 'ne', value: 'eu' },
    { key: 'code', op: 'eq', value: '42' },
    { key: 'p', op: 'lt', value: 0.5 },
  ]);
  assert.throws(() => parseAttributeFilters('latency>fast'), /needs a number/);
  assert.throws(() => parseAttributeFilters('just words'), /cannot read "just words"/);
  assert.equal(formatAttributeFilters(parseAttributeFilters('a>=5, b="7", c?')), 'a>=5, b="7", c?');
});

test('every part of the view survives the URL', () => {
  const url = '/?service=ranker&op=model.predict&attrs=tenant%3Dacme&dmin=500&err=1&q=timeout&sort=duration&dir=asc&dataset=3&from=1000&to=2000';
  const s = readListState(url.split('?')[1]!);
  assert.equal(listStateUrl(s), url);
  assert.deepEqual(searchRequest(s, 200), {
    datasetId: 3,
    limit: 200,
    service: 'ranker',
    operation: 'model.predict',
    attributes: [{ key: 'tenant', op: 'eq', value: 'acme' }],
    minDurationMs: 500,
    errorsOnly: true,
    fromMs: 1000,
    toMs: 2000,
    text: 'timeout',
  });
  const relative = readListState('range=15m');
  assert.equal(searchRequest(relative, 10, 1_000_000).fromMs, 1_000_000 - 15 * 60_000);
  assert.equal(listStateUrl(readListState('')), '/');
});
