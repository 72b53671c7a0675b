//! The HTTP application: Leptos pages and server functions, static files,
//! health checks, and the middleware every request passes through.
use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_http::CompressionLevel;

use crate::app::{shell, App};
use crate::platform::state::AppState;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The page routes, worked out once per process.
///
/// While Leptos walks the app to list its routes it sets a process-wide flag
/// that makes every resource *first polled meanwhile* wait for ever
/// (leptos-rs/leptos#4773). Listing them again while pages render (a second
/// router in the same process, as every HTTP test builds one) left those
/// renders hanging until the request timeout. The first router is built
/// before anything renders, so listing once makes the race impossible.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The path templates of every page (`/clubs/{id}`), as the router serves them.
pub fn page_paths() -> Vec<String> {
    page_routes()
        .iter()
        .map(|route| route.path().to_owned())
        .collect()
}

/// Builds the complete router for `state`.
pub fn router(state: AppState) -> Router {
    let routes = page_routes();
    let options = state.leptos_options.clone();

    // Hashed bundles (`/pkg/bookwork.<hash>.wasm`) never change under the same
    // name, so browsers may keep them for a year. Unhashed builds must be
    // revalidated on every load.
    let pkg_cache = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let pkg_dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(pkg_cache),
        ))
        // The copies `server::assets` compressed once, when the browser takes them.
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );

    let context_state = state.clone();
    // Kept for the whole router (this instance), handed to every request.
    let community_numbers: crate::home::api::CommunityNumbers = std::sync::Arc::new(
        crate::platform::recent::Recent::new(crate::home::api::COMMUNITY_NUMBERS_KEPT_FOR),
    );
    let provide_state = move || {
        provide_context(context_state.clone());
        provide_context(community_numbers.clone());
        // The nonce the security headers put in this response's policy
        // (Leptos has just provided one of its own; this one replaces it).
        let nonce = use_context::<http::request::Parts>().and_then(|parts| {
            parts
                .extensions
                .get::<crate::platform::security::ScriptNonce>()
                .cloned()
        });
        if let Some(crate::platform::security::ScriptNonce(nonce)) = nonce {
            provide_context(leptos::nonce::Nonce::from_value(nonce));
        }
    };

    Router::new()
        .merge(crate::api::router(&options))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(
            "/events/{id}/calendar.ics",
            get(crate::events::calendar::downloads::event_ics).layer(axum::middleware::from_fn(
                crate::auth::session::without_page_transaction,
            )),
        )
        .route(
            "/clubs/{id}/record.zip",
            get(crate::record::downloads::club_record_zip).layer(axum::middleware::from_fn(
                crate::auth::session::without_page_transaction,
            )),
        )
        .route(
            "/me/writing.json",
            get(crate::record::downloads::my_writing_json).layer(axum::middleware::from_fn(
                crate::auth::session::without_page_transaction,
            )),
        )
        .route(
            "/me/data.json",
            get(crate::record::downloads::my_data_json).layer(axum::middleware::from_fn(
                crate::auth::session::without_page_transaction,
            )),
        )
        .route(
            "/unsubscribe",
            axum::routing::post(crate::notify::one_click::one_click),
        )
        .route(
            "/calendar/{token}/bookwork.ics",
            get(crate::events::calendar::downloads::feed_ics).layer(axum::middleware::from_fn(
                crate::auth::session::without_page_transaction,
            )),
        )
        .nest_service(&format!("/{}", options.site_pkg_dir), pkg)
        .leptos_routes_with_context(&state, routes, provide_state.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        // Inside the router, after matching: which route this is, for the
        // deadline's log line.
        .route_layer(axum::middleware::from_fn(super::deadline::note_route))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_state, shell))
        // Innermost first: who is asking (may refresh the sign-in, so it runs
        // before any page renders); the form boundary of server functions
        // (reads their forms once, gives their errors a status, keeps typed
        // values in the web session, so it sits inside that); web sessions;
        // the cross-site check.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::session::middleware,
        ))
        .layer(axum::middleware::from_fn(
            super::form_boundary::form_boundary,
        ))
        .layer(web_sessions(&state))
        .layer(axum::middleware::from_fn(
            crate::platform::security::same_origin_only,
        ))
        .with_state(state.clone())
        // Outermost first: request id, a tracing span carrying it, security
        // headers (on every response, the deadline's own included), the
        // deadline, then compression of whatever the inner layers produce.
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                        let request_id = request
                            .headers()
                            .get(&REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!(
                            "request",
                            id = %request_id,
                            method = %request.method(),
                            path = %request.uri().path()
                        )
                    }),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
                .layer(axum::middleware::from_fn(super::metrics::track))
                .layer(axum::middleware::from_fn({
                    let hsts = state.config.environment.is_production();
                    move |request, next| crate::platform::security::headers(hsts, request, next)
                }))
                .layer(axum::middleware::from_fn({
                    let limit = state.config.request_timeout;
                    move |request, next| super::deadline::deadline(limit, request, next)
                }))
                // At the fastest level: pages are small and made per
                // request; the bundles are served precompressed.
                .layer(CompressionLayer::new().quality(CompressionLevel::Fastest)),
        )
}

/// Server-side sessions for non-auth state (flash form values), stored in
/// PostgreSQL so every instance sees the same. The cookie is only set once
/// something is stored.
fn web_sessions(
    state: &AppState,
) -> tower_sessions::SessionManagerLayer<super::session_store::PgSessionStore> {
    use tower_sessions::cookie::SameSite;
    use tower_sessions::{Expiry, SessionManagerLayer};
    let store = super::session_store::PgSessionStore::new(state.pool.clone());
    SessionManagerLayer::new(store)
        // Host-only over https, like the sign-in cookies.
        .with_name(if state.config.secure_cookies {
            "__Host-bw_session"
        } else {
            "bw_session"
        })
        .with_secure(state.config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::hours(2),
        ))
}

/// The process is up and serving HTTP.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can do useful work: the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    // The simple query protocol: one message, so it is safe outside a
    // transaction behind a transaction-mode pooler (see `platform::db::in_transaction`).
    let check = sqlx::raw_sql("SELECT 1").execute(&state.pool);
    match tokio::time::timeout(Duration::from_secs(3), check).await {
        Ok(Ok(_)) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => {
            tracing::warn!("readiness check: database timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
