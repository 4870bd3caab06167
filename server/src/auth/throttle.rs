//! Slows down password guessing. Too many failed logins within a window
//! lock the account they named, or the address they came from, for a while.
//!
//! For an account, attempts are counted when they start, not when they
//! fail, so that a burst of parallel guesses at one password cannot all slip
//! in before the first one fails; a successful login clears the count. For
//! an address only failures count: a whole class logging in at once from
//! one address must not lock it.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;

/// How strict the throttle is (the `[server.login_throttle]` config section).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThrottlePolicy {
    /// Failed attempts for one login within the window before it is locked.
    pub max_failures_per_login: u32,
    /// Failed attempts from one address within the window before it is locked.
    pub max_failures_per_ip: u32,
    /// How long failures are remembered, in seconds.
    pub window_secs: u64,
    /// How long a lock lasts, in seconds.
    pub lockout_secs: u64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            max_failures_per_login: 5,
            max_failures_per_ip: 20,
            window_secs: 15 * 60,
            lockout_secs: 5 * 60,
        }
    }
}

/// Above this many remembered keys, stale ones are dropped on the next write.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug, Default)]
struct Counter {
    attempts: u32,
    window_start: Option<Instant>,
    locked_until: Option<Instant>,
}

impl Counter {
    fn is_stale(&self, now: Instant, window: Duration) -> bool {
        self.locked_until.is_none_or(|until| until <= now)
            && self.window_start.is_none_or(|start| now - start >= window)
    }
}

/// Counters for one kind of key (logins, or addresses).
#[derive(Debug)]
struct Counters<K> {
    limit: u32,
    map: HashMap<K, Counter>,
}

impl<K: Hash + Eq + Clone> Counters<K> {
    fn new(limit: u32) -> Self {
        Counters {
            limit,
            map: HashMap::new(),
        }
    }

    /// The time left on a lock of `key`, if it is locked.
    fn locked(&self, key: &K, now: Instant) -> Option<Duration> {
        let until = self.map.get(key)?.locked_until?;
        (until > now).then(|| until - now)
    }

    fn count_attempt(&mut self, key: &K, now: Instant, policy: &ThrottlePolicy) {
        if self.map.len() > PRUNE_ABOVE {
            let window = policy.window();
            self.map.retain(|_, counter| !counter.is_stale(now, window));
        }
        let counter = self.map.entry(key.clone()).or_default();
        if counter.is_stale(now, policy.window()) {
            *counter = Counter::default();
        }
        counter.window_start.get_or_insert(now);
        counter.attempts += 1;
        if counter.attempts >= self.limit {
            counter.locked_until = Some(now + policy.lockout());
            counter.attempts = 0;
            counter.window_start = None;
        }
    }

    fn clear(&mut self, key: &K) {
        self.map.remove(key);
    }
}

impl ThrottlePolicy {
    fn window(&self) -> Duration {
        Duration::from_secs(self.window_secs)
    }

    fn lockout(&self) -> Duration {
        Duration::from_secs(self.lockout_secs)
    }
}

/// The login throttle, shared by all workers.
#[derive(Debug)]
pub struct LoginThrottle {
    policy: ThrottlePolicy,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    logins: Counters<String>,
    addresses: Counters<IpAddr>,
}

impl LoginThrottle {
    pub fn new(policy: ThrottlePolicy) -> LoginThrottle {
        let state = State {
            logins: Counters::new(policy.max_failures_per_login),
            addresses: Counters::new(policy.max_failures_per_ip),
        };
        LoginThrottle {
            policy,
            state: Mutex::new(state),
        }
    }

    /// Counts an attempt to log in as `login` (already normalised) from
    /// `ip`, or refuses it with the time until the lock ends.
    pub fn begin(&self, login: &str, ip: IpAddr) -> Result<(), Duration> {
        self.begin_at(login, ip, Instant::now())
    }

    fn begin_at(&self, login: &str, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let login = login.to_owned();
        let wait = state
            .logins
            .locked(&login, now)
            .max(state.addresses.locked(&ip, now));
        if let Some(wait) = wait {
            return Err(wait);
        }
        state.logins.count_attempt(&login, now, &self.policy);
        Ok(())
    }

    /// An attempt from `ip` failed.
    pub fn failed(&self, ip: IpAddr) {
        self.failed_at(ip, Instant::now());
    }

    fn failed_at(&self, ip: IpAddr, now: Instant) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.addresses.count_attempt(&ip, now, &self.policy);
    }

    /// The attempt begun for `login` succeeded.
    pub fn succeeded(&self, login: &str) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.logins.clear(&login.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy {
            max_failures_per_login: 3,
            max_failures_per_ip: 5,
            window_secs: 60,
            lockout_secs: 30,
        }
    }

    const IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const OTHER_IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn a_login_locks_after_its_limit_and_unlocks_after_the_lockout() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(throttle.begin_at("anna", IP, t0).is_ok());
        }
        let wait = throttle.begin_at("anna", OTHER_IP, t0).unwrap_err();
        assert_eq!(wait, Duration::from_secs(30));
        assert!(
            throttle.begin_at("bert", OTHER_IP, t0).is_ok(),
            "other logins are not locked"
        );
        assert!(
            throttle
                .begin_at("anna", IP, t0 + Duration::from_secs(31))
                .is_ok()
        );
    }

    #[test]
    fn an_address_locks_after_its_limit_of_failures_across_logins() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        for name in ["a", "b", "c", "d", "e"] {
            assert!(throttle.begin_at(name, IP, t0).is_ok());
            throttle.failed_at(IP, t0);
        }
        assert!(throttle.begin_at("f", IP, t0).is_err());
        assert!(throttle.begin_at("f", OTHER_IP, t0).is_ok());
    }

    #[test]
    fn many_logins_at_once_from_one_address_are_not_failures() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        let class: Vec<String> = (0..30).map(|i| format!("student{i}")).collect();
        for name in &class {
            assert!(throttle.begin_at(name, IP, t0).is_ok(), "{name}");
        }
        for name in &class {
            throttle.succeeded(name);
        }
    }

    #[test]
    fn success_clears_the_login_count() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        for _ in 0..2 {
            throttle.begin_at("anna", IP, t0).expect("allowed");
        }
        throttle.succeeded("anna");
        for _ in 0..2 {
            assert!(throttle.begin_at("anna", IP, t0).is_ok());
        }
    }

    #[test]
    fn failures_older_than_the_window_are_forgotten() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        for _ in 0..2 {
            throttle.begin_at("anna", IP, t0).expect("allowed");
        }
        let later = t0 + Duration::from_secs(61);
        for _ in 0..2 {
            assert!(throttle.begin_at("anna", IP, later).is_ok());
        }
    }
}
