//! One-step reads of the most common wire forms (compact ints and longs, short ASCII strings, full
//! doubles), tried before the general paths of the deserializer. Each returns `None` (consuming
//! nothing) when the next value is in any other form, so the general path decides, including errors.

use crate::hessian::decoder::Decoder;
use crate::hessian::tag;

impl<'de> Decoder<'de> {
    /// An int or long in any single form at the cursor: its value and length in bytes.
    #[inline]
    pub(super) fn small_integer(&self) -> Option<(i64, usize)> {
        let at = self.pos;
        let t = *self.input.get(at)?;
        match t {
            0x80..=0xBF => Some((i64::from(t) - 0x90, 1)),
            0xD8..=0xEF => Some((i64::from(t) - 0xE0, 1)),
            0xC0..=0xCF => {
                let b = *self.input.get(at + 1)?;
                Some((((i64::from(t) - 0xC8) << 8) | i64::from(b), 2))
            }
            0xF0..=0xFF => {
                let b = *self.input.get(at + 1)?;
                Some((((i64::from(t) - 0xF8) << 8) | i64::from(b), 2))
            }
            0xD0..=0xD7 | 0x38..=0x3F => {
                let base = if t >= 0xD0 { 0xD4 } else { 0x3C };
                let b: [u8; 2] = self.input.get(at + 1..at + 3)?.try_into().ok()?;
                let v = ((i64::from(t) - base) << 16) | i64::from(u16::from_be_bytes(b));
                Some((v, 3))
            }
            tag::INT | tag::LONG_INT => {
                let b: [u8; 4] = self.input.get(at + 1..at + 5)?.try_into().ok()?;
                Some((i64::from(i32::from_be_bytes(b)), 5))
            }
            tag::LONG => {
                let b: [u8; 8] = self.input.get(at + 1..at + 9)?.try_into().ok()?;
                Some((i64::from_be_bytes(b), 9))
            }
            _ => None,
        }
    }

    /// A single-chunk all-ASCII string of up to 1023 characters (one- or two-byte header) at the
    /// cursor, and its length in bytes with the header.
    #[inline]
    pub(super) fn short_ascii_str(&mut self) -> Option<(&'de str, usize)> {
        let at = self.pos;
        let t = *self.input.get(at)?;
        let (header, len) = match t {
            0x00..=0x1F => (1, usize::from(t)),
            0x30..=0x33 => {
                let b = *self.input.get(at + 1)?;
                (2, (usize::from(t - 0x30) << 8) | usize::from(b))
            }
            _ => return None,
        };
        self.ascii_str(at + header, len).map(|s| (s, header + len))
    }

    /// An 8-byte double (`D`) at the cursor.
    #[inline]
    pub(super) fn full_double(&self) -> Option<f64> {
        let at = self.pos;
        if *self.input.get(at)? != tag::DOUBLE {
            return None;
        }
        let bytes: [u8; 8] = self.input.get(at + 1..at + 9)?.try_into().ok()?;
        Some(f64::from_be_bytes(bytes))
    }
}
