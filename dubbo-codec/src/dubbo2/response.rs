//! The body of an OK, non-event response: a result flag (hessian int 0–5), then the value or the
//! exception, then attachments for flags 3–5 (Java `DubboCodec.encodeResponseData` /
//! `DecodeableRpcResult.decode`).

use super::attachments::{Attachments, keys};
use super::error::{BodyError, EncodeFrameError};
use super::version::{PROTOCOL_VERSION, supports_response_attachments};
use super::write::WriteHessian;
use crate::hessian::java::JavaException;
use crate::hessian::{Decoder, DecoderOptions, Encoder, Value};

/// The result flag, first value of a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultFlag {
    /// 0 `RESPONSE_WITH_EXCEPTION`: a Throwable follows.
    Exception = 0,
    /// 1 `RESPONSE_VALUE`: the return value follows.
    Value = 1,
    /// 2 `RESPONSE_NULL_VALUE`: nothing follows (`null` or `void`).
    NullValue = 2,
    /// 3 `RESPONSE_WITH_EXCEPTION_WITH_ATTACHMENTS`.
    ExceptionWithAttachments = 3,
    /// 4 `RESPONSE_VALUE_WITH_ATTACHMENTS`.
    ValueWithAttachments = 4,
    /// 5 `RESPONSE_NULL_VALUE_WITH_ATTACHMENTS`.
    NullValueWithAttachments = 5,
}

impl ResultFlag {
    /// The flag of a wire byte, if 0–5.
    pub fn from_i8(b: i8) -> Option<ResultFlag> {
        Some(match b {
            0 => ResultFlag::Exception,
            1 => ResultFlag::Value,
            2 => ResultFlag::NullValue,
            3 => ResultFlag::ExceptionWithAttachments,
            4 => ResultFlag::ValueWithAttachments,
            5 => ResultFlag::NullValueWithAttachments,
            _ => return None,
        })
    }

    /// True for 3, 4 and 5.
    pub fn has_attachments(self) -> bool {
        matches!(
            self,
            ResultFlag::ExceptionWithAttachments
                | ResultFlag::ValueWithAttachments
                | ResultFlag::NullValueWithAttachments
        )
    }
}

/// What the call produced.
#[derive(Debug, Clone, PartialEq)]
pub enum RpcResult<T = Value> {
    /// A return value (Java writes flag 1/4; a `null` return is [`RpcResult::Null`]).
    Value(T),
    /// `null` or `void` (flag 2/5).
    Null,
    /// A thrown exception, serialized as a Hessian object in Java's Throwable layout (flag 0/3);
    /// see [`java_exception`].
    Exception(T),
}

/// An OK response body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody<T = Value> {
    /// The value, null or exception.
    pub result: RpcResult<T>,
    /// Present iff the flag is 3, 4 or 5. Only send them to requests whose dubbo version passes
    /// [`supports_response_attachments`] (other clients fail on those flags): build answers with
    /// [`ResponseBody::answering`].
    pub attachments: Option<Attachments>,
}

impl<T> ResponseBody<T> {
    /// The answer Java 3.3 would write to a request whose dubbo version (first body value) was
    /// `request_version`: with attachments (plus `dubbo` → `2.0.2`, as Java adds) iff the version
    /// is 2.0.2 … 2.0.99, otherwise flags 0/1/2 and the attachments dropped.
    pub fn answering(
        request_version: &str,
        result: RpcResult<T>,
        mut attachments: Attachments,
    ) -> Self {
        if supports_response_attachments(request_version) {
            attachments.insert(keys::DUBBO, PROTOCOL_VERSION);
            ResponseBody {
                result,
                attachments: Some(attachments),
            }
        } else {
            ResponseBody {
                result,
                attachments: None,
            }
        }
    }

    /// The result flag this body is written with.
    pub fn flag(&self) -> ResultFlag {
        match (&self.result, self.attachments.is_some()) {
            (RpcResult::Exception(_), false) => ResultFlag::Exception,
            (RpcResult::Value(_), false) => ResultFlag::Value,
            (RpcResult::Null, false) => ResultFlag::NullValue,
            (RpcResult::Exception(_), true) => ResultFlag::ExceptionWithAttachments,
            (RpcResult::Value(_), true) => ResultFlag::ValueWithAttachments,
            (RpcResult::Null, true) => ResultFlag::NullValueWithAttachments,
        }
    }
}

impl<T: WriteHessian> ResponseBody<T> {
    /// Writes the body into `enc`.
    pub fn write(&self, enc: &mut Encoder) -> Result<(), EncodeFrameError> {
        enc.write_int(self.flag() as i32);
        match &self.result {
            RpcResult::Value(v) => {
                v.write_hessian(enc)
                    .map_err(|source| EncodeFrameError::Hessian {
                        what: "result value".into(),
                        source,
                    })?
            }
            RpcResult::Exception(e) => {
                e.write_hessian(enc)
                    .map_err(|source| EncodeFrameError::Hessian {
                        what: "exception".into(),
                        source,
                    })?
            }
            RpcResult::Null => {}
        }
        if let Some(a) = &self.attachments {
            a.write(enc);
        }
        Ok(())
    }
}

impl ResponseBody<Value> {
    /// Decodes a body. Bytes after the last value are ignored (Java skips them; dubbo-go appends an
    /// extra `N` to every response).
    pub fn decode(body: &[u8], options: DecoderOptions) -> Result<ResponseBody, BodyError> {
        let mut dec = Decoder::with_options(body, options);
        let offset = dec.position();
        let raw = dec
            .read_int()
            .map_err(|e| BodyError::hessian("result flag", e))?;
        // Java reads the flag with `(byte) readInt()`.
        let flag = ResultFlag::from_i8(raw as i8)
            .ok_or(BodyError::UnknownResultFlag { flag: raw, offset })?;
        let result = match flag {
            ResultFlag::Value | ResultFlag::ValueWithAttachments => RpcResult::Value(
                dec.read_value()
                    .map_err(|e| BodyError::hessian("result value", e))?,
            ),
            ResultFlag::Exception | ResultFlag::ExceptionWithAttachments => RpcResult::Exception(
                dec.read_value()
                    .map_err(|e| BodyError::hessian("exception", e))?,
            ),
            ResultFlag::NullValue | ResultFlag::NullValueWithAttachments => RpcResult::Null,
        };
        let attachments = if flag.has_attachments() {
            Some(Attachments::read(&mut dec)?)
        } else {
            None
        };
        Ok(ResponseBody {
            result,
            attachments,
        })
    }
}

/// An exception object in Java's Throwable layout, as the top-level exception of a response body:
/// fields `suppressedExceptions` (empty `java.util.Collections$EmptyList`), `stackTrace` (empty
/// `[java.lang.StackTraceElement`), `cause` (a back-reference to itself, slot 0 = "no cause") and
/// `detailMessage`. Java consumers rebuild the exception when they have `class` (prefer
/// `java.lang.RuntimeException`, `java.lang.IllegalArgumentException` or classes of the interface).
pub fn java_exception(class: impl Into<String>, message: Option<&str>) -> Value {
    JavaException {
        class: class.into(),
        message: message.map(str::to_owned),
        ..JavaException::default()
    }
    .to_value_at(0)
}

/// The class name of an exception value (an object's class), if it is one.
pub fn exception_class(exception: &Value) -> Option<&str> {
    match exception {
        Value::Object(o) => Some(&o.class),
        _ => None,
    }
}

/// The `detailMessage` of an exception value, if it has a string one.
pub fn exception_message(exception: &Value) -> Option<&str> {
    match exception {
        Value::Object(o) => o.get("detailMessage").and_then(Value::as_str),
        _ => None,
    }
}
