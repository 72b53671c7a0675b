//! Form values carried across a plain form post's round trip. A post that
//! fails is answered with a redirect back to the form; the values the
//! person typed (never passwords) ride along in their server-side session
//! (tower-sessions, PostgreSQL store) and refill the form once. A post that
//! succeeds and goes back to its form leaves what the function answered
//! (under [`DONE`]), so the form's page can say what was done.
//!
//! Values are kept per server function (its path, `/api/clubs/create`), by
//! the form boundary every server-function call crosses
//! (`crate::server::form_boundary`), so every form gets this without code of
//! its own; the form's page reads them back with `forms::remembered_form`.
use std::collections::HashMap;

use tower_sessions::Session;

const KEY_PREFIX: &str = "form:";

/// The key, beside the fields, under which a successful post leaves the
/// function's answer (as its JSON). No form has a field of that name.
pub const DONE: &str = "__done";

/// Fields never kept: nothing secret is stored, even briefly.
pub fn is_secret_field(name: &str) -> bool {
    name.contains("password")
}

/// Does the client want HTML back (a browser navigating, not a script)?
pub fn accepts_html(headers: &::http::HeaderMap) -> bool {
    headers
        .get(::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// Remembers what was typed into the form of the server function at `path`.
pub async fn keep(session: &Session, path: &str, values: &[(String, String)]) {
    let map: HashMap<&str, &str> = values
        .iter()
        .filter(|(name, _)| !is_secret_field(name))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    if let Err(err) = session.insert(&format!("{KEY_PREFIX}{path}"), map).await {
        tracing::warn!(error = %err, "could not keep form values");
    }
}

/// Remembers that the form of the server function at `path` was sent and
/// what the function answered (`output`, its JSON).
pub async fn keep_done(session: &Session, path: &str, output: &str) {
    let map = HashMap::from([(DONE, output)]);
    if let Err(err) = session.insert(&format!("{KEY_PREFIX}{path}"), map).await {
        tracing::warn!(error = %err, "could not keep a form's outcome");
    }
}

/// Takes (and forgets) the values remembered for the form of the server
/// function at `path`.
pub async fn take(path: &str) -> HashMap<String, String> {
    let Ok(session) = leptos_axum::extract::<Session>().await else {
        return HashMap::new();
    };
    session
        .remove::<HashMap<String, String>>(&format!("{KEY_PREFIX}{path}"))
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}
