use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::model::SITE_ROLES;
use super::model::{SystemReport, UserPage};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;

#[cfg(feature = "ssr")]
async fn require_site_admin(refusal: &str) -> Result<(), AppError> {
    let me = crate::auth::server::require_user().await?;
    if me.user.role != "admin" {
        return Err(AppError::Forbidden(refusal.into()));
    }
    Ok(())
}

#[cfg(feature = "ssr")]
const USERS_REFUSAL: &str = "Only site administrators can manage users.";

#[server(endpoint = "admin/users")]
pub async fn list_users(search: String, page: i64) -> Result<UserPage, AppError> {
    require_site_admin(USERS_REFUSAL).await?;
    as_viewer(async |db, me| {
        super::db::list_users(db, me.map(|m| m.id), search.trim(), page.max(1)).await
    })
    .await
}

#[server(endpoint = "admin/users/role")]
pub async fn set_user_role(user_id: Uuid, role: String) -> Result<(), AppError> {
    require_site_admin(USERS_REFUSAL).await?;
    if !SITE_ROLES.contains(&role.as_str()) {
        return Err(AppError::validation(
            "role",
            "Choose admin, moderator, member or guest.",
        ));
    }
    as_viewer(async |db, _| super::db::set_role(db, user_id, &role).await).await?;
    crate::platform::flash::say(format!("Their site role is now {role}."));
    Ok(())
}

#[server(endpoint = "admin/users/active")]
pub async fn set_user_active(user_id: Uuid, active: bool) -> Result<(), AppError> {
    require_site_admin(USERS_REFUSAL).await?;
    as_viewer(async |db, _| super::db::set_active(db, user_id, active).await).await?;
    crate::platform::flash::say(if active {
        "The account is active again: they can sign in."
    } else {
        "The account is deactivated: every sign-in of theirs has ended."
    });
    Ok(())
}

/// How this instance and the database are doing, for `/admin/system`.
#[server(endpoint = "admin/system")]
pub async fn system_status() -> Result<SystemReport, AppError> {
    require_site_admin("Only site administrators can see how the system is doing.").await?;
    let state = crate::platform::state::app_state()?;
    Ok(super::system::db::status(&state).await)
}
