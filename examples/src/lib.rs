//! The greetings example: the Java interface `org.apache.dubbo.samples.api.GreetingsService`
//! declared once in Rust, implemented by a Rust provider, and checked by a consumer that works
//! against any provider of the interface (Rust or Java).

pub mod args;
pub mod checks;
pub mod greetings;
pub mod idl;
pub mod idl_checks;
