//! Words for the programs' messages.

use std::fmt::Display;

/// A count and its noun, in the singular for exactly one: `counted(1, "client", "clients")` is
/// `"1 client"`, `counted(2, "client", "clients")` is `"2 clients"`.
///
/// ```
/// use eventloops::text::counted;
/// assert_eq!(counted(0_usize, "other", "others"), "0 others");
/// assert_eq!(counted(1_u64, "byte", "bytes"), "1 byte");
/// ```
pub fn counted(n: impl Display, one: &str, many: &str) -> String {
    let n = n.to_string();
    let noun = if n == "1" { one } else { many };
    format!("{n} {noun}")
}
