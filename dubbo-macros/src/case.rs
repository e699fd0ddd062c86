//! Rust to Java naming.

/// The Java (camelCase) name of a Rust (snake_case) method name: `say_hi` becomes `sayHi`,
/// `get_v2_user` becomes `getV2User`. A raw identifier's `r#` is dropped; leading underscores are
/// kept.
pub fn camel_case(rust_name: &str) -> String {
    let name = rust_name.strip_prefix("r#").unwrap_or(rust_name);
    let body = name.trim_start_matches('_');
    let mut out = String::with_capacity(name.len());
    out.extend(std::iter::repeat_n('_', name.len() - body.len()));
    let mut upper_next = false;
    for c in body.chars() {
        if c == '_' {
            upper_next = true;
            continue;
        }
        if upper_next {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        upper_next = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::camel_case;

    #[test]
    fn converts_snake_case() {
        assert_eq!(camel_case("say_hi"), "sayHi");
        assert_eq!(camel_case("nothing"), "nothing");
        assert_eq!(camel_case("get_user_by_id"), "getUserById");
        assert_eq!(camel_case("get_v2_user"), "getV2User");
        assert_eq!(camel_case("r#type"), "type");
        assert_eq!(camel_case("_private_call"), "_privateCall");
        assert_eq!(camel_case("double__under"), "doubleUnder");
        assert_eq!(camel_case("alreadyCamel"), "alreadyCamel");
    }
}
