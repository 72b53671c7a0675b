use leptos::prelude::*;
use uuid::Uuid;

use super::model::UserPage;
#[cfg(feature = "ssr")]
use super::model::SITE_ROLES;
use crate::error::AppError;

#[cfg(feature = "ssr")]
async fn require_site_admin() -> Result<
    (
        crate::auth::session::CurrentUser,
        crate::platform::state::AppState,
    ),
    AppError,
> {
    let me = crate::auth::server::require_user().await?;
    if me.user.role != "admin" {
        return Err(AppError::Forbidden(
            "Only site administrators can manage users.".into(),
        ));
    }
    Ok((me, crate::platform::state::app_state()?))
}

#[server(endpoint = "admin/users")]
pub async fn list_users(search: String, page: i64) -> Result<UserPage, AppError> {
    let (_, state) = require_site_admin().await?;
    super::db::list_users(&state.pool, search.trim(), page.max(1)).await
}

#[server(endpoint = "admin/users/role")]
pub async fn set_user_role(user_id: Uuid, role: String) -> Result<(), AppError> {
    let (_, state) = require_site_admin().await?;
    if !SITE_ROLES.contains(&role.as_str()) {
        return Err(AppError::validation(
            "role",
            "Choose admin, moderator, member or guest.",
        ));
    }
    super::db::set_role(&state.pool, user_id, &role).await
}

#[server(endpoint = "admin/users/active")]
pub async fn set_user_active(user_id: Uuid, active: bool) -> Result<(), AppError> {
    let (_, state) = require_site_admin().await?;
    super::db::set_active(&state.pool, user_id, active).await
}
