/** The redactor on stored-JSON text: what it replaces (IP addresses by their pseudonyms), what it keeps exactly, and its counts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { luhnValid, Redactor } from '../../electron/core/redaction/redactor.js';
import { hintInString } from '../../electron/core/redaction/stored-json-scan.js';
import { DEFAULT_REDACTION_RULES, type RedactionRule } from '../../shared/model/redaction.js';

const SECRET = Buffer.alloc(32, 7);
const ip = (address: string): string => 'ip:' + crypto.createHmac('sha256', SECRET).update(address).digest('hex').slice(0, 12);

test('key rules replace whole values, value rules replace matches, everything else is byte-identical', () => {
  const r = new Redactor(DEFAULT_REDACTION_RULES, () => SECRET);
  const text =
    '{"db.password":"hunter2","user.email":"Alice <alice.smith@example.co.uk>","count":5,"ratio":5.0,"big":9007199254740993,"nested":{"http.request.header.authorization":["Bearer abc.def"],"note":"call 10.1.2.3"},"card":"4111 1111 1111 1111","notcard":"1234 5678 9012 3456"}';
  const out = r.redactJson(text)!;
  assert.equal(
    out,
    `{"db.password":"[REDACTED]","user.email":"Alice <[REDACTED:e-mail addresses]>","count":5,"ratio":5.0,"big":9007199254740993,"nested":{"http.request.header.authorization":"[REDACTED]","note":"call ${ip('10.1.2.3')}"},"card":"[REDACTED:card numbers]","notcard":"1234 5678 9012 3456"}`,
  );
  assert.deepEqual(Object.fromEntries(r.take()), {
    'password keys': 1,
    'e-mail addresses': 1,
    'authorization headers': 1,
    'IPv4 addresses': 1,
    'card numbers': 1,
  });
  const clean = '{"model":"ranker","score":0.5}';
  assert.equal(r.redactJson(clean), clean, 'nothing to redact: the same string comes back');
  assert.equal(r.take().size, 0);
  assert.equal(r.redactString('token: Bearer eyJhbGciOi.J9x-y_z=='), 'token: [REDACTED:bearer tokens]');
});

test('numbers never look like secrets: only matches inside strings send stored JSON through the value rules', () => {
  const digits = /\d{13}/g; // the shape of the card-number prefilter
  assert.equal(hintInString('{"ratio":37.48239482347123,"big":9007199254740993,"t":[1733000000000000000]}', digits), false);
  assert.equal(hintInString('{"ratio":0.1234567890123456,"id":"4111111111111111"}', digits), true, 'a value after numbers');
  assert.equal(hintInString('{"4111111111111111":1}', digits), true, 'a key is a string too');
  assert.equal(hintInString('{"q":"say \\"4111111111111111\\" twice"}', digits), true, 'between escaped quotes, still inside the string');
  assert.equal(hintInString('{"q":"a \\" b","n":4111111111111111}', digits), false, 'an escaped quote does not end the string: the number after it is outside');
  assert.equal(hintInString('"4111111111111111"', digits), true, 'a bare string (a log body)');
  const r = new Redactor(DEFAULT_REDACTION_RULES, () => SECRET);
  const numbers = '{"ratio":37.48239482347123,"big":9007199254740993,"rate":1.2345678901234567e-7}';
  assert.equal(r.redactJson(numbers), numbers);
  const mixed = '{"ratio":37.48239482347123,"card":"4111 1111 1111 1111","note":"x"}';
  assert.equal(r.redactJson(mixed), '{"ratio":37.48239482347123,"card":"[REDACTED:card numbers]","note":"x"}');
  assert.deepEqual(Object.fromEntries(r.take()), { 'card numbers': 1 });
});

test('Luhn check for card numbers; a custom pattern that breaks the JSON drops the value instead', () => {
  assert.equal(luhnValid('4111 1111 1111 1111'), true);
  assert.equal(luhnValid('4111 1111 1111 1112'), false);
  const greedy = new Redactor([{ name: 'greedy', kind: 'value', pattern: 'x.*' }]);
  assert.equal(greedy.redactJson('{"a":"x1","b":"y"}'), '{"a":"[REDACTED:greedy]","b":"y"}', 'patterns work inside one string, never across');
  const bad = new Redactor([{ name: 'backslash-y', kind: 'value', pattern: String.raw`\\y` }]);
  const valid = String.raw`{"a":"x\\y"}`; // the string x\y: an escaped backslash, then y
  assert.equal(JSON.parse(valid).a, String.raw`x\y`);
  assert.equal(bad.redactJson(valid), '{}', 'the match split an escape, leaving invalid JSON: nothing is kept');
  assert.deepEqual(Object.fromEntries(bad.take()), { 'backslash-y': 1, 'unreadable after redaction (value dropped)': 1 });
  const custom = new Redactor([{ name: 'patient ids', kind: 'value', pattern: 'patient-\\d+' }]);
  assert.equal(custom.redactJson('{"who":"patient-0042 in ward 3"}'), '{"who":"[REDACTED:patient ids] in ward 3"}');
});

test('the text test that skips key rules never skips a key they match: any case, Unicode folds, escapes, nesting', () => {
  // The reference adds a glob with no literal run (300 ? marks, matching no key here), which
  // turns the text test off: both redactors must write exactly the same text.
  const fast = new Redactor(DEFAULT_REDACTION_RULES, () => SECRET);
  const reference = new Redactor([...DEFAULT_REDACTION_RULES, { name: 'no literal', kind: 'key', pattern: '?'.repeat(300) }], () => SECRET);
  const keys = [
    'PASSWORD',
    'db.Passwd',
    'pa\u017Fsword',
    'x-api-key',
    'APIKEY',
    'Cookie',
    'coo\u212Aie',
    'access_token',
    'user.id',
    'userid',
    'User_ID',
    'op.attr_1',
    'http.route',
    'secretive',
    'my"secret',
    'tab\tsecret',
  ];
  let seed = 5;
  const r = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  let redacted = 0;
  for (let i = 0; i < 2000; i++) {
    const o: Record<string, unknown> = {};
    for (let k = Math.floor(r() * 4); k > 0; k--) {
      const key = keys[Math.floor(r() * keys.length)]!;
      o[key] = r() < 0.3 ? { [keys[Math.floor(r() * keys.length)]!]: 'inner' } : r() < 0.5 ? 42 : 'v' + i;
    }
    let text = JSON.stringify(o);
    if (i % 5 === 0) text = text.replace(/s/g, '\\u0073'); // the same keys spelt with escapes
    const out = fast.redactJson(text);
    assert.equal(out, reference.redactJson(text), text);
    if (out !== text) redacted++;
  }
  assert.ok(redacted > 500, `only ${redacted} texts had something to redact`);
});

test('two value rules under one name, beside a custom rule: each is applied to the strings it matches', () => {
  // Older stores may hold rules sharing a name; the strings each rule's prefilter picks must not
  // be remembered under the name (a card number once went through unredacted after an e-mail text).
  const builtIn = (name: string): RedactionRule => DEFAULT_REDACTION_RULES.find((r) => r.name === name)!;
  const r = new Redactor(
    [
      { ...builtIn('e-mail addresses'), name: 'pii' },
      { ...builtIn('card numbers'), name: 'pii' },
      { name: 'custom', kind: 'value', pattern: 'zzz-\\d+' },
    ],
    () => SECRET,
  );
  assert.equal(r.redactJson('{"a":"write to alice@example.com"}'), '{"a":"write to [REDACTED:pii]"}');
  assert.equal(r.redactJson('{"a":"4111 1111 1111 1111"}'), '{"a":"[REDACTED:pii]"}');
  assert.equal(r.redactJson('{"a":"ticket zzz-42"}'), '{"a":"ticket [REDACTED:custom]"}');
});

test('prompt, completion, message, retrieved and embedded text are redacted by default; what measures the model is kept', () => {
  const r = new Redactor(DEFAULT_REDACTION_RULES, () => SECRET);
  const content = {
    'gen_ai.prompt': 'my card is due',
    'gen_ai.prompt.0.content': 'hello',
    'gen_ai.completion.0.content': 'hi there',
    'gen_ai.completion': '[{"role":"assistant","content":"hi"}]',
    'gen_ai.completion.0.tool_calls.0.arguments': '{"account":"4481"}',
    'gen_ai.completion.0.reasoning_content': 'the user wants…',
    'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"secret plan"}]}]',
    'gen_ai.output.messages': '[{"role":"assistant"}]',
    'gen_ai.system_instructions': 'You are terse.',
    'gen_ai.system.message': 'You are terse.',
    'gen_ai.tool.call.arguments': '{"city":"Paris"}',
    'gen_ai.tool.call.result': '{"temp":21}',
    'llm.input_messages.0.message.content': 'hello',
    'llm.output_messages.0.message.content': 'hi',
    'llm.prompts': 'hello',
    'input.value': 'what is our refund policy?',
    'output.value': 'thirty days',
    'retrieval.documents.0.document.content': 'policy text',
    'embedding.embeddings.0.embedding.text': 'policy text',
  };
  const kept = {
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.response.model': 'gpt-4o-2024-08-06',
    'gen_ai.operation.name': 'chat',
    'gen_ai.usage.input_tokens': 812,
    'gen_ai.usage.output_tokens': 64,
    'gen_ai.response.finish_reasons': ['length'],
    'gen_ai.tool.call.id': 'call_1',
    'gen_ai.completion.0.finish_reason': 'length',
    'gen_ai.completion.0.role': 'assistant',
    'llm.model_name': 'gpt-4o',
    'llm.token_count.prompt': 812,
    'retrieval.documents.0.document.score': 0.82,
    'db.system': 'qdrant',
  };
  const out = JSON.parse(r.redactJson(JSON.stringify({ ...content, ...kept }))!) as Record<string, unknown>;
  for (const key of Object.keys(content)) assert.equal(out[key], '[REDACTED]', key);
  for (const [key, value] of Object.entries(kept)) assert.deepEqual(out[key], value, key);
});
