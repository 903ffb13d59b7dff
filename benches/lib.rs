//! Benchmarks behind the book's measurements.
//!
//! Each `[[bench]]` in this package's `Cargo.toml` is a criterion benchmark; run one with
//! `cargo bench -p eventloops-benches --bench NAME`. The package is not a default member of the
//! workspace, so `cargo test` at the root does not build criterion.
