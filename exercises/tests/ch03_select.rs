//! Tests for the chapter 3 exercises: `cargo test -p exercises-ch03`.

mod time_limit;

// The tests of exercise ch03.M sit in `ch03::<its function>::`: `cargo run -p exercises` picks an
// exercise's tests by that prefix (see `tests` in exercises/runner/src/catalog.rs).
mod ch03 {
    use super::time_limit::time_limit;
    mod locate {
        use super::time_limit;
        use exercises_ch03::{Bitmap, FD_SETSIZE, locate};

        #[test]
        fn fds_map_to_word_and_bit() {
            time_limit(|| {
                assert_eq!(locate(0), Some((0, 1)));
                assert_eq!(locate(5), Some((0, 1 << 5)));
                assert_eq!(locate(63), Some((0, 1 << 63)));
                assert_eq!(locate(64), Some((1, 1)));
                assert_eq!(locate(130), Some((2, 1 << 2)));
                assert_eq!(locate(1023), Some((15, 1 << 63)));
            });
        }

        #[test]
        fn out_of_range_fds_have_no_place() {
            time_limit(|| {
                assert_eq!(locate(FD_SETSIZE as i32), None);
                assert_eq!(locate(1030), None);
                assert_eq!(locate(-1), None);
                assert_eq!(locate(i32::MIN), None);
                let mut set = Bitmap::new();
                assert!(!set.insert(1024));
                assert!(!set.insert(-5));
                assert_eq!(set, Bitmap::new(), "nothing was written");
            });
        }

        #[test]
        fn the_bitmap_has_the_c_library_layout() {
            time_limit(|| {
                let fds = [0, 1, 63, 64, 200, 777, 1023];
                let mut ours = Bitmap::new();
                for fd in fds {
                    assert!(ours.insert(fd));
                }
                // SAFETY: all-zero is a valid fd_set; FD_SET gets in-range fds only.
                let theirs: [u64; 16] = unsafe {
                    let mut set: libc::fd_set = std::mem::zeroed();
                    for fd in fds {
                        libc::FD_SET(fd, &mut set);
                    }
                    std::mem::transmute(set)
                };
                assert_eq!(ours.words, theirs);
                assert!(ours.contains(777) && !ours.contains(776));
                ours.remove(777);
                assert!(!ours.contains(777) && ours.contains(1023));
            });
        }
    }

    mod build_sets {
        use super::time_limit;
        use exercises_ch03::{ClientView, build_sets};

        #[test]
        fn every_client_is_read_only_pending_ones_are_written() {
            time_limit(|| {
                let clients = [
                    ClientView { fd: 7, pending: 0 },
                    ClientView { fd: 5, pending: 12 },
                    ClientView { fd: 9, pending: 0 },
                ];
                let (read, write, nfds) = build_sets(3, &clients).unwrap();
                assert_eq!(read.iter().collect::<Vec<_>>(), [3, 5, 7, 9]);
                assert_eq!(write.iter().collect::<Vec<_>>(), [5]);
                assert_eq!(nfds, 10);
            });
        }

        #[test]
        fn with_no_clients_only_the_listener_is_watched() {
            time_limit(|| {
                let (read, write, nfds) = build_sets(4, &[]).unwrap();
                assert_eq!(read.iter().collect::<Vec<_>>(), [4]);
                assert!(write.is_empty());
                assert_eq!(nfds, 5);
            });
        }

        #[test]
        fn an_fd_too_large_is_an_error_not_a_write() {
            time_limit(|| {
                let clients = [ClientView {
                    fd: 1500,
                    pending: 1,
                }];
                let err = build_sets(3, &clients).unwrap_err();
                assert_eq!(err.fd, 1500);
            });
        }
    }
}
