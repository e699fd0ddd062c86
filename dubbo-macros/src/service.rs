//! `#[dubbo::service]`: the trait, its server and its client.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{
    Attribute, Block, FnArg, GenericArgument, Ident, ItemTrait, LitStr, Pat, PathArguments,
    ReceiverKind, ReturnType, Safety, TraitItem, TraitItemFn, Type, TypeParamBound, Visibility,
};

use crate::case::camel_case;

/// The attribute's arguments.
struct ServiceArgs {
    interface: LitStr,
    version: Option<LitStr>,
    group: Option<LitStr>,
}

/// One parameter of a service method.
struct Param {
    /// Attributes other than `#[dubbo(...)]`, kept on the trait's declaration.
    attrs: Vec<Attribute>,
    ident: Ident,
    ty: Type,
    /// `#[dubbo(java_type = "...")]`.
    java_type: Option<LitStr>,
}

/// One service method.
struct Method {
    /// Attributes other than `#[dubbo(...)]`, kept on the trait's declaration.
    attrs: Vec<Attribute>,
    ident: Ident,
    java_name: String,
    params: Vec<Param>,
    /// The whole declared return type, `Result<R, E>`.
    output: Type,
    /// `R`.
    ok: Type,
    /// True if `R` is `()`.
    unit: bool,
    /// A default body, if the trait gives one.
    default: Option<Block>,
}

/// Expands `#[dubbo::service(args)] item`.
pub fn expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let args = parse_args(args)?;
    let item: ItemTrait = syn::parse2(item)?;
    check_trait(&item)?;
    let mut methods = Vec::new();
    let mut errors: Option<syn::Error> = None;
    for trait_item in &item.items {
        let result = match trait_item {
            TraitItem::Fn(f) => parse_method(f),
            other => Err(syn::Error::new(
                other.span(),
                "a #[dubbo::service] trait may only contain `async fn` methods",
            )),
        };
        match result {
            Ok(m) => methods.push(m),
            Err(e) => match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            },
        }
    }
    if let Some(errors) = errors {
        return Err(errors);
    }
    check_names(&methods)?;
    Ok(generate(&args, &item, &methods))
}

/// The client's own inherent methods, which a service method must not shadow.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_version",
    "with_group",
    "with_timeout_ms",
    "service_key",
    "service_descriptor",
];

/// Rejects method names that collide with the client's generated methods.
fn check_names(methods: &[Method]) -> syn::Result<()> {
    for m in methods {
        let name = m.ident.to_string();
        if CLIENT_METHODS.contains(&name.as_str()) {
            return Err(syn::Error::new(
                m.ident.span(),
                format!(
                    "`{name}` is a method of the generated client; rename the Rust method and keep the Java name with #[dubbo(method = \"...\")]"
                ),
            ));
        }
        if let Some(base) = name.strip_suffix("_with")
            && methods.iter().any(|other| other.ident == base)
        {
            return Err(syn::Error::new(
                m.ident.span(),
                format!(
                    "`{name}` collides with the generated `{base}_with` variant of `{base}`; rename the Rust method and keep the Java name with #[dubbo(method = \"...\")]"
                ),
            ));
        }
    }
    Ok(())
}

fn parse_args(args: TokenStream) -> syn::Result<ServiceArgs> {
    let mut interface = None;
    let mut version = None;
    let mut group = None;
    let parser = syn::meta::parser(|meta| {
        let slot = if meta.path.is_ident("interface") {
            &mut interface
        } else if meta.path.is_ident("version") {
            &mut version
        } else if meta.path.is_ident("group") {
            &mut group
        } else {
            return Err(meta.error(
                "unknown #[dubbo::service] argument; expected `interface`, `version` or `group`",
            ));
        };
        if slot.is_some() {
            return Err(meta.error("duplicate #[dubbo::service] argument"));
        }
        *slot = Some(meta.value()?.parse::<LitStr>()?);
        Ok(())
    });
    parser.parse2(args)?;
    let interface = interface.ok_or_else(|| {
        syn::Error::new(
            Span::call_site(),
            "#[dubbo::service] needs the Java interface: \
             #[dubbo::service(interface = \"com.example.GreetingsService\")]",
        )
    })?;
    if interface.value().trim().is_empty() {
        return Err(syn::Error::new(
            interface.span(),
            "the interface name is empty",
        ));
    }
    Ok(ServiceArgs {
        interface,
        version,
        group,
    })
}

fn check_trait(item: &ItemTrait) -> syn::Result<()> {
    if let Some(unsafety) = &item.unsafety {
        return Err(syn::Error::new(
            unsafety.span,
            "a #[dubbo::service] trait cannot be unsafe",
        ));
    }
    if let Some(auto) = &item.modifiers.auto_token {
        return Err(syn::Error::new(
            auto.span,
            "a #[dubbo::service] trait cannot be an auto trait",
        ));
    }
    if !item.generics.params.is_empty() || item.generics.where_clause.is_some() {
        return Err(syn::Error::new(
            item.generics.span(),
            "a #[dubbo::service] trait cannot be generic",
        ));
    }
    Ok(())
}

/// Splits `#[dubbo(...)]` attributes from the others.
fn split_dubbo_attrs(attrs: &[Attribute]) -> (Vec<Attribute>, Vec<&Attribute>) {
    let mut others = Vec::new();
    let mut ours = Vec::new();
    for attr in attrs {
        if attr.path().is_ident("dubbo") {
            ours.push(attr);
        } else {
            others.push(attr.clone());
        }
    }
    (others, ours)
}

/// Reads `key = "..."` out of `#[dubbo(...)]` attributes, rejecting any other key.
fn dubbo_attr_value(attrs: &[&Attribute], key: &str, place: &str) -> syn::Result<Option<LitStr>> {
    let mut value = None;
    for attr in attrs {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                value = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else {
                Err(meta.error(format!(
                    "unknown #[dubbo] key on {place}; expected `{key} = \"...\"`"
                )))
            }
        })?;
    }
    Ok(value)
}

fn parse_method(f: &TraitItemFn) -> syn::Result<Method> {
    let sig = &f.sig;
    if sig.asyncness.is_none() {
        return Err(syn::Error::new(
            sig.fn_token.span,
            "service methods must be `async fn`: \
             `async fn name(&self, ...) -> Result<R, RpcError>;`",
        ));
    }
    if let Some(constness) = &sig.constness {
        return Err(syn::Error::new(
            constness.span,
            "service methods cannot be const",
        ));
    }
    if !matches!(sig.safety, Safety::Default) {
        return Err(syn::Error::new(
            sig.span(),
            "service methods cannot be unsafe or safe-qualified",
        ));
    }
    if let Some(abi) = &sig.abi {
        return Err(syn::Error::new(
            abi.span(),
            "service methods cannot have an ABI",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        return Err(syn::Error::new(
            variadic.span(),
            "service methods cannot be variadic",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(syn::Error::new(
            sig.generics.span(),
            "service methods cannot be generic: Java needs one concrete type per parameter",
        ));
    }

    let mut inputs = sig.inputs.iter();
    match inputs.next() {
        Some(FnArg::Receiver(r))
            if r.mutability.is_none() && matches!(r.kind, ReceiverKind::Reference(_, _, None)) => {}
        Some(other) => {
            return Err(syn::Error::new(
                other.span(),
                "service methods must take `&self` first",
            ));
        }
        None => {
            return Err(syn::Error::new(
                sig.ident.span(),
                "service methods must take `&self` first",
            ));
        }
    }
    let mut params = Vec::new();
    for input in inputs {
        let FnArg::Typed(pt) = input else {
            return Err(syn::Error::new(input.span(), "`self` may only come first"));
        };
        let ident = match &*pt.pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.mutability.is_none() && p.subpat.is_none() => {
                p.ident.clone()
            }
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "service method parameters must be plain identifiers (`name: Type`)",
                ));
            }
        };
        if ident == "self" {
            return Err(syn::Error::new(ident.span(), "`self` may only come first"));
        }
        if let Some(problem) = unsupported_param_type(&pt.ty) {
            return Err(syn::Error::new(pt.ty.span(), problem));
        }
        let (attrs, ours) = split_dubbo_attrs(&pt.attrs);
        let java_type = dubbo_attr_value(&ours, "java_type", "a parameter")?;
        params.push(Param {
            attrs,
            ident,
            ty: (*pt.ty).clone(),
            java_type,
        });
    }

    let ReturnType::Type(_, output) = &sig.output else {
        return Err(syn::Error::new(
            sig.paren_token.span.join(),
            "service methods must return `Result<R, RpcError>`",
        ));
    };
    let ok = result_ok_type(output).ok_or_else(|| {
        syn::Error::new(
            output.span(),
            "service methods must return `Result<R, RpcError>`",
        )
    })?;
    let unit = matches!(&ok, Type::Tuple(t) if t.elems.is_empty());

    let (attrs, ours) = split_dubbo_attrs(&f.attrs);
    let java_name = match dubbo_attr_value(&ours, "method", "a method")? {
        Some(name) if name.value().trim().is_empty() => {
            return Err(syn::Error::new(name.span(), "the method name is empty"));
        }
        Some(name) => name.value(),
        None => camel_case(&sig.ident.to_string()),
    };
    Ok(Method {
        attrs,
        ident: sig.ident.clone(),
        java_name,
        params,
        output: (**output).clone(),
        ok,
        unit,
        default: f.default.clone(),
    })
}

/// Why a parameter type cannot be an argument (its value is moved into the call), if it cannot.
fn unsupported_param_type(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Reference(_) => Some(
            "service method parameters must be owned types (`String`, not `&str`): \
             the arguments are moved into the call",
        ),
        Type::ImplTrait(_) => Some("service method parameters cannot be `impl Trait`"),
        Type::Infer(_) => Some("service method parameters need a type"),
        _ => None,
    }
}

/// `R` of `Result<R, E>` (any path ending in `Result` with two type arguments).
fn result_ok_type(ty: &Type) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let ok = types.next()?.clone();
    types.next()?;
    if types.next().is_some() {
        return None;
    }
    Some(ok)
}

/// A local identifier the user's parameter names cannot clash with.
fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

fn option_str(lit: Option<&LitStr>) -> TokenStream {
    match lit {
        Some(lit) => quote!(::core::option::Option::Some(#lit)),
        None => quote!(::core::option::Option::None),
    }
}

/// The expression of one parameter's Java type name as a `String`.
fn java_type_expr(param: &Param) -> TokenStream {
    match &param.java_type {
        Some(lit) => quote!(::std::string::String::from(#lit)),
        None => {
            let ty = &param.ty;
            quote!(<#ty as ::dubbo::JavaType>::java_type().into_owned())
        }
    }
}

fn generate(args: &ServiceArgs, item: &ItemTrait, methods: &[Method]) -> TokenStream {
    let vis = &item.vis;
    let trait_ident = &item.ident;
    let server = format_ident!("{}Server", trait_ident);
    let client = format_ident!("{}Client", trait_ident);
    let interface = &args.interface;
    let version = option_str(args.version.as_ref());
    let group = option_str(args.group.as_ref());

    let the_trait = generate_trait(item, methods);
    let descriptor = generate_descriptor(methods);
    let handler = generate_handler(&server, trait_ident, interface, methods);
    let client_methods = methods.iter().map(generate_client_method);
    let client_impls = methods.iter().map(generate_client_impl);

    let server_doc = format!(
        "Serves an implementation of [`{trait_ident}`] as the Dubbo service `{}`: a \
         `dubbo::service::ServiceHandler` that decodes each method's arguments and calls it.",
        interface.value()
    );
    let client_doc = format!(
        "A typed client of the Dubbo service `{}`: implements [`{trait_ident}`] by invoking each \
         method through an `Invoker`, carrying the current request's propagated attachments.",
        interface.value()
    );
    let debug_server = server.to_string();
    let debug_client = client.to_string();

    quote! {
        #the_trait

        #[doc = #server_doc]
        #[allow(dead_code)]
        #vis struct #server<T> {
            service: ::std::sync::Arc<T>,
            descriptor: ::dubbo::service::ServiceDescriptor,
        }

        #[allow(dead_code)]
        impl<T: #trait_ident> #server<T> {
            /// Serves `service` under the declared interface, version and group.
            pub fn new(service: T) -> Self {
                Self::from_arc(::std::sync::Arc::new(service))
            }

            /// Serves a shared implementation under the declared interface, version and group.
            pub fn from_arc(service: ::std::sync::Arc<T>) -> Self {
                Self { service, descriptor: #client::service_descriptor() }
            }

            /// Serves under `version` instead of the declared one (empty or `0.0.0` for none).
            pub fn with_version(mut self, version: &str) -> Self {
                self.descriptor.version =
                    ::dubbo::ServiceKey::new("").with_version(::core::option::Option::Some(version)).version;
                self
            }

            /// Serves in `group` instead of the declared one (empty for none).
            pub fn with_group(mut self, group: &str) -> Self {
                self.descriptor.group =
                    ::dubbo::ServiceKey::new("").with_group(::core::option::Option::Some(group)).group;
                self
            }

            /// The interface, version, group and methods served.
            pub fn descriptor(&self) -> &::dubbo::service::ServiceDescriptor {
                &self.descriptor
            }

            /// The implementation.
            pub fn service(&self) -> &::std::sync::Arc<T> {
                &self.service
            }
        }

        impl<T> ::core::clone::Clone for #server<T> {
            fn clone(&self) -> Self {
                Self {
                    service: ::std::sync::Arc::clone(&self.service),
                    descriptor: ::core::clone::Clone::clone(&self.descriptor),
                }
            }
        }

        impl<T> ::core::fmt::Debug for #server<T> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#debug_server)
                    .field("descriptor", &self.descriptor)
                    .finish_non_exhaustive()
            }
        }

        #handler

        #[doc = #client_doc]
        #[derive(Clone)]
        #[allow(dead_code)]
        #vis struct #client {
            invoker: ::std::sync::Arc<dyn ::dubbo::Invoker>,
            service: ::dubbo::ServiceKey,
            timeout_ms: ::core::option::Option<u64>,
        }

        #[allow(dead_code)]
        impl #client {
            /// Calls the service through `invoker`, with the declared interface, version and group.
            pub fn new(invoker: ::std::sync::Arc<dyn ::dubbo::Invoker>) -> Self {
                Self {
                    invoker,
                    service: ::dubbo::ServiceKey::new(#interface).with_version(#version).with_group(#group),
                    timeout_ms: ::core::option::Option::None,
                }
            }

            /// Calls `version` instead of the declared one (empty or `0.0.0` for none).
            pub fn with_version(mut self, version: &str) -> Self {
                self.service = self.service.with_version(::core::option::Option::Some(version));
                self
            }

            /// Calls `group` instead of the declared one (empty for none).
            pub fn with_group(mut self, group: &str) -> Self {
                self.service = self.service.with_group(::core::option::Option::Some(group));
                self
            }

            /// Sets the timeout of calls whose options set none (otherwise the invoker's default).
            pub fn with_timeout_ms(mut self, timeout_ms: u64) -> Self {
                self.timeout_ms = ::core::option::Option::Some(timeout_ms);
                self
            }

            /// The service called: interface, version and group.
            pub fn service_key(&self) -> &::dubbo::ServiceKey {
                &self.service
            }

            /// The interface as declared: name, version, group and methods with their Java types.
            pub fn service_descriptor() -> ::dubbo::service::ServiceDescriptor {
                let key = ::dubbo::ServiceKey::new(#interface).with_version(#version).with_group(#group);
                #descriptor
            }

            #(#client_methods)*
        }

        impl ::core::fmt::Debug for #client {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#debug_client)
                    .field("service", &self.service)
                    .field("timeout_ms", &self.timeout_ms)
                    .finish_non_exhaustive()
            }
        }

        impl #trait_ident for #client {
            #(#client_impls)*
        }
    }
}

fn generate_trait(item: &ItemTrait, methods: &[Method]) -> TokenStream {
    let attrs = &item.attrs;
    let vis: &Visibility = &item.vis;
    let ident = &item.ident;
    let user_bounds = item
        .supertraits
        .iter()
        .map(|b: &TypeParamBound| quote!(#b +));
    let decls = methods.iter().map(|m| {
        let attrs = &m.attrs;
        let ident = &m.ident;
        let output = &m.output;
        let params = m.params.iter().map(|p| {
            let attrs = &p.attrs;
            let ident = &p.ident;
            let ty = &p.ty;
            quote!(#(#attrs)* #ident: #ty)
        });
        let body = match &m.default {
            Some(block) => quote!({ async move #block }),
            None => quote!(;),
        };
        quote! {
            #(#attrs)*
            fn #ident(&self, #(#params),*)
                -> impl ::core::future::Future<Output = #output> + ::core::marker::Send #body
        }
    });
    quote! {
        #(#attrs)*
        #vis trait #ident: #(#user_bounds)* ::core::marker::Send + ::core::marker::Sync + 'static {
            #(#decls)*
        }
    }
}

/// The `ServiceDescriptor` expression (with `key` in scope).
fn generate_descriptor(methods: &[Method]) -> TokenStream {
    let methods = methods.iter().map(|m| {
        let name = &m.java_name;
        let types = m.params.iter().map(java_type_expr);
        let ok = &m.ok;
        quote! {
            ::dubbo::service::MethodDescriptor {
                name: ::std::string::String::from(#name),
                parameter_types: ::std::vec![#(#types),*],
                return_type: <#ok as ::dubbo::JavaType>::java_type().into_owned(),
            }
        }
    });
    quote! {
        ::dubbo::service::ServiceDescriptor {
            interface: key.interface,
            version: key.version,
            group: key.group,
            methods: ::std::vec![#(#methods),*],
        }
    }
}

fn generate_handler(
    server: &Ident,
    trait_ident: &Ident,
    interface: &LitStr,
    methods: &[Method],
) -> TokenStream {
    let decode_arms = methods.iter().enumerate().map(|(index, m)| {
        let vars: Vec<Ident> = (0..m.params.len())
            .map(|i| format_ident!("arg{}", i))
            .collect();
        let types = m.params.iter().map(|p| &p.ty);
        quote! {
            #index => {
                #(let #vars = arguments.read::<#types>()?;)*
                ::core::result::Result::Ok(::dubbo::service::DecodedArguments(
                    ::std::boxed::Box::new((#(#vars,)*)),
                ))
            }
        }
    });
    let call_arms = methods.iter().enumerate().map(|(index, m)| {
        let vars: Vec<Ident> = (0..m.params.len()).map(|i| format_ident!("arg{}", i)).collect();
        let types = m.params.iter().map(|p| &p.ty);
        let ident = &m.ident;
        let java_name = &m.java_name;
        let unpack = if vars.is_empty() {
            quote!()
        } else {
            quote!(let (#(#vars,)*) = *arguments;)
        };
        quote! {
            #index => match arguments.0.downcast::<(#(#types,)*)>() {
                ::core::result::Result::Ok(arguments) => {
                    #unpack
                    ::std::boxed::Box::pin(async move {
                        match <T as #trait_ident>::#ident(&self.service, #(#vars),*).await {
                            ::core::result::Result::Ok(value) => ::core::result::Result::Ok(
                                ::std::boxed::Box::new(value) as ::std::boxed::Box<dyn ::dubbo::Argument>,
                            ),
                            ::core::result::Result::Err(error) => ::core::result::Result::Err(
                                ::core::convert::Into::<::dubbo::RpcError>::into(error),
                            ),
                        }
                    })
                }
                ::core::result::Result::Err(_) => ::std::boxed::Box::pin(::core::future::ready(
                    ::core::result::Result::Err(::dubbo::service::wrong_arguments(#java_name)),
                )),
            },
        }
    });
    quote! {
        impl<T: #trait_ident> ::dubbo::service::ServiceHandler for #server<T> {
            fn descriptor(&self) -> &::dubbo::service::ServiceDescriptor {
                &self.descriptor
            }

            fn decode_arguments(
                &self,
                method: usize,
                arguments: &mut ::dubbo::codec::hessian::Decoder<'_>,
            ) -> ::core::result::Result<
                ::dubbo::service::DecodedArguments,
                ::dubbo::codec::hessian::DecodeError,
            > {
                match method {
                    #(#decode_arms)*
                    _ => ::core::result::Result::Err(::dubbo::codec::hessian::DecodeError::Mismatch {
                        offset: arguments.position(),
                        message: ::std::format!("{} has no method #{}", #interface, method),
                    }),
                }
            }

            fn call(
                self: ::std::sync::Arc<Self>,
                method: usize,
                arguments: ::dubbo::service::DecodedArguments,
            ) -> ::dubbo::BoxFuture<'static, ::dubbo::service::HandlerResult> {
                match method {
                    #(#call_arms)*
                    _ => ::std::boxed::Box::pin(::core::future::ready(::core::result::Result::Err(
                        ::dubbo::RpcError::Invalid(::std::format!("{} has no method #{}", #interface, method)),
                    ))),
                }
            }
        }
    }
}

/// The client's `<method>_with` inherent method.
fn generate_client_method(m: &Method) -> TokenStream {
    let with_ident = format_ident!("{}_with", m.ident);
    let java_name = &m.java_name;
    let ok = &m.ok;
    let idents: Vec<&Ident> = m.params.iter().map(|p| &p.ident).collect();
    let types = m.params.iter().map(|p| &p.ty);
    let java_types = m.params.iter().map(java_type_expr);
    let doc = format!(
        "Calls `{java_name}` with per-call options: `options.attachments` go over the propagated \
         ones and `options.timeout_ms` over the client's default. Returns the value with the \
         response attachments."
    );
    let options = local("options");
    let arguments = local("arguments");
    let parameter_types = local("parameter_types");
    let types_vec = local("types");
    let attachments = local("attachments");
    let invocation = local("invocation");
    let reply = local("reply");
    let value = if m.unit {
        quote!(())
    } else {
        quote!(#reply.value.decode::<#ok>()?)
    };
    quote! {
        #[doc = #doc]
        #[allow(clippy::too_many_arguments)]
        pub async fn #with_ident(
            &self,
            #(#idents: #types,)*
            #options: ::dubbo::CallOptions,
        ) -> ::core::result::Result<::dubbo::Response<#ok>, ::dubbo::RpcError> {
            let #arguments: ::std::vec::Vec<::std::sync::Arc<dyn ::dubbo::Argument>> = ::std::vec![
                #(::std::sync::Arc::new(#idents) as ::std::sync::Arc<dyn ::dubbo::Argument>),*
            ];
            static PARAMETER_TYPES: ::std::sync::OnceLock<::std::sync::Arc<[::std::string::String]>> =
                ::std::sync::OnceLock::new();
            let #parameter_types = ::std::sync::Arc::clone(PARAMETER_TYPES.get_or_init(|| {
                let #types_vec: ::std::vec::Vec<::std::string::String> = ::std::vec![#(#java_types),*];
                ::std::sync::Arc::from(#types_vec)
            }));
            let mut #attachments = ::dubbo::context::propagated_attachments();
            #attachments.merge(&#options.attachments);
            let mut #invocation = ::dubbo::Invocation::new(
                ::core::clone::Clone::clone(&self.service),
                #java_name,
                #parameter_types,
                #arguments,
            );
            #invocation.attachments = #attachments;
            #invocation.timeout_ms = #options.timeout_ms.or(self.timeout_ms);
            let #reply = self.invoker.invoke(#invocation).await?;
            ::core::result::Result::Ok(::dubbo::Response {
                value: #value,
                attachments: #reply.attachments,
            })
        }
    }
}

/// The client's implementation of one trait method.
fn generate_client_impl(m: &Method) -> TokenStream {
    let ident = &m.ident;
    let with_ident = format_ident!("{}_with", m.ident);
    let output = &m.output;
    let idents: Vec<&Ident> = m.params.iter().map(|p| &p.ident).collect();
    let types = m.params.iter().map(|p| &p.ty);
    let response = local("response");
    let error = local("error");
    quote! {
        #[allow(clippy::too_many_arguments)]
        async fn #ident(&self, #(#idents: #types),*) -> #output {
            match self.#with_ident(#(#idents,)* ::dubbo::CallOptions::default()).await {
                ::core::result::Result::Ok(#response) => ::core::result::Result::Ok(#response.value),
                ::core::result::Result::Err(#error) => {
                    ::core::result::Result::Err(::core::convert::From::from(#error))
                }
            }
        }
    }
}
