//! Chapter 4's compile-fail lessons: programs the borrow checker rejects, each with the error it
//! gives (`tests/ui/<what-goes-wrong>.rs` and `.stderr`). The book quotes the `.stderr` files.
//! Regenerate them after a toolchain change with `TRYBUILD=overwrite cargo test --test compile_fail`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
