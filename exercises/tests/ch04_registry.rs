//! Tests for the chapter 4 exercises: `cargo test -p exercises-ch04`.

mod time_limit;

// The tests of exercise ch04.M sit in `ch04::<its function>::`: `cargo run -p exercises` picks an
// exercise's tests by that prefix (see `tests` in exercises/runner/src/catalog.rs).
mod ch04 {
    use super::time_limit::time_limit;
    use exercises_ch04::{MiniLoop, Slot, Token};

    /// Adds a registration by hand, without `register`, so the dispatch tests do not depend on
    /// exercise ch04.1.
    fn add(lp: &mut MiniLoop, callback: impl FnMut(&mut MiniLoop, Token) + 'static) -> Token {
        lp.slots.push(Slot {
            generation: 0,
            registered: true,
            callback: Some(Box::new(callback)),
        });
        Token {
            index: lp.slots.len() - 1,
            generation: 0,
        }
    }

    mod register {
        use super::*;

        #[test]
        fn new_registrations_get_new_slots() {
            time_limit(|| {
                let mut lp = MiniLoop::new();
                let a = lp.register(|_, _| {});
                let b = lp.register(|_, _| {});
                assert_eq!(
                    a,
                    Token {
                        index: 0,
                        generation: 0
                    }
                );
                assert_eq!(
                    b,
                    Token {
                        index: 1,
                        generation: 0
                    }
                );
                assert!(lp.is_registered(a) && lp.is_registered(b));
                assert!(lp.slots[1].callback.is_some());
            });
        }

        #[test]
        fn a_freed_slot_is_reused_with_a_new_generation() {
            time_limit(|| {
                let mut lp = MiniLoop::new();
                let a = lp.register(|_, _| {});
                let _b = lp.register(|_, _| {});
                assert!(lp.deregister(a));
                let c = lp.register(|_, _| {});
                assert_eq!(c.index, a.index, "the free slot was not reused");
                assert_ne!(c.generation, a.generation);
                assert!(!lp.is_registered(a), "the old token still works");
                assert!(lp.is_registered(c));
                assert!(!lp.deregister(a));
                assert!(
                    lp.is_registered(c),
                    "the old token removed the new registration"
                );
                assert_eq!(lp.slots.len(), 2);
            });
        }
    }

    mod dispatch {
        use super::*;
        use std::cell::{Cell, RefCell};
        use std::rc::Rc;

        #[test]
        fn each_ready_callback_runs_with_its_token_and_stays_registered() {
            time_limit(|| {
                let mut lp = MiniLoop::new();
                let seen = Rc::new(RefCell::new(Vec::new()));
                let s = seen.clone();
                let a = add(&mut lp, move |_, t| s.borrow_mut().push(t));
                let s = seen.clone();
                let b = add(&mut lp, move |_, t| s.borrow_mut().push(t));
                assert_eq!(lp.dispatch(&[b, a]), 2);
                assert_eq!(lp.dispatch(&[a]), 1, "the callback was not put back");
                assert_eq!(*seen.borrow(), [b, a, a]);
            });
        }

        #[test]
        fn a_handle_removed_earlier_in_the_batch_is_skipped() {
            time_limit(|| {
                let mut lp = MiniLoop::new();
                let calls = Rc::new(Cell::new(0));
                let c = calls.clone();
                let b_token = Token {
                    index: 1,
                    generation: 0,
                };
                let a = add(&mut lp, move |lp, _| {
                    c.set(c.get() + 1);
                    lp.deregister(b_token);
                });
                let b = add(&mut lp, |_, _| {
                    panic!("b was deregistered earlier in this batch")
                });
                assert_eq!(b, b_token);
                assert_eq!(lp.dispatch(&[a, b]), 1);
                assert_eq!(calls.get(), 1);
            });
        }

        #[test]
        fn a_callback_that_deregisters_itself_is_dropped() {
            time_limit(|| {
                let mut lp = MiniLoop::new();
                let owned = Rc::new(());
                let held = owned.clone();
                let a = add(&mut lp, move |lp, me| {
                    let _keep = &held;
                    assert!(lp.deregister(me));
                });
                assert_eq!(lp.dispatch(&[a]), 1);
                assert!(!lp.is_registered(a));
                assert!(
                    lp.slots[a.index].callback.is_none(),
                    "a dead callback was put back"
                );
                assert_eq!(Rc::strong_count(&owned), 1, "the callback was not dropped");
                assert_eq!(lp.dispatch(&[a]), 0);
            });
        }

        #[test]
        fn a_stale_token_does_not_reach_the_slots_new_owner() {
            time_limit(|| {
                // a removes b and puts a new registration in b's slot (with a new generation): b's
                // token, still in the batch, must not call it.
                let mut lp = MiniLoop::new();
                let calls = Rc::new(Cell::new(0));
                let c = calls.clone();
                let b_token = Token {
                    index: 1,
                    generation: 0,
                };
                let a = add(&mut lp, move |lp, _| {
                    lp.deregister(b_token);
                    let c = c.clone();
                    let slot = &mut lp.slots[1];
                    slot.registered = true;
                    slot.callback = Some(Box::new(move |_, _| c.set(c.get() + 1)));
                    lp.free.retain(|&i| i != 1);
                });
                let b = add(&mut lp, |_, _| panic!("b was deregistered"));
                assert_eq!(lp.dispatch(&[a, b]), 1);
                assert_eq!(calls.get(), 0, "the new owner got b's event");
                let new = Token {
                    index: 1,
                    generation: 1,
                };
                assert_eq!(lp.dispatch(&[new]), 1);
                assert_eq!(calls.get(), 1);
            });
        }

        #[test]
        fn a_callback_replaced_while_it_runs_is_not_put_back() {
            time_limit(|| {
                // a deregisters itself and a new registration takes its slot: afterwards the slot must
                // hold the new callback, not a.
                let mut lp = MiniLoop::new();
                let calls = Rc::new(Cell::new(0));
                let c = calls.clone();
                let a = add(&mut lp, move |lp, me| {
                    lp.deregister(me);
                    let c = c.clone();
                    lp.slots[me.index].registered = true;
                    lp.slots[me.index].callback = Some(Box::new(move |_, _| c.set(c.get() + 1)));
                    lp.free.clear();
                });
                assert_eq!(lp.dispatch(&[a]), 1);
                let new = Token {
                    index: 0,
                    generation: 1,
                };
                assert_eq!(lp.dispatch(&[new]), 1);
                assert_eq!(calls.get(), 1, "a overwrote the new callback");
            });
        }
    }
}
