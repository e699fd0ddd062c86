//! The body of a call (a non-event request): one Hessian stream holding the dubbo version, service
//! path, service version, method name, parameter descriptor, the arguments and the attachments map
//! (Java `DubboCodec.encodeRequestData` / `DecodeableRpcInvocation.decode`).

use super::attachments::{Attachments, keys};
use super::descriptor::{self, ECHO, ECHO_PARAMETER_DESC, GENERIC_PARAMETER_DESC, INVOKE};
use super::error::{BodyError, EncodeFrameError};
use super::version::PROTOCOL_VERSION;
use super::write::WriteHessian;
use crate::hessian::{Decoder, DecoderOptions, Encoder, Value};

/// The five strings every request body starts with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestHead {
    /// Protocol version, `"2.0.2"` from every current Java/Go client. Decides whether the answer may
    /// carry attachments ([`super::supports_response_attachments`]). A `null` reads as `""`.
    pub dubbo_version: String,
    /// Service path: Java 2.7.8+/3.x consumers write the interface name here.
    pub service_path: String,
    /// Service version, `"0.0.0"` from Java when none is configured. A `null` reads as `""`.
    pub service_version: String,
    /// Method name (`$invoke`/`$invokeAsync` for generic calls, `$echo` for echo).
    pub method: String,
    /// Parameter-type descriptor (`Ljava/lang/String;I`), `""` for no parameters.
    pub parameter_desc: String,
}

impl RequestHead {
    /// A head with Java's defaults: version `2.0.2`, service version `0.0.0`.
    pub fn new(
        service_path: impl Into<String>,
        method: impl Into<String>,
        parameter_desc: impl Into<String>,
    ) -> Self {
        RequestHead {
            dubbo_version: PROTOCOL_VERSION.to_owned(),
            service_path: service_path.into(),
            service_version: "0.0.0".to_owned(),
            method: method.into(),
            parameter_desc: parameter_desc.into(),
        }
    }

    /// Reads the five head strings from the start of a body. After it, read
    /// [`RequestHead::parameter_count`] arguments, then [`Attachments::read`]; typed decoders can
    /// do exactly that on the same [`Decoder`].
    pub fn read(dec: &mut Decoder<'_>) -> Result<RequestHead, BodyError> {
        let dubbo_version = read_str(dec, "dubbo version")?.unwrap_or_default();
        let service_path = required(dec, "service path")?;
        let service_version = read_str(dec, "service version")?.unwrap_or_default();
        let method = required(dec, "method name")?;
        let parameter_desc = required(dec, "parameter descriptor")?;
        Ok(RequestHead {
            dubbo_version,
            service_path,
            service_version,
            method,
            parameter_desc,
        })
    }

    /// Writes the five strings.
    pub fn write(&self, enc: &mut Encoder) {
        enc.write_string(&self.dubbo_version);
        enc.write_string(&self.service_path);
        enc.write_string(&self.service_version);
        enc.write_string(&self.method);
        enc.write_string(&self.parameter_desc);
    }

    /// Number of arguments the descriptor announces.
    pub fn parameter_count(&self) -> Result<usize, descriptor::DescriptorError> {
        descriptor::parameter_count(&self.parameter_desc)
    }

    /// True for `$invoke`/`$invokeAsync` with the generic descriptor (Java `RpcUtils.isGenericCall`).
    pub fn is_generic(&self) -> bool {
        descriptor::is_generic_call(&self.parameter_desc, &self.method)
    }

    /// True for `$echo` with descriptor `Ljava/lang/Object;` (Java `RpcUtils.isEcho`).
    pub fn is_echo(&self) -> bool {
        descriptor::is_echo_call(&self.parameter_desc, &self.method)
    }
}

fn read_str(dec: &mut Decoder<'_>, what: &'static str) -> Result<Option<String>, BodyError> {
    dec.read_string_or_null()
        .map_err(|e| BodyError::hessian(what, e))
}

fn required(dec: &mut Decoder<'_>, what: &'static str) -> Result<String, BodyError> {
    let offset = dec.position();
    read_str(dec, what)?.ok_or(BodyError::NullField { what, offset })
}

/// A request body. `T` is the argument type: [`Value`] when decoded, anything [`WriteHessian`] when
/// sent (typed arguments plug in here).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestBody<T = Value> {
    /// Version, service, method and descriptor.
    pub head: RequestHead,
    /// The arguments, as many as the descriptor has parameters.
    pub arguments: Vec<T>,
    /// The attachments (`path`, `interface`, `version`, `timeout`, ... from Java consumers).
    pub attachments: Attachments,
}

impl<T> RequestBody<T> {
    /// A call with Java's head defaults (version `2.0.2`, service version `0.0.0`) and no attachments.
    pub fn new(
        service_path: impl Into<String>,
        method: impl Into<String>,
        parameter_desc: impl Into<String>,
        arguments: Vec<T>,
    ) -> Self {
        RequestBody {
            head: RequestHead::new(service_path, method, parameter_desc),
            arguments,
            attachments: Attachments::new(),
        }
    }

    /// Adds the attachments a Java 3.3 consumer sends — `path`, `remote.application` (if given),
    /// `interface`, `version`, `group` (if given), `generic` (for generic calls), `timeout` (if
    /// given, as a string) — after any present, and puts all of them in Java `HashMap` order.
    pub fn with_java_consumer_attachments(
        mut self,
        application: Option<&str>,
        group: Option<&str>,
        timeout_ms: Option<u64>,
    ) -> Self {
        let a = &mut self.attachments;
        a.insert(keys::PATH, self.head.service_path.clone());
        if let Some(app) = application {
            a.insert(keys::REMOTE_APPLICATION, app);
        }
        a.insert(keys::INTERFACE, self.head.service_path.clone());
        a.insert(keys::VERSION, self.head.service_version.clone());
        if let Some(group) = group.filter(|g| !g.is_empty()) {
            a.insert(keys::GROUP, group);
        }
        if self.head.is_generic() && a.get(keys::GENERIC).is_none() {
            a.insert(keys::GENERIC, "true");
        }
        if let Some(t) = timeout_ms {
            a.insert(keys::TIMEOUT, t.to_string());
        }
        a.sort_like_java_hash_map();
        self
    }
}

impl<T: WriteHessian> RequestBody<T> {
    /// Writes the body into `enc` (one stream: head, arguments, attachments).
    pub fn write(&self, enc: &mut Encoder) -> Result<(), EncodeFrameError> {
        self.head.write(enc);
        for (i, arg) in self.arguments.iter().enumerate() {
            arg.write_hessian(enc)
                .map_err(|source| EncodeFrameError::Hessian {
                    what: format!("argument {}", i + 1),
                    source,
                })?;
        }
        self.attachments.write(enc);
        Ok(())
    }
}

impl RequestBody<Value> {
    /// Decodes a whole body. Bytes after the attachments are ignored, as Java skips them.
    pub fn decode(body: &[u8], options: DecoderOptions) -> Result<RequestBody, BodyError> {
        let mut dec = Decoder::with_options(body, options);
        let head = RequestHead::read(&mut dec)?;
        let types = descriptor::split_descriptor(&head.parameter_desc)?;
        let count = types.len();
        // Every argument takes at least one byte: never reserve more than the body can hold.
        let mut arguments = Vec::with_capacity(count.min(dec.remaining()));
        for (i, ty) in types.iter().enumerate() {
            let v = dec.read_value().map_err(|e| {
                BodyError::hessian(format!("argument {} of {count} ({ty})", i + 1), e)
            })?;
            arguments.push(v);
        }
        let attachments = Attachments::read(&mut dec)?;
        Ok(RequestBody {
            head,
            arguments,
            attachments,
        })
    }

    /// `$echo(arg)` on `service_path`: the provider returns `arg` unchanged.
    pub fn echo(service_path: impl Into<String>, arg: Value) -> RequestBody {
        RequestBody::new(service_path, ECHO, ECHO_PARAMETER_DESC, vec![arg])
    }

    /// A generic call `$invoke(method, types, args)` (reference §4.1): `types` are Java type names
    /// (`java.lang.String`, `int`, `com.foo.User[]`) written as a `[string` list (`None` = `null`:
    /// the provider picks the only method of that name), `args` as an `[object` list. Attachment
    /// `generic` is set to `"true"`; change it for other modes.
    pub fn generic<S: AsRef<str>>(
        service_path: impl Into<String>,
        method: &str,
        types: Option<&[S]>,
        args: Vec<Value>,
    ) -> RequestBody {
        let types = match types {
            Some(t) => Value::typed_list(
                "[string",
                t.iter().map(|s| Value::string(s.as_ref())).collect(),
            ),
            None => Value::Null,
        };
        let mut body = RequestBody::new(
            service_path,
            INVOKE,
            GENERIC_PARAMETER_DESC,
            vec![
                Value::string(method),
                types,
                Value::typed_list("[object", args),
            ],
        );
        body.attachments.insert(keys::GENERIC, "true");
        body
    }

    /// The parts of a generic call, if this is one.
    pub fn generic_call(&self) -> Option<GenericCall<'_>> {
        if !self.head.is_generic() {
            return None;
        }
        let [method, types, args] = self.arguments.as_slice() else {
            return None;
        };
        let types = match types {
            Value::Null => None,
            v => Some(
                list_items(v)?
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Option<Vec<&str>>>()?,
            ),
        };
        let args = match args {
            Value::Null => &[][..],
            v => list_items(v)?,
        };
        Some(GenericCall {
            method: method.as_str()?,
            types,
            args,
            mode: self.attachments.get_str(keys::GENERIC),
        })
    }
}

fn list_items(v: &Value) -> Option<&[Value]> {
    match v {
        Value::List(l) => Some(l.items.as_slice()),
        _ => None,
    }
}

/// A generic call's parts (`$invoke(String method, String[] types, Object[] args)`).
#[derive(Debug, Clone, PartialEq)]
pub struct GenericCall<'a> {
    /// The real method name.
    pub method: &'a str,
    /// Java type names of its parameters, or `None` when the caller sent `null`.
    pub types: Option<Vec<&'a str>>,
    /// The arguments (POJOs as maps in the default mode).
    pub args: &'a [Value],
    /// Attachment `generic` (`"true"`, `"bean"`, ...), if any.
    pub mode: Option<&'a str>,
}
