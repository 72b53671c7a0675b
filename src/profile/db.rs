use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::model::{Profile, SessionInfo};
use crate::error::AppResult;
use crate::platform::db::in_transaction;

pub async fn profile(db: &mut PgConnection, user: Uuid) -> AppResult<Profile> {
    Ok(sqlx::query_as!(
        Profile,
        "SELECT name, email, phone, avatar FROM users WHERE id = $1",
        user
    )
    .fetch_one(&mut *db)
    .await?)
}

/// Holds the person's row until the transaction ends, for a change that
/// compares what it read first (the API's `If-Match`).
pub async fn lock(db: &mut PgConnection, user: Uuid) -> AppResult<()> {
    sqlx::query!("SELECT 1 AS held FROM users WHERE id = $1 FOR UPDATE", user)
        .fetch_optional(&mut *db)
        .await?;
    Ok(())
}

pub async fn update_profile(
    db: &mut PgConnection,
    user: Uuid,
    name: &str,
    phone: Option<&str>,
    avatar: Option<&str>,
) -> AppResult<()> {
    sqlx::query!(
        "UPDATE users SET name = $2, phone = $3, avatar = $4 WHERE id = $1",
        user,
        name,
        phone,
        avatar
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

pub async fn sessions(
    db: &mut PgConnection,
    user: Uuid,
    current: Uuid,
) -> AppResult<Vec<SessionInfo>> {
    let rows = sqlx::query!(
        // Said in the person's own zone (else UTC), in the site's one
        // format (`notice_time`).
        r#"SELECT s.id, s.user_agent,
                  notice_time(s.created_at, z.zone) AS "started!",
                  notice_time(s.last_used_at, z.zone) AS "last_used!"
             FROM session_families s
             CROSS JOIN (SELECT COALESCE((SELECT time_zone FROM users WHERE id = $1), 'UTC') AS zone) z
            WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
            ORDER BY s.last_used_at DESC"#,
        user
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionInfo {
            id: r.id,
            started: r.started,
            last_used: r.last_used,
            browser: describe_browser(r.user_agent.as_deref()),
            current: r.id == current,
        })
        .collect())
}

/// Ends `session` if it is one of `user`'s live sessions.
pub async fn end_session(pool: &PgPool, user: Uuid, session: Uuid) -> AppResult<bool> {
    let owned = in_transaction(pool, async |db| {
        sqlx::query_scalar!(
            "SELECT EXISTS (SELECT 1 FROM session_families WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL)",
            session,
            user
        )
        .fetch_one(db)
        .await
    })
    .await?
    .unwrap_or(false);
    if owned {
        crate::auth::db::revoke_session(pool, session, "ended_by_user").await?;
    }
    Ok(owned)
}

pub async fn end_other_sessions(pool: &PgPool, user: Uuid, keep: Uuid) -> AppResult<u64> {
    crate::auth::db::revoke_user_sessions(pool, user, Some(keep), "ended_by_user").await
}

/// "Firefox on Linux" from a User-Agent header, good enough to recognise a device.
fn describe_browser(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent else {
        return "Unknown browser".to_owned();
    };
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => format!("A browser on {s}"),
        (None, None) => ua.chars().take(60).collect(),
    }
}
