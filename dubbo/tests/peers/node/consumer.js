#!/usr/bin/env node
/*
 * Interop peer: a Dubbo2 (dubbo://, Hessian2) CONSUMER built with the npm package
 * `apache-dubbo-consumer` (4.0.0, from apache/dubbo-js), connecting directly to
 * <host>:<port> (DubboDirectlyInvoker, no registry) and calling
 * org.apache.dubbo.samples.api.GreetingsService (no version -> "0.0.0", no group).
 *
 * Usage: node consumer.js <host> <port> <expectServer> [--dubbo-version 2.0.2] [--no-generic]
 *
 * Prints one JSON line per check: {"check":"sayHi","ok":true,"got":...}
 * Exit code 0 only if every check passed; 1 if one failed; 2 usage; 3 packages missing.
 * Every call has a 10 s timeout (package option dubboInvokeTimeout) and the whole run
 * is capped at 40 s.
 */
'use strict';

const path = require('path');
const { createRequire } = require('module');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const NODE_DIR = process.env.PEERS_NODE_DIR || path.join(REPO_ROOT, '.peers', 'node-dubbo');
const peerRequire = createRequire(path.join(NODE_DIR, 'package.json'));

const argv = process.argv.slice(2);
const pos = [];
let dubboVersion = '2.0.2';
let withGeneric = true;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--dubbo-version') dubboVersion = argv[++i];
  else if (argv[i] === '--no-generic') withGeneric = false;
  else pos.push(argv[i]);
}
if (pos.length !== 3 || !/^\d+$/.test(pos[1])) {
  process.stderr.write('usage: consumer.js <host> <port> <expectServer> [--dubbo-version V] [--no-generic]\n');
  process.exit(2);
}
const [host, port, expectServer] = pos;

let DubboDirectlyInvoker, java;
try {
  ({ DubboDirectlyInvoker, java } = peerRequire('apache-dubbo-consumer'));
} catch (e) {
  process.stderr.write(`cannot load apache-dubbo-consumer from ${NODE_DIR}: ${e.message}\n` +
    'run dubbo/tests/peers/install.sh first\n');
  process.exit(3);
}

const IFACE = 'org.apache.dubbo.samples.api.GreetingsService';
const USER_CLASS = 'org.apache.dubbo.samples.api.User';

const hardStop = setTimeout(() => {
  out({ check: '_run', ok: false, error: 'overall timeout (40 s)' });
  process.exit(1);
}, 40000);

const invoker = DubboDirectlyInvoker.from({
  dubboHost: `${host}:${port}`,
  dubboVersion,
  dubboInvokeTimeout: 10000,
});

// Argument builders: each returns the hessian-typed argument list. The package derives
// the JVM descriptor from each argument's $class (primitive names -> one letter,
// everything else -> L<name with />;).
const service = invoker.proxyService({
  dubboInterface: IFACE,
  version: '0.0.0',
  methods: {
    sayHi: (name) => [java.String(name)], // Ljava/lang/String;
    greetUser: (u) => [
      java.combine(USER_CLASS, {
        name: java.String(u.name),
        age: java.int(u.age),
        tags: u.tags, // plain array -> untyped list
        attrs: u.attrs, // plain object -> untyped map 'H'
      }),
    ], // Lorg/apache/dubbo/samples/api/User;
    echoList: (l) => [{ $class: 'java.util.List', $: l }], // Ljava/util/List;
    echoMap: (m) => [{ $class: 'java.util.Map', $: m }], // Ljava/util/Map;
    add: (a, b) => [java.int(a), java.int(b)], // II
    fail: (name) => [java.String(name)], // Ljava/lang/String;
  },
});

// Generic call: same interface, method $invoke, attachment generic=true.
const generic = invoker.proxyService({
  dubboInterface: IFACE,
  version: '0.0.0',
  attachments: { generic: 'true' },
  methods: {
    // Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/Object;
    $invoke: (method, types, args) => [
      java.String(method),
      java.array('java.lang.String', types),
      java.array('java.lang.Object', args),
    ],
  },
});

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function errInfo(err) {
  if (!err) return null;
  return {
    ctor: err.constructor && err.constructor.name,
    name: err.name,
    message: err.message,
  };
}

const deepEqual = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const sortKeys = (o) => Object.fromEntries(Object.entries(o || {}).sort(([a], [b]) => (a < b ? -1 : 1)));

const results = [];
async function check(name, fn, verify) {
  let rec;
  try {
    const { res, err } = await fn();
    const v = verify(res, err);
    rec = { check: name, ok: v === true, got: err ? null : res };
    if (err) rec.error = errInfo(err);
    if (v !== true) rec.why = v;
  } catch (e) {
    rec = { check: name, ok: false, error: errInfo(e) };
  }
  results.push(rec);
  out(rec);
}

// fail fast when nothing listens (the package itself would retry 20 x 3 s)
function probe() {
  return new Promise((resolve) => {
    const sock = require('net').connect({ host, port: Number(port) });
    const done = (ok, msg) => { sock.destroy(); resolve({ ok, msg }); };
    sock.setTimeout(5000, () => done(false, 'connect timeout (5 s)'));
    sock.once('connect', () => done(true));
    sock.once('error', (e) => done(false, e.message));
  });
}

(async () => {
  const p = await probe();
  if (!p.ok) {
    out({ check: '_connect', ok: false, error: { message: p.msg } });
    process.exit(1);
  }
  await check('sayHi', () => service.sayHi('world'), (res, err) =>
    (!err && res === 'hi, world') || `expected "hi, world"`);

  await check(
    'greetUser',
    () => service.greetUser({ name: 'alice', age: 30, tags: ['node'], attrs: { client: 'node' } }),
    (res, err) => {
      if (err) return 'unexpected error';
      if (!res || res.name !== 'alice' || res.age !== 31) return 'expected name alice, age 31';
      if (!deepEqual(res.tags, ['node', expectServer])) return `expected tags [node, ${expectServer}]`;
      if (!deepEqual(sortKeys(res.attrs), sortKeys({ client: 'node', server: expectServer })))
        return `expected attrs {client=node, server=${expectServer}}`;
      return true;
    });

  await check('echoList', () => service.echoList(['x', 'y']), (res, err) =>
    (!err && deepEqual(res, ['x', 'y', expectServer])) || `expected [x, y, ${expectServer}]`);

  await check('echoMap', () => service.echoMap({ k: 'v', n: 7 }), (res, err) =>
    (!err && deepEqual(sortKeys(res), sortKeys({ k: 'v', n: 7, server: expectServer }))) ||
    `expected {k=v, n=7, server=${expectServer}}`);

  await check('add', () => service.add(2, 40), (res, err) => (!err && res === 42) || 'expected 42');

  await check('fail', () => service.fail('x'), (res, err) => {
    if (!err) return 'expected an error';
    return String(err.message).includes('bad name: x') || 'expected message containing "bad name: x"';
  });

  if (withGeneric) {
    await check('generic_sayHi', () => generic.$invoke('sayHi', ['java.lang.String'], ['world']),
      (res, err) => (!err && res === 'hi, world') || 'expected "hi, world"');
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  out({ summary: true, passed, failed });
  clearTimeout(hardStop);
  invoker.close();
  process.exit(failed === 0 ? 0 : 1);
})();
