/** Services in one trace never share a colour; each keeps its own where it can. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceColor, servicePalette } from '../../renderer/src/waterfall/service-color.js';

test('a palette gives every service of a set its own colour, stable and preferring its usual one', () => {
  // Many names collide in a ten-colour palette; find a colliding pair first.
  const names = Array.from({ length: 60 }, (_, i) => `svc-${i}`);
  const a = names[0]!;
  const b = names.find((n) => n !== a && serviceColor(n) === serviceColor(a))!;
  assert.ok(b, 'two names with the same preferred colour');
  const p = servicePalette([b, a, a]);
  assert.equal(p.size, 2);
  assert.notEqual(p.get(a), p.get(b), 'distinct within the set');
  assert.deepEqual(servicePalette([a, b]), p, 'the same whatever the order');
  assert.ok([p.get(a), p.get(b)].includes(serviceColor(a)), 'one of them keeps the usual colour');
  const many = servicePalette(names.slice(0, 25));
  assert.equal(new Set(many.values()).size, 25, 'beyond the palette, still distinct');
});
