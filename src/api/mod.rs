//! The public API, `/api/v1`: JSON for programs (scripts, bots, phone apps)
//! that act for a person with a personal access token (`Authorization:
//! Bearer …`, made on `/me`). Every operation calls the same domain
//! functions the pages' server functions call, under the same row
//! security, so a rule is never checked in one and not the other.
//!
//! The description is generated from the handlers by utoipa, so a route
//! cannot exist without its description; `/api/docs` is a page made from it.
//!
//! Files: `mod` (the router and the description), `docs` (the reference
//! page) → resources (`sessions`, `me`, `clubs`, `members`,
//! `invitations`, `join_requests`, `events`,
//! `items`, `books`, `date_polls`, `polls`, `notifications`) →
//! `idempotency`, `paging`, `reply`, `request` (how requests are read and
//! answered) → `caller` (who is asking, in a transaction) → `problem`
//! (errors).
mod books;
pub mod caller;
mod clubs;
mod date_polls;
mod docs;
mod events;
mod idempotency;
mod invitations;
mod items;
mod join_requests;
mod me;
mod members;
mod notifications;
mod paging;
mod polls;
pub mod problem;
mod reply;
mod request;
mod sessions;

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
    modifiers(&BearerScheme, &Links),
    security(("token" = [])),
    tags(
        (name = "sessions", description = "Signing a program in with an e-mail address and password (personal access tokens need none of this)"),
        (name = "me", description = "The person the token stands for: details, time zone, notification settings, sign-ins, notifications and open tasks"),
        (name = "clubs", description = "Finding, starting, changing, joining and leaving clubs"),
        (name = "events", description = "A club's meetings, and answering them"),
        (name = "books", description = "A club's bookshelf"),
        (name = "polls", description = "Choosing the next book together (ranked ballots, counted by instant runoff) and the next meeting's date"),
    )
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

/// How one operation's answer leads to the next (OpenAPI links): a client,
/// or a conformance run, can follow a new club to reading, changing,
/// joining, leaving and deleting it, and a new meeting to answering it.
struct Links;

impl utoipa::Modify for Links {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::link::LinkBuilder;
        use utoipa::openapi::RefOr;
        let follow = [
            (
                "/api/v1/clubs",
                "post",
                "201",
                &[
                    "get_club",
                    "update_club",
                    "delete_club",
                    "join_club",
                    "leave_club",
                    "list_club_events",
                    "create_event",
                    "list_club_members",
                    "list_club_books",
                    "suggest_book",
                    "list_club_polls",
                    "create_poll",
                    "create_date_poll",
                    "list_club_invitations",
                    "create_invitation",
                    "list_join_requests",
                    "get_my_join_request",
                    "ask_to_join",
                    "withdraw_join_request",
                ][..],
            ),
            (
                "/api/v1/clubs/{id}/invitations",
                "post",
                "201",
                &["get_invitation", "revoke_invitation"][..],
            ),
            (
                "/api/v1/clubs/{id}/events",
                "post",
                "201",
                &[
                    "get_event",
                    "update_event",
                    "delete_event",
                    "cancel_event",
                    "restore_event",
                    "get_my_rsvp",
                    "put_my_rsvp",
                    "list_event_items",
                    "create_item",
                ][..],
            ),
            (
                "/api/v1/events/{id}/items",
                "post",
                "201",
                &[
                    "get_item",
                    "update_item",
                    "delete_item",
                    "volunteer_for_item",
                ][..],
            ),
            (
                "/api/v1/clubs/{id}/books",
                "post",
                "201",
                &["get_book", "update_book", "move_book", "delete_book"][..],
            ),
            (
                "/api/v1/clubs/{id}/polls",
                "post",
                "201",
                &[
                    "get_poll",
                    "put_my_ballot",
                    "nominate_book",
                    "open_voting",
                    "close_poll",
                    "delete_poll",
                ][..],
            ),
            (
                "/api/v1/clubs/{id}/date-polls",
                "post",
                "201",
                &[
                    "get_poll",
                    "put_my_date_answers",
                    "plan_meeting",
                    "close_poll",
                    "delete_poll",
                ][..],
            ),
        ];
        for (path, method, status, targets) in follow {
            let Some(item) = openapi.paths.paths.get_mut(path) else {
                continue;
            };
            let operation = match method {
                "post" => item.post.as_mut(),
                _ => None,
            };
            let Some(RefOr::T(response)) =
                operation.and_then(|o| o.responses.responses.get_mut(status))
            else {
                continue;
            };
            // The new thing's id is the next operation's `id`, except for
            // an invitation, which is named under its club's `id`.
            let nested = path == "/api/v1/clubs/{id}/invitations";
            for target in targets {
                let link = if nested {
                    LinkBuilder::new()
                        .operation_id(*target)
                        .parameter("id", "$request.path.id")
                        .parameter("invitation", "$response.body#/id")
                } else {
                    LinkBuilder::new()
                        .operation_id(*target)
                        .parameter("id", "$response.body#/id")
                };
                response
                    .links
                    .insert((*target).to_owned(), RefOr::T(link.build()));
            }
        }
    }
}

/// The API's routes under `/api/v1` and their description.
pub fn routes() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(me::routes())
        .merge(clubs::routes())
        .merge(members::routes())
        .merge(invitations::routes())
        .merge(join_requests::routes())
        .merge(events::routes())
        .merge(items::routes())
        .merge(books::routes())
        .merge(polls::routes())
        .merge(date_polls::routes())
        .merge(notifications::routes())
        .merge(sessions::routes());
    let (routes, mut description) = OpenApiRouter::with_openapi(Description::openapi())
        .nest("/api/v1", v1)
        .split_for_parts();
    // Modifiers ran before the routes were added; these need the paths.
    utoipa::Modify::modify(&Links, &mut description);
    utoipa::Modify::modify(&AnswersEverywhere, &mut description);
    utoipa::Modify::modify(&PageExamples, &mut description);
    (routes, description)
}

/// A page of a list is shown by example too: its item's example in
/// `items`, and a cursor to the next page.
struct PageExamples;

impl utoipa::Modify for PageExamples {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, Schema};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let examples: std::collections::BTreeMap<String, serde_json::Value> = components
            .schemas
            .iter()
            .filter_map(|(name, schema)| match schema {
                RefOr::T(Schema::Object(object)) => {
                    object.example.clone().map(|e| (name.clone(), e))
                }
                _ => None,
            })
            .collect();
        for (name, schema) in components.schemas.iter_mut() {
            let Some(item) = name.strip_prefix("Page_").and_then(|i| examples.get(i)) else {
                continue;
            };
            if let RefOr::T(Schema::Object(page)) = schema {
                page.example.get_or_insert_with(
                    || serde_json::json!({"items": [item], "next_cursor": "20"}),
                );
            }
        }
    }
}

/// The answers any operation may give, written once rather than on each:
/// 503 while the database is away, and, for those a token calls, 429 past
/// the holder's request budget (`caller::as_token_holder`). Both carry
/// `Retry-After`.
struct AnswersEverywhere;

impl utoipa::Modify for AnswersEverywhere {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::header::HeaderBuilder;
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder, Type};
        let answer = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .header(
                    "Retry-After",
                    HeaderBuilder::new()
                        .schema(Some(
                            utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer),
                        ))
                        .description(Some("Seconds to wait"))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let responses = &mut operation.responses.responses;
                // An operation with security of its own needs no token.
                if operation.security.is_none() && !responses.contains_key("429") {
                    responses.insert(
                        "429".to_owned(),
                        answer("Past the token's request budget for this minute").into(),
                    );
                }
                responses
                    .entry("503".to_owned())
                    .or_insert_with(|| answer("The database is away for a moment").into());
            }
        }
    }
}

/// An address under `/api/v1` that names no operation: a problem document,
/// not the site's HTML "not found" page.
async fn no_such_operation() -> problem::ApiError {
    problem::ApiError::App(crate::error::AppError::NotFound)
}

/// The router: the routes, the description itself at
/// `/api/v1/openapi.json`, and the reference page made from it at
/// `/api/docs`.
pub fn router(options: &leptos::config::LeptosOptions) -> axum::Router<AppState> {
    let (routes, description) = routes();
    let page = std::sync::Arc::new(docs::page(
        &description,
        &crate::app::stylesheet_href(options),
    ));
    let json = std::sync::Arc::new(description.to_json().expect("the description is JSON"));
    routes
        .route(
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
        .route(
            "/api/docs",
            axum::routing::get(move || {
                let page = page.clone();
                async move { axum::response::Html((*page).clone()) }
            }),
        )
        .route("/api/v1", axum::routing::any(no_such_operation))
        .route("/api/v1/{*rest}", axum::routing::any(no_such_operation))
        .layer(axum::middleware::from_fn(problems_only))
}

/// Every refusal the API gives is a problem document: those the framework
/// makes before a handler runs (405 with its `Allow`, 413 for a body too
/// large, 415) are rewritten with their status and headers kept.
async fn problems_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/problem+json"));
    if status.as_u16() < 400 || is_problem {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let problem = problem::Problem::for_status(status);
    parts.headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/problem+json"),
    );
    parts.headers.remove(http::header::CONTENT_LENGTH);
    (parts, serde_json::to_string(&problem).unwrap_or_default()).into_response()
}
