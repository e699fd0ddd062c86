#!/usr/bin/env node
// Live Hessian 2 peer on hessian.js 2.x (npm), driven by dubbo-codec/tests/hessianjs_interop.rs.
//
//   node hessian_peer.js emit
//       prints "name<TAB>hex" for every value below, each encoded on its own with Hessian 2.0
//       (hessian.encode(value, '2.0'), or a fresh EncoderV2 configured for typed maps).
//   node hessian_peer.js check
//       reads "name<TAB>hex" lines on stdin (bytes written by the Rust encoder), decodes each with a
//       fresh DecoderV2 (with type information) and compares with the value of that name; prints
//       "name<TAB>ok" or "name<TAB>FAIL <reason>" and exits 1 if anything failed.
//
// hessian.js is loaded from $HESSIAN_JS_DIR, else from <repo>/.peers/node/node_modules/hessian.js
// (installed by `bash scripts/test.sh --install`).
//
// Java types are written with hessian.js's {$class, $} notation. hessian.js quirks that matter here:
// * typed maps: `{$class: 'java.util.LinkedHashMap', $: ...}` is written as an *object* of that class
//   (fields = the keys) unless the class is listed in the encoder's `mapTypes` option; values marked
//   `typedMaps` are encoded with such an encoder, and one value pins the default behaviour;
// * `java.util.ArrayList` is written untyped, `java.util.HashMap` / plain objects / ES6 Maps as `H`
//   (plain objects with their keys sorted);
// * `java.util.Locale` is written as com.caucho.hessian.io.LocaleHandle (Caucho's name, not
//   hessian-lite's com.alibaba.com.caucho.hessian.io.LocaleHandle);
// * with type information, booleans decode as {$class: 'boolean', $: true} but ints, longs, doubles,
//   strings, dates and binaries as bare values;
// * the v2 decoder returns bare numbers for int, long and double alike (longs beyond 2^53 as decimal
//   strings), so the Rust side checks the exact Hessian types of what hessian.js writes, and this
//   side checks values;
// * with type information, a back-reference to an untyped map (`H`) gives the map's inner object
//   instead of the {$class, $} wrapper the first occurrence gave (accepted below);
// * with type information, v2 exceptions lose their message (JavaExceptionError reads
//   detailMessage.$ of a plain string): exception values are decoded without type information.
'use strict';

const fs = require('fs');
const path = require('path');

const moduleDir =
  process.env.HESSIAN_JS_DIR ||
  path.resolve(__dirname, '..', '..', '..', '..', '.peers', 'node', 'node_modules', 'hessian.js');
let hessian;
try {
  hessian = require(moduleDir);
} catch (e) {
  process.stderr.write(
    `cannot load hessian.js from ${moduleDir}: ${e.message}\n` +
      'install it with `bash scripts/test.sh --install` ' +
      '(npm install --prefix .peers/node hessian.js@2)\n'
  );
  process.exit(3);
}

// --- values -----------------------------------------------------------------------------------

const L = (v) => ({ $class: 'java.lang.Long', $: v }); // number, or decimal string beyond 2^53
const D = (v) => ({ $class: 'double', $: v });

function letters(n) {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + (i % 26));
  return s;
}

function seq(n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = i & 0xff;
  return b;
}

/** name -> { value, typedMaps?, noType? } in output order. */
const VALUES = new Map();
function put(name, value, opts) {
  if (VALUES.has(name)) throw new Error('duplicate value name ' + name);
  VALUES.set(name, Object.assign({ value }, opts || {}));
}

put('null', null);
put('bool_true', true);
put('bool_false', false);
const INTS = {
  0: 0, m16: -16, 47: 47, m17: -17, 48: 48, m2048: -2048, 2047: 2047, m2049: -2049, 2048: 2048,
  m262144: -262144, 262143: 262143, m262145: -262145, 262144: 262144, max: 2147483647, min: -2147483648,
};
for (const [k, v] of Object.entries(INTS)) put('int_' + k, v);
const LONGS = {
  0: 0, m8: -8, 15: 15, m9: -9, 16: 16, m2048: -2048, 2047: 2047, m2049: -2049, 2048: 2048,
  m262144: -262144, 262143: 262143, m262145: -262145, 262144: 262144, 2147483647: 2147483647,
  m2147483648: -2147483648, 2147483648: 2147483648, m2147483649: -2147483649,
  max_safe: Number.MAX_SAFE_INTEGER, max: '9223372036854775807', min: '-9223372036854775808',
};
for (const [k, v] of Object.entries(LONGS)) put('long_' + k, L(v));
// A plain JS integer outside the int32 range is written as a long.
put('long_plain_number', 2147483648);
for (const [k, v] of [
  ['0', 0], ['1', 1], ['m1', -1], ['127', 127], ['m128', -128], ['128', 128], ['32767', 32767],
  ['m32768', -32768], ['32768', 32768], ['0_5', 0.5], ['12_25', 12.25], ['m0_001', -0.001],
  ['0_1', 0.1], ['2147483_647', 2147483.647], ['2147483_648', 2147483.648], ['3_14159', 3.14159],
  ['1e10', 1e10], ['neg_zero', -0], ['nan', NaN], ['pos_inf', Infinity], ['neg_inf', -Infinity],
  ['min_value', Number.MIN_VALUE], ['max_value', Number.MAX_VALUE],
]) {
  put('double_' + k, D(v));
}
// A plain JS number with a fraction is a double.
put('double_plain_number', 2.5);
put('float_1_1', { $class: 'float', $: 1.1 });
put('short_300', { $class: 'short', $: 300 });
put('byte_m5', { $class: 'byte', $: -5 });
put('char_x', { $class: 'char', $: 'x' });

put('string_empty', '');
put('string_a', 'a');
for (const n of [31, 32, 1023, 1024, 32768, 32769, 40000]) put('string_' + n, letters(n));
put('string_e_acute', '\u00e9');
put('string_cjk', '\u4e2d\u6587');
put('string_emoji', '\uD83D\uDE00');
put('string_mixed', 'h\u00e9llo \u4e16\u754c \uD83D\uDE00!');
put('string_utf8_boundaries', '\u007f\u0080\u07ff\u0800\uffff');
put('string_nul', 'a\u0000b');
put('string_chunk_surrogate', letters(32767) + '\uD83D\uDE00' + letters(10));
put('string_long_non_ascii', '\u00e9\u4e2d'.repeat(20000));

put('binary_0', Buffer.alloc(0));
put('binary_small', Buffer.from([1, 2, 0xff]));
for (const n of [15, 16, 1023, 1024, 4093, 4094, 8192, 20000]) put('binary_' + n, seq(n));

put('date_epoch', new Date(0));
put('date_minute', new Date(1700000040000));
put('date_millis', new Date(1700000000123));
put('date_negative_minute', new Date(-60000));

put('int_array', { $class: '[int', $: [1, 2, 3] });
put('int_array_empty', { $class: '[int', $: [] });
put('int_array_9', { $class: '[int', $: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
put('long_array', { $class: '[long', $: [L(1), L(2147483648), L('-9223372036854775808')] });
put('string_array', { $class: '[string', $: ['a', null, 'b'] });
put('object_array', { $class: '[object', $: [1, 'two', 3.5, null, L(4)] });
put('double_array', { $class: '[double', $: [1.5, D(0)] });
put('boolean_array', { $class: '[boolean', $: [true, false] });

put('arraylist_mixed', [1, 'a', null, true, L(2)]);
put('arraylist_empty', []);
put('arraylist_8', [0, 1, 2, 3, 4, 5, 6, 7]);
put('arraylist_typed', { $class: 'java.util.ArrayList', $: ['x'] });
put('hashset', { $class: 'java.util.HashSet', $: ['a', 'b', 'c'] });
put('linkedlist', { $class: 'java.util.LinkedList', $: ['a', 'b'] });
put('hashmap', { two: 2, one: 1 });
put('hashmap_empty', {});
put('hashmap_class', { $class: 'java.util.HashMap', $: { k: 'v' } });
put('hashmap_es6', new Map([['b', 1], ['a', 2]]));
put('hashmap_int_keys', new Map([[1, 'one'], [2, 'two']]));
put(
  'linkedhashmap',
  { $class: 'java.util.LinkedHashMap', $: new Map([['z', 1], ['a', 'x'], ['m', null]]) },
  { typedMaps: true }
);
put('treemap', { $class: 'java.util.TreeMap', $: new Map([['x', L(1)], ['y', L(2)]]) }, { typedMaps: true });
put(
  'two_linkedhashmaps_type_ref',
  [
    { $class: 'java.util.LinkedHashMap', $: new Map([['a', 1]]) },
    { $class: 'java.util.LinkedHashMap', $: new Map([['b', 2]]) },
  ],
  { typedMaps: true }
);
// hessian.js's default encoder: a map class it does not know is written as an object.
put('linkedhashmap_default_encoder', { $class: 'java.util.LinkedHashMap', $: { z: 1, a: 'x' } });
put('nested_collections', {
  list: [[1, 2], []],
  map: { k: ['v'] },
  ints: { $class: '[int', $: [7] },
});
const sharedMap = { k: 1 };
put('shared_map_twice', [sharedMap, sharedMap]);

const point = (x, y) => ({ $class: 'dubbo.peer.Point', $: { x, y } });
const color = (name) => ({ $class: 'dubbo.peer.Color', $: { name } });
put('pojo_point', point(1, -2));
put('pojo_all_kinds', {
  $class: 'dubbo.peer.AllKinds',
  $: {
    fBool: true,
    fByte: { $class: 'byte', $: -1 },
    fShort: { $class: 'short', $: 1000 },
    fInt: 100000,
    fLong: L(1099511627776),
    fFloat: { $class: 'float', $: 1.5 },
    fDouble: D(2),
    fChar: { $class: 'char', $: 'c' },
    fString: 'str',
    fBoxedInt: { $class: 'java.lang.Integer', $: 42 },
    fBoxedLong: L(-5),
    fDate: new Date(1700000040000),
    fBytes: Buffer.from([1, 2, 3]),
    fInts: { $class: '[int', $: [7] },
    fList: ['l1', 'l2'],
    fMap: { m: 1 },
    fObject: L(9),
    fEnum: color('BLUE'),
    fPoint: point(3, 4),
    fNull: { $class: 'java.lang.String', $: null },
  },
});
put('pojo_child', {
  $class: 'dubbo.peer.Child',
  $: { id: L(7), name: 'kid', tags: ['t1'], origin: point(0, 0), color: color('RED') },
});
const shared = point(5, 6);
put('pojo_same_object_twice', [shared, shared, point(7, 8)]);
const inPair = point(9, 9);
put('pojo_shared_in_fields', { $class: 'dubbo.peer.Pair', $: { left: inPair, right: inPair } });
const self = { $class: 'dubbo.peer.Node', $: { name: 'self', next: null } };
self.$.next = self;
put('pojo_self_reference', self);
const na = { $class: 'dubbo.peer.Node', $: { name: 'a', next: null } };
const nb = { $class: 'dubbo.peer.Node', $: { name: 'b', next: na } };
na.$.next = nb;
put('pojo_cycle', na);
put('pojo_classdef_reuse', [
  point(1, 1),
  { $class: 'dubbo.peer.Node', $: { name: 'n', next: null } },
  { $class: 'dubbo.peer.Pair', $: { left: 'l', right: 2 } },
  point(2, 2),
]);
const many = [];
for (let i = 0; i < 17; i++) many.push({ $class: 'dubbo.peer.C' + i, $: { i } });
put('pojo_17_classes', many);
put('enum_green', color('GREEN'));
const red = color('RED');
put('enum_list_repeated', [red, red, color('BLUE')]);
// hessian-lite's forms of these JDK types are plain objects to hessian.js.
put('uuid', { $class: 'java.util.UUID', $: { value: '123e4567-e89b-12d3-a456-426614174000' } });
put('bigdecimal', { $class: 'java.math.BigDecimal', $: { value: '1.50' } });
put('locale_zh_cn', { $class: 'java.util.Locale', $: 'zh_CN' });
const iae = {
  $class: 'java.lang.IllegalArgumentException',
  $: {
    detailMessage: 'bad argument',
    stackTrace: {
      $class: '[java.lang.StackTraceElement',
      $: [
        {
          $class: 'java.lang.StackTraceElement',
          $: { declaringClass: 'com.example.Foo', methodName: 'bar', fileName: 'Foo.java', lineNumber: 42 },
        },
      ],
    },
    cause: null,
  },
};
iae.$.cause = iae;
put('exception_iae', iae, { noType: true });

// --- encoding ---------------------------------------------------------------------------------

const TYPED_MAPS = { 'java.util.LinkedHashMap': true, 'java.util.TreeMap': true };

function encode(entry) {
  if (entry.typedMaps) {
    const enc = new hessian.EncoderV2({ size: 1024 * 1024, mapTypes: TYPED_MAPS });
    return enc.write(entry.value).get();
  }
  return hessian.encode(entry.value, '2.0');
}

// --- comparison -------------------------------------------------------------------------------

const NUMBER_CLASSES = new Set([
  'int', 'java.lang.Integer', 'short', 'java.lang.Short', 'byte', 'java.lang.Byte', 'long',
  'java.lang.Long', 'double', 'java.lang.Double', 'float', 'java.lang.Float',
]);
const STRING_CLASSES = new Set(['java.lang.String', 'String', 'string', 'char', 'java.lang.Character']);
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** What the v2 decoder (with type information) gives for a value written from `v`. */
function expected(v, seen) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && Number.isNaN(v)) return null; // hessian.js writes NaN as null
  // The v2 decoder keeps the v1 boolean reader, which wraps booleans when asked for types.
  if (typeof v === 'boolean') return { $class: 'boolean', $: v };
  if (typeof v !== 'object') return v;
  if (v instanceof Date || Buffer.isBuffer(v)) return v;
  if (seen.has(v)) return seen.get(v);
  if (Array.isArray(v)) {
    const out = [];
    seen.set(v, out);
    for (const x of v) out.push(expected(x, seen));
    return out;
  }
  if (v instanceof Map) {
    const out = { $class: 'java.util.HashMap', $: {} };
    seen.set(v, out);
    for (const [k, x] of v) out.$[String(k)] = expected(x, seen);
    return out;
  }
  if (typeof v.$class === 'string' && Object.prototype.hasOwnProperty.call(v, '$')) {
    const c = v.$class;
    if (v.$ === null || v.$ === undefined) return null;
    if (NUMBER_CLASSES.has(c)) {
      if (typeof v.$ === 'string') {
        const b = BigInt(v.$);
        return b > SAFE || b < -SAFE ? v.$ : Number(b);
      }
      return v.$;
    }
    if (STRING_CLASSES.has(c)) return v.$;
    if (c === 'java.util.Locale') return { $class: 'com.caucho.hessian.io.LocaleHandle', $: { value: v.$ } };
    if (Array.isArray(v.$)) {
      if (c === 'java.util.ArrayList') return expected(v.$, seen);
      const out = { $class: c, $: [] };
      seen.set(v, out);
      for (const x of v.$) out.$.push(expected(x, seen));
      return out;
    }
    const cls = c === 'java.util.Map' ? 'java.util.HashMap' : c;
    const out = { $class: cls, $: {} };
    seen.set(v, out);
    const entries = v.$ instanceof Map ? [...v.$] : Object.entries(v.$);
    for (const [k, x] of entries) out.$[String(k)] = expected(x, seen);
    return out;
  }
  const out = { $class: 'java.util.HashMap', $: {} };
  seen.set(v, out);
  for (const [k, x] of Object.entries(v)) out.$[k] = expected(x, seen);
  return out;
}

function desc(v) {
  if (v === null) return 'null';
  if (Buffer.isBuffer(v)) return `Buffer(${v.length})`;
  if (v instanceof Date) return `Date(${v.getTime()})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (typeof v === 'object') return v.$class ? `{$class: ${v.$class}}` : 'object';
  const s = JSON.stringify(v) || String(v);
  return `${typeof v} ${s.length > 60 ? s.slice(0, 60) + '...' : s}`;
}

/** null when `got` matches `exp` (an output of expected()); else the first difference. */
function diff(exp, got, p, seen) {
  if (exp === null || got === null || got === undefined) {
    return exp === got ? null : `${p}: expected ${desc(exp)}, got ${desc(got === undefined ? null : got)}`;
  }
  if (typeof exp === 'number') {
    if (typeof got === 'number' && (got === exp || (Number.isNaN(got) && Number.isNaN(exp)))) return null;
    return `${p}: expected ${desc(exp)}, got ${desc(got)}`;
  }
  if (typeof exp !== 'object') return exp === got ? null : `${p}: expected ${desc(exp)}, got ${desc(got)}`;
  if (exp instanceof Date) {
    return got instanceof Date && got.getTime() === exp.getTime() ? null : `${p}: expected ${desc(exp)}, got ${desc(got)}`;
  }
  if (Buffer.isBuffer(exp)) {
    return Buffer.isBuffer(got) && got.equals(exp) ? null : `${p}: expected ${desc(exp)}, got ${desc(got)}`;
  }
  if (seen.has(exp)) {
    const first = seen.get(exp);
    // hessian.js quirk: a back-reference to an `H` map resolves to the map's inner object.
    if (first === got || (exp.$class === 'java.util.HashMap' && first && first.$ === got)) return null;
    return `${p}: a shared value was read back as a different object (reference lost)`;
  }
  if (typeof got !== 'object') return `${p}: expected ${desc(exp)}, got ${desc(got)}`;
  seen.set(exp, got);
  if (Array.isArray(exp)) {
    if (!Array.isArray(got) || got.length !== exp.length) return `${p}: expected ${desc(exp)}, got ${desc(got)}`;
    for (let i = 0; i < exp.length; i++) {
      const d = diff(exp[i], got[i], `${p}[${i}]`, seen);
      if (d) return d;
    }
    return null;
  }
  if (got.$class !== exp.$class) return `${p}: expected class ${exp.$class}, got ${desc(got)}`;
  if (Array.isArray(exp.$)) return diff(exp.$, got.$, p, seen);
  const ek = Object.keys(exp.$).sort();
  const gk = Object.keys(got.$ || {}).sort();
  if (ek.join(',') !== gk.join(',')) return `${p}: ${exp.$class} has keys [${gk}], expected [${ek}]`;
  for (const k of ek) {
    const d = diff(exp.$[k], got.$[k], `${p}.${k}`, seen);
    if (d) return d;
  }
  return null;
}

/** Exceptions are decoded without type information (see the quirks above). */
function diffException(entry, got) {
  const exp = entry.value;
  if (!(got instanceof Error)) return `expected a JavaExceptionError, got ${desc(got)}`;
  if (got.name !== exp.$class) return `expected exception ${exp.$class}, got ${got.name}`;
  if (got.message !== exp.$.detailMessage) return `expected message ${exp.$.detailMessage}, got ${got.message}`;
  return null;
}

function checkOne(name, hexText) {
  const entry = VALUES.get(name);
  if (!entry) return 'unknown value name';
  const buf = Buffer.from(hexText, 'hex');
  if (buf.length * 2 !== hexText.length) return 'bad hex';
  let got;
  const decoder = new hessian.DecoderV2(buf);
  try {
    got = decoder.read(!entry.noType);
  } catch (e) {
    return `decode threw ${e.message}`;
  }
  if (decoder.position() !== buf.length) return `${buf.length - decoder.position()} byte(s) left after the value`;
  if (entry.noType) return diffException(entry, got);
  return diff(expected(entry.value, new Map()), got, '$', new Map());
}

// --- modes ------------------------------------------------------------------------------------

function emit() {
  const out = [];
  for (const [name, entry] of VALUES) out.push(`${name}\t${encode(entry).toString('hex')}`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

function check() {
  const lines = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) {
    process.stdout.write('-\tFAIL no input\n');
    return 1;
  }
  let failed = 0;
  const out = [];
  for (const line of lines) {
    const tab = line.indexOf('\t');
    const name = tab < 0 ? line : line.slice(0, tab);
    const reason = tab < 0 ? 'no tab in input line' : checkOne(name, line.slice(tab + 1).trim());
    if (reason === null) {
      out.push(`${name}\tok`);
    } else {
      failed++;
      out.push(`${name}\tFAIL ${String(reason).replace(/\n/g, ' ')}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
  return failed === 0 ? 0 : 1;
}

const mode = process.argv[2];
if (mode === 'emit') {
  process.exitCode = emit();
} else if (mode === 'check') {
  process.exitCode = check();
} else {
  process.stderr.write('usage: node hessian_peer.js emit|check\n');
  process.exitCode = 2;
}
