import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeUtf8Visible, escapeTerminalText } from '../../../src/model/index.js';
import { xmlAttr } from '../../../src/output/xml-escape.js';

const CASES: [string, string, string][] = [
  ['plain text is returned as is', 'sshd: /usr/sbin/sshd -D', 'sshd: /usr/sbin/sshd -D'],
  ['OSC title and CSI clear (prctl PR_SET_NAME)', '\x1b]0;pw\x07\x1b[2J', '\\x1b]0;pw\\x07\\x1b[2J'],
  ['CR, LF, TAB and NUL', 'a\rb\nc\td\0', 'a\\x0db\\x0ac\\x09d\\x00'],
  ['DEL', 'x\x7fy', 'x\\x7fy'],
  ['C1 controls: CSI U+009B and NEL U+0085', '\u009b2J\u0085', '\\x9b2J\\x85'],
  ['bidi overrides and isolates (Trojan Source)', 'a\u202eb\u2066c\u2069\u200f', 'a\\u{202e}b\\u{2066}c\\u{2069}\\u{200f}'],
  ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u{2028}b\\u{2029}'],
  ['lone surrogates', 'a\ud800b\udc00', 'a\\u{d800}b\\u{dc00}'],
  ['printable Unicode and surrogate pairs stay', 'café 😀 日本 \u00a0', 'café 😀 日本 \u00a0'],
];

for (const [what, input, expected] of CASES) {
  test(`terminal escaper: ${what}`, () => assert.equal(escapeTerminalText(input), expected));
}

test('terminal escaper keeps LF only when a renderer asks for line breaks, never CR', () => {
  assert.equal(escapeTerminalText('a\nb\rc', { newlines: true }), 'a\nb\\x0dc');
});

test('every naughty input comes out without a control character', () => {
  const lines = readFileSync(new URL('../../../../test/fixtures/naughty-inputs.txt', import.meta.url), 'utf8').split('\n');
  for (const l of [...lines, lines.join('\n'), '\x1b[31m\u009b\u202e']) {
    assert.doesNotMatch(escapeTerminalText(l), /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/, JSON.stringify(l));
  }
});

test('invalid UTF-8 bytes stay visible as \\xNN, valid sequences are decoded', () => {
  assert.equal(decodeUtf8Visible(Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0xc2, 0x9b, 0xe2, 0x82, 0x62, 0xed, 0xa0, 0x80])), 'a\\xffé\u009b\\xe2\\x82b\\xed\\xa0\\x80');
  assert.equal(decodeUtf8Visible(Buffer.from('plain ascii')), 'plain ascii');
  assert.equal(decodeUtf8Visible(Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0xf0, 0x9f])), '😀\\xf0\\x9f');
});

test('the one XML escaper writes C0, DEL and C1 controls as visible text', () => {
  assert.equal(xmlAttr('a<&>"\x1b\x7f\u009b\ud800\n'), 'a&lt;&amp;&gt;&quot;\\x1b\\x7f\\x9b\\u{d800}&#10;');
});
