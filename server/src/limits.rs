//! Limits that keep one user or one PC from crowding out everyone else:
//! how fast accounts can be registered from an address, how fast a user
//! can send messages and typing/presence signals, how many connections an
//! address may hold, how long a request body may take. The
//! `[server.limits]` config section; every number is configurable so that
//! the load tool can raise its own.
//!
//! Rates are token buckets: a burst that people never reach, refilled at a
//! steady rate that only scripts exceed.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use messenger_shared::error::ErrorCode;
use serde::Deserialize;

use crate::error::ApiError;

/// The `[server.limits]` section.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Accounts registered from one address.
    pub registrations: Rate,
    /// Messages sent by one user, from all their PCs together.
    pub messages: Rate,
    /// Typing and presence frames sent by one user.
    pub signals: Rate,
    /// Connections one address may hold open at once.
    pub connections_per_ip: usize,
    /// Seconds a request body may take to arrive.
    pub body_timeout_secs: u64,
    /// Groups one user may create (class groups made by an import do not
    /// count).
    pub groups_created: Rate,
    /// Most members a group may have.
    pub group_members: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            registrations: Rate {
                burst: 30,
                per_minute: 3.0,
            },
            messages: Rate {
                burst: 30,
                per_minute: 180.0,
            },
            signals: Rate {
                burst: 20,
                per_minute: 120.0,
            },
            connections_per_ip: 256,
            body_timeout_secs: 60,
            // A teacher with a dozen classes makes them in one sitting;
            // then about thirty a day (one every 50 minutes).
            groups_created: Rate {
                burst: 20,
                per_minute: 0.02,
            },
            group_members: 1000,
        }
    }
}

/// A token bucket: `burst` at once, then `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    pub burst: u32,
    pub per_minute: f64,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(rate: Rate, now: Instant) -> Bucket {
        Bucket {
            tokens: f64::from(rate.burst),
            at: now,
        }
    }

    fn refill(&mut self, rate: Rate, now: Instant) {
        let per_sec = rate.per_minute / 60.0;
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * per_sec).min(f64::from(rate.burst));
        self.at = now;
    }

    fn take(&mut self, rate: Rate, now: Instant) -> Result<(), Duration> {
        self.refill(rate, now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Ok(());
        }
        let per_sec = rate.per_minute / 60.0;
        if per_sec > 0.0 {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / per_sec))
        } else {
            Err(Duration::MAX)
        }
    }
}

/// One key's bucket. A live connection keeps its user's, so that taking a
/// token locks only that user's bucket, never the map of all of them.
#[derive(Debug, Clone)]
pub struct Allowance {
    rate: Rate,
    bucket: Arc<Mutex<Bucket>>,
}

impl Allowance {
    /// Takes one token, or says how long until one is there.
    pub fn take(&self) -> Result<(), Duration> {
        self.take_at(Instant::now())
    }

    fn take_at(&self, now: Instant) -> Result<(), Duration> {
        let mut bucket = self.bucket.lock().unwrap_or_else(|e| e.into_inner());
        bucket.take(self.rate, now)
    }
}

/// Above this many remembered keys, unused full buckets are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// One bucket per key (a user, an address).
#[derive(Debug)]
pub struct Buckets<K> {
    rate: Rate,
    buckets: Mutex<HashMap<K, Arc<Mutex<Bucket>>>>,
}

impl<K: Hash + Eq> Buckets<K> {
    pub fn new(rate: Rate) -> Buckets<K> {
        Buckets {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `key`'s bucket, to take from without going through this map again.
    pub fn allowance(&self, key: K) -> Allowance {
        self.allowance_at(key, Instant::now())
    }

    fn allowance_at(&self, key: K, now: Instant) -> Allowance {
        let rate = self.rate;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, bucket| {
                let in_use = Arc::strong_count(bucket) > 1;
                let mut bucket = bucket.lock().unwrap_or_else(|e| e.into_inner());
                bucket.refill(rate, now);
                in_use || bucket.tokens < f64::from(rate.burst)
            });
        }
        let bucket = buckets
            .entry(key)
            .or_insert_with(|| Arc::new(Mutex::new(Bucket::full(rate, now))))
            .clone();
        Allowance { rate, bucket }
    }

    /// Takes one token for `key`, or says how long until one is there.
    pub fn take(&self, key: K) -> Result<(), Duration> {
        self.allowance(key).take()
    }

    #[cfg(test)]
    fn take_at(&self, key: K, now: Instant) -> Result<(), Duration> {
        self.allowance_at(key, now).take_at(now)
    }
}

/// The refusal for a rate exceeded: `rate_limited`, with the wait.
pub fn rate_limited(what: &str, wait: Duration) -> ApiError {
    let seconds = wait.as_secs_f64().ceil().clamp(1.0, 86_400.0) as u64;
    ApiError::new(
        ErrorCode::RateLimited,
        format!("too many {what}; try again in {seconds} seconds"),
    )
    .with_retry_after(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_steady_rate() {
        let buckets = Buckets::new(Rate {
            burst: 3,
            per_minute: 60.0,
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(buckets.take_at("anna", t0).is_ok());
        }
        let wait = buckets.take_at("anna", t0).unwrap_err();
        assert_eq!(wait, Duration::from_secs(1));
        assert!(buckets.take_at("bert", t0).is_ok(), "others have their own");
        let t1 = t0 + Duration::from_millis(1000);
        assert!(buckets.take_at("anna", t1).is_ok());
        assert!(buckets.take_at("anna", t1).is_err());
        // Refilled, never beyond the burst.
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..3 {
            assert!(buckets.take_at("anna", later).is_ok());
        }
        assert!(buckets.take_at("anna", later).is_err());
    }

    #[test]
    fn the_refusal_says_how_long_to_wait() {
        let err = rate_limited("messages", Duration::from_millis(1200));
        assert_eq!(err.code, ErrorCode::RateLimited);
        assert_eq!(err.retry_after, Some(2));
    }
}
