//! Form values carried across a no-JavaScript round trip. A plain form post
//! that fails is answered with a redirect back to the form; the values the
//! person typed (never passwords) ride along in their server-side session
//! (tower-sessions, PostgreSQL store) and refill the form once.
use std::collections::HashMap;

use tower_sessions::Session;

const KEY_PREFIX: &str = "form:";

/// Was this request a plain HTML form post (no JavaScript)?
pub fn is_html_form_post() -> bool {
    leptos::prelude::use_context::<::http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// Remembers `values` for `form` when the request came from a plain form post.
pub async fn keep(form: &str, values: &[(&str, &str)]) {
    if !is_html_form_post() {
        return;
    }
    let Ok(session) = leptos_axum::extract::<Session>().await else {
        return;
    };
    let map: HashMap<&str, &str> = values.iter().copied().collect();
    if let Err(err) = session.insert(&format!("{KEY_PREFIX}{form}"), map).await {
        tracing::warn!(error = %err, "could not keep form values");
    }
}

/// Takes (and forgets) the values remembered for `form`.
pub async fn take(form: &str) -> HashMap<String, String> {
    let Ok(session) = leptos_axum::extract::<Session>().await else {
        return HashMap::new();
    };
    session
        .remove::<HashMap<String, String>>(&format!("{KEY_PREFIX}{form}"))
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}
