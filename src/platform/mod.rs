//! Server-only plumbing that every feature stands on: configuration, the
//! application state and its database pool, web-session flash values, the
//! browser-facing protections, the tokens Bookwork issues (signed access
//! tokens, random secrets stored as hashes) and the database's time-zone list.
//!
//! It sits below the features and imports none of them (see
//! `docs/ARCHITECTURE.md`, "Layers"); the part that assembles the application
//! (router, start-up, shutdown) is `crate::server`, above them.
pub mod config;
pub mod db;
pub mod flash;
pub mod security;
pub mod state;
pub mod tokens;
pub mod zones;

/// Gives a server function's error its HTTP status (404, 422, 429, ...)
/// instead of a blanket 500, then passes the result through. A plain HTML
/// form post (no JavaScript) is left alone: it is answered with a redirect
/// back to the form, carrying the error, which a status would break.
pub fn respond<T>(result: Result<T, crate::error::AppError>) -> Result<T, crate::error::AppError> {
    if flash::is_html_form_post() {
        return result;
    }
    if let Err(err) = &result {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = axum::http::StatusCode::from_u16(err.status_code()) {
                response.set_status(status);
            }
        }
    }
    result
}
