//! Procedural macros of Apache Dubbo for Rust, re-exported by the `dubbo` crate as
//! `dubbo::service` and `dubbo::JavaType`. The generated code names the runtime as `::dubbo`.
//!
//! * [`macro@service`]: turns a trait of `async fn`s into a Dubbo service contract, with a server
//!   (`<Trait>Server<T>`, a `dubbo::service::ServiceHandler`) and a typed client (`<Trait>Client`).
//! * [`derive@JavaType`]: the Java class a struct or enum stands for, from its
//!   `#[serde(rename = "...")]` (or `#[java(class = "...")]`).

mod case;
mod java_type;
mod service;

use proc_macro::TokenStream;

/// Declares a Dubbo service from a trait.
///
/// ```ignore
/// #[dubbo::service(interface = "org.apache.dubbo.samples.api.GreetingsService", version = "1.0", group = "g")]
/// pub trait GreetingsService {
///     async fn say_hi(&self, name: String) -> Result<String, RpcError>;
///     #[dubbo(method = "greetUser")]
///     async fn greet_user(&self, user: User) -> Result<User, RpcError>;
///     async fn add(&self, a: i32, #[dubbo(java_type = "java.lang.Integer")] b: i32) -> Result<i32, RpcError>;
/// }
/// ```
///
/// `interface` is required; `version` and `group` are optional. Each method must be an
/// `async fn` taking `&self` and owned parameters bound to plain identifiers, returning
/// `Result<R, E>` where `E` converts to and from `dubbo::RpcError` (normally it is `RpcError`).
/// The Java method name is the camelCase form of the Rust name unless `#[dubbo(method = "...")]`
/// says otherwise; a parameter's Java type comes from `dubbo::JavaType` unless
/// `#[dubbo(java_type = "...")]` says otherwise.
///
/// Generates the trait (with `Send + Sync + 'static` supertraits, each method returning
/// `impl Future<Output = ...> + Send` so implementations can use `async fn`), `<Trait>Server<T>`
/// and `<Trait>Client`.
#[proc_macro_attribute]
pub fn service(args: TokenStream, item: TokenStream) -> TokenStream {
    match service::expand(args.into(), item.into()) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// Implements `dubbo::JavaType` for a struct or enum: the Java class is the container's
/// `#[java(class = "...")]` if given, otherwise its `#[serde(rename = "...")]`.
#[proc_macro_derive(JavaType, attributes(java))]
pub fn derive_java_type(item: TokenStream) -> TokenStream {
    match java_type::expand(item.into()) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}
