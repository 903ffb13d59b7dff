// The naive event loop: walk the table of callbacks and call each one with the loop, so that it
// can register and deregister. The walk borrows the table mutably; the call needs the whole loop
// mutably. Two `&mut` to the same loop at once: rejected.

struct NaiveLoop {
    callbacks: Vec<Box<dyn FnMut(&mut NaiveLoop)>>,
}

impl NaiveLoop {
    fn dispatch(&mut self) {
        for callback in self.callbacks.iter_mut() {
            callback(self);
        }
    }
}

fn main() {
    let mut lp = NaiveLoop { callbacks: Vec::new() };
    lp.callbacks.push(Box::new(|lp| lp.callbacks.clear()));
    lp.dispatch();
}
