// The JVM side of `cargo bench -p dubbo-benches --bench hessian`: Caucho Hessian 4.0 (Debian's
// libhessian-java) encoding and decoding the same data as the Rust side, timed the same way.
//
// Usage: java -cp hessian.jar:<classes> bench.HessianBench <dir> <warmup-ms> <batches> <batch-ms>
//   <dir> holds rust-pojo.bin and rust-list.bin (written by the Rust side; checked here) and
//   receives java-pojo.bin and java-list.bin (checked by the Rust side).
// Output: one line per fact, tab-separated, first field the kind (CHECK, SIZE, RESULT).
package bench;

import com.caucho.hessian.io.Hessian2Input;
import com.caucho.hessian.io.Hessian2Output;
import com.caucho.hessian.io.SerializerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The nested object of every Pojo (Rust: `Address`, class name `bench.Address`). */
final class Address implements Serializable {
    private static final long serialVersionUID = 1L;
    String city;
    int zip;

    public Address() {}

    Address(String city, int zip) {
        this.city = city;
        this.zip = zip;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Address)) return false;
        Address a = (Address) o;
        return zip == a.zip && Objects.equals(city, a.city);
    }

    @Override
    public int hashCode() {
        return Objects.hash(city, zip);
    }

    @Override
    public String toString() {
        return "Address{" + city + ", " + zip + "}";
    }
}

/**
 * The benchmark POJO: eleven mixed fields. Caucho writes primitive and java.lang fields first,
 * then the others, each group in declaration order; they are declared in that order here.
 */
final class Pojo implements Serializable {
    private static final long serialVersionUID = 1L;
    int id;
    long timestamp;
    double score;
    boolean active;
    String name;
    String description;
    Integer rank;
    Date created;
    List<String> tags;
    Map<String, String> attrs;
    Address owner;

    public Pojo() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Pojo)) return false;
        Pojo p = (Pojo) o;
        return id == p.id
                && timestamp == p.timestamp
                && Double.compare(score, p.score) == 0
                && active == p.active
                && Objects.equals(name, p.name)
                && Objects.equals(description, p.description)
                && Objects.equals(rank, p.rank)
                && Objects.equals(created, p.created)
                && Objects.equals(tags, p.tags)
                && Objects.equals(attrs, p.attrs)
                && Objects.equals(owner, p.owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, timestamp, name);
    }

    @Override
    public String toString() {
        return "Pojo{id=" + id + ", timestamp=" + timestamp + ", score=" + score + ", active="
                + active + ", name=" + name + ", description=" + description + ", rank=" + rank
                + ", created=" + (created == null ? null : created.getTime()) + ", tags="
                + tags + ", attrs=" + attrs + ", owner=" + owner + "}";
    }
}

public final class HessianBench {
    /** Element `i` of the data set; `make_pojo` in benches/src/hessian_data.rs builds the same. */
    static Pojo makePojo(int i) {
        Pojo p = new Pojo();
        p.id = 1000 + i;
        p.timestamp = 1_700_000_000_000L + i * 1_000L;
        p.score = 1.5 * i + 0.123456789;
        p.active = i % 2 == 0;
        p.name = "user-" + i;
        p.description = "Benchmark record number " + i + ", a longer text";
        p.rank = i % 3 == 0 ? null : Integer.valueOf(i % 100);
        p.created = new Date(1_600_000_000_000L + i * 1_234L);
        p.tags = new ArrayList<>(Arrays.asList("alpha", "beta-" + i, "gamma"));
        p.attrs = new HashMap<>();
        p.attrs.put("region", "eu-west-" + (i % 4));
        p.attrs.put("tier", "gold");
        p.owner = new Address("Springfield", 10_000 + i);
        return p;
    }

    static final int LIST_LEN = 1000;
    static final int POJO_INDEX = 7;

    static ArrayList<Pojo> makeList() {
        ArrayList<Pojo> list = new ArrayList<>(LIST_LEN);
        for (int i = 0; i < LIST_LEN; i++) list.add(makePojo(i));
        return list;
    }

    /** Shared like Dubbo shares it: class lookups are cached across streams. */
    static final SerializerFactory FACTORY = new SerializerFactory();

    static final ByteArrayOutputStream BUF = new ByteArrayOutputStream(256 * 1024);

    /** One encode: a fresh Hessian2Output per value (as per Dubbo body), into a reused buffer. */
    static int encode(Object value) throws IOException {
        BUF.reset();
        Hessian2Output out = new Hessian2Output(BUF);
        out.setSerializerFactory(FACTORY);
        out.writeObject(value);
        out.flush();
        return BUF.size();
    }

    static byte[] encodeToBytes(Object value) throws IOException {
        encode(value);
        return BUF.toByteArray();
    }

    static Object decode(byte[] bytes) throws IOException {
        Hessian2Input in = new Hessian2Input(new ByteArrayInputStream(bytes));
        in.setSerializerFactory(FACTORY);
        return in.readObject();
    }

    interface Op {
        long run() throws Exception;
    }

    /** Keeps results observable so the JIT cannot drop the work. */
    static long sink;

    /**
     * Warm-up for warmupMs (which also sizes the batches), then `batches` batches of about batchMs
     * each; returns ns/op for every batch, sorted.
     */
    static double[] measure(Op op, long warmupMs, int batches, long batchMs) throws Exception {
        long warmupNs = warmupMs * 1_000_000L;
        long start = System.nanoTime();
        long iters = 0;
        long now;
        do {
            sink += op.run();
            iters++;
            now = System.nanoTime();
        } while (now - start < warmupNs);
        double perOp = (double) (now - start) / iters;
        long perBatch = Math.max(1L, (long) (batchMs * 1_000_000.0 / perOp));
        double[] ns = new double[batches];
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            for (long k = 0; k < perBatch; k++) sink += op.run();
            ns[b] = (double) (System.nanoTime() - t0) / perBatch;
        }
        Arrays.sort(ns);
        return ns;
    }

    static void report(String name, double[] ns, int bytes) {
        double median = ns.length % 2 == 1
                ? ns[ns.length / 2]
                : (ns[ns.length / 2 - 1] + ns[ns.length / 2]) / 2.0;
        System.out.printf("RESULT\t%s\t%.1f\t%.1f\t%.1f\t%d%n", name, median, ns[0],
                ns[ns.length - 1], bytes);
        System.out.flush();
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAIL\t" + what);
            System.out.flush();
            System.exit(2);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: HessianBench <dir> <warmup-ms> <batches> <batch-ms>");
            System.exit(64);
        }
        Path dir = Paths.get(args[0]);
        long warmupMs = Long.parseLong(args[1]);
        int batches = Integer.parseInt(args[2]);
        long batchMs = Long.parseLong(args[3]);

        Pojo pojo = makePojo(POJO_INDEX);
        ArrayList<Pojo> list = makeList();

        // Java decodes what Rust wrote and must get the same values.
        Object fromRust = decode(Files.readAllBytes(dir.resolve("rust-pojo.bin")));
        check(pojo.equals(fromRust), "Java decoding Rust's POJO bytes: " + fromRust);
        Object fromRustList = decode(Files.readAllBytes(dir.resolve("rust-list.bin")));
        check(list.equals(fromRustList), "Java decoding Rust's list bytes");
        System.out.println("CHECK\tjava-decodes-rust\tok");

        // Rust checks these.
        byte[] pojoBytes = encodeToBytes(pojo);
        byte[] listBytes = encodeToBytes(list);
        Files.write(dir.resolve("java-pojo.bin"), pojoBytes);
        Files.write(dir.resolve("java-list.bin"), listBytes);
        check(pojo.equals(decode(pojoBytes)), "Java round trip of the POJO");
        check(list.equals(decode(listBytes)), "Java round trip of the list");
        System.out.printf("SIZE\tpojo\t%d%nSIZE\tlist1000\t%d%n", pojoBytes.length,
                listBytes.length);
        System.out.flush();

        report("pojo-encode", measure(() -> encode(pojo), warmupMs, batches, batchMs),
                pojoBytes.length);
        report("pojo-decode",
                measure(() -> ((Pojo) decode(pojoBytes)).id, warmupMs, batches, batchMs),
                pojoBytes.length);
        report("list1000-encode", measure(() -> encode(list), warmupMs, batches, batchMs),
                listBytes.length);
        report("list1000-decode",
                measure(() -> ((List<?>) decode(listBytes)).size(), warmupMs, batches, batchMs),
                listBytes.length);
        System.out.println("DONE\t" + (sink == 42 ? "" : "ok"));
    }
}
