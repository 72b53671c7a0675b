//! The public API, `/api/v1`: JSON for programs (scripts, bots, phone apps)
//! that act for a person with a personal access token (`Authorization:
//! Bearer …`, made on `/me`). Every operation calls the same domain
//! functions the pages' server functions call, under the same row
//! security, so a rule is never checked in one and not the other.
//!
//! Work in progress (issue 25): the caller, the error shape and the first
//! resource; the description is generated from the handlers by utoipa, so a
//! route cannot exist without its description.
//!
//! Files: `mod` (the router and the description) → resources (`me`) →
//! `caller` (who is asking, in a transaction) → `problem` (errors).
pub mod caller;
mod me;
pub mod problem;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::platform::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bookwork API",
        description = "Book clubs: members, meetings, the bookshelf and polls. Authenticate with a personal access token from your profile page: `Authorization: Bearer <token>`.",
        license(name = "MIT", identifier = "MIT")
    ),
    modifiers(&BearerScheme),
    security(("token" = []))
)]
struct Description;

/// The personal access token scheme, named "token" in the description.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal access token made on /me, with the scopes it needs (read; write).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The API's routes under `/api/v1` and their description.
pub fn routes() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(Description::openapi())
        .nest("/api/v1", me::routes())
        .split_for_parts()
}

/// The router: the routes, and the description itself at
/// `/api/v1/openapi.json`.
pub fn router() -> axum::Router<AppState> {
    let (routes, description) = routes();
    let json = std::sync::Arc::new(description.to_json().expect("the description is JSON"));
    routes.route(
        "/api/v1/openapi.json",
        axum::routing::get(move || {
            let json = json.clone();
            async move {
                (
                    [(http::header::CONTENT_TYPE, "application/json")],
                    (*json).clone(),
                )
            }
        }),
    )
}
