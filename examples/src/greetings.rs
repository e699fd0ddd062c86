//! The interface, its POJO, and the Rust implementation.

use std::collections::HashMap;

use dubbo::{JavaType, RpcError, Value};
use serde::{Deserialize, Serialize};

/// `org.apache.dubbo.samples.api.User`. Fields are declared in the order Java's hessian-lite writes
/// them (its rule reverses "java.lang fields, then the others"), so our bytes equal Java's.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JavaType)]
#[serde(rename = "org.apache.dubbo.samples.api.User", default)]
pub struct User {
    /// Attributes.
    pub attrs: HashMap<String, String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The age.
    pub age: i32,
    /// The name.
    pub name: String,
}

/// The Java interface, as Java declares it (no version, no group).
#[dubbo::service(interface = "org.apache.dubbo.samples.api.GreetingsService")]
pub trait GreetingsService {
    /// `String sayHi(String name)`: `"hi, " + name`.
    async fn say_hi(&self, name: String) -> Result<String, RpcError>;
    /// `User greetUser(User u)`: age + 1, the server's tag appended, `server` attribute put.
    async fn greet_user(&self, user: User) -> Result<User, RpcError>;
    /// `Map<String,Object> echoMap(Map<String,Object> m)`: m plus `server`.
    async fn echo_map(
        &self,
        map: HashMap<String, Value>,
    ) -> Result<HashMap<String, Value>, RpcError>;
    /// `List<String> echoList(List<String> l)`: l plus the server's tag.
    async fn echo_list(&self, list: Vec<String>) -> Result<Vec<String>, RpcError>;
    /// `String fail(String name)`: throws `IllegalArgumentException("bad name: " + name)`.
    async fn fail(&self, name: String) -> Result<String, RpcError>;
    /// `int add(int a, int b)`.
    async fn add(&self, a: i32, b: i32) -> Result<i32, RpcError>;
}

/// The Rust provider's implementation; it marks what it touches with `rust`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustGreetings;

/// The tag this implementation adds.
pub const SERVER: &str = "rust";

impl GreetingsService for RustGreetings {
    async fn say_hi(&self, name: String) -> Result<String, RpcError> {
        Ok(format!("hi, {name}"))
    }

    async fn greet_user(&self, mut user: User) -> Result<User, RpcError> {
        user.age += 1;
        user.tags.push(SERVER.to_owned());
        user.attrs.insert("server".to_owned(), SERVER.to_owned());
        Ok(user)
    }

    async fn echo_map(
        &self,
        mut map: HashMap<String, Value>,
    ) -> Result<HashMap<String, Value>, RpcError> {
        map.insert("server".to_owned(), Value::string(SERVER));
        Ok(map)
    }

    async fn echo_list(&self, mut list: Vec<String>) -> Result<Vec<String>, RpcError> {
        list.push(SERVER.to_owned());
        Ok(list)
    }

    async fn fail(&self, name: String) -> Result<String, RpcError> {
        Err(RpcError::exception(
            "java.lang.IllegalArgumentException",
            format!("bad name: {name}"),
        ))
    }

    async fn add(&self, a: i32, b: i32) -> Result<i32, RpcError> {
        Ok(a.wrapping_add(b))
    }
}
