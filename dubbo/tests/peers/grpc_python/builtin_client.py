#!/usr/bin/env python3
"""Interop peer: the standard gRPC health and reflection CLIENTS of the PyPI packages
`grpcio-health-checking` and `grpcio-reflection` (with `grpcio`, h2c, plaintext) against a Triple
server's built-in services at <host>:<port> serving org.apache.dubbo.samples.greeter.Greeter.

Usage: python3 builtin_client.py <host> <port> [--interface NAME]

Checks, in this order:
  health_check_overall    Health.Check("") -> SERVING
  health_check_greeter    Health.Check("org.apache.dubbo.samples.greeter.Greeter") -> SERVING
  health_check_interface  Health.Check(NAME) -> SERVING (only with --interface)
  health_check_unknown    Health.Check("no.such.Service") -> NOT_FOUND
  health_watch            Health.Watch("") -> first message SERVING
  health_watch_unknown    Health.Watch("no.such.Service") -> first message SERVICE_UNKNOWN
  v1alpha_list            ProtoReflectionDescriptorDatabase.get_services(): the greeter, the
                          health service and both reflection services
  v1alpha_symbol          file_containing_symbol(Greeter): a FileDescriptorProto declaring the
                          service with its four methods; a DescriptorPool over the reflection
                          database finds the service and its methods
  v1alpha_builtins        the DescriptorPool resolves grpc.health.v1.Health and
                          grpc.reflection.v1alpha.ServerReflection (their own descriptors)
  v1alpha_not_found       file_containing_symbol("no.such.Symbol") -> error_response NOT_FOUND
  v1_list, v1_symbol, v1_by_filename, v1_not_found
                          the same over /grpc.reflection.v1.ServerReflection/ServerReflectionInfo
                          (grpcio-reflection ships v1alpha stubs only; v1's messages are the same
                          on the wire, so the v1alpha classes are sent on the v1 path)

Prints one JSON line per check: {"check":...,"ok":true,"got":...}, on failure with "why", then
{"summary":true,"passed":N,"failed":M}. Exit 0 only if every check passed; 1 otherwise; 2 usage;
3 package not installed. Every call has a 10 s timeout; the whole run is capped at 40 s.
"""
import json
import os
import sys
import threading

CALL_TIMEOUT = 10.0
RUN_CAP = 40.0
GREETER = 'org.apache.dubbo.samples.greeter.Greeter'
GREETER_METHODS = ['Greet', 'GreetServerStream', 'GreetClientStream', 'GreetBidiStream']
HEALTH = 'grpc.health.v1.Health'
REFLECTION_V1 = 'grpc.reflection.v1.ServerReflection'
REFLECTION_V1ALPHA = 'grpc.reflection.v1alpha.ServerReflection'
NOT_FOUND = 5

_lock = threading.Lock()
_results = {'passed': 0, 'failed': 0, 'done': False}


def out(obj):
    with _lock:
        if _results['done']:
            return
        if obj.get('summary'):
            _results['done'] = True
        sys.stdout.write(json.dumps(obj, default=repr) + '\n')
        sys.stdout.flush()


def record(name, ok, got=None, why=None):
    line = {'check': name, 'ok': bool(ok)}
    if got is not None:
        line['got'] = got
    if not ok:
        line['why'] = why or 'unexpected result'
    with _lock:
        _results['passed' if ok else 'failed'] += 1
    out(line)


def run_check(name, fn):
    """Runs fn() -> (ok, got, why); an exception fails the check."""
    try:
        ok, got, why = fn()
    except Exception as e:  # a gRPC error or a broken answer: the check fails, the run goes on
        try:
            got = {'code': e.code().name, 'details': e.details()}
        except Exception:
            got = {'class': type(e).__name__, 'message': str(e)}
        ok, why = False, 'raised'
    record(name, ok, got, why)


def parse_args(argv):
    pos, interface, i = [], None, 0
    while i < len(argv):
        if argv[i] == '--interface' and i + 1 < len(argv):
            interface = argv[i + 1]
            i += 2
        else:
            pos.append(argv[i])
            i += 1
    if len(pos) != 2 or not pos[1].isdigit():
        return None
    return pos[0], pos[1], interface


def main():
    parsed = parse_args(sys.argv[1:])
    if parsed is None:
        sys.stderr.write('usage: builtin_client.py <host> <port> [--interface NAME]\n')
        return 2
    host, port, interface = parsed
    try:
        import grpc
        from google.protobuf import descriptor_pb2, descriptor_pool
        from grpc_health.v1 import health_pb2, health_pb2_grpc
        from grpc_reflection.v1alpha import reflection_pb2
        from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
            ProtoReflectionDescriptorDatabase)
    except ImportError as e:
        sys.stderr.write('cannot import grpcio / grpcio-health-checking / grpcio-reflection '
                         '(bash scripts/test.sh --install): %s\n' % e)
        return 3

    def cap():
        out({'check': '_run', 'ok': False, 'why': 'overall timeout (%d s)' % RUN_CAP})
        with _lock:
            passed, failed = _results['passed'], _results['failed'] + 1
        out({'summary': True, 'passed': passed, 'failed': failed})
        os._exit(1)

    killer = threading.Timer(RUN_CAP, cap)
    killer.daemon = True
    killer.start()

    channel = grpc.insecure_channel('%s:%s' % (host, port))
    health = health_pb2_grpc.HealthStub(channel)
    status_name = health_pb2.HealthCheckResponse.ServingStatus.Name

    def check(service, want):
        def run():
            got = status_name(health.Check(health_pb2.HealthCheckRequest(service=service),
                                           timeout=CALL_TIMEOUT).status)
            return got == want, got, 'want %s' % want
        return run

    def check_unknown():
        try:
            r = health.Check(health_pb2.HealthCheckRequest(service='no.such.Service'),
                             timeout=CALL_TIMEOUT)
            return False, status_name(r.status), 'want NOT_FOUND'
        except grpc.RpcError as e:
            got = {'code': e.code().name, 'details': e.details()}
            return e.code() == grpc.StatusCode.NOT_FOUND, got, 'want NOT_FOUND'

    def watch(service, want):
        def run():
            call = health.Watch(health_pb2.HealthCheckRequest(service=service),
                                timeout=CALL_TIMEOUT)
            try:
                got = status_name(next(call).status)
            finally:
                call.cancel()
            return got == want, got, 'want %s as the first message' % want
        return run

    run_check('health_check_overall', check('', 'SERVING'))
    run_check('health_check_greeter', check(GREETER, 'SERVING'))
    if interface:
        run_check('health_check_interface', check(interface, 'SERVING'))
    run_check('health_check_unknown', check_unknown)
    run_check('health_watch', watch('', 'SERVING'))
    run_check('health_watch_unknown', watch('no.such.Service', 'SERVICE_UNKNOWN'))

    want_services = {GREETER, HEALTH, REFLECTION_V1, REFLECTION_V1ALPHA}
    database = ProtoReflectionDescriptorDatabase(channel)
    pool = descriptor_pool.DescriptorPool(database)

    def v1alpha_list():
        got = sorted(database.get_services())
        return want_services <= set(got), got, 'want at least %s' % sorted(want_services)

    def methods_of(service_name):
        return [m.name for m in pool.FindServiceByName(service_name).methods]

    def v1alpha_symbol():
        proto = descriptor_pb2.FileDescriptorProto()
        proto.CopyFrom(database.FindFileContainingSymbol(GREETER))
        declared = {s.name: [m.name for m in s.method] for s in proto.service}
        pooled = methods_of(GREETER)
        got = {'file': proto.name, 'package': proto.package, 'services': declared,
               'pool_methods': pooled}
        ok = (proto.package == 'org.apache.dubbo.samples.greeter'
              and declared.get('Greeter') == GREETER_METHODS and pooled == GREETER_METHODS)
        return ok, got, 'want Greeter with %s' % GREETER_METHODS

    def v1alpha_builtins():
        got = {HEALTH: methods_of(HEALTH), REFLECTION_V1ALPHA: methods_of(REFLECTION_V1ALPHA)}
        ok = (got[HEALTH] == ['Check', 'Watch']
              and got[REFLECTION_V1ALPHA] == ['ServerReflectionInfo'])
        return ok, got, 'want the built-in services described'

    # raw ServerReflectionInfo calls on either package's path
    def ask(package, **request):
        info = channel.stream_stream(
            '/%s.ServerReflection/ServerReflectionInfo' % package,
            request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
            response_deserializer=reflection_pb2.ServerReflectionResponse.FromString)
        responses = list(info(iter([reflection_pb2.ServerReflectionRequest(**request)]),
                              timeout=CALL_TIMEOUT))
        if len(responses) != 1:
            raise ValueError('%d responses to one request' % len(responses))
        return responses[0]

    def not_found(package):
        def run():
            r = ask(package, file_containing_symbol='no.such.Symbol')
            kind = r.WhichOneof('message_response')
            got = {'kind': kind, 'code': r.error_response.error_code,
                   'message': r.error_response.error_message}
            return kind == 'error_response' and got['code'] == NOT_FOUND, got, 'want NOT_FOUND'
        return run

    def files_of(response):
        files = []
        for raw in response.file_descriptor_response.file_descriptor_proto:
            proto = descriptor_pb2.FileDescriptorProto()
            proto.ParseFromString(raw)
            files.append(proto)
        return files

    def v1_list():
        r = ask('grpc.reflection.v1', list_services='')
        got = sorted(s.name for s in r.list_services_response.service)
        return want_services <= set(got), got, 'want at least %s' % sorted(want_services)

    v1_file = {}

    def v1_symbol():
        files = files_of(ask('grpc.reflection.v1', file_containing_symbol=GREETER))
        if not files:
            return False, None, 'no file'
        first = files[0]
        v1_file['name'] = first.name
        declared = {s.name: [m.name for m in s.method] for s in first.service}
        got = {'files': [f.name for f in files], 'services': declared}
        return declared.get('Greeter') == GREETER_METHODS, got, 'want Greeter first'

    def v1_by_filename():
        name = v1_file.get('name', 'greeter.proto')
        files = files_of(ask('grpc.reflection.v1', file_by_filename=name))
        got = [f.name for f in files]
        return got[:1] == [name], got, 'want %s first' % name

    run_check('v1alpha_list', v1alpha_list)
    run_check('v1alpha_symbol', v1alpha_symbol)
    run_check('v1alpha_builtins', v1alpha_builtins)
    run_check('v1alpha_not_found', not_found('grpc.reflection.v1alpha'))
    run_check('v1_list', v1_list)
    run_check('v1_symbol', v1_symbol)
    run_check('v1_by_filename', v1_by_filename)
    run_check('v1_not_found', not_found('grpc.reflection.v1'))

    channel.close()
    with _lock:
        passed, failed = _results['passed'], _results['failed']
    out({'summary': True, 'passed': passed, 'failed': failed})
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
