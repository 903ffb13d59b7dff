// A callback that reaches for the loop it is being registered on. The closure borrows `lp`
// mutably, and `lp.on(...)` borrows it mutably too, at the same time. The loop hands every
// callback `&mut Loop` as an argument for exactly this reason: use that one.

use eventloops::ch04_registry::{Interest, Loop};

fn main() {
    let mut lp = Loop::new();
    lp.on(0, Interest::READABLE, |_the_loop, event| {
        lp.off(event.token);
    })
    .unwrap();
}
