//! Where things are: the repository, cargo, and the runner's own state file.

use std::path::PathBuf;

/// The repository the runner works on.
pub struct Repo {
    /// The workspace root.
    pub root: PathBuf,
    /// The cargo that ran us (`cargo run` sets `CARGO`), or the one on the `PATH`.
    pub cargo: PathBuf,
}

impl Repo {
    /// The repository this runner was built from: two levels above its manifest.
    pub fn here() -> Repo {
        let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir
            .parent()
            .and_then(|exercises| exercises.parent())
            .expect("the runner lives in exercises/runner/")
            .to_path_buf();
        let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
        Repo { root, cargo }
    }

    /// A path from the repository root.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// The runner's memory (which hints were shown), under `target/` so that `cargo clean`
    /// forgets it with everything else.
    pub fn state_file(&self) -> PathBuf {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| self.root.join("target"), PathBuf::from);
        target.join("exercises-runner-state.txt")
    }
}
