//! Handing the [`Encoder`] itself to a `Serialize` implementation.
//!
//! serde cannot tell a `Serialize` impl which serializer it is talking to, and the workspace forbids
//! `unsafe`, so types that need the stream directly ([`Value`](crate::hessian::Value) passthrough with
//! shared tables, `java.util.Date`, exceptions with back-references) use a newtype struct with a reserved
//! name starting with [`MAGIC_PREFIX`]. Our [`Encoder`] recognises the name, parks its whole state in a
//! thread-local slot and serializes the inner value into a sink; the inner value takes the encoder from
//! the slot, writes itself exactly, and puts it back. Any other serializer sees an ordinary newtype
//! struct and the inner value serializes its "natural" form instead.

use std::cell::Cell;

use serde::ser::{self, Serialize, Serializer};

use crate::hessian::encoder::Encoder;
use crate::hessian::error::EncodeError;

/// Every reserved newtype-struct name starts with this.
pub(crate) const MAGIC_PREFIX: &str = "\0hessian::";

thread_local! {
    static PARKED: Cell<Option<Encoder>> = const { Cell::new(None) };
}

/// True if `name` is one of the reserved newtype-struct names.
pub(crate) fn is_magic(name: &str) -> bool {
    name.as_bytes().first() == Some(&0) && name.starts_with(MAGIC_PREFIX)
}

/// Runs the hook whose inner value is `value` against `enc`.
pub(crate) fn run<T: Serialize + ?Sized>(enc: &mut Encoder, value: &T) -> Result<(), EncodeError> {
    let previous = PARKED.with(|p| p.replace(Some(std::mem::take(enc))));
    let result = value.serialize(Sink);
    let back = PARKED.with(|p| p.replace(previous));
    match back {
        Some(state) => *enc = state,
        None => {
            return Err(EncodeError::Custom(
                "a hessian serializer hook did not give the encoder back".to_owned(),
            ));
        }
    }
    result
}

/// A value that writes itself straight into our [`Encoder`] (`write`), or serializes `natural` with any
/// other serializer.
pub(crate) struct Hooked<'a, W, N: ?Sized> {
    /// The reserved name (see [`MAGIC_PREFIX`]); it also tells our deserializer what to read.
    pub(crate) name: &'static str,
    /// Writes the value into the stream.
    pub(crate) write: W,
    /// The representation for other serializers.
    pub(crate) natural: &'a N,
}

impl<W, N> Serialize for Hooked<'_, W, N>
where
    W: Fn(&mut Encoder) -> Result<(), EncodeError>,
    N: Serialize + ?Sized,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(self.name, &Inner(self))
    }
}

struct Inner<'h, 'a, W, N: ?Sized>(&'h Hooked<'a, W, N>);

impl<W, N> Serialize for Inner<'_, '_, W, N>
where
    W: Fn(&mut Encoder) -> Result<(), EncodeError>,
    N: Serialize + ?Sized,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match PARKED.with(|p| p.take()) {
            Some(mut enc) => {
                let result = (self.0.write)(&mut enc);
                PARKED.with(|p| p.set(Some(enc)));
                result.map_err(ser::Error::custom)?;
                serializer.serialize_unit()
            }
            None => self.0.natural.serialize(serializer),
        }
    }
}

/// What the inner value of a hook is serialized into: only the unit a hook returns is accepted.
struct Sink;

fn misuse() -> EncodeError {
    EncodeError::Custom(format!(
        "newtype struct names starting with {MAGIC_PREFIX:?} are reserved for the hessian codec's own types"
    ))
}

macro_rules! reject {
    ($($name:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $name(self $(, _: $arg)*) -> Result<$ret, EncodeError> { Err(misuse()) })*
    };
}

/// The methods both one-purpose serializers below refuse: everything but `serialize_unit` (the
/// sink) or `serialize_i64` (the date writer), which each rejects itself.
macro_rules! reject_all_but_one {
    () => {
        reject! {
            serialize_bool(bool) -> ();
            serialize_i8(i8) -> ();
            serialize_i16(i16) -> ();
            serialize_i32(i32) -> ();
            serialize_u8(u8) -> ();
            serialize_u16(u16) -> ();
            serialize_u32(u32) -> ();
            serialize_u64(u64) -> ();
            serialize_f32(f32) -> ();
            serialize_f64(f64) -> ();
            serialize_char(char) -> ();
            serialize_str(&str) -> ();
            serialize_bytes(&[u8]) -> ();
            serialize_none() -> ();
            serialize_unit_struct(&'static str) -> ();
            serialize_unit_variant(&'static str, u32, &'static str) -> ();
            serialize_seq(Option<usize>) -> Self::SerializeSeq;
            serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
            serialize_map(Option<usize>) -> Self::SerializeMap;
            serialize_struct(&'static str, usize) -> Self::SerializeStruct;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
        }

        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), EncodeError> {
            Err(misuse())
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<(), EncodeError> {
            Err(misuse())
        }

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), EncodeError> {
            Err(misuse())
        }
    };
}

impl Serializer for Sink {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = ser::Impossible<(), EncodeError>;
    type SerializeTuple = ser::Impossible<(), EncodeError>;
    type SerializeTupleStruct = ser::Impossible<(), EncodeError>;
    type SerializeTupleVariant = ser::Impossible<(), EncodeError>;
    type SerializeMap = ser::Impossible<(), EncodeError>;
    type SerializeStruct = ser::Impossible<(), EncodeError>;
    type SerializeStructVariant = ser::Impossible<(), EncodeError>;

    fn serialize_unit(self) -> Result<(), EncodeError> {
        Ok(())
    }

    reject! {
        serialize_i64(i64) -> ();
    }
    reject_all_but_one!();
}

/// Writes a `java.util.Date` straight into the encoder: the inner value of [`DATE_MAGIC`] is its
/// epoch milliseconds, so no hand-off through the thread-local slot is needed.
///
/// [`DATE_MAGIC`]: crate::hessian::de::value::DATE_MAGIC
pub(crate) struct DateWriter<'a>(pub(crate) &'a mut Encoder);

impl Serializer for DateWriter<'_> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = ser::Impossible<(), EncodeError>;
    type SerializeTuple = ser::Impossible<(), EncodeError>;
    type SerializeTupleStruct = ser::Impossible<(), EncodeError>;
    type SerializeTupleVariant = ser::Impossible<(), EncodeError>;
    type SerializeMap = ser::Impossible<(), EncodeError>;
    type SerializeStruct = ser::Impossible<(), EncodeError>;
    type SerializeStructVariant = ser::Impossible<(), EncodeError>;

    fn serialize_i64(self, millis: i64) -> Result<(), EncodeError> {
        self.0.write_date(millis);
        Ok(())
    }

    reject! {
        serialize_unit() -> ();
    }
    reject_all_but_one!();
}
