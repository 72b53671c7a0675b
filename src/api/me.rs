//! `/api/v1/me`: the person the token stands for.
use axum::extract::State;
use axum::Json;
use http::request::Parts;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Scope};
use super::problem::{ApiError, Problem};
use crate::platform::state::AppState;

/// The signed-in person.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    /// Their site role: member, guest, moderator or admin.
    pub role: String,
}

/// Who the token stands for.
#[utoipa::path(
    get, operation_id = "get_me",
    path = "/me",
    tag = "me",
    responses(
        (status = 200, description = "The token's person", body = Me,
         example = json!({"id": "0b3f6c8e-2d4a-4f7e-9a51-6c2d8e4b1a07", "name": "Ann Lee", "email": "ann@example.org", "role": "member"})),
        (status = 401, description = "No token, or one that is revoked, expired or of a deactivated account", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the read scope", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_me(State(state): State<AppState>, parts: Parts) -> Result<Json<Me>, ApiError> {
    let me = as_token_holder(&state, &parts, Scope::Read, async |_, caller| {
        Ok(caller.me.clone())
    })
    .await?;
    Ok(Json(Me {
        id: me.id,
        name: me.name,
        email: me.email,
        role: me.role,
    }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_me))
}
