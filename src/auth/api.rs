//! Sign-up, sign-in, sign-out and "who am I", as server functions.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

/// The signed-in user as pages see it. Deliberately has no password hash:
/// everything here may be serialized into the HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
}

#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(super::server::auth().await?.0.map(|c| c.user))
}

#[server(endpoint = "auth/register")]
pub async fn register(
    name: String,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    crate::server::respond(super::server::register(name, email, password, next).await)
}

#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    crate::server::respond(super::server::login(email, password, next).await)
}

/// What this browser typed into the sign-up or sign-in form before a failed
/// no-JavaScript submission (never the password). Read once.
#[server(endpoint = "auth/remembered")]
pub async fn remembered_form(
    form: String,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    if form != "register" && form != "login" {
        return Err(AppError::NotFound);
    }
    Ok(crate::server::flash::take(&form).await)
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::server::respond(super::server::logout().await)
}

/// Where to go after signing in: only a path on this site, never another
/// site (`//evil.example`, `https://…`, `/\evil`), else the home page.
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control() || c == '\\') =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_only_ever_points_at_this_site() {
        assert_eq!(
            safe_next(Some("/clubs/42?tab=events")),
            "/clubs/42?tab=events"
        );
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "evil",
            "/\t/evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
