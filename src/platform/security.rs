//! Browser-facing protections applied to every response and unsafe request.
use axum::extract::Request;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, HOST, ORIGIN, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The policy for everything but HTML pages, which get the same policy plus
/// their per-response script nonce (see `app::shell`).
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' https: data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Adds the security headers; HSTS only outside development (it would pin
/// plain-http localhost to https).
pub async fn headers(hsts: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        if let Ok(csp) = HeaderValue::from_str(&content_security_policy(None)) {
            headers.insert(CONTENT_SECURITY_POLICY, csp);
        }
    }
    if hsts {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}

/// Refuses unsafe requests that another site made a browser send. Server
/// functions are public POST endpoints, so this is what stops cross-site
/// request forgery. Browsers send `Sec-Fetch-Site`; older ones send `Origin`.
pub async fn same_origin_only(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let allowed = if let Some(site) = headers.get("sec-fetch-site") {
        // "none": the user themselves (bookmark, address bar).
        matches!(site.as_bytes(), b"same-origin" | b"none")
    } else if let Some(origin) = headers.get(ORIGIN) {
        let host = headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .is_some_and(|(_, origin_host)| !host.is_empty() && origin_host == host)
    } else {
        // Not a browser (curl, a script): no ambient cookies are at risk.
        true
    };
    if allowed {
        next.run(request).await
    } else {
        tracing::warn!("refused a cross-site {} request", request.method());
        (
            StatusCode::FORBIDDEN,
            "Cross-site requests are not allowed.",
        )
            .into_response()
    }
}
