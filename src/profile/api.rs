use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub avatar: Option<String>,
}

/// One signed-in browser, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: Uuid,
    pub started: String,
    pub last_used: String,
    pub browser: String,
    pub current: bool,
}

#[server(endpoint = "me/profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::require_user().await?;
            let state = crate::server::state::app_state()?;
            super::db::profile(&state.pool, me.user.id).await
        }
        .await,
    )
}

#[server(endpoint = "me/update")]
pub async fn update_profile(name: String, phone: String, avatar: String) -> Result<(), AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::require_user().await?;
            let state = crate::server::state::app_state()?;
            let (name, phone, avatar) = validate_profile(&name, &phone, &avatar)?;
            super::db::update_profile(
                &state.pool,
                me.user.id,
                &name,
                phone.as_deref(),
                avatar.as_deref(),
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "me/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    crate::server::respond(
        crate::auth::server::change_password(current_password, new_password).await,
    )
}

#[server(endpoint = "me/sessions")]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::require_user().await?;
            let state = crate::server::state::app_state()?;
            super::db::sessions(&state.pool, me.user.id, me.session).await
        }
        .await,
    )
}

/// Ends one of my sessions (any but this one; signing out ends this one).
#[server(endpoint = "me/sessions/end")]
pub async fn end_session(id: Uuid) -> Result<(), AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::require_user().await?;
            let state = crate::server::state::app_state()?;
            if !super::db::end_session(&state.pool, me.user.id, id).await? {
                return Err(AppError::NotFound);
            }
            Ok(())
        }
        .await,
    )
}

/// "Sign out everywhere else".
#[server(endpoint = "me/sessions/end-others")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::require_user().await?;
            let state = crate::server::state::app_state()?;
            super::db::end_other_sessions(&state.pool, me.user.id, me.session).await
        }
        .await,
    )
}

/// Trims and checks profile fields; empty optional fields become `None`.
pub fn validate_profile(
    name: &str,
    phone: &str,
    avatar: &str,
) -> Result<(String, Option<String>, Option<String>), AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", "Enter your name."));
    }
    if name.chars().count() > 100 {
        return Err(AppError::validation("name", "Use at most 100 characters."));
    }
    let phone = phone.trim();
    let phone = if phone.is_empty() {
        None
    } else if phone.len() > 20
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        || phone.chars().filter(char::is_ascii_digit).count() < 5
    {
        return Err(AppError::validation(
            "phone",
            "Enter a phone number of up to 20 characters: digits, spaces, + - ( ).",
        ));
    } else {
        Some(phone.to_owned())
    };
    let avatar = avatar.trim();
    let avatar = if avatar.is_empty() {
        None
    } else if avatar.len() > 500
        || !(avatar.starts_with("https://") || avatar.starts_with("http://"))
        || avatar.contains(char::is_whitespace)
    {
        return Err(AppError::validation(
            "avatar",
            "Enter a web address starting with https:// (at most 500 characters).",
        ));
    } else {
        Some(avatar.to_owned())
    };
    Ok((name.to_owned(), phone, avatar))
}

#[cfg(test)]
mod tests {
    use super::validate_profile;

    #[test]
    fn profile_fields_are_checked() {
        assert!(validate_profile("Ada", "", "").is_ok());
        assert!(validate_profile(" ", "", "")
            .unwrap_err()
            .field_message("name")
            .is_some());
        assert!(validate_profile("Ada", "+44 (0)20 7946 0958", "").is_ok());
        assert!(validate_profile("Ada", "call me", "")
            .unwrap_err()
            .field_message("phone")
            .is_some());
        assert!(validate_profile("Ada", "", "javascript:alert(1)")
            .unwrap_err()
            .field_message("avatar")
            .is_some());
        assert!(validate_profile("Ada", "", "https://example.com/me.png").is_ok());
    }
}
