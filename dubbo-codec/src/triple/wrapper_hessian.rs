//! Hessian payloads inside the wrapper messages: building a [`TripleRequestWrapper`] from typed
//! arguments and reading them back, and the same for a [`TripleResponseWrapper`]'s return value
//! or business exception. Every argument, and the response data, is its own Hessian stream.

use serde::{Deserialize, Serialize};

use super::error::WrapperError;
use super::wrapper::{
    SERIALIZE_HESSIAN4, TripleRequestWrapper, TripleResponseWrapper, VOID_TYPE, is_hessian,
};
use crate::hessian::{Value, from_slice, to_vec, value_from_bytes, value_to_bytes};

fn check_hessian(serialize_type: &str) -> Result<(), WrapperError> {
    if is_hessian(serialize_type) {
        Ok(())
    } else {
        Err(WrapperError::UnsupportedSerialization(
            serialize_type.to_owned(),
        ))
    }
}

impl TripleRequestWrapper {
    /// An empty request with `serializeType` `hessian4` (what Java clients send).
    pub fn hessian() -> Self {
        Self {
            serialize_type: SERIALIZE_HESSIAN4.to_owned(),
            ..Self::default()
        }
    }

    /// Appends an argument serialized from `arg` (a fresh Hessian stream) with its declared Java
    /// parameter type.
    ///
    /// # Errors
    /// [`WrapperError::Encode`] if `arg` cannot be written as Hessian.
    pub fn push_arg<T: Serialize + ?Sized>(
        &mut self,
        java_type: impl Into<String>,
        arg: &T,
    ) -> Result<&mut Self, WrapperError> {
        let bytes = to_vec(arg).map_err(|source| WrapperError::Encode {
            what: format!("args[{}]", self.args.len()),
            source,
        })?;
        self.args.push(bytes);
        self.arg_types.push(java_type.into());
        Ok(self)
    }

    /// Appends an argument given as a Hessian [`Value`] with its declared Java parameter type.
    pub fn push_value(&mut self, java_type: impl Into<String>, arg: &Value) -> &mut Self {
        self.args.push(value_to_bytes(arg));
        self.arg_types.push(java_type.into());
        self
    }

    /// Decodes every argument as a [`Value`].
    ///
    /// # Errors
    /// [`WrapperError::UnsupportedSerialization`] unless `serializeType` is Hessian;
    /// [`WrapperError::Hessian`] naming the bad argument.
    pub fn arg_values(&self) -> Result<Vec<Value>, WrapperError> {
        check_hessian(&self.serialize_type)?;
        self.args
            .iter()
            .enumerate()
            .map(|(i, a)| {
                value_from_bytes(a).map_err(|source| WrapperError::Hessian {
                    what: format!("args[{i}]"),
                    source,
                })
            })
            .collect()
    }

    /// Decodes argument `index` as a `T`.
    ///
    /// # Errors
    /// [`WrapperError::ArgumentCount`] if there is no such argument; otherwise as
    /// [`TripleRequestWrapper::arg_values`].
    pub fn arg<'de, T: Deserialize<'de>>(&'de self, index: usize) -> Result<T, WrapperError> {
        check_hessian(&self.serialize_type)?;
        let bytes = self.args.get(index).ok_or(WrapperError::ArgumentCount {
            found: self.args.len(),
            expected: index + 1,
        })?;
        from_slice(bytes).map_err(|source| WrapperError::Hessian {
            what: format!("args[{index}]"),
            source,
        })
    }
}

impl TripleResponseWrapper {
    /// A response carrying `value` (Hessian) for a method declared to return `return_type`.
    ///
    /// # Errors
    /// [`WrapperError::Encode`] if `value` cannot be written as Hessian.
    pub fn from_value<T: Serialize + ?Sized>(
        serialize_type: impl Into<String>,
        return_type: impl Into<String>,
        value: &T,
    ) -> Result<Self, WrapperError> {
        let data = to_vec(value).map_err(|source| WrapperError::Encode {
            what: "data".to_owned(),
            source,
        })?;
        Ok(Self {
            serialize_type: serialize_type.into(),
            data: Some(data),
            type_name: return_type.into(),
        })
    }

    /// A response carrying a Hessian [`Value`] (`Value::Null` is written as Hessian null; use
    /// [`TripleResponseWrapper::void`] for an absent `data` field).
    pub fn from_hessian_value(
        serialize_type: impl Into<String>,
        return_type: impl Into<String>,
        value: &Value,
    ) -> Self {
        Self {
            serialize_type: serialize_type.into(),
            data: Some(value_to_bytes(value)),
            type_name: return_type.into(),
        }
    }

    /// A response without data: a `void` method (`type` = `void`) as Java writes it.
    pub fn void(serialize_type: impl Into<String>) -> Self {
        Self {
            serialize_type: serialize_type.into(),
            data: None,
            type_name: VOID_TYPE.to_owned(),
        }
    }

    /// A business-exception response: `exception` (usually a
    /// [`crate::hessian::java::JavaException`] or an exception [`Value`]) serialized as `data`,
    /// `type` = the method's declared return type (not the exception class). Send it with the
    /// response header `tri-exception-code` (see [`super::status::exception_code`]) and
    /// `grpc-status: 0`.
    ///
    /// # Errors
    /// [`WrapperError::Encode`] if the exception cannot be written as Hessian.
    pub fn exception<T: Serialize + ?Sized>(
        serialize_type: impl Into<String>,
        return_type: impl Into<String>,
        exception: &T,
    ) -> Result<Self, WrapperError> {
        Self::from_value(serialize_type, return_type, exception)
    }

    /// Decodes `data` as a [`Value`]; `Ok(None)` when the field is absent.
    ///
    /// # Errors
    /// [`WrapperError::UnsupportedSerialization`], [`WrapperError::Hessian`].
    pub fn data_value(&self) -> Result<Option<Value>, WrapperError> {
        check_hessian(&self.serialize_type)?;
        self.data
            .as_deref()
            .map(|d| {
                value_from_bytes(d).map_err(|source| WrapperError::Hessian {
                    what: "data".to_owned(),
                    source,
                })
            })
            .transpose()
    }

    /// Decodes `data` as a `T` (the return value, or the exception when the response headers
    /// carry a non-zero `tri-exception-code`).
    ///
    /// # Errors
    /// [`WrapperError::NoData`] when `data` is absent; otherwise as
    /// [`TripleResponseWrapper::data_value`].
    pub fn data_as<'de, T: Deserialize<'de>>(&'de self) -> Result<T, WrapperError> {
        check_hessian(&self.serialize_type)?;
        let data = self.data.as_deref().ok_or(WrapperError::NoData)?;
        from_slice(data).map_err(|source| WrapperError::Hessian {
            what: "data".to_owned(),
            source,
        })
    }
}
