//! Every request has a deadline (`REQUEST_TIMEOUT`). One that passes it is
//! answered 503 with `Retry-After` and logged at `warn` with its route
//! template and request id, so a page that hangs in production shows up in
//! the logs instead of only as a spinner in someone's browser.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use crate::error::AppError;
use crate::platform::responses::{json_error, plain_page};

/// The route template a request matched (`/clubs/{id}`), filled in by
/// [`note_route`] once the router has matched, so layers outside the router
/// can name it.
#[derive(Clone, Default)]
pub struct MatchedRoute(Arc<OnceLock<String>>);

impl MatchedRoute {
    pub fn get(&self) -> Option<&str> {
        self.0.get().map(String::as_str)
    }
}

/// Requests that ran out of time since the process started.
static TIMED_OUT: AtomicU64 = AtomicU64::new(0);

/// How many requests have timed out in this process.
pub fn timed_out_requests() -> u64 {
    TIMED_OUT.load(Ordering::Relaxed)
}

/// A route layer: records the matched route template for [`deadline`].
pub async fn note_route(matched: Option<MatchedPath>, request: Request, next: Next) -> Response {
    if let (Some(matched), Some(slot)) = (matched, request.extensions().get::<MatchedRoute>()) {
        let _ = slot.0.set(matched.as_str().to_owned());
    }
    next.run(request).await
}

/// Runs the request with a time limit.
pub async fn deadline(limit: Duration, mut request: Request, next: Next) -> Response {
    // The metrics layer outside may have put one in already: share it.
    let route = request
        .extensions()
        .get::<MatchedRoute>()
        .cloned()
        .unwrap_or_default();
    request.extensions_mut().insert(route.clone());
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            TIMED_OUT.fetch_add(1, Ordering::Relaxed);
            crate::platform::metrics::request_timed_out();
            tracing::warn!(
                route = route.get().unwrap_or("(no route)"),
                request_id,
                %method,
                path,
                timeout_ms = limit.as_millis() as u64,
                timed_out_so_far = timed_out_requests(),
                "request timed out"
            );
            timed_out(path.starts_with("/api/"))
        }
    }
}

fn timed_out(api: bool) -> Response {
    let err = AppError::TimedOut;
    if api {
        json_error(StatusCode::SERVICE_UNAVAILABLE, &err)
    } else {
        plain_page(
            StatusCode::SERVICE_UNAVAILABLE,
            "That took too long",
            &err.to_string(),
            err.retry_after_secs(),
        )
    }
}
