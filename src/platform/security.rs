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
/// their per-response script nonce (see [`headers`]).
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' https: data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// This request's script nonce: made here, before the page renders, and
/// handed to Leptos (`server::http`'s page context provides it as the page's
/// `Nonce`, which every inline script Leptos writes carries), so the policy
/// below and the page's scripts cannot disagree.
#[derive(Clone, Debug)]
pub struct ScriptNonce(pub String);

/// Adds the security headers; HSTS only outside development (it would pin
/// plain-http localhost to https). An HTML page's policy allows the scripts
/// that carry this response's nonce.
///
/// The policy used to be set by the page's shell through Leptos's
/// `ResponseOptions`; once, under the journeys' parallel load, a page went
/// out with its scripts' nonce but a policy without it (the shell's header
/// never reached the response), so the browser refused every script. Made and
/// written here, the policy no longer depends on the render finding its
/// response.
pub async fn headers(hsts: bool, mut request: Request, next: Next) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    request.extensions_mut().insert(ScriptNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let headers = response.headers_mut();
    if html {
        if let Ok(csp) = HeaderValue::from_str(&content_security_policy(Some(&nonce))) {
            headers.insert(CONTENT_SECURITY_POLICY, csp);
        }
    }
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

/// A cookie only the server reads: `HttpOnly`, `SameSite=Lax`, the whole
/// site, `Secure` when cookies are (`COOKIE_SECURE`). Every cookie Bookwork
/// sets is one of these (the sign-in's and what an action said).
pub fn server_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    cookie::Cookie::build((name, value))
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .secure(secure)
        .build()
        .to_string()
}
