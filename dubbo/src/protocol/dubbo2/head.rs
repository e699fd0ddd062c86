//! The five strings that start a request body, read without copying when they are stored plainly.

use std::borrow::Cow;
use std::fmt;

use dubbo_codec::hessian::{DecodeError, Decoder};
use serde::Deserialize;
use serde::de::{self, Visitor};

/// One head string: `None` for Hessian null. Numbers and booleans are read as their text, as Java's
/// `readString` does.
pub(crate) struct HeadStr<'de>(pub(crate) Option<Cow<'de, str>>);

impl<'de> HeadStr<'de> {
    /// Reads the next head string of `dec`.
    pub(crate) fn read(dec: &mut Decoder<'de>) -> Result<Option<Cow<'de, str>>, DecodeError> {
        Ok(dec.read::<HeadStr<'de>>()?.0)
    }
}

struct HeadVisitor;

impl<'de> Visitor<'de> for HeadVisitor {
    type Value = HeadStr<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(HeadStr(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(HeadStr(Some(Cow::Owned(v.to_owned()))))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(HeadStr(Some(Cow::Owned(v))))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(HeadStr(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(HeadStr(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(HeadStr(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(HeadStr(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(HeadStr(None))
    }
}

impl<'de> Deserialize<'de> for HeadStr<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(HeadVisitor)
    }
}
