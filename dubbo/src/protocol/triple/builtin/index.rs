//! What server reflection looks up: the `.proto` files of the exported services by file name and
//! by the symbols they declare, each file kept as its original encoded `FileDescriptorProto`.

use std::collections::{HashMap, HashSet, VecDeque};

use bytes::Bytes;
use prost::Message;

use super::descriptor::{EnumProto, FieldProto, FileProto, MessageProto, RawFileSet};

/// One indexed file: its encoded `FileDescriptorProto` and the files it imports.
#[derive(Debug)]
struct IndexedFile {
    encoded: Bytes,
    dependencies: Vec<String>,
}

/// The files, symbols and extensions server reflection answers about.
#[derive(Debug, Default)]
pub(crate) struct DescriptorIndex {
    files: HashMap<String, IndexedFile>,
    /// Fully qualified symbol (no leading dot) to the name of the file declaring it.
    symbols: HashMap<String, String>,
    /// Message types (no leading dot).
    messages: HashSet<String>,
    /// (extended message, field number) to the file declaring the extension.
    extensions: HashMap<(String, i32), String>,
}

/// `scope.name`, or `name` at the root scope.
fn qualify(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

impl DescriptorIndex {
    /// Adds every file of an encoded `google.protobuf.FileDescriptorSet`; a file whose name is
    /// indexed already is kept as first added.
    ///
    /// # Errors
    /// When the bytes are not a `FileDescriptorSet` (files added before the bad one stay).
    pub(crate) fn add_file_set(&mut self, encoded: &[u8]) -> Result<(), prost::DecodeError> {
        let set = RawFileSet::decode(encoded)?;
        for file in set.file {
            self.add_file(Bytes::from(file))?;
        }
        Ok(())
    }

    /// Adds one encoded `FileDescriptorProto` (ignored when a file of that name is indexed).
    ///
    /// # Errors
    /// When the bytes are not a `FileDescriptorProto`.
    pub(crate) fn add_file(&mut self, encoded: Bytes) -> Result<(), prost::DecodeError> {
        let file = FileProto::decode(encoded.clone())?;
        let name = file.name.clone().unwrap_or_default();
        if self.files.contains_key(&name) {
            return Ok(());
        }
        let package = file.package.as_deref().unwrap_or_default();
        for m in &file.message_type {
            self.add_message(&name, package, m);
        }
        for e in &file.enum_type {
            self.add_enum(&name, package, e);
        }
        for s in &file.service {
            let service = qualify(package, s.name.as_deref().unwrap_or_default());
            for m in &s.method {
                let method = qualify(&service, m.name.as_deref().unwrap_or_default());
                self.add_symbol(method, &name);
            }
            self.add_symbol(service, &name);
        }
        for x in &file.extension {
            self.add_extension(&name, package, x);
        }
        self.files.insert(
            name,
            IndexedFile {
                encoded,
                dependencies: file.dependency,
            },
        );
        Ok(())
    }

    fn add_symbol(&mut self, symbol: String, file: &str) {
        self.symbols
            .entry(symbol)
            .or_insert_with(|| file.to_owned());
    }

    fn add_message(&mut self, file: &str, scope: &str, message: &MessageProto) {
        let full = qualify(scope, message.name.as_deref().unwrap_or_default());
        for f in &message.field {
            self.add_symbol(qualify(&full, f.name.as_deref().unwrap_or_default()), file);
        }
        for oneof in &message.oneof_decl {
            self.add_symbol(
                qualify(&full, oneof.name.as_deref().unwrap_or_default()),
                file,
            );
        }
        for nested in &message.nested_type {
            self.add_message(file, &full, nested);
        }
        for e in &message.enum_type {
            self.add_enum(file, &full, e);
        }
        for x in &message.extension {
            self.add_extension(file, &full, x);
        }
        self.messages.insert(full.clone());
        self.add_symbol(full, file);
    }

    /// An enum and its values (which protobuf scopes beside the enum, not inside it).
    fn add_enum(&mut self, file: &str, scope: &str, e: &EnumProto) {
        for v in &e.value {
            self.add_symbol(qualify(scope, v.name.as_deref().unwrap_or_default()), file);
        }
        self.add_symbol(qualify(scope, e.name.as_deref().unwrap_or_default()), file);
    }

    fn add_extension(&mut self, file: &str, scope: &str, x: &FieldProto) {
        self.add_symbol(qualify(scope, x.name.as_deref().unwrap_or_default()), file);
        let extendee = x.extendee.as_deref().unwrap_or_default();
        let extendee = extendee.strip_prefix('.').unwrap_or(extendee).to_owned();
        self.extensions
            .entry((extendee, x.number.unwrap_or_default()))
            .or_insert_with(|| file.to_owned());
    }

    /// The file named `name` followed by its transitive imports (each once, breadth first; an
    /// import not indexed is left out), as encoded `FileDescriptorProto`s.
    pub(crate) fn file_by_name(&self, name: &str) -> Option<Vec<Bytes>> {
        self.files.get(name)?;
        let mut seen = HashSet::from([name]);
        let mut queue = VecDeque::from([name]);
        let mut out = Vec::new();
        while let Some(next) = queue.pop_front() {
            let Some(file) = self.files.get(next) else {
                continue;
            };
            out.push(file.encoded.clone());
            for dep in &file.dependencies {
                if seen.insert(dep.as_str()) {
                    queue.push_back(dep.as_str());
                }
            }
        }
        Some(out)
    }

    /// The file declaring `symbol` (a package-qualified service, method, message, field, enum,
    /// enum value or extension name; a leading dot is allowed) and its imports.
    pub(crate) fn file_containing_symbol(&self, symbol: &str) -> Option<Vec<Bytes>> {
        let symbol = symbol.strip_prefix('.').unwrap_or(symbol);
        self.file_by_name(self.symbols.get(symbol)?)
    }

    /// The file declaring extension `number` of message `extendee`, and its imports.
    pub(crate) fn file_containing_extension(
        &self,
        extendee: &str,
        number: i32,
    ) -> Option<Vec<Bytes>> {
        let extendee = extendee.strip_prefix('.').unwrap_or(extendee);
        self.file_by_name(self.extensions.get(&(extendee.to_owned(), number))?)
    }

    /// The extension numbers of message `extendee` (sorted; `None` when no such message is
    /// indexed).
    pub(crate) fn extension_numbers(&self, extendee: &str) -> Option<Vec<i32>> {
        let extendee = extendee.strip_prefix('.').unwrap_or(extendee);
        if !self.messages.contains(extendee) {
            return None;
        }
        let mut numbers: Vec<i32> = self
            .extensions
            .keys()
            .filter(|(t, _)| t == extendee)
            .map(|(_, n)| *n)
            .collect();
        numbers.sort_unstable();
        Some(numbers)
    }
}
