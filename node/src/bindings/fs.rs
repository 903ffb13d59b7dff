//! `require('fs')`: to come (chapter 9's pool).

use rquickjs::{Ctx, Object};

pub(crate) fn install<'js>(_ctx: &Ctx<'js>, _binding: &Object<'js>) -> rquickjs::Result<()> {
    Ok(())
}
