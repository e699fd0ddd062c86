#!/usr/bin/env node
/*
 * Interop peer: a Dubbo2 (dubbo://, Hessian2) PROVIDER built with the npm package
 * `apache-dubbo-service` (0.0.1, from apache/dubbo-js), exporting
 * org.apache.dubbo.samples.api.GreetingsService directly (no registry).
 *
 * Usage: node provider.js <port> [--host 127.0.0.1] [--fix-descriptors] [--max-seconds 300]
 *   <port>            TCP port to listen on; 0 = let the OS choose. The real port is
 *                     printed as `READY <port>` on stdout once listening.
 *   --fix-descriptors patch the package's request decoder so that JVM primitive
 *                     descriptors such as "II" are counted correctly (the package
 *                     itself splits the descriptor on ';' and so reads ONE argument
 *                     for "II"). Off by default: the default is the package as-is.
 *   --max-seconds N   exit by itself after N seconds (default 300).
 *
 * One JSON line per decoded request is written to stderr (`REQ {...}`): dubbo version,
 * service version, method, descriptor, argument count and attachments as the
 * package decoded them.
 *
 * Module resolution: the npm packages live in <repo>/.peers/node-dubbo (see ../install.sh);
 * override with PEERS_NODE_DIR.
 */
'use strict';

const path = require('path');
const net = require('net');
const { createRequire } = require('module');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const NODE_DIR = process.env.PEERS_NODE_DIR || path.join(REPO_ROOT, '.peers', 'node-dubbo');
const peerRequire = createRequire(path.join(NODE_DIR, 'package.json'));

function usage(msg) {
  if (msg) process.stderr.write(msg + '\n');
  process.stderr.write('usage: provider.js <port> [--host H] [--fix-descriptors] [--max-seconds N]\n');
  process.exit(2);
}

const argv = process.argv.slice(2);
let portArg = null;
let host = '127.0.0.1';
let fixDescriptors = false;
let maxSeconds = 300;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--host') host = argv[++i];
  else if (a === '--fix-descriptors') fixDescriptors = true;
  else if (a === '--max-seconds') maxSeconds = Number(argv[++i]);
  else if (portArg === null) portArg = a;
  else usage('unexpected argument ' + a);
}
if (portArg === null || !/^\d+$/.test(portArg)) usage('port required');
const port = Number(portArg);

let DubboService, decodeModule;
try {
  ({ DubboService } = peerRequire('apache-dubbo-service'));
  decodeModule = peerRequire('apache-dubbo-serialization/lib/decode-hessian2');
} catch (e) {
  process.stderr.write(`cannot load apache-dubbo-service from ${NODE_DIR}: ${e.message}\n` +
    'run dubbo/tests/peers/install.sh first\n');
  process.exit(3);
}

const SERVER = 'node';
const IFACE = 'org.apache.dubbo.samples.api.GreetingsService';
const USER_CLASS = 'org.apache.dubbo.samples.api.User';

// --- optional: correct JVM descriptor counting ---------------------------------------
// The package's decodeDubboRequest does `desc.split(';').filter(Boolean)` to count the
// arguments, so "II" counts as 1 and "Ljava/lang/String;I" as 2 but "IILjava/lang/String;"
// as 2. With --fix-descriptors we re-count the arguments with a real descriptor parser
// and re-read the body. The rest of the package stays as it is.
function countDescriptor(desc) {
  let n = 0;
  let i = 0;
  while (i < desc.length) {
    while (desc[i] === '[') i++;
    if (desc[i] === 'L') {
      const end = desc.indexOf(';', i);
      if (end < 0) throw new Error('bad descriptor ' + desc);
      i = end + 1;
    } else {
      i++;
    }
    n++;
  }
  return n;
}

if (fixDescriptors) {
  const Hessian = peerRequire('hessian.js');
  const byte = peerRequire('apache-dubbo-common').byte;
  const Request = peerRequire('apache-dubbo-serialization/lib/request').default;
  decodeModule.decodeDubboRequest = function fixedDecodeDubboRequest(buff) {
    const flag = buff[2];
    const req = new Request(byte.fromBytes8(buff.slice(4, 12)));
    if ((flag & 0x80) !== 0) {
      const decoder = new Hessian.DecoderV2(buff.slice(16));
      const dubboVersion = decoder.read();
      req.version = dubboVersion;
      req.attachment.dubbo = dubboVersion;
      req.attachment.path = decoder.read();
      req.attachment.version = decoder.read();
      req.methodName = decoder.read();
      const desc = decoder.read() || '';
      req.parameterTypeDesc = desc;
      const n = countDescriptor(desc);
      req.parameterTypes = [];
      req.args = [];
      for (let i = 0; i < n; i++) req.args.push(decoder.read());
      const attachment = decoder.read();
      if (attachment && typeof attachment === 'object') {
        for (const k of Object.keys(attachment)) req.attachment[k] = attachment[k];
      }
    }
    return req;
  };
}

// --- service implementation ---------------------------------------------------------
function isCtx(x) {
  // the package appends its Context as the last argument of every method call
  return x && typeof x === 'object' && typeof x.request === 'object' && 'body' in x && 'attachments' in x;
}

function plainMap(m) {
  if (m instanceof Map) return Object.fromEntries(m);
  return m && typeof m === 'object' ? { ...m } : {};
}

const methods = {
  sayHi(name) {
    return 'hi, ' + name;
  },
  greetUser(user) {
    const u = user || {};
    const tags = Array.isArray(u.tags) ? u.tags.slice() : [];
    tags.push(SERVER);
    const attrs = plainMap(u.attrs);
    attrs.server = SERVER;
    // hessian.js writes a {$class, $} object as a class definition + instance,
    // fields in Object.keys order (same order as the Java provider: attrs, tags, age, name)
    return {
      $class: USER_CLASS,
      $: {
        attrs,
        tags,
        age: { $class: 'int', $: (Number(u.age) || 0) + 1 },
        name: u.name === undefined ? null : u.name,
      },
    };
  },
  echoMap(m) {
    const out = plainMap(m);
    out.server = SERVER;
    return out;
  },
  echoList(l) {
    const out = Array.isArray(l) ? l.slice() : [];
    out.push(SERVER);
    return out;
  },
  fail(name) {
    // the package answers a thrown error with flag 3 (or 0) followed by err.message as a
    // plain Hessian STRING (not a Throwable object)
    const e = new Error('bad name: ' + name);
    e.name = 'java.lang.IllegalArgumentException';
    throw e;
  },
  add(a, b) {
    if (isCtx(b)) {
      throw new Error('add received only one argument: apache-dubbo-service split the descriptor ' +
        'on ";" (descriptor "II" counts as one parameter); send Ljava/lang/Integer;Ljava/lang/Integer; ' +
        'or start the provider with --fix-descriptors');
    }
    return { $class: 'int', $: (a | 0) + (b | 0) };
  },
  // Not a feature of the package: the driver registers methods named $invoke / $echo so
  // that generic calls and echo probes get a useful answer.
  $invoke(method, types, args) {
    const impl = methods[method];
    if (typeof method !== 'string' || method.startsWith('$') || !impl) {
      throw new Error('No such method ' + method + ' in class interface ' + IFACE);
    }
    const a = Array.isArray(args) ? args : [];
    if (method === 'greetUser' && a[0] && typeof a[0] === 'object') {
      // generic form: a map with an optional "class" entry; answer with a plain map as
      // Java's generic filter would (PojoUtils.generalize)
      const r = impl(a[0]).$;
      return { class: USER_CLASS, name: r.name, age: r.age.$, tags: r.tags, attrs: r.attrs };
    }
    return impl(...a);
  },
  $echo(x) {
    return x;
  },
};

// --- wiring without registry --------------------------------------------------------
const nullRegistry = {
  ready: async () => {},
  registerServices: async () => {},
  getClient: () => null,
  close: () => {},
};

const svc = DubboService.from({
  registry: nullRegistry,
  services: {
    GreetingsService: { dubboInterface: IFACE, methods },
  },
});

// log every decoded request (runs before the method)
svc.use(async (ctx, next) => {
  const r = ctx.request;
  const rec = {
    dubboVersion: r.version,
    path: r.attachment && r.attachment.path,
    serviceVersion: r.attachment && r.attachment.version,
    method: r.methodName,
    descriptor: r.parameterTypeDesc,
    argCount: (r.args || []).length,
    attachments: r.attachment,
  };
  process.stderr.write('REQ ' + JSON.stringify(rec) + '\n');
  await next();
});

// The package picks a random port in 20888..30000 itself and has no option for a port
// or a bind address; replace its listen() (called on the next tick) with one that binds
// the requested host:port, then let the package "register" (no-op registry).
svc.listen = async () => {
  const server = net.createServer(svc.handleSocketRequest);
  server.on('error', (err) => {
    process.stderr.write('listen error: ' + err.message + '\n');
    process.exit(4);
  });
  server.listen(port, host, async () => {
    svc.server = server;
    svc.port = server.address().port;
    try {
      await svc.registerServices();
    } catch (e) {
      process.stderr.write('register error: ' + e.message + '\n');
      process.exit(4);
    }
    process.stdout.write(`READY ${svc.port}\n`);
  });
};

process.on('unhandledRejection', (e) => {
  process.stderr.write('unhandledRejection: ' + (e && e.stack ? e.stack : e) + '\n');
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => process.exit(0));
}
if (maxSeconds > 0) {
  setTimeout(() => {
    process.stderr.write(`provider: --max-seconds ${maxSeconds} reached, exiting\n`);
    process.exit(0);
  }, maxSeconds * 1000);
}
