//! Notifications as server functions. Each one works out who is asking in
//! its own body; only the unsubscribe pair works without signing in, and
//! only with a signed link.
use leptos::prelude::*;

use super::model::{NotificationList, Preference, UnsubscribeTarget};
#[cfg(feature = "ssr")]
use crate::auth::server::{as_viewer, require_user};
use crate::error::AppError;

#[cfg(feature = "ssr")]
async fn as_reader<T>(
    work: impl AsyncFnOnce(&mut sqlx::PgConnection, uuid::Uuid) -> crate::error::AppResult<T>,
) -> Result<T, AppError> {
    let me = require_user().await?.user.id;
    as_viewer(async |db, _| work(db, me).await).await
}

#[server(endpoint = "notifications/list")]
pub async fn my_notifications() -> Result<NotificationList, AppError> {
    as_reader(async |db, me| super::db::list(db, me).await).await
}

/// For the bell: how many are unread (0 for a visitor).
#[server(endpoint = "notifications/unread")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    let Some(me) = crate::auth::server::viewer().await? else {
        return Ok(0);
    };
    // On a page load the session check counted them already.
    let counted = crate::platform::page_transaction::PageTransaction::current().and_then(|page| {
        page.recall::<crate::auth::session::UnreadAtPageStart>(me.id, Some(me.id))
    });
    if let Some(crate::auth::session::UnreadAtPageStart(unread)) = counted {
        return Ok(unread);
    }
    as_reader(async |db, me| super::db::unread(db, me).await).await
}

#[server(endpoint = "notifications/read")]
pub async fn mark_notification_read(id: i64) -> Result<(), AppError> {
    as_reader(async |db, me| super::db::mark_read(db, me, id).await).await?;
    crate::platform::flash::say("Marked as read.");
    Ok(())
}

#[server(endpoint = "notifications/read-all")]
pub async fn mark_all_notifications_read() -> Result<u64, AppError> {
    let marked = as_reader(async |db, me| super::db::mark_all_read(db, me).await).await?;
    crate::platform::flash::say(match marked {
        0 => "Nothing was unread.".to_owned(),
        1 => "Marked 1 notification as read.".to_owned(),
        n => format!("Marked {n} notifications as read."),
    });
    Ok(marked)
}

#[server(endpoint = "notifications/preferences")]
pub async fn notification_preferences() -> Result<Vec<Preference>, AppError> {
    as_reader(async |db, me| super::db::preferences(db, me).await).await
}

/// Saves every kind at once: the ticked boxes are on, the rest off.
#[server(endpoint = "notifications/preferences/save")]
pub async fn save_notification_preferences(
    email: Option<Vec<String>>,
    in_app: Option<Vec<String>>,
) -> Result<(), AppError> {
    as_reader(async |db, me| {
        super::db::save_preferences(
            db,
            me,
            &email.unwrap_or_default(),
            &in_app.unwrap_or_default(),
        )
        .await
    })
    .await
}

/// Runs `work` as the person a checked unsubscribe link names: the link
/// stands in for their sign-in, for this one thing.
#[cfg(feature = "ssr")]
pub async fn as_link_owner<T>(
    pool: &sqlx::PgPool,
    user: uuid::Uuid,
    work: impl AsyncFnOnce(&mut sqlx::PgConnection) -> crate::error::AppResult<T>,
) -> Result<T, AppError> {
    // The unsubscribe page reads in the page's transaction, as the link's owner.
    if let Some(page) = crate::platform::page_transaction::PageTransaction::current() {
        return page.run(pool, Some(user), work).await;
    }
    let mut db = crate::platform::db::begin_as(pool, Some(user)).await?;
    let result = work(&mut db).await?;
    db.commit().await?;
    Ok(result)
}

#[cfg(feature = "ssr")]
fn checked_link(token: &str) -> Result<(uuid::Uuid, super::model::Kind), AppError> {
    let state = crate::platform::state::app_state()?;
    super::unsubscribe::UnsubscribeKey::from_secret(state.config.jwt_secret.expose())
        .verify(token)
        .ok_or_else(|| {
            AppError::BadRequest(
                "This unsubscribe link is not valid. Copy the whole link from the e-mail, or change your settings on your profile page."
                    .into(),
            )
        })
}

/// What a link turns off (no sign-in needed: the link is the proof).
#[server(endpoint = "notifications/unsubscribe/check")]
pub async fn unsubscribe_check(token: String) -> Result<UnsubscribeTarget, AppError> {
    let (user, kind) = checked_link(&token)?;
    let state = crate::platform::state::app_state()?;
    as_link_owner(&state.pool, user, async |db| {
        super::db::unsubscribe_target(db, user, kind).await
    })
    .await
}

#[server(endpoint = "notifications/unsubscribe")]
pub async fn unsubscribe(token: String) -> Result<(), AppError> {
    let (user, kind) = checked_link(&token)?;
    let state = crate::platform::state::app_state()?;
    as_link_owner(&state.pool, user, async |db| {
        super::db::unsubscribe(db, user, kind).await
    })
    .await
}
