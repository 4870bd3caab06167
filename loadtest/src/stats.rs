//! Figures: percentiles of latencies and the server's memory.

use std::time::Duration;

/// Latencies in microseconds.
#[derive(Debug, Default, Clone)]
pub struct Latencies(Vec<u64>);

impl Latencies {
    pub fn record(&mut self, latency: Duration) {
        self.0
            .push(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
    }

    /// Adds every latency of `other`.
    pub fn extend(&mut self, other: &Latencies) {
        self.0.extend_from_slice(&other.0);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `p`-th percentile (0–100), in milliseconds.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        if self.0.is_empty() {
            return f64::NAN;
        }
        let mut sorted = self.0.clone();
        sorted.sort_unstable();
        let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
        sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
    }

    /// "p50 / p99 / max" in milliseconds.
    pub fn summary(&self) -> String {
        format!(
            "{:.2} / {:.2} / {:.2} ms",
            self.percentile_ms(50.0),
            self.percentile_ms(99.0),
            self.percentile_ms(100.0)
        )
    }
}

/// Resident memory of process `pid` in KiB, from /proc (Linux).
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The CPU time (user and system, every thread) a process has used so
/// far, from `/proc/<pid>/stat`: the server's own cost, whatever the load
/// generator beside it takes.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    cpu_in_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// utime + stime of a `/proc/<pid>/stat` line.
fn cpu_in_stat(stat: &str) -> Option<Duration> {
    // The name (field 2) may hold spaces and parentheses; the fields after
    // its last ")" do not.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of the file (utime, stime) are 12 and 13 here.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // In USER_HZ, which Linux fixes at 100 for user space on every
    // architecture it runs on here.
    Some(Duration::from_millis(ticks * 10))
}

/// The server's CPU time over a stretch of a scenario.
pub struct CpuMeter {
    pid: u32,
    at_start: Duration,
}

impl CpuMeter {
    /// Starts measuring the server (`pid`, or the one `messenger-server`
    /// running); None when there is none or several (a cluster).
    pub fn start(pid: Option<u32>) -> Option<CpuMeter> {
        let pid = pid.or_else(find_server_pid)?;
        Some(CpuMeter {
            pid,
            at_start: cpu_time(pid)?,
        })
    }

    /// The CPU time used since the start.
    pub fn used(&self) -> Option<Duration> {
        cpu_time(self.pid).map(|now| now.saturating_sub(self.at_start))
    }
}

/// "1.23 s over 10.0 s (0.12 of a core): 41.0 µs per message, 24390 a
/// core-second": the server's CPU time over a phase of `wall`, what share of
/// a core that is, and its cost per message. The last figure is the rate
/// one core of this machine would carry if it did nothing else; with the
/// server pinned to one core (`taskset`), it is the rate it reached.
pub fn per_message(cpu: Duration, wall: Duration, messages: u64) -> String {
    let cpu_secs = cpu.as_secs_f64();
    let cores = cpu_secs / wall.as_secs_f64().max(f64::EPSILON);
    let spent = format!(
        "{cpu_secs:.2} s over {:.1} s ({cores:.2} of a core)",
        wall.as_secs_f64()
    );
    if messages == 0 || cpu.is_zero() {
        return spent;
    }
    format!(
        "{spent}: {:.1} µs per message, {:.0} a core-second",
        cpu_secs * 1e6 / messages as f64,
        messages as f64 / cpu_secs
    )
}

/// The pid of the running `messenger-server`, if there is exactly one.
pub fn find_server_pid() -> Option<u32> {
    let mut found = std::fs::read_dir("/proc").ok()?.filter_map(|entry| {
        let entry = entry.ok()?;
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let comm = std::fs::read_to_string(entry.path().join("comm")).ok()?;
        // comm is cut to 15 characters.
        (comm.trim() == "messenger-serve").then_some(pid)
    });
    let pid = found.next()?;
    found.next().is_none().then_some(pid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_is_user_plus_system_after_the_name() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
        // majflt cmajflt utime stime …
        let line = "4242 (messenger (x) s) S 1 4242 4242 0 -1 4194560 9 0 0 0 1234 566 0 0 20 0 8";
        assert_eq!(cpu_in_stat(line), Some(Duration::from_millis(18_000)));
        assert_eq!(cpu_in_stat("4242 (cut"), None);
        assert!(cpu_time(std::process::id()).is_some(), "this process's own");
    }

    #[test]
    fn cpu_per_message_and_per_core() {
        let line = per_message(Duration::from_secs(2), Duration::from_secs(4), 10_000);
        assert_eq!(
            line,
            "2.00 s over 4.0 s (0.50 of a core): 200.0 µs per message, 5000 a core-second"
        );
        assert_eq!(
            per_message(Duration::from_secs(2), Duration::from_secs(4), 0),
            "2.00 s over 4.0 s (0.50 of a core)"
        );
    }

    #[test]
    fn percentiles_of_a_known_sample() {
        let mut latencies = Latencies::default();
        for ms in 1..=100 {
            latencies.record(Duration::from_millis(ms));
        }
        assert_eq!(latencies.percentile_ms(50.0), 51.0);
        assert_eq!(latencies.percentile_ms(99.0), 99.0);
        assert_eq!(latencies.percentile_ms(100.0), 100.0);
    }
}
