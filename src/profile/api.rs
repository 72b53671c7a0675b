use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::model::validate_profile;
use super::model::{ApiTokenRow, Profile, ProfilePageData, SessionInfo};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::platform::db::in_transaction;

/// Everything `/me` shows, for its one loader: the person's details, where
/// they are signed in, their notification and calendar settings (all read in
/// the page's one transaction), and what each form's last post left behind.
#[server(endpoint = "me/page")]
pub async fn profile_page() -> Result<ProfilePageData, AppError> {
    use crate::events::calendar::api::{ResetCalendarFeed, SetTimeZone};
    use crate::forms::taken;
    use crate::notify::api::SaveNotificationPreferences;
    Ok(ProfilePageData {
        profile: my_profile().await?,
        notifications: crate::notify::api::notification_preferences().await?,
        calendar: crate::events::calendar::api::calendar_settings().await?,
        sessions: my_sessions().await?,
        api_tokens: my_api_tokens().await?,
        token_form: taken::<CreateApiToken>().await,
        details_form: taken::<UpdateProfile>().await,
        password_form: taken::<ChangePassword>().await,
        notifications_form: taken::<SaveNotificationPreferences>().await,
        zone_form: taken::<SetTimeZone>().await,
        feed_form: taken::<ResetCalendarFeed>().await,
        end_others_form: taken::<EndOtherSessions>().await,
    })
}

#[server(endpoint = "me/profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    let me = crate::auth::server::require_user().await?;
    let state = crate::platform::state::app_state()?;
    in_transaction(&state.pool, async |db| {
        super::db::profile(db, me.user.id).await
    })
    .await
}

#[server(endpoint = "me/update")]
pub async fn update_profile(name: String, phone: String, avatar: String) -> Result<(), AppError> {
    let me = crate::auth::server::require_user().await?;
    let state = crate::platform::state::app_state()?;
    let (name, phone, avatar) = validate_profile(&name, &phone, &avatar)?;
    in_transaction(&state.pool, async |db| {
        super::db::update_profile(db, me.user.id, &name, phone.as_deref(), avatar.as_deref()).await
    })
    .await
}

#[server(endpoint = "me/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    crate::auth::server::change_password(current_password, new_password).await
}

#[server(endpoint = "me/sessions")]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AppError> {
    let me = crate::auth::server::require_user().await?;
    let state = crate::platform::state::app_state()?;
    in_transaction(&state.pool, async |db| {
        super::db::sessions(db, me.user.id, me.session).await
    })
    .await
}

/// Ends one of my sessions (any but this one; signing out ends this one).
#[server(endpoint = "me/sessions/end")]
pub async fn end_session(id: Uuid) -> Result<(), AppError> {
    let me = crate::auth::server::require_user().await?;
    let state = crate::platform::state::app_state()?;
    if !super::db::end_session(&state.pool, me.user.id, id).await? {
        return Err(AppError::NotFound);
    }
    crate::platform::flash::say("That session is signed out.");
    Ok(())
}

/// "Sign out everywhere else".
#[server(endpoint = "me/sessions/end-others")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    let me = crate::auth::server::require_user().await?;
    let state = crate::platform::state::app_state()?;
    super::db::end_other_sessions(&state.pool, me.user.id, me.session).await
}

/// The person's personal access tokens for the API (never the tokens).
#[server(endpoint = "me/tokens")]
pub async fn my_api_tokens() -> Result<Vec<ApiTokenRow>, AppError> {
    crate::auth::server::require_user().await?;
    crate::auth::server::as_viewer(async |db, me| {
        super::tokens::list(db, me.ok_or(AppError::Unauthorized)?).await
    })
    .await
}

/// Makes a personal access token (`scopes`: read, write); returns it, to be
/// shown this once.
#[server(endpoint = "me/tokens/create")]
pub async fn create_api_token(
    token_name: String,
    scopes: Option<Vec<String>>,
    days: String,
) -> Result<String, AppError> {
    crate::auth::server::require_user().await?;
    let scopes = scopes.unwrap_or_default();
    crate::auth::server::as_viewer(async |db, me| {
        super::tokens::create(
            db,
            me.ok_or(AppError::Unauthorized)?,
            &token_name,
            &scopes,
            &days,
        )
        .await
    })
    .await
}

#[server(endpoint = "me/tokens/revoke")]
pub async fn revoke_api_token(id: Uuid) -> Result<(), AppError> {
    crate::auth::server::require_user().await?;
    let name = crate::auth::server::as_viewer(async |db, me| {
        super::tokens::revoke(db, me.ok_or(AppError::Unauthorized)?, id).await
    })
    .await?;
    crate::platform::flash::say(format!("The token \u{201c}{name}\u{201d} no longer works."));
    Ok(())
}

/// Deletes the signed-in person's account, once they have typed their
/// password and ticked that they understand (see `account` for what goes
/// and what stays). Signs this browser out and says so on the home page.
#[server(endpoint = "me/delete")]
pub async fn delete_account(password: String, understood: Option<String>) -> Result<(), AppError> {
    use crate::error::Checks;
    let me = crate::auth::server::require_user().await?;
    let state = crate::platform::state::app_state()?;
    let mut checks = Checks::new();
    if password.is_empty() {
        checks.add("password", "Enter your password.");
    } else {
        let stored = crate::auth::db::password_hash(&state.pool, me.user.id).await?;
        if !crate::auth::password::verify_password(password, Some(stored)).await {
            checks.add("password", "That is not your password.");
        }
    }
    if understood.is_none() {
        checks.add(
            "understood",
            "Tick the box to confirm you understand this cannot be undone.",
        );
    }
    checks.finish()?;
    crate::auth::server::as_viewer(async |db, viewer| {
        let viewer = viewer.ok_or(AppError::Unauthorized)?;
        super::account::delete(db, viewer.id).await
    })
    .await?;
    crate::auth::server::forget_this_browser();
    crate::platform::flash::say("Your account is deleted. Thank you for reading with us.");
    leptos_axum::redirect("/");
    Ok(())
}
