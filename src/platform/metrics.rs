//! What Bookwork counts, by name, in one place: the rest of the code calls
//! these, and `server::metrics` exports them for Prometheus (`/metrics` on
//! its own listen address). Built on the `metrics` facade: without a
//! recorder installed (tests, commands) every call is a no-op.
use std::time::Duration;

use metrics::{counter, gauge, histogram};

/// One HTTP request answered: by method, route template (`/clubs/{id}`,
/// never the raw path) and status class (`2xx`).
pub fn http_request(method: &str, route: &str, status: u16, took: Duration) {
    let labels = [
        ("method", method.to_owned()),
        ("route", route.to_owned()),
        ("status", format!("{}xx", status / 100)),
    ];
    counter!("http_requests_total", &labels).increment(1);
    histogram!("http_request_duration_seconds", &labels).record(took.as_secs_f64());
}

/// A request that ran out of time (`REQUEST_TIMEOUT`).
pub fn request_timed_out() {
    counter!("http_requests_timed_out_total").increment(1);
}

/// A sign-in attempt: `ok`, `failed` (wrong email or password, or a
/// deactivated account) or `limited` (refused by the rate limit).
pub fn sign_in(outcome: &'static str) {
    counter!("bookwork_sign_ins_total", "outcome" => outcome).increment(1);
}

/// A refresh token presented: `rotated`, `just_rotated` (a sibling tab's),
/// `refused` (unknown, expired, revoked) or `reuse_detected` (a replayed
/// old token: the sign-in was revoked).
pub fn refresh(result: &'static str) {
    counter!("bookwork_refresh_tokens_total", "result" => result).increment(1);
    if result == "reuse_detected" {
        counter!("bookwork_refresh_token_reuse_detected_total").increment(1);
    }
}

/// An RSVP saved, by answer (`available`, `maybe`, `unavailable`).
pub fn rsvp(status: &str) {
    let status = match status {
        "available" => "available",
        "maybe" => "maybe",
        _ => "unavailable",
    };
    counter!("bookwork_rsvps_total", "status" => status).increment(1);
}

/// People moved from a waitlist to a place.
pub fn waitlist_promotions(people: i64) {
    if let Ok(people) = u64::try_from(people) {
        counter!("bookwork_waitlist_promotions_total").increment(people);
    }
}

/// One run of the periodic clean-up, and the rows it removed.
pub fn clean_up(ok: bool, removed: u64) {
    counter!("bookwork_cleanup_runs_total", "result" => if ok { "ok" } else { "failed" })
        .increment(1);
    counter!("bookwork_cleanup_rows_removed_total").increment(removed);
}

/// A notification e-mail tried: `sent`, `retry` (it failed and will be
/// tried again) or `failed` (it failed for the last time).
pub fn email(result: &'static str) {
    counter!("bookwork_emails_total", "result" => result).increment(1);
}

/// Counters that alerts compare over time start at zero, so that a series
/// exists (and `increase` works) before the first event.
pub fn start_at_zero() {
    for result in ["sent", "retry", "failed"] {
        counter!("bookwork_emails_total", "result" => result).absolute(0);
    }
    for result in ["ok", "failed"] {
        counter!("bookwork_cleanup_runs_total", "result" => result).absolute(0);
    }
    counter!("bookwork_cleanup_rows_removed_total").absolute(0);
    for outcome in ["ok", "failed", "limited"] {
        counter!("bookwork_sign_ins_total", "outcome" => outcome).absolute(0);
    }
    for result in ["rotated", "just_rotated", "refused", "reuse_detected"] {
        counter!("bookwork_refresh_tokens_total", "result" => result).absolute(0);
    }
    for status in ["available", "maybe", "unavailable"] {
        counter!("bookwork_rsvps_total", "status" => status).absolute(0);
    }
    gauge!("db_pool_waiting").set(0.0);
    counter!("http_requests_timed_out_total").absolute(0);
    counter!("bookwork_waitlist_promotions_total").absolute(0);
    counter!("bookwork_refresh_token_reuse_detected_total").absolute(0);
}

/// The connection pool as a scrape sees it.
pub fn pool(size: u32, idle: usize, max: u32) {
    gauge!("db_pool_connections", "state" => "open").set(f64::from(size));
    gauge!("db_pool_connections", "state" => "idle").set(idle as f64);
    gauge!("db_pool_max_connections").set(f64::from(max));
}

/// Counts a request waiting for a pooled connection while it exists (sqlx
/// does not report its waiters, so `platform::db` counts them itself).
pub struct WaitingForConnection;

/// The same count, for `/admin/system` (the recorder cannot be read back).
static WAITING: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Requests waiting for a pooled connection right now.
pub fn waiting_for_connection() -> i64 {
    WAITING.load(std::sync::atomic::Ordering::Relaxed)
}

impl WaitingForConnection {
    pub fn start() -> Self {
        WAITING.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        gauge!("db_pool_waiting").increment(1.0);
        WaitingForConnection
    }
}

impl Drop for WaitingForConnection {
    fn drop(&mut self) {
        WAITING.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        gauge!("db_pool_waiting").decrement(1.0);
    }
}
