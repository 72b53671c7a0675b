//! Sign-up, sign-in, sign-out and "who am I", as server functions.
use leptos::prelude::*;

use super::model::SessionUser;
use crate::error::AppError;

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
    crate::platform::respond(super::server::register(name, email, password, next).await)
}

#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    crate::platform::respond(super::server::login(email, password, next).await)
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
    Ok(crate::platform::flash::take(&form).await)
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::platform::respond(super::server::logout().await)
}
