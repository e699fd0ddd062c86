//! [`WriteHessian`]: how an argument or a result gets into a body's one Hessian stream.
//!
//! A body is one Hessian stream whose class, type and reference tables are shared by every value
//! (a class defined by argument 1 is reused by argument 2 and the attachments), so values cannot be
//! encoded separately and concatenated: each is written into the body's own [`Encoder`]. Dynamic
//! [`Value`]s implement this trait; typed (serde) values can implement it (or be wrapped) later and
//! be used in [`super::RequestBody`] / [`super::ResponseBody`] unchanged.

use crate::hessian::{EncodeError, Encoder, Value};

/// A value that writes itself into a body's Hessian stream.
pub trait WriteHessian {
    /// Writes one Hessian value into `enc`.
    fn write_hessian(&self, enc: &mut Encoder) -> Result<(), EncodeError>;
}

impl WriteHessian for Value {
    fn write_hessian(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_value(self);
        Ok(())
    }
}

impl<T: WriteHessian + ?Sized> WriteHessian for &T {
    fn write_hessian(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        (**self).write_hessian(enc)
    }
}

impl<T: WriteHessian + ?Sized> WriteHessian for Box<T> {
    fn write_hessian(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        (**self).write_hessian(enc)
    }
}

impl<T: WriteHessian + ?Sized> WriteHessian for std::sync::Arc<T> {
    fn write_hessian(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        (**self).write_hessian(enc)
    }
}
