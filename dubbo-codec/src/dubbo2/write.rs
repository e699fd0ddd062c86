//! [`WriteHessian`]: how an argument or a result gets into a body's one Hessian stream.
//!
//! A body is one Hessian stream whose class, type and reference tables are shared by every value
//! (a class defined by argument 1 is reused by argument 2 and the attachments), so values cannot be
//! encoded separately and concatenated: each is written into the body's own [`Encoder`]. Every
//! `Serialize` type is a `WriteHessian` (a [`crate::hessian::Value`] passes through exactly).

use serde::Serialize;

use crate::hessian::{EncodeError, Encoder};

/// A value that writes itself into a body's Hessian stream. Implemented for every `Serialize` type;
/// implement it by hand for values that are not (trait objects, pre-encoded data).
pub trait WriteHessian {
    /// Writes one Hessian value into `enc`.
    fn write_hessian(&self, enc: &mut Encoder) -> Result<(), EncodeError>;
}

impl<T: Serialize + ?Sized> WriteHessian for T {
    fn write_hessian(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write(self)
    }
}
