// A callback that counts into a local variable. The loop keeps the callback after `on` returns,
// for as long as the registration lives, so it must be `'static`: it may not borrow `count`.
// Move an `Rc<Cell<_>>` into it instead.

use eventloops::ch04_registry::{Interest, Loop};

fn register(lp: &mut Loop) {
    let mut count = 0;
    lp.on(0, Interest::READABLE, |_, _| count += 1).unwrap();
}

fn main() {
    let mut lp = Loop::new();
    register(&mut lp);
    lp.run().unwrap();
}
