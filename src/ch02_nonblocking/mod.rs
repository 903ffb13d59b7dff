//! Chapter 2 (in progress).
