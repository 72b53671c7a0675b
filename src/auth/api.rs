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
    super::server::register(name, email, password, next).await?;
    crate::platform::flash::say("Welcome to Bookwork! Your account is ready.");
    Ok(())
}

#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    super::server::login(email, password, next).await
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    super::server::logout().await?;
    crate::platform::flash::say("You are signed out.");
    Ok(())
}
