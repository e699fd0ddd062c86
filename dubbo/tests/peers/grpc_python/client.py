#!/usr/bin/env python3
"""Interop peer: a gRPC CLIENT built with the PyPI package `grpcio` (h2c, plaintext) calling
org.apache.dubbo.samples.greeter.Greeter (examples/proto/greeter.proto) at <host>:<port>.

Usage: python3 client.py <host> <port> [--checks unary,server_stream,...]

Checks (default: all, in this order):
  unary          Greet("world") -> "hello, world", index 0
  server_stream  GreetServerStream("world", count 3) -> "hello, world #0..#2", index 0..2
  client_stream  GreetClientStream(a, b, c) -> "hello, a,b,c", index 3
  bidi           GreetBidiStream(x, y, z) -> "hello, x" 0, "hello, y" 1, "hello, z" 2
  metadata       Greet with metadata x-echo=interop-1 -> header and trailer x-echo=interop-1
  error_details  Greet("error") -> INVALID_ARGUMENT, "bad name: error", grpc-status-details-bin
                 google.rpc.Status{code 3, same message, [ErrorInfo{BAD_NAME, greeter}]}
  deadline       Greet("sleep:2000") with a 300 ms deadline -> DEADLINE_EXCEEDED within 1.5 s
  unimplemented  /org.apache.dubbo.samples.greeter.Greeter/Nope -> UNIMPLEMENTED

Prints one JSON line per check: {"check":"unary","ok":true,"got":...}, on failure with "why"
(and "error": code/details of a gRPC error), then {"summary":true,"passed":N,"failed":M}.
Exit 0 only if every check passed; 1 otherwise; 2 usage; 3 package not installed.
Every call has a 10 s timeout (the deadline check 300 ms); the whole run is capped at 40 s.
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ next to the drivers
sys.path.insert(0, HERE)

from peer_common import Report, parse_client_args  # noqa: E402

CALL_TIMEOUT = 10.0
RUN_CAP = 40.0
ALL_CHECKS = ['unary', 'server_stream', 'client_stream', 'bidi', 'metadata', 'error_details',
              'deadline', 'unimplemented']


def rpc_error(e):
    try:
        return {'code': e.code().name, 'details': e.details()}
    except Exception:  # not a grpc.RpcError with a status
        return {'class': type(e).__name__, 'message': str(e)}


def reply(r):
    return {'message': r.message, 'index': r.index}


def md_values(md, key):
    return [v.decode() if isinstance(v, bytes) else v for k, v in (md or ()) if k == key]


def main():
    parsed = parse_client_args(sys.argv[1:], ALL_CHECKS, 'usage: client.py <host> <port>')
    if parsed is None:
        return 2
    host, port, checks = parsed

    try:
        import grpc
        from grpc_status import rpc_status
        from google.rpc import error_details_pb2
        import greeter_stubs
        pb2, pb2_grpc = greeter_stubs.load()
    except ImportError as e:
        sys.stderr.write('cannot import grpcio / grpcio-tools / grpcio-status / '
                         'googleapis-common-protos (bash scripts/test.sh --install): %s\n' % e)
        return 3

    report = Report(RUN_CAP)
    Req = pb2.GreetRequest
    channel = grpc.insecure_channel('%s:%s' % (host, port))
    stub = pb2_grpc.GreeterStub(channel)

    def check_unary():
        r = stub.Greet(Req(name='world'), timeout=CALL_TIMEOUT)
        got = reply(r)
        return got == {'message': 'hello, world', 'index': 0}, got

    def check_server_stream():
        got = [reply(r) for r in stub.GreetServerStream(Req(name='world', count=3),
                                                        timeout=CALL_TIMEOUT)]
        want = [{'message': 'hello, world #%d' % i, 'index': i} for i in range(3)]
        return got == want, got

    def check_client_stream():
        r = stub.GreetClientStream(iter([Req(name=n) for n in 'abc']), timeout=CALL_TIMEOUT)
        got = reply(r)
        return got == {'message': 'hello, a,b,c', 'index': 3}, got

    def check_bidi():
        got = [reply(r) for r in stub.GreetBidiStream(iter([Req(name=n) for n in 'xyz']),
                                                      timeout=CALL_TIMEOUT)]
        want = [{'message': 'hello, ' + n, 'index': i} for i, n in enumerate('xyz')]
        return got == want, got

    def check_metadata():
        r, call = stub.Greet.with_call(Req(name='meta'), timeout=CALL_TIMEOUT,
                                       metadata=(('x-echo', 'interop-1'),))
        got = {'reply': reply(r),
               'header': md_values(call.initial_metadata(), 'x-echo'),
               'trailer': md_values(call.trailing_metadata(), 'x-echo')}
        ok = (got['reply'] == {'message': 'hello, meta', 'index': 0}
              and got['header'] == ['interop-1'] and got['trailer'] == ['interop-1'])
        return ok, got

    def check_error_details():
        try:
            r = stub.Greet(Req(name='error'), timeout=CALL_TIMEOUT)
            return False, {'reply': reply(r)}
        except grpc.RpcError as e:
            got = rpc_error(e)
            try:
                status = rpc_status.from_call(e)
            except ValueError as bad:
                got['status_details'] = 'inconsistent: %s' % bad
                return False, got
            if status is None:
                got['status_details'] = None
                return False, got
            infos = []
            for d in status.details:
                info = error_details_pb2.ErrorInfo()
                if d.Unpack(info):
                    infos.append({'reason': info.reason, 'domain': info.domain})
                else:
                    infos.append({'type_url': d.type_url})
            got['status_details'] = {'code': status.code, 'message': status.message,
                                     'details': infos}
            ok = (got['code'] == 'INVALID_ARGUMENT' and got['details'] == 'bad name: error'
                  and got['status_details'] == {
                      'code': 3, 'message': 'bad name: error',
                      'details': [{'reason': 'BAD_NAME', 'domain': 'greeter'}]})
            return ok, got

    def check_deadline():
        start = time.monotonic()
        try:
            r = stub.Greet(Req(name='sleep:2000'), timeout=0.3)
            return False, {'reply': reply(r), 'elapsed_ms': int((time.monotonic() - start) * 1000)}
        except grpc.RpcError as e:
            elapsed = time.monotonic() - start
            got = rpc_error(e)
            got['elapsed_ms'] = int(elapsed * 1000)
            return got['code'] == 'DEADLINE_EXCEEDED' and elapsed < 1.5, got

    def check_unimplemented():
        nope = channel.unary_unary('/org.apache.dubbo.samples.greeter.Greeter/Nope',
                                   request_serializer=Req.SerializeToString,
                                   response_deserializer=pb2.GreetReply.FromString)
        try:
            r = nope(Req(name='world'), timeout=CALL_TIMEOUT)
            return False, {'reply': reply(r)}
        except grpc.RpcError as e:
            got = rpc_error(e)
            return got['code'] == 'UNIMPLEMENTED', got

    table = {
        'unary': check_unary,
        'server_stream': check_server_stream,
        'client_stream': check_client_stream,
        'bidi': check_bidi,
        'metadata': check_metadata,
        'error_details': check_error_details,
        'deadline': check_deadline,
        'unimplemented': check_unimplemented,
    }
    for name in checks:
        try:
            ok, got = table[name]()
            report.record(name, ok, got=got)
        except grpc.RpcError as e:
            report.record(name, False, why='call failed', error=rpc_error(e))
        except Exception as e:  # a driver or library bug: report, go on
            report.record(name, False, why='exception', error={'class': type(e).__name__,
                                                               'message': str(e)})
    channel.close()
    return report.finish()


if __name__ == '__main__':
    sys.exit(main())
