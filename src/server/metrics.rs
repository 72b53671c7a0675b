//! The Prometheus exporter: one recorder per process (the `metrics` facade
//! is global), rendered at `GET /metrics` on its own listen address
//! (`METRICS_ADDR`, default `127.0.0.1:9464`), optionally behind a bearer
//! token (`METRICS_TOKEN`). The site's own port has no `/metrics`.
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;

use super::deadline::MatchedRoute;
use crate::platform::config::Secret;

/// Upper bounds of the request-duration buckets, in seconds.
const DURATION_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's recorder, installed on first use (a second server in the
/// same process, as tests start, shares it).
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".to_owned()),
                    &DURATION_BUCKETS,
                )
                .expect("the buckets are a fixed, non-empty list")
                .build_recorder();
            let handle = recorder.handle();
            // Fails only if another recorder was installed first, and
            // nothing else in Bookwork installs one.
            let _ = metrics::set_global_recorder(recorder);
            describe();
            crate::platform::metrics::start_at_zero();
            metrics::gauge!(
                "bookwork_build_info",
                "version" => env!("CARGO_PKG_VERSION"),
                "commit" => env!("BOOKWORK_COMMIT")
            )
            .set(1.0);
            handle
        })
        .clone()
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        "http_requests_total",
        "HTTP requests answered, by method, route template and status class."
    );
    describe_histogram!(
        "http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer an HTTP request."
    );
    describe_counter!(
        "http_requests_timed_out_total",
        "Requests that ran past REQUEST_TIMEOUT and were answered 503."
    );
    describe_counter!(
        "bookwork_sign_ins_total",
        "Sign-in attempts: ok, failed or limited."
    );
    describe_counter!(
        "bookwork_refresh_tokens_total",
        "Refresh tokens presented, by result."
    );
    describe_counter!(
        "bookwork_refresh_token_reuse_detected_total",
        "Replayed refresh tokens (the sign-in was revoked)."
    );
    describe_counter!("bookwork_rsvps_total", "RSVPs saved, by answer.");
    describe_counter!(
        "bookwork_waitlist_promotions_total",
        "People moved from a waitlist to a place."
    );
    describe_counter!(
        "bookwork_cleanup_runs_total",
        "Runs of the periodic clean-up, by result."
    );
    describe_counter!(
        "bookwork_cleanup_rows_removed_total",
        "Rows the periodic clean-up removed."
    );
    describe_gauge!(
        "db_pool_connections",
        "Open and idle connections of this instance's pool."
    );
    describe_gauge!(
        "db_pool_max_connections",
        "The pool's limit (DB_MAX_OPEN_CONNS)."
    );
    describe_gauge!(
        "db_pool_waiting",
        "Requests waiting for a pooled connection."
    );
    describe_counter!(
        "bookwork_emails_total",
        "Notification e-mails tried: sent, retry (tried again later) or failed (for good)."
    );
    describe_gauge!(
        "bookwork_build_info",
        "Always 1; the version and commit are labels."
    );
}

/// Middleware: counts and times every request by its route template. Sits
/// outside the deadline, so a timed-out request is counted (as 503).
pub async fn track(mut request: Request, next: Next) -> Response {
    let route = MatchedRoute::default();
    request.extensions_mut().insert(route.clone());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    crate::platform::metrics::http_request(
        &method,
        route.get().unwrap_or("(unmatched)"),
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

#[derive(Clone)]
struct Scrape {
    handle: PrometheusHandle,
    pool: PgPool,
    max_connections: u32,
    token: Option<Secret>,
}

/// The metrics listener's router: `GET /metrics` only.
pub fn router(pool: PgPool, max_connections: u32, token: Option<Secret>) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(Scrape {
            handle: handle(),
            pool,
            max_connections,
            token,
        })
}

async fn scrape(State(s): State<Scrape>, request: Request) -> Response {
    if let Some(token) = &s.token {
        let sent = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), token.expose().as_bytes())) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "A bearer token is required (METRICS_TOKEN).",
            )
                .into_response();
        }
    }
    crate::platform::metrics::pool(s.pool.size(), s.pool.num_idle(), s.max_connections);
    let asked = database_gauges(&s.pool).await;
    // Histograms are summed up on scrape, not on every record.
    s.handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        {
            let mut body = s.handle.render();
            if !body.is_empty() && !body.ends_with('\n') {
                body.push('\n');
            }
            body + &asked
        },
    )
        .into_response()
}

/// The gauges `monitoring.gauges_now()` answers, in its columns' order.
const DATABASE_GAUGES: [(&str, &str); 7] = [
    (
        "bookwork_db_connections",
        "Connections to the PostgreSQL server, every login and database.",
    ),
    ("bookwork_db_max_connections", "The server's max_connections."),
    (
        "bookwork_db_longest_transaction_seconds",
        "Age of the oldest open transaction in Bookwork's database.",
    ),
    (
        "bookwork_emails_due",
        "Notification e-mails due and not yet sent.",
    ),
    (
        "bookwork_email_oldest_due_seconds",
        "How long the oldest e-mail due has waited (0 when none).",
    ),
    (
        "bookwork_cleanup_last_success_timestamp_seconds",
        "When the periodic clean-up last finished, on any instance (0: never).",
    ),
    (
        "bookwork_backup_last_success_timestamp_seconds",
        "When the last backup finished, as recorded by bookwork backup or the backup units (0: never).",
    ),
];

/// What a scrape asks the database, as Prometheus gauges: whether it
/// answered (`bookwork_ready`, as `/readyz` would say) and, from
/// `monitoring.gauges_now()`, how busy the server is, the oldest open
/// transaction, e-mails waiting, and when the clean-up and the last backup
/// finished. Read for each scrape and written into its answer, not kept in
/// the process's recorder: each instance (and each test server in one
/// process) reports its own database. One statement in the simple protocol
/// (safe behind a transaction-mode pooler), bounded in time; a database
/// that does not answer gives `bookwork_ready 0` and nothing else.
async fn database_gauges(pool: &PgPool) -> String {
    use sqlx::Row;
    let asked = sqlx::raw_sql(
        "SELECT connections::float8, max_connections::float8, longest_transaction_seconds,
                emails_due::float8, oldest_email_due_seconds, cleanup_last_success, backup_last_success
           FROM monitoring.gauges_now()",
    )
    .fetch_one(pool);
    let values = match tokio::time::timeout(Duration::from_secs(3), asked).await {
        Ok(Ok(row)) => (0..DATABASE_GAUGES.len())
            .map(|i| row.try_get::<f64, _>(i))
            .collect::<Result<Vec<f64>, _>>()
            .map_err(|err| tracing::warn!(error = %err, "metrics: reading the database's gauges"))
            .ok(),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "metrics: the database did not answer");
            None
        }
        Err(_) => {
            tracing::warn!("metrics: the database timed out");
            None
        }
    };
    let gauge = |name: &str, help: &str, value: f64| {
        format!("# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n")
    };
    let mut text = gauge(
        "bookwork_ready",
        "1 when the database answered this scrape within 3 s (as /readyz asks), else 0.",
        if values.is_some() { 1.0 } else { 0.0 },
    );
    for ((name, help), value) in DATABASE_GAUGES.iter().zip(values.unwrap_or_default()) {
        text.push_str(&gauge(name, help, value));
    }
    text
}

/// Compares without stopping at the first difference, so the time taken
/// does not tell how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Serves the metrics router on `addr` until the process ends; fails (for
/// start-up to report) when the address cannot be bound.
pub async fn listen(addr: SocketAddr, app: Router) -> Result<SocketAddr, String> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        format!("configuration error: cannot listen on {addr} for metrics (METRICS_ADDR, or METRICS_ADDR=off): {e}")
    })?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::warn!(error = %err, "the metrics listener stopped");
        }
    });
    Ok(bound)
}
