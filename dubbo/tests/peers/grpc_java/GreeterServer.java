import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.interop.rpc.AnyValue;
import org.apache.dubbo.interop.rpc.ErrorInfo;
import org.apache.dubbo.samples.greeter.GreetReply;
import org.apache.dubbo.samples.greeter.GreetRequest;

/**
 * Interop peer: a grpc-java (Debian libgrpc-java 1.41, Netty transport, h2c plaintext) SERVER for
 * org.apache.dubbo.samples.greeter.Greeter.
 *
 * <p>Usage: java GreeterServer &lt;port|0&gt; [--host 127.0.0.1] [--max-seconds 300]
 *
 * <p>Prints "READY &lt;port&gt;" once listening, exits on SIGTERM or after --max-seconds, writes one
 * "REQ {...}" JSON line per call to stderr (method, request header names). Semantics as the
 * comments of examples/proto/greeter.proto (see ../README.md).
 */
public final class GreeterServer {
    private GreeterServer() {}

    static GreetReply reply(String message, int index) {
        return GreetReply.newBuilder().setMessage(message).setIndex(index).build();
    }

    static void greet(GreetRequest req, StreamObserver<GreetReply> out) {
        String name = req.getName();
        if (name.equals("error")) {
            ErrorInfo info = ErrorInfo.newBuilder().setReason("BAD_NAME").setDomain("greeter").build();
            org.apache.dubbo.interop.rpc.Status details = org.apache.dubbo.interop.rpc.Status.newBuilder()
                    .setCode(Status.Code.INVALID_ARGUMENT.value())
                    .setMessage("bad name: error")
                    .addDetails(AnyValue.newBuilder()
                            .setTypeUrl(GreeterMethods.ERROR_INFO_TYPE_URL)
                            .setValue(info.toByteString()))
                    .build();
            Metadata trailers = new Metadata();
            trailers.put(GreeterMethods.STATUS_DETAILS, details.toByteArray());
            out.onError(Status.INVALID_ARGUMENT.withDescription("bad name: error").asRuntimeException(trailers));
            return;
        }
        if (name.startsWith("sleep:")) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(name.substring(6)));
            while (System.nanoTime() < end && !Context.current().isCancelled()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (Context.current().isCancelled()) {
                out.onError(Status.CANCELLED.withDescription("cancelled while sleeping").asRuntimeException());
                return;
            }
        }
        out.onNext(reply("hello, " + name, 0));
        out.onCompleted();
    }

    static void serverStream(GreetRequest req, StreamObserver<GreetReply> out) {
        for (int i = 0; i < req.getCount(); i++) {
            out.onNext(reply("hello, " + req.getName() + " #" + i, i));
        }
        out.onCompleted();
    }

    static StreamObserver<GreetRequest> clientStream(StreamObserver<GreetReply> out) {
        List<String> names = new ArrayList<>();
        return new StreamObserver<GreetRequest>() {
            @Override
            public void onNext(GreetRequest req) {
                names.add(req.getName());
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                out.onNext(reply("hello, " + String.join(",", names), names.size()));
                out.onCompleted();
            }
        };
    }

    static StreamObserver<GreetRequest> bidi(StreamObserver<GreetReply> out) {
        return new StreamObserver<GreetRequest>() {
            private int index;

            @Override
            public void onNext(GreetRequest req) {
                out.onNext(reply("hello, " + req.getName(), index++));
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                out.onCompleted();
            }
        };
    }

    /** Logs each call and echoes request header x-echo as response header and trailer. */
    static final class Echo implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
                ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            StringBuilder keys = new StringBuilder();
            for (String key : headers.keys()) {
                if (keys.length() > 0) {
                    keys.append(',');
                }
                keys.append(Json.quote(key));
            }
            System.err.println("REQ {\"method\":" + Json.quote(call.getMethodDescriptor().getFullMethodName())
                    + ",\"headers\":[" + keys + "]}");
            String echo = headers.get(GreeterMethods.X_ECHO);
            if (echo == null) {
                return next.startCall(call, headers);
            }
            return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<Q, R>(call) {
                @Override
                public void sendHeaders(Metadata responseHeaders) {
                    responseHeaders.put(GreeterMethods.X_ECHO, echo);
                    super.sendHeaders(responseHeaders);
                }

                @Override
                public void close(Status status, Metadata trailers) {
                    trailers.put(GreeterMethods.X_ECHO, echo);
                    super.close(status, trailers);
                }
            }, headers);
        }
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        long maxSeconds = 300;
        List<String> pos = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--host")) {
                    host = args[++i];
                } else if (args[i].equals("--max-seconds")) {
                    maxSeconds = Long.parseLong(args[++i]);
                } else {
                    pos.add(args[i]);
                }
            }
        } catch (RuntimeException e) {
            pos.clear();
        }
        if (pos.size() != 1 || !pos.get(0).matches("[0-9]+")) {
            System.err.println("usage: GreeterServer <port|0> [--host H] [--max-seconds S]");
            System.exit(2);
        }
        ServerServiceDefinition service = ServerServiceDefinition.builder(GreeterMethods.SERVICE)
                .addMethod(GreeterMethods.GREET, ServerCalls.asyncUnaryCall(GreeterServer::greet))
                .addMethod(GreeterMethods.SERVER_STREAM, ServerCalls.asyncServerStreamingCall(GreeterServer::serverStream))
                .addMethod(GreeterMethods.CLIENT_STREAM, ServerCalls.asyncClientStreamingCall(GreeterServer::clientStream))
                .addMethod(GreeterMethods.BIDI, ServerCalls.asyncBidiStreamingCall(GreeterServer::bidi))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, Integer.parseInt(pos.get(0))))
                .addService(ServerInterceptors.intercept(service, new Echo()))
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("READY " + server.getPort());
        System.out.flush();
        server.awaitTermination(maxSeconds, TimeUnit.SECONDS);
        server.shutdownNow();
        System.exit(0);
    }
}
