//! The Hessian2 stream reader: input cursor, per-stream tables and bounded primitive reads.
//!
//! One [`Decoder`] is one Hessian stream: its class definitions, type strings and reference slots are
//! shared by every value read from it, as in one Dubbo body.

use std::borrow::Cow;

use super::error::DecodeError;
use super::table::Table;
use super::tag;

type Result<T> = std::result::Result<T, DecodeError>;

/// Limits applied while decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecoderOptions {
    /// Maximum nesting of lists, maps and objects (default 128).
    pub max_depth: usize,
}

impl Default for DecoderOptions {
    fn default() -> Self {
        DecoderOptions { max_depth: 128 }
    }
}

/// A name read from the stream (class or field): borrowed from the input when it is exact UTF-8 there
/// (the common case), else the index of an owned copy in the decoder's `owned_names`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Name<'de> {
    Input(&'de str),
    Owned(usize),
}

impl Default for Name<'_> {
    fn default() -> Self {
        Name::Input("")
    }
}

/// A class definition read from the stream. Its field names are `field_count` entries of the
/// decoder's `field_names` from `first_field` (one table for every class).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ClassDef<'de> {
    pub(crate) name: Name<'de>,
    pub(crate) first_field: usize,
    pub(crate) field_count: usize,
}

/// Class definitions kept inline in a [`Decoder`] (more spill to the heap).
const INLINE_CLASSES: usize = 4;
/// Field names kept inline (all the fields of the first few classes of a typical body).
const INLINE_FIELDS: usize = 16;
/// Reference slots kept inline.
const INLINE_SLOTS: usize = 16;

/// Reads Hessian2 values from a byte slice.
#[derive(Debug)]
pub struct Decoder<'de> {
    pub(crate) input: &'de [u8],
    pub(crate) pos: usize,
    pub(crate) classes: Table<ClassDef<'de>, INLINE_CLASSES>,
    /// The field names of every class definition, in order.
    pub(crate) field_names: Table<Name<'de>, INLINE_FIELDS>,
    /// Class and field names that are not exact UTF-8 in the input (chunked, or CESU-8 surrogates).
    owned_names: Vec<String>,
    pub(crate) types: Vec<String>,
    /// Start offset of the value that took each reference slot.
    pub(crate) slots: Table<usize, INLINE_SLOTS>,
    pub(crate) depth: usize,
    pub(crate) max_depth: usize,
    /// Greater than zero while a referenced value is being read a second time: tables stay as they are.
    pub(crate) replay: usize,
    /// The last run of ASCII input validated as a `str` (it starts at byte `ascii_from`): short
    /// strings inside it are sliced out instead of being validated one by one.
    ascii_from: usize,
    ascii_run: &'de str,
}

/// How far past the string being read an ASCII run is validated ahead (bounds the work per string).
const ASCII_LOOKAHEAD: usize = 256;

impl<'de> Decoder<'de> {
    /// A decoder over `input` with default limits.
    pub fn new(input: &'de [u8]) -> Self {
        Decoder::with_options(input, DecoderOptions::default())
    }

    /// A decoder over `input` with the given limits.
    pub fn with_options(input: &'de [u8], options: DecoderOptions) -> Self {
        Decoder {
            input,
            pos: 0,
            classes: Table::new(),
            field_names: Table::new(),
            owned_names: Vec::new(),
            types: Vec::new(),
            slots: Table::new(),
            depth: 0,
            max_depth: options.max_depth,
            replay: 0,
            ascii_from: 0,
            ascii_run: "",
        }
    }

    /// Byte offset of the next value.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes not read yet.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.input.len().saturating_sub(self.pos)
    }

    /// True when every byte has been read.
    pub fn is_at_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    /// The next byte without consuming it.
    #[inline]
    pub fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// The unread input.
    pub fn rest(&self) -> &'de [u8] {
        self.input.get(self.pos..).unwrap_or(&[])
    }

    pub(crate) fn eof(&self, what: &'static str, needed: usize) -> DecodeError {
        DecodeError::UnexpectedEof {
            offset: self.pos,
            what,
            needed,
        }
    }

    pub(crate) fn unexpected(&self, at: usize, tag: u8, expected: &'static str) -> DecodeError {
        DecodeError::UnexpectedTag {
            offset: at,
            tag,
            expected,
        }
    }

    #[inline]
    pub(crate) fn byte(&mut self, what: &'static str) -> Result<u8> {
        let b = self.peek().ok_or_else(|| self.eof(what, 1))?;
        self.pos += 1;
        Ok(b)
    }

    #[inline]
    pub(crate) fn peek_tag(&self, what: &'static str) -> Result<u8> {
        self.peek().ok_or_else(|| self.eof(what, 1))
    }

    pub(crate) fn take(&mut self, n: usize, what: &'static str) -> Result<&'de [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.input.len());
        match end.and_then(|e| self.input.get(self.pos..e)) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(self.eof(what, n - self.remaining())),
        }
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N]> {
        let s = self.take(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    pub(crate) fn u16_be(&mut self, what: &'static str) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn i32_be(&mut self, what: &'static str) -> Result<i32> {
        Ok(i32::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn i64_be(&mut self, what: &'static str) -> Result<i64> {
        Ok(i64::from_be_bytes(self.array(what)?))
    }

    /// Checks that a count of items, each at least one byte long, fits in the remaining input.
    pub(crate) fn bounded_len(&self, at: usize, what: &'static str, length: i64) -> Result<usize> {
        let remaining = self.remaining();
        match usize::try_from(length) {
            Ok(n) if n <= remaining => Ok(n),
            _ => Err(DecodeError::BadLength {
                offset: at,
                what,
                length,
                remaining,
            }),
        }
    }

    #[inline]
    pub(crate) fn enter(&mut self, at: usize) -> Result<()> {
        if self.depth >= self.max_depth {
            return Err(DecodeError::TooDeep {
                offset: at,
                limit: self.max_depth,
            });
        }
        self.depth += 1;
        Ok(())
    }

    #[inline]
    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Gives the container starting at `at` the next reference slot.
    #[inline]
    pub(crate) fn take_slot(&mut self, at: usize) {
        if self.replay == 0 {
            self.slots.push(at);
        }
    }

    /// Consumes the end marker `Z` if it is next.
    pub(crate) fn end_if_next(&mut self) -> Result<bool> {
        if self.peek_tag("end of list or map")? == tag::END {
            self.pos += 1;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// The int whose tag byte `t` (at `at`) was just consumed; long forms in the int range are accepted.
    pub(crate) fn int_after(&mut self, t: u8, at: usize) -> Result<i32> {
        match t {
            0x80..=0xBF => Ok(i32::from(t) - 0x90),
            0xC0..=0xCF => Ok(((i32::from(t) - 0xC8) << 8) | i32::from(self.byte("int")?)),
            0xD0..=0xD7 => {
                let b = self.array::<2>("int")?;
                Ok(((i32::from(t) - 0xD4) << 16) | (i32::from(b[0]) << 8) | i32::from(b[1]))
            }
            tag::INT => self.i32_be("int"),
            _ => {
                let v = self.long_after(t, at)?;
                i32::try_from(v).map_err(|_| DecodeError::Mismatch {
                    offset: at,
                    message: format!("long {v} does not fit in an int"),
                })
            }
        }
    }

    /// The long whose tag byte `t` (at `at`) was just consumed; int forms are accepted.
    pub(crate) fn long_after(&mut self, t: u8, at: usize) -> Result<i64> {
        match t {
            0xD8..=0xEF => Ok(i64::from(t) - 0xE0),
            0xF0..=0xFF => Ok(((i64::from(t) - 0xF8) << 8) | i64::from(self.byte("long")?)),
            0x38..=0x3F => {
                let b = self.array::<2>("long")?;
                Ok(((i64::from(t) - 0x3C) << 16) | (i64::from(b[0]) << 8) | i64::from(b[1]))
            }
            tag::LONG_INT => Ok(i64::from(self.i32_be("long")?)),
            tag::LONG => self.i64_be("long"),
            0x80..=0xD7 | tag::INT => Ok(i64::from(self.int_after(t, at)?)),
            _ => Err(self.unexpected(at, t, "int or long")),
        }
    }

    /// The double whose tag byte `t` was just consumed (`None` if `t` is not a double form).
    pub(crate) fn double_after(&mut self, t: u8) -> Result<Option<f64>> {
        Ok(Some(match t {
            tag::DOUBLE_ZERO => 0.0,
            tag::DOUBLE_ONE => 1.0,
            tag::DOUBLE_BYTE => f64::from(self.byte("double")? as i8),
            tag::DOUBLE_SHORT => f64::from(i16::from_be_bytes(self.array("double")?)),
            tag::DOUBLE_MILL => 0.001 * f64::from(self.i32_be("double")?),
            tag::DOUBLE => f64::from_bits(self.i64_be("double")? as u64),
            _ => return Ok(None),
        }))
    }

    /// The date (ms since the epoch) whose tag byte `t` was just consumed, if `t` is a date form.
    pub(crate) fn date_after(&mut self, t: u8) -> Result<Option<i64>> {
        Ok(match t {
            tag::DATE_MILLIS => Some(self.i64_be("date")?),
            tag::DATE_MINUTES => Some(i64::from(self.i32_be("date")?) * 60_000),
            _ => None,
        })
    }

    /// Reads a structural int (any int or long form in range).
    pub fn read_int(&mut self) -> Result<i32> {
        let at = self.pos;
        let t = self.byte("int")?;
        self.int_after(t, at)
    }

    /// Reads a long (any long or int form).
    pub fn read_long(&mut self) -> Result<i64> {
        let at = self.pos;
        let t = self.byte("long")?;
        self.long_after(t, at)
    }

    /// Reads a string, or `None` for `N`.
    pub fn read_string_or_null(&mut self) -> Result<Option<String>> {
        let at = self.pos;
        let t = self.byte("string")?;
        if t == tag::NULL {
            return Ok(None);
        }
        let mut s = String::new();
        self.string_after(t, at, &mut s)?;
        Ok(Some(s))
    }

    /// Reads a string (`N` is an error).
    pub fn read_string(&mut self) -> Result<String> {
        let at = self.pos;
        self.read_string_or_null()?
            .ok_or(DecodeError::UnexpectedTag {
                offset: at,
                tag: tag::NULL,
                expected: "string",
            })
    }

    /// True if `t` starts a string.
    pub(crate) fn is_string_tag(t: u8) -> bool {
        matches!(t, 0x00..=0x1F | 0x30..=0x33 | tag::STRING_CHUNK | tag::STRING_FINAL)
    }

    /// Reads the string whose first tag `t` (at `at`) was just consumed, appending it to `out`.
    pub(crate) fn string_after(&mut self, t: u8, at: usize, out: &mut String) -> Result<()> {
        let mut t = t;
        let mut pending_high: Option<u16> = None;
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
            let units = self.bounded_len(self.pos, "string", units as i64)?;
            self.utf16_units(units, out, &mut pending_high)?;
            if last {
                break;
            }
            let next_at = self.pos;
            t = self.byte("string chunk")?;
            if !Self::is_string_tag(t) {
                return Err(self.unexpected(next_at, t, "string chunk"));
            }
        }
        if pending_high.is_some() {
            out.push(char::REPLACEMENT_CHARACTER);
        }
        Ok(())
    }

    /// Decodes `units` UTF-16 units written one by one in 1–3 bytes (CESU-8); 4-byte UTF-8 sequences
    /// from non-Java writers count as two units. Unpaired surrogates become U+FFFD.
    fn utf16_units(
        &mut self,
        mut units: usize,
        out: &mut String,
        pending_high: &mut Option<u16>,
    ) -> Result<()> {
        if pending_high.is_none()
            && let Some(s) = self.ascii_str(self.pos, units)
        {
            // Every unit is one ASCII byte: the common case.
            out.push_str(s);
            self.pos += units;
            return Ok(());
        }
        out.reserve(units);
        while units > 0 {
            let at = self.pos;
            let b0 = self.byte("string")?;
            let unit: u32 = match b0 {
                0x00..=0x7F => u32::from(b0),
                0xC0..=0xDF => {
                    let b1 = self.continuation(at)?;
                    (u32::from(b0 & 0x1F) << 6) | b1
                }
                0xE0..=0xEF => {
                    let b1 = self.continuation(at)?;
                    let b2 = self.continuation(at)?;
                    (u32::from(b0 & 0x0F) << 12) | (b1 << 6) | b2
                }
                0xF0..=0xF7 => {
                    let b1 = self.continuation(at)?;
                    let b2 = self.continuation(at)?;
                    let b3 = self.continuation(at)?;
                    let cp = (u32::from(b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
                    if let Some(_h) = pending_high.take() {
                        out.push(char::REPLACEMENT_CHARACTER);
                    }
                    out.push(char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER));
                    units = units.saturating_sub(2);
                    continue;
                }
                _ => return Err(DecodeError::BadUtf8 { offset: at }),
            };
            units -= 1;
            push_unit(unit, out, pending_high);
        }
        Ok(())
    }

    fn continuation(&mut self, at: usize) -> Result<u32> {
        let b = self.byte("string")?;
        if b & 0xC0 != 0x80 {
            return Err(DecodeError::BadUtf8 { offset: at });
        }
        Ok(u32::from(b & 0x3F))
    }

    /// True if `t` starts a binary.
    pub(crate) fn is_binary_tag(t: u8) -> bool {
        matches!(t, 0x20..=0x2F | 0x34..=0x37 | tag::BINARY_CHUNK | tag::BINARY_FINAL)
    }

    /// Reads the binary whose first tag `t` (at `at`) was just consumed, appending it to `out`.
    pub(crate) fn binary_after(&mut self, t: u8, at: usize, out: &mut Vec<u8>) -> Result<()> {
        self.binary_chunks_after(t, at, |chunk| out.extend_from_slice(chunk))
    }

    /// Walks the chunks of the binary whose first tag `t` (at `at`) was just consumed, handing
    /// each chunk's bytes to `chunk` (reading and skipping a binary share this one walk).
    pub(crate) fn binary_chunks_after(
        &mut self,
        t: u8,
        at: usize,
        mut chunk: impl FnMut(&'de [u8]),
    ) -> Result<()> {
        let mut t = t;
        loop {
            let (len, last) = match t {
                0x20..=0x2F => (usize::from(t - 0x20), true),
                0x34..=0x37 => (
                    (usize::from(t - 0x34) << 8) | usize::from(self.byte("binary")?),
                    true,
                ),
                tag::BINARY_FINAL => (usize::from(self.u16_be("binary")?), true),
                tag::BINARY_CHUNK => (usize::from(self.u16_be("binary")?), false),
                _ => return Err(self.unexpected(at, t, "binary")),
            };
            chunk(self.take(len, "binary")?);
            if last {
                return Ok(());
            }
            let next_at = self.pos;
            t = self.byte("binary chunk")?;
            if !Self::is_binary_tag(t) {
                return Err(self.unexpected(next_at, t, "binary chunk"));
            }
        }
    }

    /// Reads a list or map type: a string (added to the type table) or an int index into it.
    pub(crate) fn read_type(&mut self) -> Result<String> {
        let at = self.pos;
        let t = self.byte("type")?;
        if Self::is_string_tag(t) {
            let mut s = String::new();
            self.string_after(t, at, &mut s)?;
            if self.replay == 0 {
                self.types.push(s.clone());
            }
            Ok(s)
        } else {
            let index = self.int_after(t, at)?;
            usize::try_from(index)
                .ok()
                .and_then(|i| self.types.get(i))
                .cloned()
                .ok_or(DecodeError::UnknownTypeRef {
                    offset: at,
                    index: i64::from(index),
                    defined: self.types.len(),
                })
        }
    }

    /// Reads a string (`N` is an error), borrowed from the input when it is one chunk of exact UTF-8.
    pub(crate) fn read_str_cow(&mut self) -> Result<Cow<'de, str>> {
        let at = self.pos;
        let t = self.byte("string")?;
        if let Some((end, s)) = self.borrowed_str_at(t, at)? {
            self.pos = end;
            return Ok(Cow::Borrowed(s));
        }
        let mut s = String::new();
        self.string_after(t, at, &mut s)?;
        Ok(Cow::Owned(s))
    }

    /// `input[from..from + len]` as a `str` if it is all ASCII.
    #[inline]
    pub(crate) fn ascii_str(&mut self, from: usize, len: usize) -> Option<&'de str> {
        let run: &'de str = self.ascii_run;
        if let Some(rel) = from.checked_sub(self.ascii_from)
            && let Some(s) = run.get(rel..rel.saturating_add(len))
        {
            return Some(s);
        }
        self.new_ascii_run(from, len)
    }

    /// Validates the ASCII run starting at `from` (at least `len` bytes, at most [`ASCII_LOOKAHEAD`]
    /// more) once, keeps it for the strings that follow, and returns its first `len` bytes.
    #[inline(never)]
    fn new_ascii_run(&mut self, from: usize, len: usize) -> Option<&'de str> {
        let input: &'de [u8] = self.input;
        let rest = input.get(from..)?;
        let limit = len.saturating_add(ASCII_LOOKAHEAD).min(rest.len());
        let end = ascii_prefix_len(rest.get(..limit)?);
        if end < len {
            return None;
        }
        let run = std::str::from_utf8(rest.get(..end)?).ok()?;
        self.ascii_from = from;
        self.ascii_run = run;
        run.get(..len)
    }

    /// The string whose tag `t` is at `at`, if it is one chunk of exact UTF-8 (so it can be lent out),
    /// with the offset just after it. Nothing is consumed.
    #[inline]
    pub(crate) fn borrowed_str_at(
        &mut self,
        t: u8,
        at: usize,
    ) -> Result<Option<(usize, &'de str)>> {
        let (from, units) = match t {
            0x00..=0x1F => (at + 1, usize::from(t)),
            0x30..=0x33 => match self.input.get(at + 1) {
                Some(&b) => (at + 2, (usize::from(t - 0x30) << 8) | usize::from(b)),
                None => return Ok(None),
            },
            tag::STRING_FINAL => match (self.input.get(at + 1), self.input.get(at + 2)) {
                (Some(&a), Some(&b)) => (at + 3, (usize::from(a) << 8) | usize::from(b)),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let input: &'de [u8] = self.input;
        // Common case: every unit is one ASCII byte, so the string is the next `units` bytes.
        if let Some(s) = self.ascii_str(from, units) {
            return Ok(Some((from + units, s)));
        }
        if let Some((end, true)) = self.utf16_run_end(from, units)?
            && let Some(bytes) = input.get(from..end)
            && let Ok(s) = std::str::from_utf8(bytes)
        {
            return Ok(Some((end, s)));
        }
        Ok(None)
    }

    /// Reads a class definition after its `C` tag and adds it to the class table.
    pub(crate) fn read_class_def(&mut self) -> Result<()> {
        let keep = self.replay == 0;
        let name = self.read_str_cow()?;
        let name = self.keep_name(name, keep);
        let count_at = self.pos;
        let count = self.read_int()?;
        let count = self.bounded_len(count_at, "class definition field count", i64::from(count))?;
        let first_field = self.field_names.len();
        for _ in 0..count {
            let at = self.pos;
            // Field names are short ASCII strings next to each other: sliced out of one run.
            let field = match self.input.get(at) {
                Some(&t) if t <= 0x1F => match self.ascii_str(at + 1, usize::from(t)) {
                    Some(s) => {
                        self.pos = at + 1 + usize::from(t);
                        Name::Input(s)
                    }
                    None => {
                        let s = self.read_str_cow()?;
                        self.keep_name(s, keep)
                    }
                },
                _ => {
                    let s = self.read_str_cow()?;
                    self.keep_name(s, keep)
                }
            };
            if keep {
                self.field_names.push(field);
            }
        }
        if keep {
            self.classes.push(ClassDef {
                name,
                first_field,
                field_count: count,
            });
        }
        Ok(())
    }

    /// `name` as a [`Name`]: borrowed ones as they are, owned ones moved to `owned_names` (when the
    /// definition is kept).
    fn keep_name(&mut self, name: Cow<'de, str>, keep: bool) -> Name<'de> {
        match name {
            Cow::Borrowed(s) => Name::Input(s),
            Cow::Owned(s) if keep => {
                self.owned_names.push(s);
                Name::Owned(self.owned_names.len() - 1)
            }
            Cow::Owned(_) => Name::Input(""),
        }
    }

    /// The text of a class or field name.
    #[inline]
    pub(crate) fn name_str(&self, name: Name<'de>) -> &str {
        match name {
            Name::Input(s) => s,
            Name::Owned(i) => self.owned_names.get(i).map_or("", String::as_str),
        }
    }

    /// The name of class definition `class` (`"?"` if there is none).
    pub(crate) fn class_name(&self, class: usize) -> &str {
        self.classes
            .get(class)
            .map_or("?", |c| self.name_str(c.name))
    }

    /// The number of fields of class definition `class`.
    #[inline]
    pub(crate) fn field_count(&self, class: usize) -> usize {
        self.classes.get(class).map_or(0, |c| c.field_count)
    }

    /// Field `i` of class definition `class`.
    #[inline]
    pub(crate) fn field_name(&self, class: usize, i: usize) -> Option<&str> {
        let c = self.classes.get(class)?;
        if i >= c.field_count {
            return None;
        }
        self.field_names
            .get(c.first_field + i)
            .map(|&f| self.name_str(f))
    }

    /// The class definition index of the instance whose tag `t` (at `at`) was just consumed.
    pub(crate) fn instance_class(&mut self, t: u8, at: usize) -> Result<usize> {
        let index = if t == tag::OBJECT {
            i64::from(self.read_int()?)
        } else {
            i64::from(t - tag::OBJECT_DIRECT)
        };
        match usize::try_from(index) {
            Ok(i) if i < self.classes.len() => Ok(i),
            _ => Err(DecodeError::UnknownClassDef {
                offset: at,
                index,
                defined: self.classes.len(),
            }),
        }
    }

    /// The slot index of the back-reference whose tag was just consumed.
    pub(crate) fn ref_after(&mut self, at: usize) -> Result<usize> {
        let index = self.read_int()?;
        match usize::try_from(index) {
            Ok(i) if i < self.slots.len() => Ok(i),
            _ => Err(DecodeError::UnknownRef {
                offset: at,
                index: i64::from(index),
                defined: self.slots.len(),
            }),
        }
    }
}

/// The number of ASCII bytes at the start of `bytes` (eight at a time).
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let Ok(w) = <[u8; 8]>::try_from(w) else {
            break;
        };
        let high = u64::from_le_bytes(w) & 0x8080_8080_8080_8080;
        if high != 0 {
            return n + (high.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + words
        .remainder()
        .iter()
        .take_while(|b| b.is_ascii())
        .count()
}

/// Appends one UTF-16 unit, pairing surrogates.
fn push_unit(unit: u32, out: &mut String, pending_high: &mut Option<u16>) {
    match unit {
        0xD800..=0xDBFF => {
            if pending_high.replace(unit as u16).is_some() {
                out.push(char::REPLACEMENT_CHARACTER);
            }
        }
        0xDC00..=0xDFFF => match pending_high.take() {
            Some(high) => {
                let cp = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (unit - 0xDC00);
                out.push(char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            None => out.push(char::REPLACEMENT_CHARACTER),
        },
        _ => {
            if pending_high.take().is_some() {
                out.push(char::REPLACEMENT_CHARACTER);
            }
            out.push(char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
    }
}
