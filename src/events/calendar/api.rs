//! A person's calendar settings as server functions: the zone they read
//! times in, and their private feed link.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;
use crate::error::AppError;

/// The viewer's calendar settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarPrefs {
    pub time_zone: String,
    pub has_feed: bool,
}

#[server(endpoint = "calendar/settings")]
pub async fn calendar_settings() -> Result<CalendarPrefs, AppError> {
    crate::auth::server::require_user().await?;
    as_viewer(async |db, me| {
        let me = me.ok_or(AppError::Unauthorized)?;
        Ok(CalendarPrefs {
            time_zone: crate::events::standing::viewer_zone(db, Some(me))
                .await?
                .unwrap_or_default(),
            has_feed: super::db::has_feed(db, me.id).await?,
        })
    })
    .await
}

/// Sets the zone I read times in; empty shows each event in its own zone.
#[server(endpoint = "calendar/time-zone")]
pub async fn set_time_zone(time_zone: String) -> Result<(), AppError> {
    crate::auth::server::require_user().await?;
    as_viewer(async |db, me| {
        let me = me.ok_or(AppError::Unauthorized)?;
        let zone = crate::platform::zones::checked_zone(db, Some(&time_zone), "time_zone").await?;
        super::db::set_time_zone(db, me.id, zone).await
    })
    .await
}

/// Makes a new private feed link (the old one stops working) and returns it.
/// It is shown once; only a hash is stored.
#[server(endpoint = "calendar/reset")]
pub async fn reset_calendar_feed() -> Result<String, AppError> {
    let me = crate::auth::server::require_user().await?;
    let state = crate::platform::state::app_state()?;
    let token = crate::platform::db::in_transaction(&state.pool, async |db| {
        super::db::reset_feed(db, me.user.id).await
    })
    .await?;
    Ok(format!(
        "{}/calendar/{token}/bookwork.ics",
        state.config.public_url
    ))
}

#[server(endpoint = "calendar/revoke")]
pub async fn revoke_calendar_feed() -> Result<(), AppError> {
    let me = crate::auth::server::require_user().await?;
    let state = crate::platform::state::app_state()?;
    crate::platform::db::in_transaction(&state.pool, async |db| {
        super::db::revoke_feed(db, me.user.id).await
    })
    .await?;
    crate::platform::flash::say(
        "Your calendar feed link is turned off. Calendars using it stop updating.",
    );
    Ok(())
}
