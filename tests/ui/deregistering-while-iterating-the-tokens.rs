// Deregistering every handle while iterating over the registrations: `tokens()` borrows the loop
// for as long as the iteration lasts, and `off` needs it mutably. Collect the tokens first.

use eventloops::ch04_registry::Loop;

fn main() {
    let mut lp = Loop::new();
    for token in lp.tokens() {
        lp.off(token);
    }
}
