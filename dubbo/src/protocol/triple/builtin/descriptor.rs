//! The parts of `google/protobuf/descriptor.proto` the built-in services need: enough to index a
//! `FileDescriptorSet` by file and symbol (the original bytes of each file are kept and served as
//! they are, so fields left out here are never lost), and to describe the built-in services'
//! own `.proto` files.

/// `google.protobuf.FileDescriptorSet`, each file kept as its encoded bytes.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct RawFileSet {
    /// The encoded `FileDescriptorProto`s.
    #[prost(bytes = "vec", repeated, tag = "1")]
    pub(crate) file: Vec<Vec<u8>>,
}

/// `google.protobuf.FileDescriptorProto` (the fields used here).
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct FileProto {
    #[prost(string, optional, tag = "1")]
    pub(crate) name: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub(crate) package: Option<String>,
    #[prost(string, repeated, tag = "3")]
    pub(crate) dependency: Vec<String>,
    #[prost(message, repeated, tag = "4")]
    pub(crate) message_type: Vec<MessageProto>,
    #[prost(message, repeated, tag = "5")]
    pub(crate) enum_type: Vec<EnumProto>,
    #[prost(message, repeated, tag = "6")]
    pub(crate) service: Vec<ServiceProto>,
    #[prost(message, repeated, tag = "7")]
    pub(crate) extension: Vec<FieldProto>,
    #[prost(string, optional, tag = "12")]
    pub(crate) syntax: Option<String>,
}

/// `google.protobuf.DescriptorProto`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct MessageProto {
    #[prost(string, optional, tag = "1")]
    pub(crate) name: Option<String>,
    #[prost(message, repeated, tag = "2")]
    pub(crate) field: Vec<FieldProto>,
    #[prost(message, repeated, tag = "3")]
    pub(crate) nested_type: Vec<MessageProto>,
    #[prost(message, repeated, tag = "4")]
    pub(crate) enum_type: Vec<EnumProto>,
    #[prost(message, repeated, tag = "6")]
    pub(crate) extension: Vec<FieldProto>,
    #[prost(message, repeated, tag = "8")]
    pub(crate) oneof_decl: Vec<OneofProto>,
}

/// `google.protobuf.FieldDescriptorProto`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct FieldProto {
    #[prost(string, optional, tag = "1")]
    pub(crate) name: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub(crate) extendee: Option<String>,
    #[prost(int32, optional, tag = "3")]
    pub(crate) number: Option<i32>,
    /// `Label`: 1 optional, 3 repeated.
    #[prost(int32, optional, tag = "4")]
    pub(crate) label: Option<i32>,
    /// `Type`: 5 int32, 9 string, 11 message, 12 bytes, 14 enum.
    #[prost(int32, optional, tag = "5")]
    pub(crate) r#type: Option<i32>,
    #[prost(string, optional, tag = "6")]
    pub(crate) type_name: Option<String>,
    #[prost(int32, optional, tag = "9")]
    pub(crate) oneof_index: Option<i32>,
    #[prost(string, optional, tag = "10")]
    pub(crate) json_name: Option<String>,
}

/// `google.protobuf.OneofDescriptorProto`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct OneofProto {
    #[prost(string, optional, tag = "1")]
    pub(crate) name: Option<String>,
}

/// `google.protobuf.EnumDescriptorProto`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct EnumProto {
    #[prost(string, optional, tag = "1")]
    pub(crate) name: Option<String>,
    #[prost(message, repeated, tag = "2")]
    pub(crate) value: Vec<EnumValueProto>,
}

/// `google.protobuf.EnumValueDescriptorProto`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct EnumValueProto {
    #[prost(string, optional, tag = "1")]
    pub(crate) name: Option<String>,
    #[prost(int32, optional, tag = "2")]
    pub(crate) number: Option<i32>,
}

/// `google.protobuf.ServiceDescriptorProto`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct ServiceProto {
    #[prost(string, optional, tag = "1")]
    pub(crate) name: Option<String>,
    #[prost(message, repeated, tag = "2")]
    pub(crate) method: Vec<MethodProto>,
}

/// `google.protobuf.MethodDescriptorProto`.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct MethodProto {
    #[prost(string, optional, tag = "1")]
    pub(crate) name: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub(crate) input_type: Option<String>,
    #[prost(string, optional, tag = "3")]
    pub(crate) output_type: Option<String>,
    #[prost(bool, optional, tag = "5")]
    pub(crate) client_streaming: Option<bool>,
    #[prost(bool, optional, tag = "6")]
    pub(crate) server_streaming: Option<bool>,
}
