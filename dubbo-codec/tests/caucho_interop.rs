//! Live round trip with **Caucho Hessian** 4.0.38 (Debian's `libhessian-java`, package
//! `com.caucho.hessian.io`), the library hessian-lite was forked from.
//!
//! The peer `tests/peers/caucho/HessianPeer.java` is compiled with `javac` into a temporary folder
//! and run with `java`:
//! * `emit`: Caucho writes every named value (one fresh `Hessian2Output` each); our decoder must read
//!   each to exactly the expected [`Value`] below (kinds, type strings, class names, field names by
//!   name, shared references).
//! * `check`: our encoder writes every expected value; Caucho's `Hessian2Input.readObject()` must give
//!   back an object deep-equal to the Java value of that name (same classes, same fields, shared
//!   objects still shared).
//!
//! What Caucho does differently from hessian-lite 4.0.3 (the reference for Dubbo), pinned below:
//! * `Float`, `Short`, `Byte` are objects `com.caucho.hessian.io.FloatHandle` / `ShortHandle` /
//!   `ByteHandle` with one field `_value` (a double / int), so they read back with their own type;
//!   hessian-lite writes a plain double (of the float's decimal string) / int.
//! * `java.util.UUID` is field-serialized (`mostSigBits`, `leastSigBits` longs); hessian-lite writes
//!   `java.util.UUID{value: "123e4567-..."}`.
//! * `java.util.Locale`: on JDK 17 Caucho writes an empty object `java.util.Locale` (no fields) that
//!   it cannot read back itself; it reads the handle `com.caucho.hessian.io.LocaleHandle{value}`
//!   (hessian-lite: `com.alibaba.com.caucho.hessian.io.LocaleHandle`), which is what we send.
//! * Field order: Caucho writes declared order, superclass fields after the subclass's, primitives
//!   first (`Throwable`: `detailMessage, cause, stackTrace, suppressedExceptions`); hessian-lite
//!   writes the reverse. Fields are compared by name here.
//! * `java.math.BigDecimal` is left out because Caucho 4.0.38 cannot carry it: with no BigDecimal
//!   serializer it writes the non-transient JDK fields only, `{scale: 2, intVal: null}` for 1.50
//!   (the digits are in the transient `intCompact`), which reads back as 0.00 even Caucho to Caucho,
//!   and it reads Dubbo's `java.math.BigDecimal{value: "1.50"}` back as 0. Nothing else is left out.
//! * Caucho on JDK 17 needs `--add-opens java.base/java.lang=ALL-UNNAMED` (its
//!   `StackTraceElementDeserializer` makes JDK fields accessible in a static initializer), plus
//!   `java.util` / `java.math` for `Locale` / `BigInteger` fields, as Hessian deployments on JDK 17 do.
//!
//! Needs `javac`/`java` and `/usr/share/java/hessian*.jar` (or `$CAUCHO_HESSIAN_JAR`); without them
//! the tests fail and say how to install them (`bash scripts/test.sh --install`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use dubbo_codec::hessian::Value;
use support::interop::*;
use support::peer::{self, TempDir};

const HINT: &str = "Caucho Hessian is missing: run `bash scripts/test.sh --install` (or \
     `apt-get install libhessian-java`, which puts hessian.jar in /usr/share/java; a JDK with javac \
     is needed too), or point $CAUCHO_HESSIAN_JAR at a Caucho hessian 4.x jar";

const JAVA_TIMEOUT: Duration = Duration::from_secs(120);

/// Caucho 4.0.38 on JDK 17 cannot even create its SerializerFactory without `java.lang` opened.
const ADD_OPENS: [&str; 3] = [
    "java.base/java.lang",
    "java.base/java.util",
    "java.base/java.math",
];

// --- the Java peer --------------------------------------------------------------------------

struct JavaPeer {
    _dir: TempDir,
    classpath: String,
}

fn caucho_jar() -> PathBuf {
    if let Ok(jar) = std::env::var("CAUCHO_HESSIAN_JAR") {
        let jar = PathBuf::from(jar);
        assert!(
            jar.is_file(),
            "$CAUCHO_HESSIAN_JAR={} is not a file\n{HINT}",
            jar.display()
        );
        return jar;
    }
    peer::find_file(Path::new("/usr/share/java"), "hessian", ".jar")
        .unwrap_or_else(|| panic!("no /usr/share/java/hessian*.jar\n{HINT}"))
}

fn java_peer() -> JavaPeer {
    let jar = caucho_jar();
    let dir = TempDir::new("caucho-peer");
    let source = peer::peer_source("caucho/HessianPeer.java");
    peer::javac(&[source], &jar, dir.path(), HINT);
    let classpath = format!("{}:{}", dir.path().display(), jar.display());
    JavaPeer {
        _dir: dir,
        classpath,
    }
}

impl JavaPeer {
    fn run(&self, mode: &str, stdin: &[u8]) -> peer::Finished {
        let mut cmd = Command::new("java");
        for module in ADD_OPENS {
            cmd.arg("--add-opens").arg(format!("{module}=ALL-UNNAMED"));
        }
        cmd.arg("-cp")
            .arg(&self.classpath)
            .arg("dubbo.peer.HessianPeer")
            .arg(mode);
        peer::run(cmd, stdin, JAVA_TIMEOUT, HINT)
    }
}

// --- expected values ------------------------------------------------------------------------

fn stack_trace_element(class: &str, method: &str, file: &str, line: i32) -> Value {
    // JDK 17's StackTraceElement fields (declaringClassObject is transient).
    obj(
        "java.lang.StackTraceElement",
        vec![
            ("classLoaderName", Value::Null),
            ("moduleName", Value::Null),
            ("moduleVersion", Value::Null),
            ("declaringClass", s(class)),
            ("methodName", s(method)),
            ("fileName", s(file)),
            ("lineNumber", int(line)),
            ("format", int(0)),
        ],
    )
}

/// A JDK 17 Throwable as Caucho writes it (its field order, so that the reference numbers written
/// here are this value's own): `cause` is a back-reference to the exception itself when there is no
/// cause, and `suppressedExceptions` the shared `Collections.emptyList()`.
fn throwable(
    class: &str,
    message: &str,
    cause: Value,
    stack: Vec<Value>,
    suppressed: Value,
) -> Value {
    obj(
        class,
        vec![
            ("detailMessage", s(message)),
            ("cause", cause),
            ("stackTrace", typed("[java.lang.StackTraceElement", stack)),
            ("suppressedExceptions", suppressed),
        ],
    )
}

fn empty_list_singleton() -> Value {
    typed("java.util.Collections$EmptyList", vec![])
}

fn cases() -> Vec<Case> {
    let mut c = Cases::default();
    let mut put = |name: &str, expect: Value| c.put(name, expect);

    put("null", Value::Null);
    put("bool_true", Value::Bool(true));
    put("bool_false", Value::Bool(false));
    for (name, v) in int_boundaries() {
        put(&name, int(v));
    }
    for (name, v) in long_boundaries() {
        put(&name, long(v));
    }
    for (name, v) in double_cases() {
        put(&format!("double_{name}"), dbl(v));
    }
    // Caucho only: boxed Float/Short/Byte keep their type through handle objects.
    let float_handle = |f: f32| {
        obj(
            "com.caucho.hessian.io.FloatHandle",
            vec![("_value", dbl(f64::from(f)))],
        )
    };
    put("float_1_1f", float_handle(1.1));
    put("float_0_5f", float_handle(0.5));
    put("float_max", float_handle(f32::MAX));
    put(
        "short_300",
        obj(
            "com.caucho.hessian.io.ShortHandle",
            vec![("_value", int(300))],
        ),
    );
    put(
        "byte_m5",
        obj(
            "com.caucho.hessian.io.ByteHandle",
            vec![("_value", int(-5))],
        ),
    );
    put("char_x", s("x"));
    put("char_e_acute", s("\u{e9}"));
    for (name, text) in string_cases() {
        put(&name, Value::String(text));
    }

    for (name, v) in binaries_dates_arrays_lists(&[15, 16, 1023, 1024, 8192, 20000]) {
        put(&name, v);
    }
    put(
        "hashset",
        typed("java.util.HashSet", vec![s("a"), s("b"), s("c")]),
    );
    put(
        "hashmap",
        hmap(vec![(s("one"), int(1)), (s("two"), int(2))]),
    );
    put("hashmap_empty", hmap(vec![]));
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
    // The second element is the same HashMap: a back-reference to slot 1 (slot 0 is the list).
    put(
        "shared_map_twice",
        list(vec![hmap(vec![(s("k"), int(1))]), Value::Ref(1)]),
    );
    put(
        "two_linkedhashmaps_type_ref",
        list(vec![
            tmap("java.util.LinkedHashMap", vec![(s("a"), int(1))]),
            tmap("java.util.LinkedHashMap", vec![(s("b"), int(2))]),
        ]),
    );

    put("pojo_point", point(1, -2));
    put(
        "pojo_all_kinds",
        obj(
            "dubbo.peer.AllKinds",
            vec![
                ("fBool", Value::Bool(true)),
                // byte/short fields are plain ints (no handle inside objects).
                ("fByte", int(-1)),
                ("fShort", int(1000)),
                ("fInt", int(100_000)),
                ("fLong", long(1_099_511_627_776)),
                // float fields are widened (as in hessian-lite): 1.1f -> 1.100000023841858.
                ("fFloat", dbl(f64::from(1.1f32))),
                ("fDouble", dbl(2.5)),
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
    for (name, v) in object_graphs() {
        put(&name, v);
    }
    put(
        "uuid",
        obj(
            "java.util.UUID",
            vec![
                ("mostSigBits", long(0x123e_4567_e89b_12d3)),
                ("leastSigBits", long(0xa456_4266_1417_4000_u64 as i64)),
            ],
        ),
    );
    let big = |signum: i32, mag: Vec<i32>| {
        obj(
            "java.math.BigInteger",
            vec![
                ("signum", int(signum)),
                ("bitCountPlusOne", int(0)),
                ("bitLengthPlusOne", int(0)),
                ("lowestSetBitPlusTwo", int(0)),
                ("firstNonzeroIntNumPlusTwo", int(0)),
                ("mag", typed("[int", mag.into_iter().map(int).collect())),
            ],
        )
    };
    put("biginteger_123", big(1, vec![123]));
    // -123456789012345678901234567890: magnitude as big-endian 32-bit words.
    put(
        "biginteger_negative_big",
        big(
            -1,
            vec![
                1,
                0x8ee9_0ff6_u32 as i32,
                0xc373_e0ee_u32 as i32,
                0x4e3f_0ad2,
            ],
        ),
    );
    put(
        "exception_iae",
        throwable(
            "java.lang.IllegalArgumentException",
            "bad argument",
            Value::Ref(0),
            vec![stack_trace_element(
                "com.example.Foo",
                "bar",
                "Foo.java",
                42,
            )],
            empty_list_singleton(),
        ),
    );
    // Slots: 0 the RuntimeException, 1 its cause, 2 the cause's stackTrace, 3 the shared empty
    // suppressedExceptions list, 4 the outer stackTrace.
    put(
        "exception_with_cause",
        throwable(
            "java.lang.RuntimeException",
            "wrapped",
            throwable(
                "java.lang.IllegalStateException",
                "root cause",
                Value::Ref(1),
                vec![],
                empty_list_singleton(),
            ),
            vec![],
            Value::Ref(3),
        ),
    );

    // Locale: Caucho writes an empty java.util.Locale object (see the module docs); we send its handle.
    for (name, tag) in [("locale_zh_cn", "zh_CN"), ("locale_en", "en")] {
        c.put_asymmetric(
            name,
            obj("java.util.Locale", vec![]),
            obj(
                "com.caucho.hessian.io.LocaleHandle",
                vec![("value", s(tag))],
            ),
        );
    }
    // java.math.BigDecimal: deliberately absent, Caucho 4.0.38 loses its value in both directions
    // (see the module docs).
    c.0
}

// --- tests ----------------------------------------------------------------------------------

/// Caucho writes, we read.
#[test]
fn caucho_written_values_decode_to_the_expected_values() {
    let cases = cases();
    let out = java_peer()
        .run("emit", b"")
        .expect_success("HessianPeer emit");
    verify_emitted("Caucho", &out, &cases);
}

/// We write, Caucho reads.
#[test]
fn caucho_reads_what_we_write() {
    let cases = cases();
    let input = check_input(&cases);
    let out = java_peer().run("check", input.as_bytes());
    verify_checked("Caucho", &out, &cases);
}
