//! Tag bytes of the Hessian 2.0 grammar as dubbo-hessian-lite uses them.

pub const NULL: u8 = b'N';
pub const TRUE: u8 = b'T';
pub const FALSE: u8 = b'F';
pub const INT: u8 = b'I';
pub const LONG: u8 = b'L';
pub const LONG_INT: u8 = 0x59;
pub const DOUBLE: u8 = b'D';
pub const DOUBLE_ZERO: u8 = 0x5B;
pub const DOUBLE_ONE: u8 = 0x5C;
pub const DOUBLE_BYTE: u8 = 0x5D;
pub const DOUBLE_SHORT: u8 = 0x5E;
pub const DOUBLE_MILL: u8 = 0x5F;
pub const DATE_MILLIS: u8 = 0x4A;
pub const DATE_MINUTES: u8 = 0x4B;
pub const STRING_CHUNK: u8 = b'R';
pub const STRING_FINAL: u8 = b'S';
pub const BINARY_CHUNK: u8 = b'A';
pub const BINARY_FINAL: u8 = b'B';
pub const CLASS_DEF: u8 = b'C';
pub const OBJECT: u8 = b'O';
pub const OBJECT_DIRECT: u8 = 0x60;
pub const UNTYPED_MAP: u8 = b'H';
pub const TYPED_MAP: u8 = b'M';
pub const END: u8 = b'Z';
pub const REF: u8 = 0x51;
pub const LIST_VARIABLE_TYPED: u8 = 0x55;
pub const LIST_FIXED_TYPED: u8 = 0x56;
pub const LIST_VARIABLE_UNTYPED: u8 = 0x57;
pub const LIST_FIXED_UNTYPED: u8 = 0x58;
pub const LIST_DIRECT_TYPED: u8 = 0x70;
pub const LIST_DIRECT_UNTYPED: u8 = 0x78;
/// Largest list length with a one-byte (`0x70`/`0x78` based) form.
pub const LIST_DIRECT_MAX: usize = 7;
pub const STRING_DIRECT_MAX: usize = 0x1F;
pub const STRING_SHORT: u8 = 0x30;
pub const STRING_SHORT_MAX: usize = 0x3FF;
pub const BINARY_DIRECT: u8 = 0x20;
pub const BINARY_DIRECT_MAX: usize = 0x0F;
pub const BINARY_SHORT: u8 = 0x34;
pub const BINARY_SHORT_MAX: usize = 0x3FF;
/// UTF-16 units in one non-final string chunk written by Java.
pub const STRING_CHUNK_UNITS: usize = 0x8000;
/// Bytes in one non-final binary chunk written by hessian-lite 4.0.x from a fresh buffer.
pub const BINARY_CHUNK_BYTES: usize = 8189;
