import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import org.apache.dubbo.samples.greeter.GreetReply;
import org.apache.dubbo.samples.greeter.GreetRequest;

/**
 * The Greeter's method descriptors, written by hand (what protoc-gen-grpc-java would generate) so
 * that only protoc --java_out is needed for the messages.
 */
final class GreeterMethods {
    static final String SERVICE = "org.apache.dubbo.samples.greeter.Greeter";

    static final MethodDescriptor<GreetRequest, GreetReply> GREET =
            method("Greet", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<GreetRequest, GreetReply> SERVER_STREAM =
            method("GreetServerStream", MethodDescriptor.MethodType.SERVER_STREAMING);
    static final MethodDescriptor<GreetRequest, GreetReply> CLIENT_STREAM =
            method("GreetClientStream", MethodDescriptor.MethodType.CLIENT_STREAMING);
    static final MethodDescriptor<GreetRequest, GreetReply> BIDI =
            method("GreetBidiStream", MethodDescriptor.MethodType.BIDI_STREAMING);
    /** Not part of the service: the server must answer UNIMPLEMENTED. */
    static final MethodDescriptor<GreetRequest, GreetReply> NOPE =
            method("Nope", MethodDescriptor.MethodType.UNARY);

    static final Metadata.Key<String> X_ECHO =
            Metadata.Key.of("x-echo", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<byte[]> STATUS_DETAILS =
            Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

    /** The type URL of google.rpc.ErrorInfo packed in a google.protobuf.Any. */
    static final String ERROR_INFO_TYPE_URL = "type.googleapis.com/google.rpc.ErrorInfo";

    private GreeterMethods() {}

    private static MethodDescriptor<GreetRequest, GreetReply> method(
            String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<GreetRequest, GreetReply>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(ProtoUtils.marshaller(GreetRequest.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(GreetReply.getDefaultInstance()))
                .build();
    }
}
