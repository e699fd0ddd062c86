//! Compiles the IDL greeter (`proto/greeter.proto`) into messages, a server trait and a client.

fn main() -> Result<(), dubbo::build::BuildError> {
    dubbo::build::compile_protos(&["proto/greeter.proto"], &["proto"])
}
