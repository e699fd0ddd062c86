//! `#[derive(JavaType)]`.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Data, DeriveInput, LitStr, Token};

/// Expands the derive for `item`.
pub fn expand(item: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(item)?;
    if let Data::Union(u) = &input.data {
        return Err(syn::Error::new(
            u.union_token.span,
            "#[derive(JavaType)] supports structs and enums, not unions",
        ));
    }
    let class = match java_class(&input.attrs)? {
        Some(class) => class,
        None => match serde_rename(&input.attrs)? {
            Some(class) => class,
            None => {
                return Err(syn::Error::new(
                    input.ident.span(),
                    "#[derive(JavaType)] needs the Java class name: add #[serde(rename = \"com.example.Type\")] \
                     (which also names the class on the wire) or #[java(class = \"com.example.Type\")]",
                ));
            }
        },
    };
    if class.value().trim().is_empty() {
        return Err(syn::Error::new(
            class.span(),
            "the Java class name is empty",
        ));
    }
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics ::dubbo::JavaType for #ident #ty_generics #where_clause {
            fn java_type() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#class)
            }
        }
    })
}

/// `#[java(class = "...")]`.
fn java_class(attrs: &[Attribute]) -> syn::Result<Option<LitStr>> {
    let mut class = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("java")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("class") {
                class = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else {
                Err(meta.error("unknown #[java] key; expected `class = \"...\"`"))
            }
        })?;
    }
    Ok(class)
}

/// The container's `#[serde(rename = "...")]`, or the `serialize` name of
/// `#[serde(rename(serialize = "...", deserialize = "..."))]`. Other serde keys are skipped.
fn serde_rename(attrs: &[Attribute]) -> syn::Result<Option<LitStr>> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("rename") {
                return skip(&meta);
            }
            if meta.input.peek(Token![=]) {
                rename = Some(meta.value()?.parse::<LitStr>()?);
                return Ok(());
            }
            meta.parse_nested_meta(|inner| {
                if inner.path.is_ident("serialize") {
                    rename = Some(inner.value()?.parse::<LitStr>()?);
                    Ok(())
                } else {
                    skip(&inner)
                }
            })
        })?;
    }
    Ok(rename)
}

/// Consumes the value (`= expr`) or list (`(...)`) of a key this derive does not use.
fn skip(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<TokenTree>()?;
    }
    Ok(())
}
