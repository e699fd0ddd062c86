#!/usr/bin/env python3
"""Interop peer: a Dubbo2 (dubbo://, Hessian2) CONSUMER built with the PyPI package
`dubbo-ssl-python` (module `dubbo_ssl`, tested with 0.9.6), connecting directly to
<host>:<port> (no registry, plain TCP) and calling
org.apache.dubbo.samples.api.GreetingsService (service version "0.0.0", group "").

Usage: python3 consumer.py <host> <port> <expectServer>
           [--dubbo-version 2.4.10] [--try-generic]

Prints one JSON line per check: {"check":"sayHi","ok":true,"got":...}
Exit code 0 only if every counted check passed; 1 otherwise; 2 usage; 3 package missing.
Every call has a 10 s timeout and the whole run is capped at 40 s.

What the library can express (see ../README.md): str -> Ljava/lang/String;, Python int in
int32 range -> I (so add(2, 40) is "II"), dubbo_ssl Object(class, fields) -> a Hessian
class-definition object with descriptor L<class>;, a non-empty homogeneous Python list ->
typed list "[string"/"[int"/... with an ARRAY descriptor ("[Ljava/lang/String;").
It cannot encode a Python dict at all. Hence:
  * echoList goes out with descriptor "[Ljava/lang/String;" (not Ljava/util/List;) and a
    typed list "[string"; there is no way to make the library write Ljava/util/List;.
  * echoMap goes out as Object("java.util.Map", {...}): descriptor Ljava/util/Map; and a
    Hessian *object* (class definition "java.util.Map", field names = map keys).
  * User.attrs goes out as Object("java.util.HashMap", {...}) the same way.
  * generic $invoke is only attempted with --try-generic: the library derives the
    descriptor "Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/String;" (last part
    String[], not Object[]), so it is not a proper generic call.
"""
import json
import os
import sys
import threading
import logging

DEFAULT_TIMEOUT = 10

IFACE = 'org.apache.dubbo.samples.api.GreetingsService'
USER_CLASS = 'org.apache.dubbo.samples.api.User'


def out(obj):
    sys.stdout.write(json.dumps(obj, default=repr) + '\n')
    sys.stdout.flush()


def main():
    args = sys.argv[1:]
    pos = []
    dubbo_version = '2.4.10'
    try_generic = False
    i = 0
    while i < len(args):
        a = args[i]
        if a == '--dubbo-version':
            i += 1
            dubbo_version = args[i]
        elif a == '--try-generic':
            try_generic = True
        else:
            pos.append(a)
        i += 1
    if len(pos) != 3 or not pos[1].isdigit():
        sys.stderr.write('usage: consumer.py <host> <port> <expectServer> '
                         '[--dubbo-version V] [--try-generic]\n')
        return 2
    host, port, expect = pos

    try:
        from dubbo_ssl.client import DubboClient
        from dubbo_ssl.codec.encoder import Object
    except ImportError as e:
        sys.stderr.write('cannot import dubbo_ssl (pip install dubbo-ssl-python): %s\n' % e)
        return 3

    # the library logs every failure with logger.exception; keep stderr readable
    logging.getLogger('dubbo_ssl').setLevel(
        logging.DEBUG if os.environ.get('PEER_DEBUG') else logging.CRITICAL)

    # hard cap for the whole run (the library's threads are daemons)
    killer = threading.Timer(40, lambda: (out({'check': '_run', 'ok': False,
                                                'error': 'overall timeout (40 s)'}),
                                           os._exit(1)))
    killer.daemon = True
    killer.start()

    client = DubboClient(IFACE, group='', version='0.0.0', dubbo_version=dubbo_version,
                         host='%s:%s' % (host, port))

    results = []

    def call(method, args, context=None):
        return client.call(method, args, context=context, timeout=DEFAULT_TIMEOUT)

    def check(name, fn, verify, counted=True, note=None):
        rec = {'check': name}
        try:
            res = fn()
            err = None
        except Exception as e:  # library raises DubboResponseException etc.
            res = None
            err = e
        try:
            v = verify(res, err)
        except Exception as e:
            v = 'verify raised %r' % e
        rec['ok'] = v is True
        rec['got'] = res
        if err is not None:
            rec['error'] = {'class': type(err).__name__, 'message': str(err)[:2000]}
        if v is not True:
            rec['why'] = v
        if note:
            rec['note'] = note
        if not counted:
            rec['counted'] = False
        if counted:
            results.append(rec['ok'])
        out(rec)

    def no_err(f):
        def g(res, err):
            if err is not None:
                return 'unexpected error'
            return f(res)
        return g

    check('sayHi', lambda: call('sayHi', ['world']),
          no_err(lambda r: r == 'hi, world' or 'expected "hi, world"'))

    def verify_user(r):
        if not isinstance(r, dict):
            return 'expected a User object (decoded as dict)'
        if r.get('name') != 'alice' or r.get('age') != 31:
            return 'expected name alice, age 31'
        if r.get('tags') != ['python', expect]:
            return 'expected tags [python, %s]' % expect
        if r.get('attrs') != {'client': 'python', 'server': expect}:
            return 'expected attrs {client=python, server=%s}' % expect
        return True

    user = Object(USER_CLASS, {
        'name': 'alice',
        'age': 30,
        'tags': ['python'],  # typed list "[string"
        'attrs': Object('java.util.HashMap', {'client': 'python'}),  # no dict support
    })
    check('greetUser', lambda: call('greetUser', [user]), no_err(verify_user))

    # A Python list argument always gets an array descriptor ("[Ljava/lang/String;") and
    # a typed list "[string"; there is no way to make the library write Ljava/util/List;.
    check('echoList', lambda: call('echoList', [['x', 'y']]),
          no_err(lambda r: r == ['x', 'y', expect] or 'expected [x, y, %s]' % expect),
          note='sent with descriptor [Ljava/lang/String; (library derives it from the list)')

    m = Object('java.util.Map', {'k': 'v', 'n': 7})
    check('echoMap', lambda: call('echoMap', [m]),
          no_err(lambda r: r == {'k': 'v', 'n': 7, 'server': expect}
                 or 'expected {k=v, n=7, server=%s}' % expect),
          note='sent as Hessian object of class java.util.Map (descriptor Ljava/util/Map;)')

    check('add', lambda: call('add', [2, 40]), no_err(lambda r: r == 42 or 'expected 42'))

    def verify_fail(res, err):
        if err is None:
            return 'expected an error'
        return 'bad name: x' in str(err) or 'expected message containing "bad name: x"'
    check('fail', lambda: call('fail', ['x']), verify_fail)

    if try_generic:
        # the library derives "Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/String;"
        # (not the generic descriptor ...[Ljava/lang/Object;)
        check('generic_sayHi',
              lambda: call('$invoke', ['sayHi', ['java.lang.String'], ['world']],
                           context={'generic': 'true'}),
              no_err(lambda r: r == 'hi, world' or 'expected "hi, world"'),
              note='descriptor Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/String;')

    passed = sum(1 for r in results if r)
    failed = len(results) - passed
    out({'summary': True, 'passed': passed, 'failed': failed})
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    rc = main()
    sys.stdout.flush()
    os._exit(rc)
