#!/usr/bin/env python3
"""Interop peer: a gRPC SERVER built with the PyPI package `grpcio` (h2c, plaintext) serving
org.apache.dubbo.samples.greeter.Greeter from examples/proto/greeter.proto.

Usage: python3 server.py <port|0> [--host 127.0.0.1] [--max-seconds 300]

Prints "READY <port>" on stdout once listening (port 0 = OS-chosen). Exits on SIGTERM/SIGINT or
after --max-seconds. Writes one "REQ {...}" JSON line per call to stderr: method and the request
metadata grpcio shows (keys and values; binary values as hex).

Semantics (the comments of greeter.proto):
  Greet              "hello, <name>", index 0; name "error" -> INVALID_ARGUMENT "bad name: error"
                     with grpc-status-details-bin = google.rpc.Status{3, message,
                     [Any(google.rpc.ErrorInfo{reason BAD_NAME, domain greeter})]};
                     "sleep:<ms>" sleeps first (stops early when the call is cancelled).
  GreetServerStream  `count` replies "hello, <name> #<i>", index i
  GreetClientStream  one reply "hello, <n1>,<n2>,...", index = number of requests
  GreetBidiStream    per request "hello, <name>", index = its position
  every method       request metadata "x-echo" -> response header and trailer "x-echo"
Exit codes: 0 normal stop, 2 usage, 3 package not installed.
"""
import os
import signal
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ next to the drivers
sys.path.insert(0, HERE)

from peer_common import log_req as log_record, parse_server_args  # noqa: E402


def log_req(method, context):
    md = {}
    for k, v in context.invocation_metadata():
        md[k] = v.hex() if isinstance(v, bytes) else v
    log_record({'method': method, 'metadata': md})


def echo_header(context):
    """Sends x-echo as header now; returns the trailer entries to add at the end."""
    for k, v in context.invocation_metadata():
        if k == 'x-echo':
            context.send_initial_metadata((('x-echo', v),))
            return (('x-echo', v),)
    return ()


def main():
    parsed = parse_server_args(sys.argv[1:], 'usage: server.py <port|0> [--host H] [--max-seconds S]')
    if parsed is None:
        return 2
    port, host, max_seconds = parsed

    try:
        import grpc
        from concurrent import futures
        from google.protobuf import any_pb2
        from google.rpc import error_details_pb2, status_pb2
        import greeter_stubs
        pb2, pb2_grpc = greeter_stubs.load()
    except ImportError as e:
        sys.stderr.write('cannot import grpcio / grpcio-tools / googleapis-common-protos '
                         '(bash scripts/test.sh --install): %s\n' % e)
        return 3

    Reply = pb2.GreetReply

    class Greeter(pb2_grpc.GreeterServicer):
        def Greet(self, request, context):
            log_req('Greet', context)
            trailer = echo_header(context)
            name = request.name
            if name == 'error':
                info = error_details_pb2.ErrorInfo(reason='BAD_NAME', domain='greeter')
                detail = any_pb2.Any()
                detail.Pack(info)
                status = status_pb2.Status(code=grpc.StatusCode.INVALID_ARGUMENT.value[0],
                                           message='bad name: error', details=[detail])
                context.set_trailing_metadata(
                    trailer + (('grpc-status-details-bin', status.SerializeToString()),))
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, 'bad name: error')
            if name.startswith('sleep:'):
                try:
                    ms = int(name[len('sleep:'):])
                except ValueError:
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, 'bad sleep: ' + name)
                end = time.monotonic() + ms / 1000.0
                while time.monotonic() < end and context.is_active():
                    time.sleep(min(0.01, max(0.0, end - time.monotonic())))
            context.set_trailing_metadata(trailer)
            return Reply(message='hello, ' + name, index=0)

        def GreetServerStream(self, request, context):
            log_req('GreetServerStream', context)
            trailer = echo_header(context)
            context.set_trailing_metadata(trailer)
            for i in range(request.count):
                yield Reply(message='hello, %s #%d' % (request.name, i), index=i)

        def GreetClientStream(self, request_iterator, context):
            log_req('GreetClientStream', context)
            trailer = echo_header(context)
            names = [r.name for r in request_iterator]
            context.set_trailing_metadata(trailer)
            return Reply(message='hello, ' + ','.join(names), index=len(names))

        def GreetBidiStream(self, request_iterator, context):
            log_req('GreetBidiStream', context)
            trailer = echo_header(context)
            context.set_trailing_metadata(trailer)
            for i, r in enumerate(request_iterator):
                yield Reply(message='hello, ' + r.name, index=i)

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    pb2_grpc.add_GreeterServicer_to_server(Greeter(), server)
    bound = server.add_insecure_port('%s:%d' % (host, port))
    if bound == 0:
        sys.stderr.write('cannot bind %s:%d\n' % (host, port))
        return 1
    server.start()

    done = threading.Event()

    def stop(*_):
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stdout.write('READY %d\n' % bound)
    sys.stdout.flush()
    done.wait(max_seconds)
    server.stop(0.5).wait(2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
