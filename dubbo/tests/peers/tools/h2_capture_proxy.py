#!/usr/bin/env python3
"""Loopback TCP proxy that records every HTTP/2 (h2c) frame in both directions, with HPACK-decoded
headers and the gRPC length-prefixed messages of DATA frames: what a Triple/gRPC peer really sends.

Usage: python3 h2_capture_proxy.py <target_host> <target_port> <out.jsonl> [--max-seconds 60]

Listens on 127.0.0.1 with an OS-chosen port and prints `LISTEN <port>` on stdout. One JSON line per
frame in <out.jsonl>:
  {"conn":n,"dir":"c2s"|"s2c","type":"HEADERS","stream":1,"flags":["END_HEADERS"],
   "headers":[[":method","POST"],...]}                      (CONTINUATION frames are folded in)
  {"conn":n,"dir":..,"type":"DATA","stream":1,"flags":[..],"length":12,
   "messages":[{"compressed":0,"length":7,"hex":"0a05776f726c64"}]}   (messages completed by it)
  {"conn":n,"dir":..,"type":"SETTINGS"|"WINDOW_UPDATE"|"PING"|"RST_STREAM"|"GOAWAY"|..,
   "stream":0,"flags":[..],"payload_hex":".."}
  {"conn":n,"dir":"c2s","type":"PREFACE"} for the client connection preface.
Needs the PyPI package `hpack` (installed with `h2`, a dependency of apache-dubbo); exit 3 without.
Exits after --max-seconds.
"""
import json
import os
import struct
import sys
import threading

sys.dont_write_bytecode = True  # no __pycache__ next to the drivers
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from capture_proxy import close_both, forward_forever  # noqa: E402

PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
TYPES = {0: 'DATA', 1: 'HEADERS', 2: 'PRIORITY', 3: 'RST_STREAM', 4: 'SETTINGS', 5: 'PUSH_PROMISE',
         6: 'PING', 7: 'GOAWAY', 8: 'WINDOW_UPDATE', 9: 'CONTINUATION'}
FLAG_NAMES = {0x1: 'END_STREAM', 0x4: 'END_HEADERS', 0x8: 'PADDED', 0x20: 'PRIORITY'}

lock = threading.Lock()


def flag_list(ftype, flags):
    if ftype in (4, 6):  # SETTINGS, PING
        return ['ACK'] if flags & 0x1 else []
    return [name for bit, name in sorted(FLAG_NAMES.items()) if flags & bit]


class Direction:
    """Splits one direction's byte stream into frames and describes them."""

    def __init__(self, direction, hpack):
        self.direction = direction
        self.buf = b''
        self.preface_seen = direction != 'c2s'
        self.decoder = hpack.Decoder()
        self.decoder.max_allowed_table_size = 1 << 20
        self.header_block = None  # (stream, flags, bytes) while CONTINUATION frames follow
        self.grpc_buf = {}

    def feed(self, data):
        self.buf += data
        out = []
        if not self.preface_seen:
            if len(self.buf) < len(PREFACE):
                return out
            if self.buf.startswith(PREFACE):
                out.append({'type': 'PREFACE'})
                self.buf = self.buf[len(PREFACE):]
            self.preface_seen = True
        while len(self.buf) >= 9:
            length = int.from_bytes(self.buf[0:3], 'big')
            if len(self.buf) < 9 + length:
                break
            ftype, flags = self.buf[3], self.buf[4]
            stream = struct.unpack('>I', self.buf[5:9])[0] & 0x7FFFFFFF
            payload = self.buf[9:9 + length]
            self.buf = self.buf[9 + length:]
            rec = self.describe(ftype, flags, stream, payload)
            if rec is not None:
                out.append(rec)
        return out

    def strip_padding(self, flags, payload, priority):
        if flags & 0x8:
            pad = payload[0]
            payload = payload[1:len(payload) - pad]
        if priority:
            payload = payload[5:]
        return payload

    def describe(self, ftype, flags, stream, payload):
        name = TYPES.get(ftype, 'UNKNOWN_%d' % ftype)
        rec = {'type': name, 'stream': stream, 'flags': flag_list(ftype, flags)}
        if ftype == 1:  # HEADERS
            block = self.strip_padding(flags, payload, flags & 0x20)
            if not flags & 0x4:
                self.header_block = (stream, flags, block)
                return None
            rec['headers'] = self.decode(block)
        elif ftype == 9 and self.header_block is not None:  # CONTINUATION
            s, first_flags, block = self.header_block
            block += payload
            if not flags & 0x4:
                self.header_block = (s, first_flags, block)
                return None
            self.header_block = None
            rec = {'type': 'HEADERS', 'stream': s,
                   'flags': flag_list(1, first_flags | 0x4) + ['CONTINUED'],
                   'headers': self.decode(block)}
        elif ftype == 0:  # DATA
            data = self.strip_padding(flags, payload, False)
            rec['length'] = len(data)
            buf = self.grpc_buf.get(stream, b'') + data
            messages = []
            while len(buf) >= 5:
                mlen = struct.unpack('>I', buf[1:5])[0]
                if len(buf) < 5 + mlen:
                    break
                messages.append({'compressed': buf[0], 'length': mlen,
                                 'hex': buf[5:5 + mlen].hex()})
                buf = buf[5 + mlen:]
            self.grpc_buf[stream] = buf
            rec['messages'] = messages
            if buf:
                rec['pending_bytes'] = len(buf)
        else:
            rec['payload_hex'] = payload.hex()
        return rec

    def decode(self, block):
        try:
            return [[k if isinstance(k, str) else k.decode('latin-1'),
                     v if isinstance(v, str) else v.decode('latin-1')]
                    for k, v in self.decoder.decode(block, raw=True)]
        except Exception as e:  # a broken header block is worth recording too
            return [['<hpack error>', str(e)], ['<raw hex>', block.hex()]]


def pump(src, dst, splitter, conn_id, out):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            # record first, forward after: the file order then follows causality (a response
            # is never recorded before the request it answers)
            for rec in splitter.feed(data):
                line = {'conn': conn_id, 'dir': splitter.direction}
                line.update(rec)
                with lock:
                    out.write(json.dumps(line) + '\n')
                    out.flush()
            dst.sendall(data)
    except OSError as e:
        sys.stderr.write('conn %d %s: %s\n' % (conn_id, splitter.direction, e))
    except Exception as e:  # a decoding bug must not go unnoticed: say so, then close
        sys.stderr.write('conn %d %s: %s: %s\n' % (conn_id, splitter.direction,
                                                    type(e).__name__, e))
    finally:
        close_both(src, dst)


def main():
    args = sys.argv[1:]
    max_seconds = 60.0
    if '--max-seconds' in args:
        k = args.index('--max-seconds')
        max_seconds = float(args[k + 1])
        del args[k:k + 2]
    if len(args) != 3 or not args[1].isdigit():
        sys.stderr.write(__doc__)
        return 2
    try:
        import hpack
    except ImportError as e:
        sys.stderr.write('cannot import hpack (bash scripts/test.sh --install): %s\n' % e)
        return 3
    thost, tport, path = args[0], int(args[1]), args[2]
    out = open(path, 'a')

    def start_pumps(c, s, n):
        for a, b, d in ((c, s, 'c2s'), (s, c, 's2c')):
            th = threading.Thread(target=pump, args=(a, b, Direction(d, hpack), n, out),
                                  daemon=True)
            th.start()

    forward_forever(thost, tport, max_seconds, start_pumps)


if __name__ == '__main__':
    sys.exit(main())
