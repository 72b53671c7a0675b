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

/// The cookie that carries what the last action did to the page it leads
/// to. `__Host-` where cookies are secure, so no other site (not even a
/// sibling subdomain) can plant one.
fn said_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-bw_said"
    } else {
        "bw_said"
    }
}

/// The longest message kept: a sentence, never a page of text.
const MAX_SAID_CHARS: usize = 300;

/// Says what a server function did ("Ann Lee is no longer a member."), on
/// the next page the person sees: the form's own page after a plain post,
/// the page a script's post leads to (it follows the same redirect), or the
/// page a new thing is shown on. Call it once the work has succeeded.
///
/// It travels as a short-lived cookie rather than in the web session: the
/// page that shows it need not load a session for every visitor.
pub fn say(message: impl Into<String>) {
    let message: String = message.into().chars().take(MAX_SAID_CHARS).collect();
    // Quietly nothing outside a request (the route list is made by
    // rendering the app once, with no state).
    let (Some(response), Some(state)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        leptos::prelude::use_context::<crate::platform::state::AppState>(),
    ) else {
        return;
    };
    let secure = state.config.secure_cookies;
    let encoded =
        percent_encoding::utf8_percent_encode(&message, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let cookie = said_cookie(secure, &encoded, 60);
    if let Ok(value) = ::http::HeaderValue::from_str(&cookie) {
        response.append_header(::http::header::SET_COOKIE, value);
    }
}

fn said_cookie(secure: bool, value: &str, max_age_secs: i64) -> String {
    crate::platform::security::server_cookie(said_cookie_name(secure), value, max_age_secs, secure)
}

/// What the last action said, for the page being rendered: read from the
/// request's cookie and forgotten (the response expires the cookie), so a
/// reload does not say it again.
pub fn take_said() -> Option<String> {
    let state = leptos::prelude::use_context::<crate::platform::state::AppState>()?;
    let secure = state.config.secure_cookies;
    let name = said_cookie_name(secure);
    let raw = leptos::prelude::with_context::<::http::request::Parts, _>(|parts| {
        parts
            .headers
            .get_all(::http::header::COOKIE)
            .iter()
            .filter_map(|h| h.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|c| c.name() == name)
            .map(|c| c.value_trimmed().to_owned())
    })
    .flatten()?;
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = ::http::HeaderValue::from_str(&said_cookie(secure, "", 0)) {
            response.append_header(::http::header::SET_COOKIE, value);
        }
    }
    let message: String = percent_encoding::percent_decode_str(&raw)
        .decode_utf8()
        .ok()?
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_SAID_CHARS)
        .collect();
    (!message.trim().is_empty()).then_some(message)
}
