//! Signing a program in with an e-mail address and password
//! (`/api/v1/sessions`): a short-lived access token to send as
//! `Authorization: Bearer`, and a refresh token to exchange for new ones,
//! once each. The same sign-in as the site's: the same check and limits on
//! failures (`auth::server::check_credentials`), the same rotation and reuse
//! detection (`auth::db::rotate`: a refresh token used twice ends the
//! sign-in), listed and ended from the person's profile page like any other.
use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::response::Response;
use chrono::Utc;
use http::request::Parts;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::problem::{ApiError, Problem};
use super::reply;
use super::request;
use crate::auth::client::resolve_client_ip;
use crate::auth::db::{self, Rotation};
use crate::auth::server::{check_credentials, client_key_of, start_sign_in};
use crate::error::AppError;
use crate::platform::state::AppState;
use crate::platform::tokens::{hash_refresh_token, new_refresh_token, ACCESS_TTL};

/// An e-mail address and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ann@example.org", "password": "a long walk to the library"}))]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

/// A refresh token to exchange.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "dIMIxxQFYMd9TYSYoAo7D5yeWnHtWS4MfQJnDy6Y-YM"}))]
pub struct Refresh {
    pub refresh_token: String,
}

/// The tokens of a program's sign-in.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI…", "token_type": "Bearer", "expires_in": 900, "refresh_token": "dIMIxxQFYMd9TYSYoAo7D5yeWnHtWS4MfQJnDy6Y-YM", "refresh_expires_in": 2592000}))]
pub struct Tokens {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always "Bearer".
    pub token_type: String,
    /// Seconds the access token works for.
    pub expires_in: i64,
    /// Exchange it (once) at /api/v1/sessions/refresh for new tokens.
    pub refresh_token: String,
    /// Seconds until the sign-in ends, however often it is refreshed.
    pub refresh_expires_in: i64,
}

fn tokens(
    state: &AppState,
    user: uuid::Uuid,
    session: uuid::Uuid,
    refresh: String,
    ends: chrono::DateTime<Utc>,
) -> Tokens {
    let now = Utc::now();
    Tokens {
        access_token: state.token_keys().issue_access(user, session, now),
        token_type: "Bearer".into(),
        expires_in: ACCESS_TTL.num_seconds(),
        refresh_token: refresh,
        refresh_expires_in: (ends - now).num_seconds().max(0),
    }
}

/// Signs in: 201 with the tokens.
#[utoipa::path(
    post, operation_id = "sign_in", path = "/sessions", tag = "sessions", request_body = SignIn,
    security(()),
    responses(
        (status = 201, description = "Signed in", body = Tokens),
        (status = 400, description = "A body it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No account with that address and password, or a deactivated one; or fields missing", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins for this account or from this address: Retry-After says when to try again", body = Problem, content_type = "application/problem+json",
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
async fn sign_in(
    State(state): State<AppState>,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let body: SignIn = request::body(&bytes)?;
    let client = client_key_of(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(
        |ConnectInfo(peer)| {
            resolve_client_ip(peer.ip(), &parts.headers, &state.config.trusted_proxies)
        },
    ));
    let user = check_credentials(&state, &body.email, &body.password, client).await?;
    let agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let started = start_sign_in(&state, user, agent).await?;
    crate::platform::metrics::sign_in("ok");
    let tokens = tokens(&state, user, started.session, started.refresh, started.ends);
    Ok(reply::stored(
        StatusCode::CREATED,
        None,
        &serde_json::to_value(tokens).unwrap_or_default(),
    ))
}

/// Exchanges a refresh token for new tokens. Each refresh token works
/// once: one presented again after its exchange ends the whole sign-in.
#[utoipa::path(
    post, operation_id = "refresh_session", path = "/sessions/refresh", tag = "sessions", request_body = Refresh,
    security(()),
    responses(
        (status = 200, description = "New tokens (the refresh token given is spent)", body = Tokens),
        (status = 400, description = "A body it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown, expired or revoked; or used before, which has ended the sign-in", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Exchanged a moment ago: use the tokens that exchange gave", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A token holding control characters or line breaks", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn refresh(
    State(state): State<AppState>,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let body: Refresh = request::body(&bytes)?;
    if body.refresh_token.is_empty() || body.refresh_token.len() > 200 {
        return Err(AppError::Unauthorized.into());
    }
    let next = new_refresh_token();
    let rotation = db::rotate(
        &state.pool,
        &hash_refresh_token(&body.refresh_token),
        &hash_refresh_token(&next),
    )
    .await?;
    match rotation {
        Rotation::Rotated {
            user,
            session,
            expires_at,
        } => {
            let tokens = tokens(&state, user, session, next, expires_at);
            Ok(reply::json(&parts, &tokens))
        }
        Rotation::JustRotated { .. } => Err(AppError::Conflict(
            "This refresh token was exchanged a moment ago: use the tokens that exchange gave."
                .into(),
        )
        .into()),
        Rotation::Refused | Rotation::ReuseDetected => Err(AppError::Unauthorized.into()),
    }
}

/// Signs the program out: its sign-in ends, with every token it was given.
#[utoipa::path(
    delete, operation_id = "sign_out", path = "/sessions/current", tag = "sessions",
    // Named here, not inherited: the access token of a program's sign-in,
    // not a personal access token, and outside the request budget (it ends
    // the holder's requests).
    security(("token" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not the access token of a live sign-in", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn sign_out(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let token = super::caller::bearer(&parts)?.ok_or(AppError::Unauthorized)?;
    let claims = state
        .token_keys()
        .verify_access(&token)
        .ok_or(AppError::Unauthorized)?;
    let user = crate::auth::check::session_user(&state.pool, claims.sub, claims.sid)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if user.id != claims.sub {
        return Err(AppError::Unauthorized.into());
    }
    db::revoke_session(&state.pool, claims.sid, "signed_out").await?;
    Ok(reply::no_content())
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in))
        .routes(routes!(refresh))
        .routes(routes!(sign_out))
}
