"""What the Python Triple / gRPC drivers share: command lines, the JSON-lines report with its run cap.

Used by grpc_python/{client,server}.py and dubbo_python/{client,server}.py (stdlib only).
"""
import json
import os
import sys
import threading


def parse_server_args(argv, usage):
    """`<port|0> [--host H] [--max-seconds S]` -> (port, host, max_seconds); prints usage, None."""
    host = '127.0.0.1'
    max_seconds = 300.0
    pos = []
    i = 0
    try:
        while i < len(argv):
            a = argv[i]
            if a == '--host':
                i += 1
                host = argv[i]
            elif a == '--max-seconds':
                i += 1
                max_seconds = float(argv[i])
            else:
                pos.append(a)
            i += 1
    except (IndexError, ValueError):
        pos = []
    if len(pos) != 1 or not pos[0].isdigit():
        sys.stderr.write(usage + '\n')
        return None
    return int(pos[0]), host, max_seconds


def parse_client_args(argv, all_checks, usage):
    """`<host> <port> [--checks a,b]` -> (host, port, checks); prints usage and returns None."""
    pos = []
    checks = list(all_checks)
    i = 0
    try:
        while i < len(argv):
            if argv[i] == '--checks':
                i += 1
                checks = [c for c in argv[i].split(',') if c]
            else:
                pos.append(argv[i])
            i += 1
    except IndexError:
        pos = []
    unknown = [c for c in checks if c not in all_checks]
    if len(pos) != 2 or not pos[1].isdigit() or unknown or not checks:
        sys.stderr.write('%s [--checks %s]\n' % (usage, ','.join(all_checks)))
        return None
    return pos[0], pos[1], checks


def log_req(record):
    """One `REQ {...}` line on stderr."""
    sys.stderr.write('REQ ' + json.dumps(record) + '\n')
    sys.stderr.flush()


class Report:
    """The drivers' output: one JSON line per check, then the summary; thread-safe; after
    `cap_seconds` a `_run` failure and the summary are printed and the process exits 1."""

    def __init__(self, cap_seconds):
        self._lock = threading.Lock()
        self.passed = 0
        self.failed = 0
        self._done = False
        self._cap_seconds = cap_seconds
        self._killer = threading.Timer(cap_seconds, self._cap)
        self._killer.daemon = True
        self._killer.start()

    def _out(self, obj):
        with self._lock:
            if self._done:
                return
            if obj.get('summary'):
                self._done = True
            sys.stdout.write(json.dumps(obj, default=repr) + '\n')
            sys.stdout.flush()

    def record(self, name, ok, got=None, why=None, error=None):
        line = {'check': name, 'ok': bool(ok)}
        if got is not None:
            line['got'] = got
        if not ok:
            line['why'] = why or 'unexpected result'
            if error is not None:
                line['error'] = error
        with self._lock:
            if ok:
                self.passed += 1
            else:
                self.failed += 1
        self._out(line)

    def _cap(self):
        self.record('_run', False, why='overall timeout (%d s)' % self._cap_seconds)
        self._out({'summary': True, 'passed': self.passed, 'failed': self.failed})
        os._exit(1)

    def finish(self):
        """Prints the summary; returns the exit code (0 only if every check passed)."""
        self._killer.cancel()
        with self._lock:
            passed, failed = self.passed, self.failed
        self._out({'summary': True, 'passed': passed, 'failed': failed})
        return 0 if failed == 0 else 1
