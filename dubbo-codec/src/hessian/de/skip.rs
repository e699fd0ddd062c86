//! Skipping values without building them (unknown fields, ignored elements), and the small wire
//! helpers of the typed reader. Skipping still records class definitions, type strings and reference
//! slots, so the rest of the stream keeps its numbering.

use crate::hessian::decoder::Decoder;
use crate::hessian::error::DecodeError;
use crate::hessian::tag;

type Result<T> = std::result::Result<T, DecodeError>;

/// A short description of what tag `t` starts, for error messages.
pub(crate) fn tag_kind(t: u8) -> &'static str {
    match t {
        tag::NULL => "null",
        tag::TRUE | tag::FALSE => "bool",
        0x80..=0xD7 | tag::INT => "int",
        0xD8..=0xFF | 0x38..=0x3F | tag::LONG_INT | tag::LONG => "long",
        tag::DOUBLE_ZERO..=tag::DOUBLE_MILL | tag::DOUBLE => "double",
        tag::DATE_MILLIS | tag::DATE_MINUTES => "date",
        _ if Decoder::is_string_tag(t) => "string",
        _ if Decoder::is_binary_tag(t) => "binary",
        tag::CLASS_DEF => "class definition",
        tag::OBJECT | 0x60..=0x6F => "object",
        tag::LIST_VARIABLE_TYPED..=tag::LIST_FIXED_UNTYPED | 0x70..=0x7F => "list",
        tag::UNTYPED_MAP | tag::TYPED_MAP => "map",
        tag::REF => "back-reference",
        _ => "an invalid tag",
    }
}

impl<'de> Decoder<'de> {
    /// Reads any class definitions ahead and returns the next value's tag (not consumed) and offset.
    #[inline]
    pub(crate) fn next_tag(&mut self) -> Result<(u8, usize)> {
        match self.input.get(self.pos) {
            Some(&t) if t != tag::CLASS_DEF => Ok((t, self.pos)),
            _ => self.next_tag_slow(),
        }
    }

    #[inline(never)]
    fn next_tag_slow(&mut self) -> Result<(u8, usize)> {
        loop {
            let at = self.pos;
            let t = self.peek_tag("value")?;
            if t != tag::CLASS_DEF {
                return Ok((t, at));
            }
            self.pos += 1;
            self.read_class_def()?;
        }
    }

    /// Reads a list or map type without keeping it (new type strings still enter the type table).
    pub(crate) fn skip_type(&mut self) -> Result<()> {
        let at = self.pos;
        let t = self.byte("type")?;
        if Self::is_string_tag(t) {
            if self.replay == 0 {
                let mut s = String::new();
                self.string_after(t, at, &mut s)?;
                self.types.push(s);
            } else {
                self.skip_string_after(t, at)?;
            }
            return Ok(());
        }
        let index = self.int_after(t, at)?;
        match usize::try_from(index) {
            Ok(i) if i < self.types.len() => Ok(()),
            _ => Err(DecodeError::UnknownTypeRef {
                offset: at,
                index: i64::from(index),
                defined: self.types.len(),
            }),
        }
    }

    /// The header of the list whose tag `t` (at `at`) was just consumed: its length, `None` for the
    /// variable forms.
    pub(crate) fn list_header_after(&mut self, t: u8) -> Result<Option<usize>> {
        if matches!(
            t,
            tag::LIST_VARIABLE_TYPED | tag::LIST_FIXED_TYPED | 0x70..=0x77
        ) {
            self.skip_type()?;
        }
        Ok(match t {
            tag::LIST_FIXED_TYPED | tag::LIST_FIXED_UNTYPED => {
                let len_at = self.pos;
                let n = self.read_int()?;
                Some(self.bounded_len(len_at, "list", i64::from(n))?)
            }
            0x70..=0x77 => Some(usize::from(t - tag::LIST_DIRECT_TYPED)),
            0x78..=0x7F => Some(usize::from(t - tag::LIST_DIRECT_UNTYPED)),
            _ => None,
        })
    }

    /// Skips the string whose first tag `t` was just consumed.
    pub(crate) fn skip_string_after(&mut self, t: u8, at: usize) -> Result<()> {
        let mut t = t;
        loop {
            let (units, last) = match t {
                0x00..=0x1F => (usize::from(t), true),
                0x30..=0x33 => (
                    (usize::from(t - 0x30) << 8) | usize::from(self.byte("string")?),
                    true,
                ),
                tag::STRING_FINAL => (usize::from(self.u16_be("string")?), true),
                tag::STRING_CHUNK => (usize::from(self.u16_be("string")?), false),
                _ => return Err(self.unexpected(at, t, "string")),
            };
            let end = self
                .utf16_run_end(self.pos, units)?
                .ok_or_else(|| self.eof("string", 1))?;
            self.pos = end.0;
            if last {
                return Ok(());
            }
            let next_at = self.pos;
            t = self.byte("string chunk")?;
            if !Self::is_string_tag(t) {
                return Err(self.unexpected(next_at, t, "string chunk"));
            }
        }
    }

    /// Walks `units` UTF-16 units of CESU-8/UTF-8 starting at byte `from`: the end offset, and whether
    /// the bytes are exactly UTF-8 (no surrogate halves, no 4-byte sequences). `None` if the input ends.
    pub(crate) fn utf16_run_end(&self, from: usize, units: usize) -> Result<Option<(usize, bool)>> {
        let mut p = from;
        let mut left = units;
        let mut exact = true;
        while left > 0 {
            let Some(&b) = self.input.get(p) else {
                return Ok(None);
            };
            let (len, n) = match b {
                0x00..=0x7F => (1, 1),
                0xC0..=0xDF => (2, 1),
                0xE0..=0xEF => {
                    if b == 0xED && self.input.get(p + 1).is_some_and(|&c| c >= 0xA0) {
                        exact = false;
                    }
                    (3, 1)
                }
                0xF0..=0xF7 => {
                    exact = false;
                    (4, 2)
                }
                _ => return Err(DecodeError::BadUtf8 { offset: p }),
            };
            p += len;
            left = left.saturating_sub(n);
        }
        Ok(if p <= self.input.len() {
            Some((p, exact))
        } else {
            None
        })
    }

    /// Skips one whole value (and any class definitions before it).
    pub fn skip_value(&mut self) -> Result<()> {
        let (t, at) = self.next_tag()?;
        self.pos += 1;
        match t {
            tag::NULL | tag::TRUE | tag::FALSE => Ok(()),
            0x80..=0xD7 | tag::INT => self.int_after(t, at).map(|_| ()),
            0xD8..=0xFF | 0x38..=0x3F | tag::LONG_INT | tag::LONG => {
                self.long_after(t, at).map(|_| ())
            }
            tag::DOUBLE_ZERO..=tag::DOUBLE_MILL | tag::DOUBLE => self.double_after(t).map(|_| ()),
            tag::DATE_MILLIS | tag::DATE_MINUTES => self.date_after(t).map(|_| ()),
            _ if Self::is_string_tag(t) => self.skip_string_after(t, at),
            _ if Self::is_binary_tag(t) => self.binary_chunks_after(t, at, |_| {}),
            tag::OBJECT | 0x60..=0x6F => {
                let class = self.instance_class(t, at)?;
                self.take_slot(at);
                self.enter(at)?;
                let n = self.field_count(class);
                for _ in 0..n {
                    self.skip_value()?;
                }
                self.leave();
                Ok(())
            }
            tag::LIST_VARIABLE_TYPED..=tag::LIST_FIXED_UNTYPED | 0x70..=0x7F => {
                let len = self.list_header_after(t)?;
                self.take_slot(at);
                self.enter(at)?;
                match len {
                    Some(n) => {
                        for _ in 0..n {
                            self.skip_value()?;
                        }
                    }
                    None => {
                        while !self.end_if_next()? {
                            self.skip_value()?;
                        }
                    }
                }
                self.leave();
                Ok(())
            }
            tag::UNTYPED_MAP | tag::TYPED_MAP => {
                if t == tag::TYPED_MAP {
                    self.skip_type()?;
                }
                self.take_slot(at);
                self.enter(at)?;
                while !self.end_if_next()? {
                    self.skip_value()?;
                    self.skip_value()?;
                }
                self.leave();
                Ok(())
            }
            tag::REF => self.ref_after(at).map(|_| ()),
            _ => Err(self.unexpected(at, t, "a value")),
        }
    }
}
