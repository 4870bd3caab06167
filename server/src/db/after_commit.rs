//! How the writer tells the threads that work after its commits (the
//! checkpointer, the search indexer) that it committed: once per batch,
//! waking each thread once per round of its work, not once per commit.
//!
//! Measured at 2,000 msg/s, where most batches hold one message: told of
//! every commit, the two threads woke about 2,600 times a second between
//! them (each wake a context switch on the writer's cores) to do nothing
//! but wait on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

/// The writer's side: [`Commits::committed`] after every batch.
#[derive(Debug)]
pub struct Commits {
    sender: SyncSender<()>,
    told: Arc<AtomicBool>,
}

/// The thread's side.
#[derive(Debug)]
pub struct Committed {
    receiver: Receiver<()>,
    told: Arc<AtomicBool>,
}

pub fn channel() -> (Commits, Committed) {
    let (sender, receiver) = mpsc::sync_channel(1);
    let told = Arc::new(AtomicBool::new(false));
    (
        Commits {
            sender,
            told: told.clone(),
        },
        Committed { receiver, told },
    )
}

impl Commits {
    /// The writer committed a batch. Costs one atomic swap when the thread
    /// has been told already and has not begun its round: this commit is
    /// in that round too.
    pub fn committed(&self) {
        if !self.told.swap(true, Ordering::AcqRel) {
            let _ = self.sender.try_send(());
        }
    }
}

impl Committed {
    /// Waits for a commit, then `gather` longer, so that the commits of that
    /// time are taken in one round; the moment the first arrived. None once
    /// the writer is gone: the server is stopping, and nothing more may
    /// touch the database files.
    pub fn next_round(&self, gather: Duration) -> Option<Instant> {
        self.receiver.recv().ok()?;
        let first = Instant::now();
        // Nothing is sent while `told` is set, so this wakes at the end
        // of the gathering or when the writer goes, never before.
        if let Err(RecvTimeoutError::Disconnected) = self.receiver.recv_timeout(gather) {
            return None;
        }
        // Commits from here on start the next round, even those made while
        // this one works.
        self.told.store(false, Ordering::Release);
        Some(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_during_a_round_start_one_more_round_not_one_each() {
        let (commits, committed) = channel();
        let thread = std::thread::spawn(move || {
            let mut rounds = 0;
            while committed.next_round(Duration::from_millis(30)).is_some() {
                rounds += 1;
            }
            rounds
        });
        // A burst of commits, all within the first round's gathering.
        for _ in 0..1_000 {
            commits.committed();
        }
        std::thread::sleep(Duration::from_millis(100));
        // One more after the round: a second round, however many.
        commits.committed();
        commits.committed();
        std::thread::sleep(Duration::from_millis(100));
        drop(commits);
        assert_eq!(thread.join().unwrap(), 2);
    }

    #[test]
    fn the_thread_stops_when_the_writer_goes_even_mid_round() {
        let (commits, committed) = channel();
        commits.committed();
        let thread =
            std::thread::spawn(move || committed.next_round(Duration::from_secs(600)).is_none());
        std::thread::sleep(Duration::from_millis(20));
        drop(commits);
        assert!(thread.join().unwrap(), "no round once the writer is gone");
    }
}
