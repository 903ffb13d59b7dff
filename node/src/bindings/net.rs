//! `require('net')`: to come.

use rquickjs::{Ctx, Object};

pub(crate) fn install<'js>(_ctx: &Ctx<'js>, _binding: &Object<'js>) -> rquickjs::Result<()> {
    Ok(())
}

/// Forgets the previous run's sockets.
pub(crate) fn reset() {}
