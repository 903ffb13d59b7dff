//! UTF-8 for `Buffer`: encoding and decoding done in Rust, where they are one call each.

use super::define;
use rquickjs::{Ctx, Object, TypedArray};

pub(crate) fn install<'js>(ctx: &Ctx<'js>, binding: &Object<'js>) -> rquickjs::Result<()> {
    define(
        ctx,
        binding,
        "utf8Encode",
        |ctx: Ctx<'js>, text: rquickjs::String<'js>| {
            let text = text.to_string()?;
            TypedArray::<u8>::new(ctx, text.into_bytes())
        },
    )?;
    define(ctx, binding, "utf8Decode", |bytes: TypedArray<'js, u8>| {
        Ok::<_, rquickjs::Error>(String::from_utf8_lossy(&bytes_of(&bytes)).into_owned())
    })?;
    Ok(())
}

/// A copy of the bytes of a `Uint8Array`.
pub(crate) fn bytes_of(array: &TypedArray<'_, u8>) -> Vec<u8> {
    // SAFETY: no JavaScript runs while the slice is alive (we copy it at once), so the array
    // cannot be detached or resized under us.
    unsafe { array.as_bytes() }
        .map(<[u8]>::to_vec)
        .unwrap_or_default()
}
