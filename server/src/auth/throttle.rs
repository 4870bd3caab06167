//! Slows down password guessing without handing anyone a way to lock a
//! classmate out. Three counts, each over a window:
//!
//! - **account and address**: a PC that keeps failing on one account is
//!   locked out of that account for a while. The owner's own PC is not.
//!   Attempts in flight count against the limit, so parallel guesses see
//!   each other (once failures and attempts in flight reach it, further
//!   attempts wait their turn), but only failures lock: a success gives its
//!   place back and clears the count, so an app retrying or a class
//!   sharing a demo account is never locked out by logins that succeed.
//! - **account**: once failures from any addresses pile up, every further
//!   try from an address that has itself failed on the account waits
//!   longer (1 s, 2 s, 4 s … up to a cap). An address with no failures on
//!   the account, such as the owner's, is let through at once.
//! - **address**: too many failures across accounts lock the address.
//!   Attempts in flight count too, so a hundred parallel guesses cannot all
//!   slip in before the first one fails: once failures and attempts in
//!   flight reach the limit, further attempts wait for one to finish. A
//!   success gives its place back, so a whole class logging in at once from
//!   one address gets in (a little after each other), while parallel
//!   guesses stop at exactly the limit.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Notify;

/// How strict the throttle is (the `[server.login_throttle]` config section).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThrottlePolicy {
    /// Failed attempts on one account from one address within the window
    /// before that address is locked out of that account.
    pub max_failures_per_login: u32,
    /// Failed attempts from one address within the window before it is locked.
    pub max_failures_per_ip: u32,
    /// Failed attempts on one account, from all addresses together, before
    /// tries from addresses that failed on it are spaced out.
    pub slow_down_after: u32,
    /// The longest spacing, in seconds.
    pub max_delay_secs: u64,
    /// How long failures are remembered, in seconds.
    pub window_secs: u64,
    /// How long a lock lasts, in seconds.
    pub lockout_secs: u64,
    /// While attempts are refused, they are added up and written to the
    /// login history once per this many seconds instead of one row each.
    pub record_refusals_secs: u64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            max_failures_per_login: 5,
            max_failures_per_ip: 20,
            slow_down_after: 10,
            max_delay_secs: 60,
            window_secs: 15 * 60,
            lockout_secs: 5 * 60,
            record_refusals_secs: 10,
        }
    }
}

impl ThrottlePolicy {
    fn window(&self) -> Duration {
        Duration::from_secs(self.window_secs)
    }

    fn lockout(&self) -> Duration {
        Duration::from_secs(self.lockout_secs)
    }

    /// The spacing after `failures` failures on one account: none below
    /// `slow_down_after`, then doubling from one second up to the cap.
    fn delay(&self, failures: u32) -> Option<Duration> {
        let over = failures.checked_sub(self.slow_down_after)?;
        let secs = 1u64.checked_shl(over).unwrap_or(u64::MAX);
        Some(Duration::from_secs(secs.min(self.max_delay_secs)))
    }
}

/// The longest an attempt waits for attempts in flight from its address.
const MAX_QUEUE_WAIT: Duration = Duration::from_secs(10);

/// Above this many remembered keys, stale ones are dropped on the next write.
const PRUNE_ABOVE: usize = 10_000;

/// A count within a window, and a lock.
#[derive(Debug, Default, Clone, Copy)]
struct Count {
    n: u32,
    since: Option<Instant>,
    locked_until: Option<Instant>,
}

impl Count {
    fn is_stale(&self, now: Instant, window: Duration) -> bool {
        self.locked_until.is_none_or(|until| until <= now)
            && self.since.is_none_or(|since| now - since >= window)
    }

    fn locked(&self, now: Instant) -> Option<Duration> {
        let until = self.locked_until?;
        (until > now).then(|| until - now)
    }

    /// Adds one; at `limit`, locks for `lockout` and starts over.
    fn add(&mut self, now: Instant, policy: &ThrottlePolicy, limit: u32) {
        if self.is_stale(now, policy.window()) {
            *self = Count::default();
        }
        self.since.get_or_insert(now);
        self.n += 1;
        if self.n >= limit {
            self.locked_until = Some(now + policy.lockout());
            self.n = 0;
            self.since = None;
        }
    }
}

/// One account from one address.
#[derive(Debug, Default)]
struct Pair {
    failures: Count,
    /// Attempts begun and not yet concluded.
    in_flight: u32,
}

impl Pair {
    fn is_stale(&self, now: Instant, window: Duration) -> bool {
        self.in_flight == 0 && self.failures.is_stale(now, window)
    }
}

#[derive(Debug, Default)]
struct Account {
    failures: Count,
    /// Tries from addresses that failed on this account wait until then.
    next_try: Option<Instant>,
}

#[derive(Debug, Default)]
struct Address {
    failures: Count,
    /// Attempts begun and not yet concluded.
    in_flight: u32,
}

#[derive(Debug, Default)]
struct State {
    pairs: HashMap<(String, IpAddr), Pair>,
    accounts: HashMap<String, Account>,
    addresses: HashMap<IpAddr, Address>,
}

fn prune<K: Hash + Eq, V>(
    map: &mut HashMap<K, V>,
    now: Instant,
    stale: impl Fn(&V, Instant) -> bool,
) {
    if map.len() > PRUNE_ABOVE {
        map.retain(|_, value| !stale(value, now));
    }
}

/// The login throttle, shared by all workers.
#[derive(Debug)]
pub struct LoginThrottle {
    policy: ThrottlePolicy,
    state: Mutex<State>,
    /// Woken whenever an attempt ends, for attempts waiting their turn.
    concluded: Notify,
}

/// Why an attempt cannot begin now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Blocked {
    Refused(Refused),
    /// Its address has as many attempts in flight as it may still fail.
    Busy,
}

/// Why an attempt was refused before its password was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// How long until a try from this address can be accepted.
    pub wait: Duration,
}

/// An attempt that may go ahead. Say how it ended with [`Attempt::failed`]
/// or [`Attempt::succeeded`]; dropping it (an error of the server) gives
/// its place back without counting a failure.
#[derive(Debug)]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    account: String,
    ip: IpAddr,
    concluded: bool,
}

impl LoginThrottle {
    pub fn new(policy: ThrottlePolicy) -> LoginThrottle {
        LoginThrottle {
            policy,
            state: Mutex::new(State::default()),
            concluded: Notify::new(),
        }
    }

    /// Begins an attempt on `account` (a key naming the account, or the
    /// normalised login when it names none) from `ip`, or refuses it. May
    /// wait for attempts in flight from the same address.
    pub async fn begin(&self, account: &str, ip: IpAddr) -> Result<Attempt<'_>, Refused> {
        let deadline = tokio::time::Instant::now() + MAX_QUEUE_WAIT;
        loop {
            let concluded = self.concluded.notified();
            let mut concluded = std::pin::pin!(concluded);
            // Registered before the check, so an end in between is not missed.
            concluded.as_mut().enable();
            match self.begin_at(account, ip, Instant::now()) {
                Ok(attempt) => return Ok(attempt),
                Err(Blocked::Refused(refused)) => return Err(refused),
                Err(Blocked::Busy) => {
                    if tokio::time::timeout_at(deadline, concluded).await.is_err() {
                        return Err(Refused {
                            wait: Duration::from_secs(1),
                        });
                    }
                }
            }
        }
    }

    fn begin_at(&self, account: &str, ip: IpAddr, now: Instant) -> Result<Attempt<'_>, Blocked> {
        let policy = &self.policy;
        let window = policy.window();
        let mut state = self.lock();
        let State {
            pairs,
            accounts,
            addresses,
        } = &mut *state;
        prune(pairs, now, |pair, now| pair.is_stale(now, window));
        prune(accounts, now, |account, now| {
            account.failures.is_stale(now, window) && account.next_try.is_none_or(|t| t <= now)
        });
        prune(addresses, now, |address, now| {
            address.in_flight == 0 && address.failures.is_stale(now, window)
        });

        let address = addresses.entry(ip).or_default();
        if let Some(wait) = address.failures.locked(now) {
            return Err(Blocked::Refused(Refused { wait }));
        }
        let failures = if address.failures.is_stale(now, window) {
            0
        } else {
            address.failures.n
        };
        if failures + address.in_flight >= policy.max_failures_per_ip {
            return Err(Blocked::Busy);
        }

        let pair_key = (account.to_owned(), ip);
        let pair = pairs.entry(pair_key).or_default();
        if let Some(wait) = pair.failures.locked(now) {
            return Err(Blocked::Refused(Refused { wait }));
        }
        let pair_failures = if pair.failures.is_stale(now, window) {
            0
        } else {
            pair.failures.n
        };
        if pair_failures + pair.in_flight >= policy.max_failures_per_login {
            return Err(Blocked::Busy);
        }
        let failed_here = pair_failures > 0;
        if failed_here
            && let Some(next_try) = accounts.get(account).and_then(|a| a.next_try)
            && next_try > now
        {
            return Err(Blocked::Refused(Refused {
                wait: next_try - now,
            }));
        }

        pair.in_flight += 1;
        address.in_flight += 1;
        if failed_here
            && let Some(account) = accounts.get_mut(account)
            && let Some(delay) = policy.delay(account.failures.n)
        {
            // Claimed now, so that parallel tries from such addresses wait
            // their turn one after the other.
            account.next_try = Some(now + delay);
        }
        Ok(Attempt {
            throttle: self,
            account: account.to_owned(),
            ip,
            concluded: false,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn conclude(&self, attempt: &Attempt<'_>, failed: Option<Instant>) {
        let policy = &self.policy;
        let mut state = self.lock();
        let pair_key = (attempt.account.clone(), attempt.ip);
        if let Some(pair) = state.pairs.get_mut(&pair_key) {
            pair.in_flight = pair.in_flight.saturating_sub(1);
            match failed {
                Some(now) => pair
                    .failures
                    .add(now, policy, policy.max_failures_per_login),
                // A success clears the count of the address on the account.
                None => pair.failures = Count::default(),
            }
        }
        if let Some(address) = state.addresses.get_mut(&attempt.ip) {
            address.in_flight = address.in_flight.saturating_sub(1);
            if let Some(now) = failed {
                address
                    .failures
                    .add(now, policy, policy.max_failures_per_ip);
            }
        }
        if let Some(now) = failed {
            let account = state.accounts.entry(attempt.account.clone()).or_default();
            if account.failures.is_stale(now, policy.window()) {
                account.failures = Count::default();
            }
            account.failures.since.get_or_insert(now);
            account.failures.n += 1;
            if let Some(delay) = policy.delay(account.failures.n) {
                let next = now + delay;
                account.next_try = Some(account.next_try.map_or(next, |t| t.max(next)));
            }
        }
        drop(state);
        self.concluded.notify_waiters();
    }

    fn release(&self, attempt: &Attempt<'_>) {
        let mut state = self.lock();
        if let Some(pair) = state.pairs.get_mut(&(attempt.account.clone(), attempt.ip)) {
            pair.in_flight = pair.in_flight.saturating_sub(1);
        }
        if let Some(address) = state.addresses.get_mut(&attempt.ip) {
            address.in_flight = address.in_flight.saturating_sub(1);
        }
        drop(state);
        self.concluded.notify_waiters();
    }
}

impl Attempt<'_> {
    /// The password was wrong, or the login named no account.
    pub fn failed(self) {
        self.failed_at(Instant::now());
    }

    fn failed_at(mut self, now: Instant) {
        self.concluded = true;
        self.throttle.conclude(&self, Some(now));
    }

    /// The password was right: this address's count on the account is cleared.
    pub fn succeeded(mut self) {
        self.concluded = true;
        self.throttle.conclude(&self, None);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.concluded {
            self.throttle.release(self);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy {
            max_failures_per_login: 3,
            max_failures_per_ip: 5,
            slow_down_after: 4,
            max_delay_secs: 8,
            window_secs: 60,
            lockout_secs: 30,
            record_refusals_secs: 10,
        }
    }

    fn refused_for(secs: u64) -> Blocked {
        Blocked::Refused(Refused {
            wait: Duration::from_secs(secs),
        })
    }

    fn ip(n: u8) -> IpAddr {
        IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, n))
    }

    #[test]
    fn an_address_that_keeps_failing_is_locked_out_of_that_account_only() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        for _ in 0..3 {
            throttle
                .begin_at("anna", ip(1), t0)
                .expect("allowed")
                .failed_at(t0);
        }
        let refused = throttle.begin_at("anna", ip(1), t0).unwrap_err();
        assert_eq!(refused, refused_for(30));
        // Anna's own PC still logs her in.
        throttle
            .begin_at("anna", ip(2), t0)
            .expect("owner")
            .succeeded();
        // And the guesser may still try other accounts (until the address limit).
        throttle
            .begin_at("bert", ip(1), t0)
            .expect("other account")
            .succeeded();
        let later = t0 + Duration::from_secs(31);
        assert!(throttle.begin_at("anna", ip(1), later).is_ok());
    }

    #[test]
    fn an_account_attacked_from_many_addresses_slows_down_but_lets_its_owner_in() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        // Four addresses fail once each: the fourth failure starts the spacing.
        for n in 1..=4 {
            throttle
                .begin_at("anna", ip(n), t0)
                .expect("allowed")
                .failed_at(t0);
        }
        // An address that failed waits 1 s, then the next waits longer.
        let refused = throttle.begin_at("anna", ip(1), t0).unwrap_err();
        assert_eq!(refused, refused_for(1));
        let t1 = t0 + Duration::from_secs(1);
        throttle
            .begin_at("anna", ip(1), t1)
            .expect("after 1 s")
            .failed_at(t1);
        let refused = throttle.begin_at("anna", ip(2), t1).unwrap_err();
        assert_eq!(refused, refused_for(2), "5 failures: 2 s");
        // The owner, at a PC with no failures on the account, is not held up.
        throttle
            .begin_at("anna", ip(9), t1)
            .expect("owner")
            .succeeded();
    }

    #[test]
    fn the_spacing_is_capped() {
        let policy = policy();
        assert_eq!(policy.delay(3), None);
        assert_eq!(policy.delay(4), Some(Duration::from_secs(1)));
        assert_eq!(policy.delay(6), Some(Duration::from_secs(4)));
        assert_eq!(policy.delay(7), Some(Duration::from_secs(8)));
        assert_eq!(policy.delay(400), Some(Duration::from_secs(8)));
    }

    #[test]
    fn parallel_attempts_from_one_address_count_before_any_fails() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        let names: Vec<String> = (0..10).map(|i| format!("student{i}")).collect();
        let tries: Vec<_> = names
            .iter()
            .map(|name| throttle.begin_at(name, ip(1), t0))
            .collect();
        assert_eq!(tries.iter().filter(|t| t.is_ok()).count(), 5);
        assert!(
            tries
                .iter()
                .skip(5)
                .all(|t| matches!(t, Err(Blocked::Busy))),
            "the rest wait their turn"
        );
        for attempt in tries.into_iter().flatten() {
            attempt.failed_at(t0);
        }
        let refused = throttle.begin_at("student9", ip(1), t0).unwrap_err();
        assert_eq!(refused, refused_for(30), "now locked");
        assert!(throttle.begin_at("student9", ip(2), t0).is_ok());
    }

    #[test]
    fn a_class_logging_in_one_after_another_from_one_address_is_never_refused() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        for i in 0..30 {
            let name = format!("student{i}");
            throttle
                .begin_at(&name, ip(1), t0)
                .expect(&name)
                .succeeded();
        }
    }

    #[tokio::test]
    async fn a_waiting_attempt_goes_ahead_when_one_in_flight_succeeds() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        let in_flight: Vec<_> = (0..5)
            .map(|i| {
                throttle
                    .begin_at(&format!("s{i}"), ip(1), t0)
                    .expect("allowed")
            })
            .collect();
        let waiting = throttle.begin("s9", ip(1));
        let mut waiting = std::pin::pin!(waiting);
        assert!(
            futures_util::poll!(waiting.as_mut()).is_pending(),
            "waits its turn"
        );
        let mut in_flight = in_flight.into_iter();
        in_flight.next().expect("one").succeeded();
        let attempt = waiting.await.expect("goes ahead");
        attempt.succeeded();
    }

    #[test]
    fn parallel_logins_that_succeed_never_lock_the_account() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        // Eight apps of one shared account, again and again: at most the
        // limit are checked at once, the rest wait their turn, and no
        // success counts as a failure.
        for _ in 0..20 {
            let tries: Vec<_> = (0..8)
                .map(|_| throttle.begin_at("demo", ip(1), t0))
                .collect();
            assert!(
                tries
                    .iter()
                    .all(|t| matches!(t, Ok(_) | Err(Blocked::Busy))),
                "nothing is refused"
            );
            for attempt in tries.into_iter().flatten() {
                attempt.succeeded();
            }
        }
        assert!(throttle.begin_at("demo", ip(1), t0).is_ok());
    }

    #[test]
    fn parallel_guesses_on_one_account_stop_at_the_limit() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        let tries: Vec<_> = (0..5)
            .map(|_| throttle.begin_at("anna", ip(1), t0))
            .collect();
        assert_eq!(tries.iter().filter(|t| t.is_ok()).count(), 3);
        for attempt in tries.into_iter().flatten() {
            attempt.failed_at(t0);
        }
        let refused = throttle.begin_at("anna", ip(1), t0).unwrap_err();
        assert_eq!(refused, refused_for(30), "locked after three failures");
    }

    #[test]
    fn an_attempt_dropped_by_a_server_error_gives_its_place_back() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        for _ in 0..10 {
            drop(throttle.begin_at("anna", ip(1), t0).expect("allowed"));
            throttle
                .begin_at("anna", ip(1), t0)
                .expect("allowed")
                .succeeded();
        }
    }

    #[test]
    fn success_clears_the_count_of_the_address_on_the_account() {
        let throttle = LoginThrottle::new(ThrottlePolicy {
            slow_down_after: 100,
            ..policy()
        });
        let t0 = Instant::now();
        for _ in 0..2 {
            throttle
                .begin_at("anna", ip(1), t0)
                .expect("allowed")
                .failed_at(t0);
        }
        throttle
            .begin_at("anna", ip(1), t0)
            .expect("allowed")
            .succeeded();
        for _ in 0..2 {
            throttle
                .begin_at("anna", ip(1), t0)
                .expect("allowed")
                .failed_at(t0);
        }
        assert!(throttle.begin_at("anna", ip(1), t0).is_ok());
    }

    #[test]
    fn failures_older_than_the_window_are_forgotten() {
        let throttle = LoginThrottle::new(policy());
        let t0 = Instant::now();
        for _ in 0..2 {
            throttle
                .begin_at("anna", ip(1), t0)
                .expect("allowed")
                .failed_at(t0);
        }
        let later = t0 + Duration::from_secs(61);
        for _ in 0..2 {
            throttle
                .begin_at("anna", ip(1), later)
                .expect("allowed")
                .failed_at(later);
        }
        assert!(throttle.begin_at("anna", ip(1), later).is_ok());
    }
}
