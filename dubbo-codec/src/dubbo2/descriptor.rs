//! Parameter-type descriptors as Java's `ReflectUtils.getDesc` writes them (`Ljava/lang/String;I[B`),
//! and conversion from and to Java type names (`java.lang.String`, `int`, `byte[]`).
//!
//! The provider resolves the called method by exact descriptor match, so a consumer must send the
//! descriptor Java would (boxed vs primitive matters, generics are erased).

use thiserror::Error;

/// Descriptor of `$invoke` / `$invokeAsync` (`CommonConstants.GENERIC_PARAMETER_DESC`).
pub const GENERIC_PARAMETER_DESC: &str = "Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/Object;";

/// Descriptor of `$echo` (`CommonConstants.$ECHO_PARAMETER_DESC`).
pub const ECHO_PARAMETER_DESC: &str = "Ljava/lang/Object;";

/// Method name of a generic call.
pub const INVOKE: &str = "$invoke";

/// Method name of an asynchronous generic call.
pub const INVOKE_ASYNC: &str = "$invokeAsync";

/// Method name of the echo (liveness) call.
pub const ECHO: &str = "$echo";

/// A descriptor or type name that is not well formed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DescriptorError {
    /// The descriptor has a character that cannot start a type at this position.
    #[error("parameter descriptor {desc:?}: unexpected {found:?} at character {offset}")]
    UnexpectedChar {
        /// The whole descriptor.
        desc: String,
        /// Byte offset of the character.
        offset: usize,
        /// The character found.
        found: char,
    },
    /// The descriptor ends inside a type (`[` or `L…` without `;`).
    #[error("parameter descriptor {desc:?} ends inside a type")]
    Truncated {
        /// The whole descriptor.
        desc: String,
    },
    /// A Java type name that has no descriptor (empty, generic, or with characters a class name
    /// cannot have).
    #[error("{name:?} is not a Java type name")]
    BadTypeName {
        /// The name given.
        name: String,
    },
}

/// The primitive descriptor letter of a Java primitive type name.
fn primitive_letter(name: &str) -> Option<char> {
    Some(match name {
        "boolean" => 'Z',
        "byte" => 'B',
        "char" => 'C',
        "double" => 'D',
        "float" => 'F',
        "int" => 'I',
        "long" => 'J',
        "short" => 'S',
        "void" => 'V',
        _ => return None,
    })
}

/// The Java primitive type name of a descriptor letter.
fn primitive_name(letter: char) -> Option<&'static str> {
    Some(match letter {
        'Z' => "boolean",
        'B' => "byte",
        'C' => "char",
        'D' => "double",
        'F' => "float",
        'I' => "int",
        'J' => "long",
        'S' => "short",
        'V' => "void",
        _ => return None,
    })
}

/// Splits a descriptor into one descriptor per parameter: `"I[Ljava/lang/String;"` →
/// `["I", "[Ljava/lang/String;"]`. `""` (no parameters) gives an empty list.
pub fn split_descriptor(desc: &str) -> Result<Vec<&str>, DescriptorError> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = desc.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '[' => continue,
            'L' => {
                let mut closed = false;
                let mut empty = true;
                for (j, c) in chars.by_ref() {
                    match c {
                        ';' if !empty => {
                            closed = true;
                            break;
                        }
                        ';' | '[' | '.' => {
                            return Err(DescriptorError::UnexpectedChar {
                                desc: desc.to_owned(),
                                offset: j,
                                found: c,
                            });
                        }
                        _ => empty = false,
                    }
                }
                if !closed {
                    return Err(DescriptorError::Truncated {
                        desc: desc.to_owned(),
                    });
                }
            }
            c if primitive_name(c).is_some() && c != 'V' => {}
            c => {
                return Err(DescriptorError::UnexpectedChar {
                    desc: desc.to_owned(),
                    offset: i,
                    found: c,
                });
            }
        }
        let end = chars.peek().map_or(desc.len(), |(j, _)| *j);
        out.push(desc.get(start..end).unwrap_or_default());
        start = end;
    }
    if start != desc.len() {
        return Err(DescriptorError::Truncated {
            desc: desc.to_owned(),
        });
    }
    Ok(out)
}

/// Number of parameters a descriptor describes.
pub fn parameter_count(desc: &str) -> Result<usize, DescriptorError> {
    split_descriptor(desc).map(|v| v.len())
}

/// The Java type name of one parameter descriptor (Java `ReflectUtils.desc2name`):
/// `"I"` → `int`, `"Ljava/lang/String;"` → `java.lang.String`, `"[[I"` → `int[][]`.
fn one_desc_to_name(desc: &str) -> String {
    let dims = desc.bytes().take_while(|b| *b == b'[').count();
    let elem = desc.get(dims..).unwrap_or_default();
    let mut name = match elem.strip_prefix('L').and_then(|s| s.strip_suffix(';')) {
        Some(class) => class.replace('/', "."),
        None => elem
            .chars()
            .next()
            .and_then(primitive_name)
            .unwrap_or_default()
            .to_owned(),
    };
    for _ in 0..dims {
        name.push_str("[]");
    }
    name
}

/// The Java type names of a descriptor's parameters (the form `ReflectUtils.getName` gives and
/// generic calls send): `"Ljava/lang/String;I[Ljava/lang/Object;"` →
/// `["java.lang.String", "int", "java.lang.Object[]"]`.
pub fn descriptor_to_type_names(desc: &str) -> Result<Vec<String>, DescriptorError> {
    Ok(split_descriptor(desc)?
        .into_iter()
        .map(one_desc_to_name)
        .collect())
}

/// The descriptor of one Java type name: `int` → `I`, `java.lang.String` → `Ljava/lang/String;`,
/// `int[]` → `[I`, `com.foo.User[]` → `[Lcom/foo/User;`, `com.foo.Outer$Inner` →
/// `Lcom/foo/Outer$Inner;`. JVM names as `Class.getName` gives them for arrays (`[I`,
/// `[Ljava.lang.String;`) are accepted too, as Java's `ReflectUtils.name2class` does.
pub fn type_name_to_descriptor(name: &str) -> Result<String, DescriptorError> {
    let mut out = String::new();
    push_type_descriptor(name, &mut out)?;
    Ok(out)
}

/// Appends the descriptor of one Java type name to `out` (see [`type_name_to_descriptor`]).
fn push_type_descriptor(name: &str, out: &mut String) -> Result<(), DescriptorError> {
    let bad = || DescriptorError::BadTypeName {
        name: name.to_owned(),
    };
    if name.starts_with('[') {
        // JVM array form: "[I", "[[Ljava.lang.String;".
        let desc = name.replace('.', "/");
        return match split_descriptor(&desc) {
            Ok(parts) if parts.len() == 1 => {
                out.push_str(&desc);
                Ok(())
            }
            _ => Err(bad()),
        };
    }
    let mut base = name;
    let mut dims = 0;
    while let Some(stripped) = base.strip_suffix("[]") {
        base = stripped;
        dims += 1;
    }
    match primitive_letter(base) {
        Some('V') if dims > 0 => return Err(bad()),
        Some(letter) => {
            out.extend(std::iter::repeat_n('[', dims));
            out.push(letter);
        }
        None => {
            let valid = !base.is_empty()
                && !base.starts_with('.')
                && !base.ends_with('.')
                && !base.contains("..")
                && base.chars().all(|c| {
                    !matches!(c, ';' | '[' | ']' | '/' | '<' | '>' | ',') && !c.is_whitespace()
                });
            if !valid {
                return Err(bad());
            }
            out.extend(std::iter::repeat_n('[', dims));
            out.push('L');
            out.extend(base.chars().map(|c| if c == '.' { '/' } else { c }));
            out.push(';');
        }
    }
    Ok(())
}

/// The descriptor of a parameter list given as Java type names (the inverse of
/// [`descriptor_to_type_names`]): `["java.lang.String", "int", "byte[]"]` → `Ljava/lang/String;I[B`.
pub fn type_names_to_descriptor<S: AsRef<str>>(names: &[S]) -> Result<String, DescriptorError> {
    // Room for the usual `L…;` of each name: one allocation.
    let mut out = String::with_capacity(names.iter().map(|n| n.as_ref().len() + 2).sum());
    for n in names {
        let n = n.as_ref();
        if n == "void" {
            return Err(DescriptorError::BadTypeName { name: n.to_owned() });
        }
        push_type_descriptor(n, &mut out)?;
    }
    Ok(out)
}

/// Java's `RpcUtils.isGenericCall`: the generic descriptor and method `$invoke` or `$invokeAsync`.
pub fn is_generic_call(desc: &str, method: &str) -> bool {
    desc == GENERIC_PARAMETER_DESC && (method == INVOKE || method == INVOKE_ASYNC)
}

/// Java's `RpcUtils.isEcho`: descriptor `Ljava/lang/Object;` and method `$echo`.
pub fn is_echo_call(desc: &str, method: &str) -> bool {
    desc == ECHO_PARAMETER_DESC && method == ECHO
}
