"""Minimal Hessian 2 decoder + Dubbo2 frame splitter, written for inspecting what the
interop peers put on the wire. Decoded values use the typed notation of
shared/conformance/README.md ({"t":"string","v":...}, {"t":"list","type":...,"items":[...]}, ...).
Standard library only; not a production decoder.
"""
import struct


class HessianError(Exception):
    pass


class Decoder:
    def __init__(self, data):
        self.d = bytes(data)
        self.i = 0
        self.types = []     # type table (list / map types)
        self.classes = []   # class definitions: (name, [fields])
        self.slots = 0      # reference slots handed out

    def eof(self):
        return self.i >= len(self.d)

    def byte(self):
        if self.i >= len(self.d):
            raise HessianError('unexpected end of data at %d' % self.i)
        b = self.d[self.i]
        self.i += 1
        return b

    def take(self, n):
        if self.i + n > len(self.d):
            raise HessianError('unexpected end of data at %d (+%d)' % (self.i, n))
        b = self.d[self.i:self.i + n]
        self.i += n
        return b

    def peek(self):
        return self.d[self.i]

    # --- strings -------------------------------------------------------------------
    def _utf16_units(self, n):
        units = []
        for _ in range(n):
            c = self.byte()
            if c < 0x80:
                units.append(c)
            elif (c & 0xe0) == 0xc0:
                units.append(((c & 0x1f) << 6) | (self.byte() & 0x3f))
            elif (c & 0xf0) == 0xe0:
                c1, c2 = self.byte(), self.byte()
                units.append(((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f))
            else:
                raise HessianError('bad utf-8 lead byte 0x%02x at %d' % (c, self.i - 1))
        return units

    def _string_after(self, code):
        units = []
        while True:
            if code <= 0x1f:
                units += self._utf16_units(code)
                break
            if 0x30 <= code <= 0x33:
                units += self._utf16_units(((code - 0x30) << 8) | self.byte())
                break
            if code in (0x52, 0x53):
                n = struct.unpack('>H', self.take(2))[0]
                units += self._utf16_units(n)
                if code == 0x53:
                    break
                code = self.byte()
                continue
            raise HessianError('expected string chunk, got 0x%02x' % code)
        raw = struct.pack('>%dH' % len(units), *units)
        return raw.decode('utf-16-be', errors='surrogatepass')

    def read_string(self):
        return self._string_after(self.byte())

    def read_type(self):
        code = self.peek()
        if code <= 0x1f or 0x30 <= code <= 0x33 or code in (0x52, 0x53):
            t = self.read_string()
            self.types.append(t)
            return t
        idx = self.read_value()
        if idx.get('t') != 'int':
            raise HessianError('bad type reference %r' % idx)
        return self.types[idx['v']]

    def _int_value(self):
        v = self.read_value()
        if v.get('t') != 'int':
            raise HessianError('expected int, got %r' % v)
        return v['v']

    # --- values --------------------------------------------------------------------
    def read_value(self):
        c = self.byte()
        if c == 0x4e:
            return {'t': 'null'}
        if c == 0x54:
            return {'t': 'bool', 'v': True}
        if c == 0x46:
            return {'t': 'bool', 'v': False}
        if 0x80 <= c <= 0xbf:
            return {'t': 'int', 'v': c - 0x90}
        if 0xc0 <= c <= 0xcf:
            return {'t': 'int', 'v': ((c - 0xc8) << 8) | self.byte()}
        if 0xd0 <= c <= 0xd7:
            b = self.take(2)
            return {'t': 'int', 'v': ((c - 0xd4) << 16) | (b[0] << 8) | b[1]}
        if c == 0x49:
            return {'t': 'int', 'v': struct.unpack('>i', self.take(4))[0]}
        if 0xd8 <= c <= 0xef:
            return {'t': 'long', 'v': str(c - 0xe0)}
        if 0xf0 <= c <= 0xff:
            return {'t': 'long', 'v': str(((c - 0xf8) << 8) | self.byte())}
        if 0x38 <= c <= 0x3f:
            b = self.take(2)
            return {'t': 'long', 'v': str(((c - 0x3c) << 16) | (b[0] << 8) | b[1])}
        if c == 0x59:
            return {'t': 'long', 'v': str(struct.unpack('>i', self.take(4))[0])}
        if c == 0x4c:
            return {'t': 'long', 'v': str(struct.unpack('>q', self.take(8))[0])}
        if c in (0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x44):
            if c == 0x5b:
                v = 0.0
            elif c == 0x5c:
                v = 1.0
            elif c == 0x5d:
                v = float(struct.unpack('>b', self.take(1))[0])
            elif c == 0x5e:
                v = float(struct.unpack('>h', self.take(2))[0])
            elif c == 0x5f:
                v = 0.001 * struct.unpack('>i', self.take(4))[0]
            else:
                v = struct.unpack('>d', self.take(8))[0]
            return {'t': 'double', 'v': v, 'bits': struct.pack('>d', v).hex()}
        if c == 0x4a:
            return {'t': 'date', 'millis': str(struct.unpack('>q', self.take(8))[0])}
        if c == 0x4b:
            return {'t': 'date', 'millis': str(struct.unpack('>i', self.take(4))[0] * 60000)}
        if c <= 0x1f or 0x30 <= c <= 0x33 or c in (0x52, 0x53):
            return {'t': 'string', 'v': self._string_after(c)}
        if 0x20 <= c <= 0x2f or 0x34 <= c <= 0x37 or c in (0x41, 0x42):
            out = b''
            while True:
                if 0x20 <= c <= 0x2f:
                    out += self.take(c - 0x20)
                    break
                if 0x34 <= c <= 0x37:
                    out += self.take(((c - 0x34) << 8) | self.byte())
                    break
                n = struct.unpack('>H', self.take(2))[0]
                out += self.take(n)
                if c == 0x42:
                    break
                c = self.byte()
            return {'t': 'binary', 'hex': out.hex()}
        if c in (0x55, 0x56, 0x57, 0x58) or 0x70 <= c <= 0x7f:
            typ = None
            if c in (0x55, 0x56) or 0x70 <= c <= 0x77:
                typ = self.read_type()
            self.slots += 1
            items = []
            if c in (0x55, 0x57):
                while self.peek() != 0x5a:
                    items.append(self.read_value())
                self.byte()
            else:
                if c in (0x56, 0x58):
                    n = self._int_value()
                elif c <= 0x77:
                    n = c - 0x70
                else:
                    n = c - 0x78
                for _ in range(n):
                    items.append(self.read_value())
            return {'t': 'list', 'type': typ, 'items': items}
        if c in (0x48, 0x4d):
            typ = self.read_type() if c == 0x4d else None
            self.slots += 1
            entries = []
            while self.peek() != 0x5a:
                k = self.read_value()
                v = self.read_value()
                entries.append([k, v])
            self.byte()
            return {'t': 'map', 'type': typ, 'entries': entries}
        if c == 0x43:
            name = self.read_string()
            n = self._int_value()
            fields = [self.read_string() for _ in range(n)]
            self.classes.append((name, fields))
            return self.read_value()  # a definition is followed by a value
        if c == 0x4f or 0x60 <= c <= 0x6f:
            idx = self._int_value() if c == 0x4f else c - 0x60
            name, fields = self.classes[idx]
            self.slots += 1
            vals = [[f, self.read_value()] for f in fields]
            return {'t': 'object', 'class': name, 'fields': vals}
        if c == 0x51:
            return {'t': 'ref', 'index': self._int_value()}
        raise HessianError('unknown hessian code 0x%02x at %d' % (c, self.i - 1))

    def read_all(self):
        vals = []
        while not self.eof():
            vals.append(self.read_value())
        return vals


def decode_values(body):
    d = Decoder(body)
    try:
        return d.read_all(), None
    except Exception as e:  # keep what was decoded
        return None, '%s: %s' % (type(e).__name__, e)


def flag_bits(flag):
    bits = []
    if flag & 0x80:
        bits.append('REQUEST')
    if flag & 0x40:
        bits.append('TWOWAY')
    if flag & 0x20:
        bits.append('EVENT')
    bits.append('serialization=%d' % (flag & 0x1f))
    return bits


def describe_frame(frame):
    """frame: bytes of one complete dubbo frame (header + body)."""
    flag = frame[2]
    body = frame[16:]
    values, err = decode_values(body)
    rec = {
        'flag': '%02x' % flag,
        'flag_bits': flag_bits(flag),
        'status': frame[3],
        'request_id': str(struct.unpack('>Q', frame[4:12])[0]),
        'body_length': struct.unpack('>I', frame[12:16])[0],
        'hex': frame.hex(),
    }
    if values is not None:
        rec['body_values'] = values
    else:
        rec['decode_error'] = err
    return rec


class FrameSplitter:
    """Accumulates a byte stream and yields complete dubbo frames."""

    def __init__(self):
        self.buf = b''

    def feed(self, data):
        self.buf += data
        frames = []
        while len(self.buf) >= 16:
            if self.buf[0] != 0xda or self.buf[1] != 0xbb:
                frames.append(('garbage', self.buf))
                self.buf = b''
                break
            n = struct.unpack('>I', self.buf[12:16])[0]
            if len(self.buf) < 16 + n:
                break
            frames.append(('frame', self.buf[:16 + n]))
            self.buf = self.buf[16 + n:]
        return frames
