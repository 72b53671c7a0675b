//! Server-only plumbing: configuration, the database (embedded or external),
//! application state, the HTTP router and its middleware, telemetry.
pub mod config;
pub mod db;
pub mod demo;
pub mod embedded_pg;
pub mod flash;
pub mod http;
pub mod leptos_config;
pub mod maintenance;
pub mod run;
pub mod security;
pub mod shutdown;
pub mod state;
pub mod telemetry;

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
