//! `POST /unsubscribe?token=…`: the one-click unsubscribe mail programs send
//! for the `List-Unsubscribe-Post` header (RFC 8058), with no cookies and no
//! page in between. The signed token is the whole proof.
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::api::as_link_owner;
use super::unsubscribe::UnsubscribeKey;
use crate::platform::state::AppState;

#[derive(Deserialize)]
pub struct Link {
    token: Option<String>,
}

pub async fn one_click(State(state): State<AppState>, Query(link): Query<Link>) -> Response {
    let key = UnsubscribeKey::from_secret(state.config.jwt_secret.expose());
    let Some((user, kind)) = link.token.as_deref().and_then(|t| key.verify(t)) else {
        return (
            StatusCode::BAD_REQUEST,
            "This unsubscribe link is not valid.",
        )
            .into_response();
    };
    let done = as_link_owner(&state.pool, user, async |db| {
        super::db::unsubscribe(db, user, kind).await
    })
    .await;
    match done {
        Ok(()) => (StatusCode::OK, "Unsubscribed.").into_response(),
        Err(err) => (
            StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            err.to_string(),
        )
            .into_response(),
    }
}
