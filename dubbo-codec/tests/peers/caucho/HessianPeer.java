// Live Hessian 2 peer on Caucho Hessian (Debian's libhessian-java, com.caucho.hessian.io), driven by
// dubbo-codec/tests/caucho_interop.rs. Compiled by that test with javac into a temporary folder.
//
//   java -cp <classes>:<hessian.jar> dubbo.peer.HessianPeer emit
//       prints "name<TAB>hex" for every value below: one fresh Hessian2Output per value,
//       writeObject(value) then flush().
//   java -cp <classes>:<hessian.jar> dubbo.peer.HessianPeer check
//       reads "name<TAB>hex" lines on stdin (bytes written by the Rust encoder), decodes each with
//       a fresh Hessian2Input.readObject() and compares the result with the value of that name
//       (deep equality by field; types must match exactly; shared objects must stay shared).
//       Prints "name<TAB>ok" or "name<TAB>FAIL <reason>"; exits 1 if anything failed.
//
// The value names are shared with the Rust test: add a value here and its expectation there.
package dubbo.peer;

import com.caucho.hessian.io.Hessian2Input;
import com.caucho.hessian.io.Hessian2Output;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Serializable;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

enum Color { RED, GREEN, BLUE }

class Point implements Serializable {
    int x;
    int y;

    Point() {}

    Point(int x, int y) {
        this.x = x;
        this.y = y;
    }
}

/** One field of every kind. */
class AllKinds implements Serializable {
    boolean fBool;
    byte fByte;
    short fShort;
    int fInt;
    long fLong;
    float fFloat;
    double fDouble;
    char fChar;
    String fString;
    Integer fBoxedInt;
    Long fBoxedLong;
    Date fDate;
    byte[] fBytes;
    int[] fInts;
    List<String> fList;
    Map<String, Integer> fMap;
    Object fObject;
    Color fEnum;
    Point fPoint;
    String fNull;
}

class Base implements Serializable {
    long id;
    String name;
}

/** Inherits Base's fields and nests a POJO and a collection. */
class Child extends Base {
    List<String> tags;
    Point origin;
    Color color;
}

/** Self-referencing. */
class Node implements Serializable {
    String name;
    Node next;

    Node() {}

    Node(String name) {
        this.name = name;
    }
}

/** Two fields that may hold the same object. */
class Pair implements Serializable {
    Object left;
    Object right;

    Pair() {}

    Pair(Object left, Object right) {
        this.left = left;
        this.right = right;
    }
}

public class HessianPeer {
    /** What is written, by name (insertion order = output order). */
    static final Map<String, Object> VALUES = new LinkedHashMap<>();
    /** What readObject() gives back when it differs from the written value (Short -> Integer ...). */
    static final Map<String, Object> READ_BACK = new HashMap<>();

    static void put(String name, Object value) {
        if (VALUES.containsKey(name)) {
            throw new IllegalStateException("duplicate value name " + name);
        }
        VALUES.put(name, value);
    }

    static void put(String name, Object value, Object readBack) {
        put(name, value);
        READ_BACK.put(name, readBack);
    }

    /** {@code n} letters a..z, repeating. */
    static String letters(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString();
    }

    static byte[] seq(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    static StackTraceElement[] oneFrame() {
        return new StackTraceElement[] {new StackTraceElement("com.example.Foo", "bar", "Foo.java", 42)};
    }

    static {
        put("null", null);
        put("bool_true", true);
        put("bool_false", false);

        int[] ints = {0, -16, 47, -17, 48, -2048, 2047, -2049, 2048, -262144, 262143, -262145, 262144,
            Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (int v : ints) {
            put("int_" + name(v), v);
        }
        long[] longs = {0L, -8L, 15L, -9L, 16L, -2048L, 2047L, -2049L, 2048L, -262144L, 262143L, -262145L,
            262144L, 2147483647L, -2147483648L, 2147483648L, -2147483649L, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long v : longs) {
            put("long_" + name(v), v);
        }
        put("double_0", 0.0);
        put("double_1", 1.0);
        put("double_m1", -1.0);
        put("double_127", 127.0);
        put("double_m128", -128.0);
        put("double_128", 128.0);
        put("double_32767", 32767.0);
        put("double_m32768", -32768.0);
        put("double_32768", 32768.0);
        put("double_0_5", 0.5);
        put("double_12_25", 12.25);
        put("double_m0_001", -0.001);
        put("double_0_1", 0.1);
        put("double_2147483_647", 2147483.647);
        put("double_2147483_648", 2147483.648);
        put("double_3_14159", 3.14159);
        put("double_1e10", 1e10);
        // -0.0 is written as 0x5b: it reads back as +0.0.
        put("double_neg_zero", -0.0, 0.0);
        put("double_nan", Double.NaN);
        put("double_pos_inf", Double.POSITIVE_INFINITY);
        put("double_neg_inf", Double.NEGATIVE_INFINITY);
        put("double_min_value", Double.MIN_VALUE);
        put("double_max_value", Double.MAX_VALUE);
        // Caucho keeps these boxed types: a Float is written as the object
        // com.caucho.hessian.io.FloatHandle{_value: double}, Short/Byte as ShortHandle/ByteHandle
        // {_value: int}, and they read back as Float/Short/Byte. (hessian-lite writes a plain double /
        // int instead, which reads back as Double / Integer.)
        put("float_1_1f", 1.1f);
        put("float_0_5f", 0.5f);
        put("float_max", Float.MAX_VALUE);
        put("short_300", (short) 300);
        put("byte_m5", (byte) -5);
        put("char_x", 'x', "x");
        put("char_e_acute", '\u00e9', "\u00e9");

        put("string_empty", "");
        put("string_a", "a");
        put("string_31", letters(31));
        put("string_32", letters(32));
        put("string_1023", letters(1023));
        put("string_1024", letters(1024));
        put("string_e_acute", "\u00e9");
        put("string_cjk", "\u4e2d\u6587");
        put("string_emoji", "\uD83D\uDE00");
        put("string_mixed", "h\u00e9llo \u4e16\u754c \uD83D\uDE00!");
        put("string_utf8_boundaries", "\u007f\u0080\u07ff\u0800\uffff");
        put("string_nul", "a\u0000b");
        put("string_40000", letters(40000));
        put("string_32768", letters(32768));
        put("string_32769", letters(32769));
        // A supplementary character across the 32768-unit chunk boundary: the first chunk ends
        // before the high surrogate (32767 units).
        put("string_chunk_surrogate", letters(32767) + "\uD83D\uDE00" + letters(10));
        put("string_long_non_ascii", "\u00e9\u4e2d".repeat(20000));

        put("binary_0", new byte[0]);
        put("binary_small", new byte[] {1, 2, (byte) 0xff});
        put("binary_15", seq(15));
        put("binary_16", seq(16));
        put("binary_1023", seq(1023));
        put("binary_1024", seq(1024));
        put("binary_8192", seq(8192));
        put("binary_20000", seq(20000));

        put("date_epoch", new Date(0L));
        put("date_minute", new Date(1700000040000L));
        put("date_millis", new Date(1700000000123L));
        put("date_negative_minute", new Date(-60000L));

        put("int_array", new int[] {1, 2, 3});
        put("int_array_empty", new int[0]);
        put("int_array_9", new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        put("long_array", new long[] {1L, 2147483648L, Long.MIN_VALUE});
        put("string_array", new String[] {"a", null, "b"});
        put("object_array", new Object[] {1, "two", 3.5, null, 4L});
        put("double_array", new double[] {1.5, 0.0});
        put("boolean_array", new boolean[] {true, false});

        put("arraylist_mixed", new ArrayList<>(Arrays.asList(1, "a", null, true, 2L)));
        put("arraylist_empty", new ArrayList<>());
        put("arraylist_8", new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7)));
        put("hashset", new HashSet<>(List.of("a", "b", "c")));
        put("hashmap", new HashMap<>(Map.of("one", 1, "two", 2)));
        put("hashmap_empty", new HashMap<>());
        HashMap<Integer, String> intKeys = new HashMap<>();
        intKeys.put(1, "one");
        intKeys.put(2, "two");
        put("hashmap_int_keys", intKeys);
        LinkedHashMap<String, Object> lhm = new LinkedHashMap<>();
        lhm.put("z", 1);
        lhm.put("a", "x");
        lhm.put("m", null);
        put("linkedhashmap", lhm);
        put("treemap", new TreeMap<>(Map.of("y", 2L, "x", 1L)));
        HashMap<String, Object> nested = new HashMap<>();
        nested.put("list", new ArrayList<>(List.of(new ArrayList<>(List.of(1, 2)), new ArrayList<>())));
        nested.put("map", new HashMap<>(Map.of("k", new ArrayList<>(List.of("v")))));
        nested.put("ints", new int[] {7});
        put("nested_collections", nested);
        ArrayList<Object> sharedMap = new ArrayList<>();
        HashMap<String, Integer> m = new HashMap<>(Map.of("k", 1));
        sharedMap.add(m);
        sharedMap.add(m);
        put("shared_map_twice", sharedMap);
        ArrayList<Object> twoLhm = new ArrayList<>();
        twoLhm.add(new LinkedHashMap<>(Map.of("a", 1)));
        twoLhm.add(new LinkedHashMap<>(Map.of("b", 2)));
        put("two_linkedhashmaps_type_ref", twoLhm);

        put("pojo_point", new Point(1, -2));
        AllKinds k = new AllKinds();
        k.fBool = true;
        k.fByte = (byte) -1;
        k.fShort = (short) 1000;
        k.fInt = 100000;
        k.fLong = 1099511627776L;
        k.fFloat = 1.1f;
        k.fDouble = 2.5;
        k.fChar = 'c';
        k.fString = "str";
        k.fBoxedInt = 42;
        k.fBoxedLong = -5L;
        k.fDate = new Date(1700000040000L);
        k.fBytes = new byte[] {1, 2, 3};
        k.fInts = new int[] {7};
        k.fList = new ArrayList<>(List.of("l1", "l2"));
        k.fMap = new HashMap<>(Map.of("m", 1));
        k.fObject = 9L;
        k.fEnum = Color.BLUE;
        k.fPoint = new Point(3, 4);
        k.fNull = null;
        put("pojo_all_kinds", k);
        Child c = new Child();
        c.id = 7L;
        c.name = "kid";
        c.tags = new ArrayList<>(List.of("t1"));
        c.origin = new Point(0, 0);
        c.color = Color.RED;
        put("pojo_child", c);
        Point shared = new Point(5, 6);
        put("pojo_same_object_twice", new ArrayList<>(List.of(shared, shared, new Point(7, 8))));
        Point inPair = new Point(9, 9);
        put("pojo_shared_in_fields", new Pair(inPair, inPair));
        Node self = new Node("self");
        self.next = self;
        put("pojo_self_reference", self);
        Node a = new Node("a");
        Node b = new Node("b");
        a.next = b;
        b.next = a;
        put("pojo_cycle", a);
        ArrayList<Object> manyClasses = new ArrayList<>();
        manyClasses.add(new Point(1, 1));
        manyClasses.add(new Node("n"));
        manyClasses.add(new Pair("l", 2));
        manyClasses.add(new Point(2, 2));
        put("pojo_classdef_reuse", manyClasses);

        put("enum_green", Color.GREEN);
        put("enum_list_repeated", new ArrayList<>(List.of(Color.RED, Color.RED, Color.BLUE)));
        put("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        put("biginteger_123", new BigInteger("123"));
        put("biginteger_negative_big", new BigInteger("-123456789012345678901234567890"));
        // Caucho 4.0.38 does not apply its LocaleSerializer on JDK 17: a Locale is written as an
        // object java.util.Locale with no fields (all of Locale's fields are transient), which Caucho
        // itself cannot read back (NullPointerException in Locale). It does read the handle form
        // com.caucho.hessian.io.LocaleHandle{value: "zh_CN"} back as the Locale; that is what the
        // Rust test sends here. (hessian-lite's handle is com.alibaba.com.caucho.hessian.io.LocaleHandle.)
        put("locale_zh_cn", Locale.SIMPLIFIED_CHINESE);
        put("locale_en", Locale.ENGLISH);
        IllegalArgumentException iae = new IllegalArgumentException("bad argument");
        iae.setStackTrace(oneFrame());
        put("exception_iae", iae);
        IllegalStateException root = new IllegalStateException("root cause");
        root.setStackTrace(new StackTraceElement[0]);
        RuntimeException wrapped = new RuntimeException("wrapped", root);
        wrapped.setStackTrace(new StackTraceElement[0]);
        put("exception_with_cause", wrapped);
        // BigDecimal is left out on purpose, Caucho 4.0.38 cannot carry it: it has no BigDecimal
        // serializer and writes only the non-transient JDK fields {scale, intVal}; intVal is null for
        // small values (the digits live in the transient intCompact), so 1.50 comes back as 0.00 even
        // Caucho to Caucho; and it reads Dubbo's java.math.BigDecimal{value: "1.50"} back as 0.
    }

    static String name(long v) {
        if (v == Long.MAX_VALUE) return "max";
        if (v == Long.MIN_VALUE) return "min";
        return v < 0 ? "m" + (-v) : Long.toString(v);
    }

    static String name(int v) {
        if (v == Integer.MAX_VALUE) return "max";
        if (v == Integer.MIN_VALUE) return "min";
        return v < 0 ? "m" + (-(long) v) : Integer.toString(v);
    }

    // --- hex ----------------------------------------------------------------------------------

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    static byte[] unhex(String s) {
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("bad hex digit near " + (2 * i));
            }
            b[i] = (byte) ((hi << 4) | lo);
        }
        return b;
    }

    // --- modes --------------------------------------------------------------------------------

    static byte[] encode(Object value) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        Hessian2Output out = new Hessian2Output(bos);
        out.writeObject(value);
        out.flush();
        return bos.toByteArray();
    }

    static Object decode(byte[] bytes) throws Exception {
        Hessian2Input in = new Hessian2Input(new ByteArrayInputStream(bytes));
        return in.readObject();
    }

    static int emit(PrintStream out) throws Exception {
        for (Map.Entry<String, Object> e : VALUES.entrySet()) {
            out.print(e.getKey());
            out.print('\t');
            out.println(hex(encode(e.getValue())));
        }
        out.flush();
        return 0;
    }

    static int check(PrintStream out) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int failed = 0;
        int lines = 0;
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isEmpty()) {
                continue;
            }
            lines++;
            int tab = line.indexOf('\t');
            String name = tab < 0 ? line : line.substring(0, tab);
            String reason;
            if (tab < 0) {
                reason = "no tab in input line";
            } else if (!VALUES.containsKey(name)) {
                reason = "unknown value name";
            } else {
                Object expected = READ_BACK.containsKey(name) ? READ_BACK.get(name) : VALUES.get(name);
                try {
                    Object got = decode(unhex(line.substring(tab + 1).trim()));
                    reason = new Diff().diff(expected, got, "$");
                } catch (Throwable t) {
                    reason = "readObject threw " + t;
                }
            }
            if (reason == null) {
                out.println(name + "\tok");
            } else {
                failed++;
                out.println(name + "\tFAIL " + reason.replace('\n', ' '));
            }
        }
        out.flush();
        if (lines == 0) {
            out.println("-\tFAIL no input");
            return 1;
        }
        return failed == 0 ? 0 : 1;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        String mode = args.length > 0 ? args[0] : "";
        int rc;
        switch (mode) {
            case "emit":
                rc = emit(out);
                break;
            case "check":
                rc = check(out);
                break;
            default:
                System.err.println("usage: HessianPeer emit|check");
                rc = 2;
        }
        out.flush();
        System.exit(rc);
    }
}

/** Deep comparison of what Java wrote with what Java read back from Rust's bytes. */
class Diff {
    /** expected object -> the object read in its place: shared objects must stay shared. */
    private final IdentityHashMap<Object, Object> seen = new IdentityHashMap<>();

    static String desc(Object o) {
        if (o == null) return "null";
        String s;
        if (o.getClass().isArray()) {
            s = o.getClass().getSimpleName() + "(" + Array.getLength(o) + ")";
        } else {
            s = String.valueOf(o);
        }
        if (s.length() > 80) s = s.substring(0, 80) + "...";
        return o.getClass().getName() + " " + s;
    }

    static boolean scalar(Object o) {
        return o instanceof Number || o instanceof String || o instanceof Boolean || o instanceof Character
            || o instanceof Date || o instanceof UUID || o instanceof Locale || o instanceof Enum;
    }

    String diff(Object exp, Object got, String path) {
        if (exp == null || got == null) {
            return exp == got ? null : path + ": expected " + desc(exp) + ", got " + desc(got);
        }
        if (exp.getClass() != got.getClass()) {
            return path + ": expected a " + exp.getClass().getName() + ", got " + desc(got);
        }
        if (scalar(exp)) {
            // Double.equals compares bits (NaN equals NaN, -0.0 differs from 0.0).
            return exp.equals(got) ? null : path + ": expected " + desc(exp) + ", got " + desc(got);
        }
        if (seen.containsKey(exp)) {
            return seen.get(exp) == got ? null
                : path + ": a shared object was read back as a different instance (reference lost)";
        }
        seen.put(exp, got);
        if (exp.getClass().isArray()) {
            int n = Array.getLength(exp);
            if (n != Array.getLength(got)) {
                return path + ": expected length " + n + ", got " + Array.getLength(got);
            }
            for (int i = 0; i < n; i++) {
                String d = diff(Array.get(exp, i), Array.get(got, i), path + "[" + i + "]");
                if (d != null) return d;
            }
            return null;
        }
        if (exp instanceof Throwable) {
            Throwable te = (Throwable) exp;
            Throwable tg = (Throwable) got;
            if (!Objects.equals(te.getMessage(), tg.getMessage())) {
                return path + ".message: expected " + te.getMessage() + ", got " + tg.getMessage();
            }
            String d = diff(te.getCause(), tg.getCause(), path + ".cause");
            if (d != null) return d;
            if (!Arrays.equals(te.getStackTrace(), tg.getStackTrace())) {
                return path + ".stackTrace: expected " + Arrays.toString(te.getStackTrace()) + ", got "
                    + Arrays.toString(tg.getStackTrace());
            }
            return null;
        }
        if (exp instanceof BigInteger) {
            return exp.equals(got) ? null : path + ": expected " + exp + ", got " + got;
        }
        if (exp instanceof List) {
            List<?> le = (List<?>) exp;
            List<?> lg = (List<?>) got;
            if (le.size() != lg.size()) return path + ": expected size " + le.size() + ", got " + lg.size();
            for (int i = 0; i < le.size(); i++) {
                String d = diff(le.get(i), lg.get(i), path + "[" + i + "]");
                if (d != null) return d;
            }
            return null;
        }
        if (exp instanceof Set) {
            return exp.equals(got) ? null : path + ": expected " + exp + ", got " + got;
        }
        if (exp instanceof Map) {
            Map<?, ?> me = (Map<?, ?>) exp;
            Map<?, ?> mg = (Map<?, ?>) got;
            if (me.size() != mg.size()) return path + ": expected size " + me.size() + ", got " + mg.size();
            if (exp instanceof LinkedHashMap || exp instanceof SortedMap) {
                Iterator<?> ie = me.keySet().iterator();
                Iterator<?> ig = mg.keySet().iterator();
                while (ie.hasNext()) {
                    Object ke = ie.next();
                    Object kg = ig.next();
                    String d = diff(ke, kg, path + ".key");
                    if (d != null) return d + " (order matters here)";
                }
            }
            for (Map.Entry<?, ?> e : me.entrySet()) {
                if (!mg.containsKey(e.getKey())) return path + ": key " + desc(e.getKey()) + " missing";
                String d = diff(e.getValue(), mg.get(e.getKey()), path + "[" + e.getKey() + "]");
                if (d != null) return d;
            }
            return null;
        }
        if (exp.getClass().getName().startsWith("dubbo.peer.")) {
            for (Class<?> cl = exp.getClass(); cl != null && cl != Object.class; cl = cl.getSuperclass()) {
                for (Field f : cl.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    try {
                        String d = diff(f.get(exp), f.get(got), path + "." + f.getName());
                        if (d != null) return d;
                    } catch (IllegalAccessException ex) {
                        return path + "." + f.getName() + ": " + ex;
                    }
                }
            }
            return null;
        }
        return exp.equals(got) ? null : path + ": expected " + desc(exp) + ", got " + desc(got);
    }
}
