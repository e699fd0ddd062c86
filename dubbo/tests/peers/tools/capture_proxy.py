#!/usr/bin/env python3
"""Tiny loopback TCP proxy that records every Dubbo2 frame in both directions.

Usage: python3 capture_proxy.py <target_host> <target_port> <out.jsonl> [--max-seconds 60]

Listens on 127.0.0.1 with an OS-chosen port and prints `LISTEN <port>` on stdout.
Each frame becomes one JSON line in <out.jsonl>: {"conn":n,"dir":"c2s"|"s2c", "flag":..,
"flag_bits":[..], "status":.., "request_id":"..", "body_length":.., "hex":"..",
"body_values":[typed values]} (see hessian_peek.py). Exits after --max-seconds.
"""
import json
import os
import socket
import sys
import threading

sys.dont_write_bytecode = True  # no __pycache__ next to the drivers
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hessian_peek import FrameSplitter, describe_frame  # noqa: E402

lock = threading.Lock()


def pump(src, dst, direction, conn_id, out):
    splitter = FrameSplitter()
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
            for kind, fr in splitter.feed(data):
                rec = {'conn': conn_id, 'dir': direction}
                if kind == 'frame':
                    rec.update(describe_frame(fr))
                else:
                    rec['garbage_hex'] = fr.hex()
                with lock:
                    out.write(json.dumps(rec) + '\n')
                    out.flush()
    except OSError:
        pass
    finally:
        close_both(src, dst)


def close_both(*socks):
    for s in socks:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def forward_forever(thost, tport, max_seconds, start_pumps):
    """Listens on 127.0.0.1 (OS-chosen port), prints `LISTEN <port>`, exits the process after
    max_seconds; connects every accepted client (numbered from 1) to thost:tport and calls
    start_pumps(client_socket, target_socket, n). Shared with h2_capture_proxy.py."""
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(('127.0.0.1', 0))
    ls.listen(16)
    print('LISTEN %d' % ls.getsockname()[1], flush=True)
    t = threading.Timer(max_seconds, lambda: os._exit(0))
    t.daemon = True
    t.start()
    n = 0
    while True:
        c, _ = ls.accept()
        n += 1
        try:
            s = socket.create_connection((thost, tport), timeout=10)
        except OSError as e:
            sys.stderr.write('conn %d: cannot connect to %s:%d: %s\n' % (n, thost, tport, e))
            c.close()
            continue
        s.settimeout(None)
        start_pumps(c, s, n)


def main():
    args = sys.argv[1:]
    max_seconds = 60
    if '--max-seconds' in args:
        k = args.index('--max-seconds')
        max_seconds = float(args[k + 1])
        del args[k:k + 2]
    if len(args) != 3:
        sys.stderr.write(__doc__)
        return 2
    thost, tport, path = args[0], int(args[1]), args[2]
    out = open(path, 'a')

    def start_pumps(c, s, n):
        for a, b, d in ((c, s, 'c2s'), (s, c, 's2c')):
            th = threading.Thread(target=pump, args=(a, b, d, n, out), daemon=True)
            th.start()

    forward_forever(thost, tport, max_seconds, start_pumps)


if __name__ == '__main__':
    sys.exit(main())
