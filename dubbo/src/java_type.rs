//! The Java type a Rust type stands for in a method signature, from which Dubbo's parameter
//! descriptor (`Ljava/lang/String;I`) and generic type lists are derived.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use dubbo_codec::hessian::Value;

/// The Java type name (as `Class.getName` style with `[]` for arrays: `int`, `java.lang.Integer`,
/// `java.util.List`, `com.foo.User`, `int[]`) a Rust type maps to in a Java interface.
pub trait JavaType {
    /// The Java type name.
    fn java_type() -> Cow<'static, str>;

    /// The boxed form used when the type is wrapped in `Option` (`int` becomes `java.lang.Integer`).
    fn java_boxed_type() -> Cow<'static, str> {
        Self::java_type()
    }
}

macro_rules! java_types {
    ($($t:ty => $name:literal / $boxed:literal),* $(,)?) => {$(
        impl JavaType for $t {
            fn java_type() -> Cow<'static, str> { Cow::Borrowed($name) }
            fn java_boxed_type() -> Cow<'static, str> { Cow::Borrowed($boxed) }
        }
    )*};
}

java_types! {
    bool => "boolean" / "java.lang.Boolean",
    i8 => "byte" / "java.lang.Byte",
    i16 => "short" / "java.lang.Short",
    i32 => "int" / "java.lang.Integer",
    i64 => "long" / "java.lang.Long",
    f32 => "float" / "java.lang.Float",
    f64 => "double" / "java.lang.Double",
    char => "char" / "java.lang.Character",
    String => "java.lang.String" / "java.lang.String",
    &str => "java.lang.String" / "java.lang.String",
    Value => "java.lang.Object" / "java.lang.Object",
    () => "void" / "java.lang.Void",
}

impl<T: JavaType> JavaType for Option<T> {
    fn java_type() -> Cow<'static, str> {
        T::java_boxed_type()
    }
}

impl<T: JavaType> JavaType for Vec<T> {
    fn java_type() -> Cow<'static, str> {
        Cow::Borrowed("java.util.List")
    }
}

impl<T: JavaType> JavaType for HashSet<T> {
    fn java_type() -> Cow<'static, str> {
        Cow::Borrowed("java.util.Set")
    }
}

impl<K, V> JavaType for HashMap<K, V> {
    fn java_type() -> Cow<'static, str> {
        Cow::Borrowed("java.util.Map")
    }
}

impl<K, V> JavaType for BTreeMap<K, V> {
    fn java_type() -> Cow<'static, str> {
        Cow::Borrowed("java.util.Map")
    }
}

/// Binary data (`byte[]`).
impl JavaType for bytes::Bytes {
    fn java_type() -> Cow<'static, str> {
        Cow::Borrowed("byte[]")
    }
}

impl<T: JavaType> JavaType for Box<T> {
    fn java_type() -> Cow<'static, str> {
        T::java_type()
    }
    fn java_boxed_type() -> Cow<'static, str> {
        T::java_boxed_type()
    }
}
