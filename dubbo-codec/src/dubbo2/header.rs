//! The 16-byte Dubbo2 frame header: magic, flag byte, status byte, request id and body length.
//!
//! Layout (all big-endian, Java `ExchangeCodec`):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 2 | magic `0xdabb` |
//! | 2 | 1 | flag: [`FLAG_REQUEST`], [`FLAG_TWOWAY`], [`FLAG_EVENT`], serialization id in the low 5 bits |
//! | 3 | 1 | status (responses only, see [`Status`]; `0` in requests) |
//! | 4 | 8 | request id, signed |
//! | 12 | 4 | body length, signed, header excluded |

use super::status::Status;

/// The two magic bytes every frame starts with (`ExchangeCodec.MAGIC = (short) 0xdabb`).
pub const MAGIC: [u8; 2] = [0xDA, 0xBB];

/// Header length in bytes.
pub const HEADER_LENGTH: usize = 16;

/// Flag bit: the frame is a request (else a response).
pub const FLAG_REQUEST: u8 = 0x80;

/// Flag bit: the request expects a response (Java never sets it on responses).
pub const FLAG_TWOWAY: u8 = 0x40;

/// Flag bit: an event (heartbeat, readonly, writeable). On responses Java sets it only for heartbeats.
pub const FLAG_EVENT: u8 = 0x20;

/// Mask of the serialization id in the flag byte.
pub const SERIALIZATION_MASK: u8 = 0x1F;

/// Serialization id of hessian2, the only one this crate reads and writes.
pub const HESSIAN2: u8 = 2;

/// The SPI name Java gives a serialization id (reference §1.6), for messages.
pub fn serialization_name(id: u8) -> Option<&'static str> {
    Some(match id {
        2 => "hessian2",
        3 => "java",
        4 => "compactedjava",
        6 => "fastjson",
        7 => "nativejava",
        8 => "kryo",
        9 => "fst",
        10 => "native-hessian",
        11 => "avro",
        12 => "protostuff",
        16 => "gson",
        18 => "jackson",
        21 => "protobuf-json",
        22 => "protobuf",
        23 => "fastjson2",
        25 => "kryo2",
        27 => "msgpack",
        28 => "fury",
        31 => "custom-message-pack",
        _ => return None,
    })
}

/// A parsed frame header. Fields are the raw wire values; the methods interpret them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    /// Byte 2: request/two-way/event bits and the serialization id.
    pub flag: u8,
    /// Byte 3: the response status (`0` in requests).
    pub status: u8,
    /// Bytes 4–11: the request id (a response carries the id of its request).
    pub id: i64,
    /// Bytes 12–15: the body length as written (may be negative on a broken peer).
    pub body_len: i32,
}

impl Header {
    /// A header with the given fields.
    pub fn new(flag: u8, status: u8, id: i64, body_len: i32) -> Header {
        Header {
            flag,
            status,
            id,
            body_len,
        }
    }

    /// Parses 16 header bytes. `None` if `bytes` is shorter than [`HEADER_LENGTH`] or does not start
    /// with [`MAGIC`]; bytes after the header are ignored.
    pub fn parse(bytes: &[u8]) -> Option<Header> {
        let h: &[u8; HEADER_LENGTH] = bytes.get(..HEADER_LENGTH)?.try_into().ok()?;
        let [
            m0,
            m1,
            flag,
            status,
            i0,
            i1,
            i2,
            i3,
            i4,
            i5,
            i6,
            i7,
            l0,
            l1,
            l2,
            l3,
        ] = *h;
        if [m0, m1] != MAGIC {
            return None;
        }
        Some(Header {
            flag,
            status,
            id: i64::from_be_bytes([i0, i1, i2, i3, i4, i5, i6, i7]),
            body_len: i32::from_be_bytes([l0, l1, l2, l3]),
        })
    }

    /// The 16 wire bytes of this header.
    pub fn to_bytes(&self) -> [u8; HEADER_LENGTH] {
        let [m0, m1] = MAGIC;
        let [i0, i1, i2, i3, i4, i5, i6, i7] = self.id.to_be_bytes();
        let [l0, l1, l2, l3] = self.body_len.to_be_bytes();
        [
            m0,
            m1,
            self.flag,
            self.status,
            i0,
            i1,
            i2,
            i3,
            i4,
            i5,
            i6,
            i7,
            l0,
            l1,
            l2,
            l3,
        ]
    }

    /// True for requests (including request events such as heartbeats and readonly).
    pub fn is_request(&self) -> bool {
        self.flag & FLAG_REQUEST != 0
    }

    /// True if the TWOWAY bit is set (meaningful on requests only).
    pub fn is_two_way(&self) -> bool {
        self.flag & FLAG_TWOWAY != 0
    }

    /// True if the EVENT bit is set.
    pub fn is_event(&self) -> bool {
        self.flag & FLAG_EVENT != 0
    }

    /// The serialization id (low 5 bits of the flag).
    pub fn serialization_id(&self) -> u8 {
        self.flag & SERIALIZATION_MASK
    }

    /// The status byte interpreted (meaningful on responses only).
    pub fn status(&self) -> Status {
        Status::from_u8(self.status)
    }
}

/// The flag byte Java writes for a request (`0xC2` two-way, `0x82` one-way with hessian2).
pub fn request_flag(two_way: bool, event: bool) -> u8 {
    let mut flag = FLAG_REQUEST | HESSIAN2;
    if two_way {
        flag |= FLAG_TWOWAY;
    }
    if event {
        flag |= FLAG_EVENT;
    }
    flag
}

/// The flag byte Java writes for a response (`0x02`, or `0x22` for a heartbeat/event response).
pub fn response_flag(event: bool) -> u8 {
    if event {
        HESSIAN2 | FLAG_EVENT
    } else {
        HESSIAN2
    }
}
