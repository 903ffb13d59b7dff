//! Tests for the chapter 6 exercises: `cargo test -p exercises-ch06`.

mod time_limit;

// The tests of exercise ch06.M sit in `ch06::<its function>::`: `cargo run -p exercises` picks an
// exercise's tests by that prefix (see `tests` in exercises/runner/src/catalog.rs).
mod ch06 {
    use super::time_limit::time_limit;
    mod ctl_op {
        use super::time_limit;
        use exercises_ch06::{CtlOp, Interest, ctl_op};

        const R: Interest = Interest::READABLE;
        const W: Interest = Interest::WRITABLE;
        const B: Interest = Interest::BOTH;
        const EMPTY: Interest = Interest {
            readable: false,
            writable: false,
        };

        #[test]
        fn a_new_registration_is_an_add() {
            time_limit(|| {
                assert_eq!(ctl_op(None, Some(R)), CtlOp::Add(R));
                assert_eq!(ctl_op(None, Some(B)), CtlOp::Add(B));
            });
        }

        #[test]
        fn a_removed_registration_is_a_delete() {
            time_limit(|| {
                assert_eq!(ctl_op(Some(R), None), CtlOp::Delete);
            });
        }

        #[test]
        fn a_changed_interest_is_a_modify() {
            time_limit(|| {
                assert_eq!(ctl_op(Some(R), Some(B)), CtlOp::Modify(B));
                assert_eq!(ctl_op(Some(B), Some(W)), CtlOp::Modify(W));
            });
        }

        #[test]
        fn no_change_makes_no_system_call() {
            time_limit(|| {
                assert_eq!(ctl_op(Some(W), Some(W)), CtlOp::Nothing);
                assert_eq!(ctl_op(None, None), CtlOp::Nothing);
            });
        }

        #[test]
        fn an_empty_interest_means_not_watched() {
            time_limit(|| {
                assert_eq!(ctl_op(Some(R), Some(EMPTY)), CtlOp::Delete);
                assert_eq!(ctl_op(Some(EMPTY), Some(R)), CtlOp::Add(R));
                assert_eq!(ctl_op(Some(EMPTY), None), CtlOp::Nothing);
                assert_eq!(ctl_op(None, Some(EMPTY)), CtlOp::Nothing);
            });
        }
    }

    mod changelist {
        use super::time_limit;
        use exercises_ch06::{Action, Change, Filter, Interest, Token, changelist};

        fn changes(old: Option<Interest>, new: Option<Interest>) -> Vec<(Filter, Action)> {
            let mut out = Vec::new();
            changelist(9, Token(4), old, new, &mut out);
            for change in &out {
                assert_eq!((change.fd, change.token), (9, Token(4)), "{change:?}");
            }
            out.iter().map(|c: &Change| (c.filter, c.action)).collect()
        }

        #[test]
        fn registering_adds_each_wanted_filter() {
            time_limit(|| {
                assert_eq!(
                    changes(None, Some(Interest::READABLE)),
                    [(Filter::Read, Action::Add)]
                );
                assert_eq!(
                    changes(None, Some(Interest::BOTH)),
                    [(Filter::Read, Action::Add), (Filter::Write, Action::Add)]
                );
            });
        }

        #[test]
        fn deregistering_deletes_only_what_was_watched() {
            time_limit(|| {
                assert_eq!(
                    changes(Some(Interest::WRITABLE), None),
                    [(Filter::Write, Action::Delete)]
                );
                assert_eq!(
                    changes(Some(Interest::BOTH), None),
                    [
                        (Filter::Read, Action::Delete),
                        (Filter::Write, Action::Delete)
                    ]
                );
            });
        }

        #[test]
        fn switching_filters_deletes_one_and_adds_the_other() {
            time_limit(|| {
                assert_eq!(
                    changes(Some(Interest::READABLE), Some(Interest::WRITABLE)),
                    [(Filter::Read, Action::Delete), (Filter::Write, Action::Add)]
                );
            });
        }

        #[test]
        fn a_filter_kept_is_added_again_to_update_the_token() {
            time_limit(|| {
                assert_eq!(
                    changes(Some(Interest::BOTH), Some(Interest::READABLE)),
                    [(Filter::Read, Action::Add), (Filter::Write, Action::Delete)]
                );
            });
        }

        #[test]
        fn appends_without_clearing() {
            time_limit(|| {
                let mut out = Vec::new();
                changelist(1, Token(1), None, Some(Interest::READABLE), &mut out);
                changelist(2, Token(2), None, Some(Interest::READABLE), &mut out);
                assert_eq!(out.len(), 2);
                assert_eq!(out[1].fd, 2);
            });
        }
    }

    mod drain {
        use super::time_limit;
        use exercises_ch06::{Drained, drain};
        use std::io::Write;
        use std::os::fd::AsFd;
        use std::os::unix::net::UnixStream;

        fn nonblocking_pair() -> (UnixStream, UnixStream) {
            let (a, b) = UnixStream::pair().unwrap();
            a.set_nonblocking(true).unwrap();
            (a, b)
        }

        #[test]
        fn reads_every_chunk_that_is_waiting() {
            time_limit(|| {
                let (a, mut b) = nonblocking_pair();
                let big: Vec<u8> = (0..20_000u32).map(|i| i as u8).collect();
                b.write_all(b"one").unwrap();
                b.write_all(&big).unwrap();
                b.write_all(b"two").unwrap();
                let got = drain(a.as_fd()).unwrap();
                assert_eq!(got.bytes.len(), 3 + big.len() + 3);
                assert!(got.bytes.starts_with(b"one") && got.bytes.ends_with(b"two"));
                assert!(!got.eof, "the peer is still there");
            });
        }

        #[test]
        fn nothing_waiting_is_not_an_error() {
            time_limit(|| {
                let (a, _b) = nonblocking_pair();
                assert_eq!(drain(a.as_fd()).unwrap(), Drained::default());
            });
        }

        #[test]
        fn sees_the_end_of_file_after_the_data() {
            time_limit(|| {
                let (a, mut b) = nonblocking_pair();
                b.write_all(b"last words").unwrap();
                drop(b);
                let got = drain(a.as_fd()).unwrap();
                assert_eq!(got.bytes, b"last words");
                assert!(got.eof, "a read returned 0 after the data");
            });
        }

        /// With an edge-triggered epoll registration, draining is what makes the next arrival
        /// reported again.
        #[cfg(any(target_os = "linux", target_os = "android"))]
        #[test]
        fn keeps_an_edge_triggered_registration_alive() {
            time_limit(|| {
                use eventloops::ch06_pollers::{Epoll, Interest, Poller, Token};
                let (a, mut b) = nonblocking_pair();
                let mut epoll = Epoll::new().unwrap();
                epoll
                    .register_edge_triggered(a.as_fd(), Token(1), Interest::READABLE)
                    .unwrap();
                let mut events = Vec::new();
                for round in 0..3 {
                    b.write_all(b"chunk one,").unwrap();
                    b.write_all(b"chunk two").unwrap();
                    assert_eq!(
                        epoll.wait(&mut events, 8, 1000).unwrap(),
                        1,
                        "round {round}"
                    );
                    let got = drain(a.as_fd()).unwrap();
                    assert_eq!(got.bytes, b"chunk one,chunk two");
                }
            });
        }
    }
}
