//! Live round trip with **hessian.js** 2.x (npm, the Node.js Hessian used by dubbo-js/egg), Hessian
//! 2.0 mode.
//!
//! The peer `tests/peers/node/hessian_peer.js` runs under `node` with hessian.js from
//! `<repo>/.peers/node/node_modules` (installed by `bash scripts/test.sh --install`):
//! * `emit`: hessian.js writes every named value; our decoder must read each to exactly the
//!   expected [`Value`] below (kinds and types exact: hessian.js decides int vs long vs double from
//!   its `{$class, $}` hints, which is what we check here);
//! * `check`: our encoder writes every expected value; hessian.js's `DecoderV2` (with type
//!   information) must give back the peer's own value (same class names, fields, list/map types,
//!   shared objects still shared, and every byte consumed). hessian.js returns bare JavaScript
//!   numbers for int, long and double, so that direction checks numeric values, not their types.
//!
//! What hessian.js does differently from hessian-lite 4.0.3 (the reference), pinned below:
//! * `Float`/`Short`/`Byte` hints become a plain double / int, as in hessian-lite; but a float is
//!   the JavaScript number itself (`1.1` -> 1.1, there is no 32-bit rounding);
//! * binaries are chunked at 4093 bytes (hessian-lite: 8189), with a compact final chunk;
//! * maps: `java.util.HashMap`, plain objects (keys **sorted**) and ES6 Maps are `H`; a typed map is
//!   only written as `M` when its class is in the encoder's `mapTypes` option, otherwise
//!   `{$class: 'java.util.LinkedHashMap', $: {...}}` becomes an *object* of that class whose fields
//!   are the keys (`linkedhashmap_default_encoder`);
//! * `java.util.Locale` is written as `com.caucho.hessian.io.LocaleHandle{value}` (Caucho's class,
//!   not hessian-lite's `com.alibaba.com.caucho.hessian.io.LocaleHandle`);
//! * UUID, BigDecimal, exceptions, enums are whatever object the caller spells out (here: the
//!   hessian-lite forms).
//!
//! Needs `node` and the npm package; without them the tests fail and say how to install them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use dubbo_codec::hessian::Value;
use support::interop::*;
use support::peer;

const HINT: &str = "hessian.js is missing: run `bash scripts/test.sh --install` (or, from the \
     repository root, `npm install --prefix .peers/node hessian.js@2`; Node.js and npm come from \
     `apt-get install nodejs npm`), or point $HESSIAN_JS_DIR at an installed hessian.js 2.x";

const NODE_TIMEOUT: Duration = Duration::from_secs(120);

fn hessian_js_dir() -> PathBuf {
    let dir = match std::env::var("HESSIAN_JS_DIR") {
        Ok(d) => PathBuf::from(d),
        Err(_) => peer::repo_root().join(".peers/node/node_modules/hessian.js"),
    };
    assert!(
        dir.join("package.json").is_file(),
        "{} has no package.json\n{HINT}",
        dir.display()
    );
    dir
}

fn run_peer(mode: &str, stdin: &[u8]) -> peer::Finished {
    let module = hessian_js_dir();
    peer::require_program("node", &["--version"], HINT);
    let mut cmd = Command::new("node");
    cmd.arg(peer::peer_source("node/hessian_peer.js"))
        .arg(mode)
        .env("HESSIAN_JS_DIR", module);
    peer::run(cmd, stdin, NODE_TIMEOUT, HINT)
}

fn cases() -> Vec<Case> {
    let mut c = Cases::default();
    let mut put = |name: &str, expect: Value| c.put(name, expect);

    put("null", Value::Null);
    put("bool_true", Value::Bool(true));
    put("bool_false", Value::Bool(false));
    // Plain JavaScript integers in the int32 range.
    for (name, v) in int_boundaries() {
        put(&name, int(v));
    }
    // {$class: 'java.lang.Long', $: n} (decimal strings beyond 2^53).
    for (name, v) in long_boundaries() {
        put(&name, long(v));
    }
    put("long_max_safe", long(9_007_199_254_740_991));
    // A plain JavaScript integer outside the int32 range is a long.
    put("long_plain_number", long(2_147_483_648));
    // {$class: 'double', $: x}: hessian.js picks the same compact forms as Java.
    for (name, v) in double_cases() {
        put(&format!("double_{name}"), dbl(v));
    }
    put("double_plain_number", dbl(2.5));
    put("float_1_1", dbl(1.1));
    put("short_300", int(300));
    put("byte_m5", int(-5));
    put("char_x", s("x"));
    for (name, text) in string_cases() {
        put(&name, Value::String(text));
    }

    for (name, v) in binaries_dates_arrays_lists(&[15, 16, 1023, 1024, 4093, 4094, 8192, 20000]) {
        put(&name, v);
    }
    // {$class: 'java.util.ArrayList'} is written untyped, as hessian-lite 4 does.
    put("arraylist_typed", list(vec![s("x")]));
    put(
        "hashset",
        typed("java.util.HashSet", vec![s("a"), s("b"), s("c")]),
    );
    put(
        "linkedlist",
        typed("java.util.LinkedList", vec![s("a"), s("b")]),
    );
    // Plain objects: keys sorted.
    put(
        "hashmap",
        hmap(vec![(s("one"), int(1)), (s("two"), int(2))]),
    );
    put("hashmap_empty", hmap(vec![]));
    put("hashmap_class", hmap(vec![(s("k"), s("v"))]));
    put(
        "hashmap_es6",
        hmap(vec![(s("b"), int(1)), (s("a"), int(2))]),
    );
    put(
        "hashmap_int_keys",
        hmap(vec![(int(1), s("one")), (int(2), s("two"))]),
    );
    put(
        "linkedhashmap",
        tmap(
            "java.util.LinkedHashMap",
            vec![(s("z"), int(1)), (s("a"), s("x")), (s("m"), Value::Null)],
        ),
    );
    put(
        "treemap",
        tmap(
            "java.util.TreeMap",
            vec![(s("x"), long(1)), (s("y"), long(2))],
        ),
    );
    put(
        "two_linkedhashmaps_type_ref",
        list(vec![
            tmap("java.util.LinkedHashMap", vec![(s("a"), int(1))]),
            tmap("java.util.LinkedHashMap", vec![(s("b"), int(2))]),
        ]),
    );
    // hessian.js quirk: without `mapTypes`, a map class is written as an object of that class.
    put(
        "linkedhashmap_default_encoder",
        obj(
            "java.util.LinkedHashMap",
            vec![("z", int(1)), ("a", s("x"))],
        ),
    );
    put(
        "nested_collections",
        hmap(vec![
            (s("ints"), typed("[int", vec![int(7)])),
            (
                s("list"),
                list(vec![list(vec![int(1), int(2)]), list(vec![])]),
            ),
            (s("map"), hmap(vec![(s("k"), list(vec![s("v")]))])),
        ]),
    );
    put(
        "shared_map_twice",
        list(vec![hmap(vec![(s("k"), int(1))]), Value::Ref(1)]),
    );

    put("pojo_point", point(1, -2));
    put(
        "pojo_all_kinds",
        obj(
            "dubbo.peer.AllKinds",
            vec![
                ("fBool", Value::Bool(true)),
                ("fByte", int(-1)),
                ("fShort", int(1000)),
                ("fInt", int(100_000)),
                ("fLong", long(1_099_511_627_776)),
                ("fFloat", dbl(1.5)),
                ("fDouble", dbl(2.0)),
                ("fChar", s("c")),
                ("fString", s("str")),
                ("fBoxedInt", int(42)),
                ("fBoxedLong", long(-5)),
                ("fDate", Value::Date(1_700_000_040_000)),
                ("fBytes", Value::Binary(vec![1, 2, 3])),
                ("fInts", typed("[int", vec![int(7)])),
                ("fList", list(vec![s("l1"), s("l2")])),
                ("fMap", hmap(vec![(s("m"), int(1))])),
                ("fObject", long(9)),
                ("fEnum", color("BLUE")),
                ("fPoint", point(3, 4)),
                ("fNull", Value::Null),
            ],
        ),
    );
    // 17 classes: the 17th instance uses the `O` form.
    put(
        "pojo_17_classes",
        list(
            (0..17)
                .map(|i| obj(&format!("dubbo.peer.C{i}"), vec![("i", int(i))]))
                .collect(),
        ),
    );
    for (name, v) in object_graphs() {
        put(&name, v);
    }
    put(
        "uuid",
        obj(
            "java.util.UUID",
            vec![("value", s("123e4567-e89b-12d3-a456-426614174000"))],
        ),
    );
    put(
        "bigdecimal",
        obj("java.math.BigDecimal", vec![("value", s("1.50"))]),
    );
    put(
        "locale_zh_cn",
        obj(
            "com.caucho.hessian.io.LocaleHandle",
            vec![("value", s("zh_CN"))],
        ),
    );
    put(
        "exception_iae",
        obj(
            "java.lang.IllegalArgumentException",
            vec![
                ("detailMessage", s("bad argument")),
                (
                    "stackTrace",
                    typed(
                        "[java.lang.StackTraceElement",
                        vec![obj(
                            "java.lang.StackTraceElement",
                            vec![
                                ("declaringClass", s("com.example.Foo")),
                                ("methodName", s("bar")),
                                ("fileName", s("Foo.java")),
                                ("lineNumber", int(42)),
                            ],
                        )],
                    ),
                ),
                ("cause", Value::Ref(0)),
            ],
        ),
    );
    c.0
}

/// hessian.js writes, we read.
#[test]
fn hessianjs_written_values_decode_to_the_expected_values() {
    let cases = cases();
    let out = run_peer("emit", b"").expect_success("hessian_peer.js emit");
    verify_emitted("hessian.js", &out, &cases);
}

/// We write, hessian.js reads.
#[test]
fn hessianjs_reads_what_we_write() {
    let cases = cases();
    let input = check_input(&cases);
    let out = run_peer("check", input.as_bytes());
    verify_checked("hessian.js", &out, &cases);
}
