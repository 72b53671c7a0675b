use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

pub const USERS_PER_PAGE: i64 = 20;
pub const SITE_ROLES: [&str; 4] = ["admin", "moderator", "member", "guest"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserRow {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    pub is_active: bool,
    pub last_login: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<AdminUserRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

#[cfg(feature = "ssr")]
async fn require_site_admin() -> Result<
    (
        crate::auth::session::CurrentUser,
        crate::server::state::AppState,
    ),
    AppError,
> {
    let me = crate::auth::server::require_user().await?;
    if me.user.role != "admin" {
        return Err(AppError::Forbidden(
            "Only site administrators can manage users.".into(),
        ));
    }
    Ok((me, crate::server::state::app_state()?))
}

#[server(endpoint = "admin/users")]
pub async fn list_users(search: String, page: i64) -> Result<UserPage, AppError> {
    crate::server::respond(
        async {
            let (_, state) = require_site_admin().await?;
            super::db::list_users(&state.pool, search.trim(), page.max(1)).await
        }
        .await,
    )
}

#[server(endpoint = "admin/users/role")]
pub async fn set_user_role(user_id: Uuid, role: String) -> Result<(), AppError> {
    crate::server::respond(
        async {
            let (_, state) = require_site_admin().await?;
            if !SITE_ROLES.contains(&role.as_str()) {
                return Err(AppError::validation(
                    "role",
                    "Choose admin, moderator, member or guest.",
                ));
            }
            super::db::set_role(&state.pool, user_id, &role).await
        }
        .await,
    )
}

#[server(endpoint = "admin/users/active")]
pub async fn set_user_active(user_id: Uuid, active: bool) -> Result<(), AppError> {
    crate::server::respond(
        async {
            let (_, state) = require_site_admin().await?;
            super::db::set_active(&state.pool, user_id, active).await
        }
        .await,
    )
}
