//! `--compare`: to come.
