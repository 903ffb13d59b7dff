//! Chapter 4's chat server on the callback registry (the checks of chapter 3), end to end over real sockets.

#[path = "util/chat.rs"]
mod chat;
mod util;

const EXE: &str = env!("CARGO_BIN_EXE_ch04-registry");

#[test]
fn a_line_reaches_every_other_client() {
    chat::a_line_reaches_every_other_client(EXE);
}

#[test]
fn join_and_leave_notices() {
    chat::join_and_leave_notices(EXE);
}

#[test]
fn lines_are_reassembled_and_split() {
    chat::lines_are_reassembled_and_split(EXE);
}

#[test]
fn a_client_that_never_reads_is_dropped() {
    chat::a_client_that_never_reads_is_dropped(EXE, &["--max-queue", "65536"]);
}

#[test]
fn a_sender_that_never_pauses_drops_no_reader() {
    chat::a_sender_that_never_pauses_drops_no_reader(EXE, &[]);
}

#[test]
fn running_out_of_fds_neither_spins_nor_floods_the_log() {
    chat::running_out_of_fds_neither_spins_nor_floods_the_log(EXE, &[]);
}

#[test]
fn the_last_waiting_client_in_ends_the_episode() {
    chat::the_last_waiting_client_in_ends_the_episode(EXE, &[]);
}

#[test]
fn a_max_queue_below_the_greeting_size_is_refused_at_startup() {
    chat::a_max_queue_below_the_greeting_size_is_refused_at_startup(EXE);
}

#[test]
fn a_client_closing_mid_write_is_removed_cleanly() {
    chat::a_client_closing_mid_write_is_removed_cleanly(EXE);
}

#[test]
fn a_client_past_fd_setsize_is_refused() {
    chat::a_client_past_fd_setsize_is_refused(EXE);
}

#[test]
fn ctrl_c_exits_cleanly() {
    chat::ctrl_c_exits_cleanly(EXE);
}

#[cfg(target_os = "linux")]
#[test]
fn clients_that_leave_leave_no_fd_behind() {
    chat::clients_leave_no_fds(EXE, &[]);
}
