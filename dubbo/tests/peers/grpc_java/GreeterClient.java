import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.dubbo.interop.rpc.AnyValue;
import org.apache.dubbo.interop.rpc.ErrorInfo;
import org.apache.dubbo.samples.greeter.GreetReply;
import org.apache.dubbo.samples.greeter.GreetRequest;

/**
 * Interop peer: a grpc-java (Debian libgrpc-java 1.41, Netty transport, h2c plaintext) CLIENT for
 * org.apache.dubbo.samples.greeter.Greeter.
 *
 * <p>Usage: java GreeterClient &lt;host&gt; &lt;port&gt; [--checks unary,server_stream,...]
 *
 * <p>Checks and output exactly as ../grpc_python/client.py: one JSON line per check, then
 * {"summary":true,"passed":N,"failed":M}; exit 0 only if all passed, 1 otherwise, 2 usage. Every
 * call has a 10 s deadline (the deadline check 300 ms); the run is capped at 40 s.
 */
public final class GreeterClient {
    static final List<String> ALL = Arrays.asList("unary", "server_stream", "client_stream", "bidi",
            "metadata", "error_details", "deadline", "unimplemented");
    static final long CALL_TIMEOUT_MS = 10_000;

    private static int passed;
    private static int failed;
    private static boolean done;

    private GreeterClient() {}

    /** What a check saw, and whether that is what the check wants. */
    static final class Outcome {
        final boolean ok;
        final Object got;

        Outcome(boolean ok, Object got) {
            this.ok = ok;
            this.got = got;
        }
    }

    static synchronized void out(Map<String, Object> line) {
        if (done) {
            return;
        }
        if (Boolean.TRUE.equals(line.get("summary"))) {
            done = true;
        }
        System.out.println(Json.write(line));
        System.out.flush();
    }

    static synchronized void record(String check, boolean ok, Object got, String why, Object error) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("check", check);
        line.put("ok", ok);
        if (got != null) {
            line.put("got", got);
        }
        if (!ok) {
            line.put("why", why == null ? "unexpected result" : why);
            if (error != null) {
                line.put("error", error);
            }
        }
        if (ok) {
            passed++;
        } else {
            failed++;
        }
        out(line);
    }

    static synchronized Map<String, Object> summary() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("summary", true);
        line.put("passed", passed);
        line.put("failed", failed);
        return line;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, Object> reply(GreetReply r) {
        return map("message", r.getMessage(), "index", r.getIndex());
    }

    static Map<String, Object> status(StatusRuntimeException e) {
        return map("code", e.getStatus().getCode().name(), "details", e.getStatus().getDescription());
    }

    static GreetRequest req(String name, int count) {
        return GreetRequest.newBuilder().setName(name).setCount(count).build();
    }

    static CallOptions deadline(long ms) {
        return CallOptions.DEFAULT.withDeadlineAfter(ms, TimeUnit.MILLISECONDS);
    }

    /** Sends `names` on a client-side stream and collects every reply. */
    static List<GreetReply> streamCall(Channel ch, io.grpc.MethodDescriptor<GreetRequest, GreetReply> m,
            List<String> names) throws Exception {
        CompletableFuture<List<GreetReply>> result = new CompletableFuture<>();
        List<GreetReply> replies = new ArrayList<>();
        StreamObserver<GreetReply> in = new StreamObserver<GreetReply>() {
            @Override
            public void onNext(GreetReply r) {
                synchronized (replies) {
                    replies.add(r);
                }
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                synchronized (replies) {
                    result.complete(new ArrayList<>(replies));
                }
            }
        };
        StreamObserver<GreetRequest> outStream = m.getType() == io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING
                ? ClientCalls.asyncBidiStreamingCall(ch.newCall(m, deadline(CALL_TIMEOUT_MS)), in)
                : ClientCalls.asyncClientStreamingCall(ch.newCall(m, deadline(CALL_TIMEOUT_MS)), in);
        for (String n : names) {
            outStream.onNext(req(n, 0));
        }
        outStream.onCompleted();
        try {
            return result.get(CALL_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    static Outcome run(String check, ManagedChannel ch) throws Exception {
        switch (check) {
            case "unary": {
                GreetReply r = ClientCalls.blockingUnaryCall(ch, GreeterMethods.GREET, deadline(CALL_TIMEOUT_MS), req("world", 0));
                return new Outcome(r.getMessage().equals("hello, world") && r.getIndex() == 0, reply(r));
            }
            case "server_stream": {
                List<Object> got = new ArrayList<>();
                boolean ok = true;
                Iterator<GreetReply> it = ClientCalls.blockingServerStreamingCall(ch, GreeterMethods.SERVER_STREAM,
                        deadline(CALL_TIMEOUT_MS), req("world", 3));
                int i = 0;
                while (it.hasNext()) {
                    GreetReply r = it.next();
                    got.add(reply(r));
                    ok &= r.getMessage().equals("hello, world #" + i) && r.getIndex() == i;
                    i++;
                }
                return new Outcome(ok && i == 3, got);
            }
            case "client_stream": {
                List<GreetReply> rs = streamCall(ch, GreeterMethods.CLIENT_STREAM, Arrays.asList("a", "b", "c"));
                List<Object> got = new ArrayList<>();
                rs.forEach(r -> got.add(reply(r)));
                boolean ok = rs.size() == 1 && rs.get(0).getMessage().equals("hello, a,b,c") && rs.get(0).getIndex() == 3;
                return new Outcome(ok, rs.size() == 1 ? got.get(0) : got);
            }
            case "bidi": {
                List<String> names = Arrays.asList("x", "y", "z");
                List<GreetReply> rs = streamCall(ch, GreeterMethods.BIDI, names);
                List<Object> got = new ArrayList<>();
                boolean ok = rs.size() == names.size();
                for (int i = 0; i < rs.size(); i++) {
                    got.add(reply(rs.get(i)));
                    ok &= i < names.size() && rs.get(i).getMessage().equals("hello, " + names.get(i)) && rs.get(i).getIndex() == i;
                }
                return new Outcome(ok, got);
            }
            case "metadata": {
                Metadata send = new Metadata();
                send.put(GreeterMethods.X_ECHO, "interop-1");
                AtomicReference<Metadata> headers = new AtomicReference<>();
                AtomicReference<Metadata> trailers = new AtomicReference<>();
                Channel c = ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(send),
                        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
                GreetReply r = ClientCalls.blockingUnaryCall(c, GreeterMethods.GREET, deadline(CALL_TIMEOUT_MS), req("meta", 0));
                List<String> h = new ArrayList<>();
                List<String> t = new ArrayList<>();
                if (headers.get() != null && headers.get().getAll(GreeterMethods.X_ECHO) != null) {
                    headers.get().getAll(GreeterMethods.X_ECHO).forEach(h::add);
                }
                if (trailers.get() != null && trailers.get().getAll(GreeterMethods.X_ECHO) != null) {
                    trailers.get().getAll(GreeterMethods.X_ECHO).forEach(t::add);
                }
                boolean ok = r.getMessage().equals("hello, meta") && h.equals(Arrays.asList("interop-1"))
                        && t.equals(Arrays.asList("interop-1"));
                return new Outcome(ok, map("reply", reply(r), "header", h, "trailer", t));
            }
            case "error_details": {
                try {
                    GreetReply r = ClientCalls.blockingUnaryCall(ch, GreeterMethods.GREET, deadline(CALL_TIMEOUT_MS), req("error", 0));
                    return new Outcome(false, map("reply", reply(r)));
                } catch (StatusRuntimeException e) {
                    Map<String, Object> got = status(e);
                    Metadata trailers = Status.trailersFromThrowable(e);
                    byte[] raw = trailers == null ? null : trailers.get(GreeterMethods.STATUS_DETAILS);
                    if (raw == null) {
                        got.put("status_details", null);
                        return new Outcome(false, got);
                    }
                    org.apache.dubbo.interop.rpc.Status s = org.apache.dubbo.interop.rpc.Status.parseFrom(raw);
                    List<Object> details = new ArrayList<>();
                    for (AnyValue any : s.getDetailsList()) {
                        if (any.getTypeUrl().equals(GreeterMethods.ERROR_INFO_TYPE_URL)) {
                            ErrorInfo info = ErrorInfo.parseFrom(any.getValue());
                            details.add(map("reason", info.getReason(), "domain", info.getDomain()));
                        } else {
                            details.add(map("type_url", any.getTypeUrl()));
                        }
                    }
                    Map<String, Object> sd = map("code", s.getCode(), "message", s.getMessage(), "details", details);
                    got.put("status_details", sd);
                    boolean ok = e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
                            && "bad name: error".equals(e.getStatus().getDescription())
                            && s.getCode() == 3 && s.getMessage().equals("bad name: error")
                            && details.equals(Arrays.asList(map("reason", "BAD_NAME", "domain", "greeter")));
                    return new Outcome(ok, got);
                }
            }
            case "deadline": {
                long start = System.nanoTime();
                try {
                    GreetReply r = ClientCalls.blockingUnaryCall(ch, GreeterMethods.GREET, deadline(300), req("sleep:2000", 0));
                    return new Outcome(false, map("reply", reply(r)));
                } catch (StatusRuntimeException e) {
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    Map<String, Object> got = status(e);
                    got.put("elapsed_ms", ms);
                    return new Outcome(e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED && ms < 1500, got);
                }
            }
            case "unimplemented": {
                try {
                    GreetReply r = ClientCalls.blockingUnaryCall(ch, GreeterMethods.NOPE, deadline(CALL_TIMEOUT_MS), req("world", 0));
                    return new Outcome(false, map("reply", reply(r)));
                } catch (StatusRuntimeException e) {
                    return new Outcome(e.getStatus().getCode() == Status.Code.UNIMPLEMENTED, status(e));
                }
            }
            default:
                throw new IllegalArgumentException(check);
        }
    }

    public static void main(String[] args) {
        List<String> pos = new ArrayList<>();
        List<String> checks = ALL;
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--checks")) {
                    checks = Arrays.asList(args[++i].split(","));
                } else {
                    pos.add(args[i]);
                }
            }
        } catch (RuntimeException e) {
            pos.clear();
        }
        if (pos.size() != 2 || !pos.get(1).matches("[0-9]+") || !ALL.containsAll(checks)) {
            System.err.println("usage: GreeterClient <host> <port> [--checks " + String.join(",", ALL) + "]");
            System.exit(2);
        }
        Thread cap = new Thread(() -> {
            try {
                Thread.sleep(40_000);
            } catch (InterruptedException e) {
                return;
            }
            record("_run", false, null, "overall timeout (40 s)", null);
            out(summary());
            Runtime.getRuntime().halt(1);
        });
        cap.setDaemon(true);
        cap.start();
        ManagedChannel ch = NettyChannelBuilder.forAddress(pos.get(0), Integer.parseInt(pos.get(1)))
                .usePlaintext()
                .build();
        for (String check : checks) {
            try {
                Outcome o = run(check, ch);
                record(check, o.ok, o.got, null, null);
            } catch (StatusRuntimeException e) {
                record(check, false, null, "call failed", status(e));
            } catch (Exception e) {
                record(check, false, null, "exception", map("class", e.getClass().getName(), "message", String.valueOf(e.getMessage())));
            }
        }
        ch.shutdownNow();
        Map<String, Object> s = summary();
        out(s);
        System.exit(((Integer) s.get("failed")) == 0 ? 0 : 1);
    }
}
