//! A reader's notifications and choices. Every query names the reader, and
//! runs in a transaction that row security sees as them (the notices and
//! settings of anyone else are not there): nobody reads, marks or changes
//! anyone else's.
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{Kind, NotificationItem, NotificationList, Preference, UnsubscribeTarget};
use super::render::{render, Notice, Payload};
use crate::error::{AppError, AppResult};

/// The most a list shows: the newest first.
const PAGE: i64 = 50;

/// A stored notice rendered for its reader.
pub(crate) fn rendered(
    kind: &str,
    payload: serde_json::Value,
    starts: Option<&str>,
    previous_starts: Option<&str>,
) -> Option<(Kind, super::render::Rendered, Payload)> {
    let kind = Kind::parse(kind)?;
    let payload: Payload = serde_json::from_value(payload).ok()?;
    let r = render(&Notice {
        kind,
        payload: &payload,
        starts,
        previous_starts,
    });
    Some((kind, r, payload))
}

pub async fn list(db: &mut PgConnection, me: Uuid) -> AppResult<NotificationList> {
    let rows = sqlx::query!(
        r#"SELECT n.id, n.kind AS "kind!: String", n.payload, n.read_at IS NULL AS "unread!",
                  to_char(n.created_at AT TIME ZONE z.zone, 'Dy FMDD Mon, HH24:MI') AS "when!",
                  notice_time((n.payload->>'starts_at')::timestamptz, z.zone) AS starts,
                  notice_time((n.payload->>'previous_starts_at')::timestamptz, z.zone) AS previous_starts
             FROM notifications n
             JOIN users u ON u.id = n.user_id
             CROSS JOIN LATERAL (SELECT COALESCE(u.time_zone, n.payload->>'event_zone', 'UTC') AS zone) z
            WHERE n.user_id = $1 AND n.in_app
            ORDER BY n.id DESC LIMIT $2"#,
        me,
        PAGE
    )
    .fetch_all(&mut *db)
    .await?;
    let items = rows
        .into_iter()
        .filter_map(|r| {
            let (_, rendered, _) = rendered(
                &r.kind,
                r.payload,
                r.starts.as_deref(),
                r.previous_starts.as_deref(),
            )?;
            Some(NotificationItem {
                id: r.id,
                body: rendered.lines.first().cloned().unwrap_or_default(),
                title: rendered.subject,
                link: rendered.path,
                when: r.when,
                unread: r.unread,
            })
        })
        .collect();
    Ok(NotificationList {
        items,
        unread: unread(db, me).await?,
    })
}

pub async fn unread(db: &mut PgConnection, me: Uuid) -> AppResult<i64> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM notifications WHERE user_id = $1 AND in_app AND read_at IS NULL"#,
        me
    )
    .fetch_one(&mut *db)
    .await?)
}

/// Marks one of my notices read; returns where it points. Someone else's is
/// not found.
pub async fn mark_read(db: &mut PgConnection, me: Uuid, id: i64) -> AppResult<()> {
    let found = sqlx::query!(
        "UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2 AND in_app",
        id,
        me
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    if found == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn mark_all_read(db: &mut PgConnection, me: Uuid) -> AppResult<u64> {
    Ok(sqlx::query!(
        "UPDATE notifications SET read_at = now() WHERE user_id = $1 AND in_app AND read_at IS NULL",
        me
    )
    .execute(&mut *db)
    .await?
    .rows_affected())
}

pub async fn preferences(db: &mut PgConnection, me: Uuid) -> AppResult<Vec<Preference>> {
    let rows = sqlx::query!(
        r#"SELECT kind AS "kind!: String", email, in_app FROM notification_preferences WHERE user_id = $1"#,
        me
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(Kind::CHOSEN_BY_MEMBERS
        .into_iter()
        .map(|kind| {
            let saved = rows.iter().find(|r| r.kind == kind.as_str());
            Preference {
                kind,
                email: saved.is_none_or(|r| r.email),
                in_app: saved.is_none_or(|r| r.in_app),
            }
        })
        .collect())
}

/// Saves every kind at once: the kinds named in `email` and `in_app` are on,
/// the rest off. A name that is no kind is refused.
pub async fn save_preferences(
    db: &mut PgConnection,
    me: Uuid,
    email: &[String],
    in_app: &[String],
) -> AppResult<()> {
    let chosen = |names: &[String]| -> AppResult<Vec<Kind>> {
        names
            .iter()
            .map(|n| {
                Kind::parse(n)
                    .filter(|k| Kind::CHOSEN_BY_MEMBERS.contains(k))
                    .ok_or_else(|| {
                        AppError::validation("form", "That is not a kind of notification.")
                    })
            })
            .collect()
    };
    let (email, in_app) = (chosen(email)?, chosen(in_app)?);
    for kind in Kind::CHOSEN_BY_MEMBERS {
        set(
            db,
            me,
            kind,
            Some(email.contains(&kind)),
            Some(in_app.contains(&kind)),
        )
        .await?;
    }
    Ok(())
}

/// Sets one kind's channels (`None` leaves one as it is). E-mail turned off
/// also stops what is waiting to be sent.
async fn set(
    db: &mut PgConnection,
    me: Uuid,
    kind: Kind,
    email: Option<bool>,
    in_app: Option<bool>,
) -> AppResult<()> {
    sqlx::query!(
        "INSERT INTO notification_preferences (user_id, kind, email, in_app)
         VALUES ($1, $2, COALESCE($3, true), COALESCE($4, true))
         ON CONFLICT (user_id, kind) DO UPDATE
            SET email = COALESCE($3, notification_preferences.email),
                in_app = COALESCE($4, notification_preferences.in_app), updated_at = now()",
        me,
        kind.as_str() as _,
        email,
        in_app
    )
    .execute(&mut *db)
    .await?;
    if email == Some(false) {
        // Not the one a worker is sending right now (SKIP LOCKED): waiting
        // for a slow mail server here would hold up the page.
        sqlx::query!(
            "UPDATE notifications SET email_status = 'off'
              WHERE id IN (SELECT id FROM notifications
                            WHERE user_id = $1 AND kind = $2 AND email_status = 'pending'
                              FOR UPDATE SKIP LOCKED)",
            me,
            kind.as_str() as _
        )
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

/// What an unsubscribe link turns off, for the page that asks to confirm.
pub async fn unsubscribe_target(
    db: &mut PgConnection,
    user: Uuid,
    kind: Kind,
) -> AppResult<UnsubscribeTarget> {
    let row = sqlx::query!(
        r#"SELECT u.email, COALESCE(p.email, true) AS "wanted!"
             FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = $2
            WHERE u.id = $1"#,
        user,
        kind.as_str() as _
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(UnsubscribeTarget {
        kind,
        email: row.email,
        done: !row.wanted,
    })
}

/// Turns off one kind of e-mail for `user` (the link was checked).
pub async fn unsubscribe(db: &mut PgConnection, user: Uuid, kind: Kind) -> AppResult<()> {
    set(db, user, kind, Some(false), None).await
}
