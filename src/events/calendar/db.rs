//! What calendars read and keep: events and a member's polls and shelf days
//! as calendar entries, and the private feed links.
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::ics::{IcsEvent, When};
use crate::error::AppResult;
use crate::platform::tokens::{hash_refresh_token, new_refresh_token};

/// Events as calendar entries, with links back to their pages.
/// `origin` is `PUBLIC_URL`: links outlive the request, so they never
/// come from its `Host` header.
pub async fn ics_events(
    db: &mut PgConnection,
    ids: &[Uuid],
    origin: &str,
) -> AppResult<Vec<IcsEvent>> {
    let rows = sqlx::query!(
        r#"SELECT e.id, e.title, COALESCE(e.description, '') AS "description!", e.location, e.time_zone,
                  e.starts_at AS "starts!: DateTime<Utc>",
                  e.updated_at AS "updated: DateTime<Utc>", e.cancelled_at IS NOT NULL AS "cancelled!"
             FROM events e WHERE e.id = ANY($1)
            ORDER BY e.starts_at, e.id"#,
        ids
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| IcsEvent {
            url: format!("{origin}/events/{}", r.id),
            uid: r.id.to_string(),
            title: r.title,
            description: r.description,
            location: r.location,
            when: When::meeting(r.starts),
            time_zone: Some(r.time_zone),
            updated: r.updated,
            cancelled: r.cancelled,
        })
        .collect())
}

/// For a member's feed: when their clubs' polls close (the last 90 days and
/// ahead), and the days their clubs started and finished books. Row
/// security sees to it that only their clubs' polls and shelves are read.
pub async fn poll_and_shelf_entries(
    db: &mut PgConnection,
    user: Uuid,
    origin: &str,
) -> AppResult<Vec<IcsEvent>> {
    let polls = sqlx::query!(
        r#"SELECT p.id, p.title, p.kind, c.name AS club_name, c.time_zone,
                  COALESCE(p.closed_at, p.closes_at) AS "closes!: DateTime<Utc>",
                  GREATEST(p.created_at, COALESCE(p.closed_at, p.created_at)) AS "updated!: DateTime<Utc>"
             FROM polls p
             JOIN clubs c ON c.id = p.club_id
             JOIN club_members m ON m.club_id = p.club_id AND m.user_id = $1 AND m.is_active
            WHERE COALESCE(p.closed_at, p.closes_at) >= now() - interval '90 days'
            ORDER BY COALESCE(p.closed_at, p.closes_at) DESC
            LIMIT 200"#,
        user
    )
    .fetch_all(&mut *db)
    .await?;
    let mut entries: Vec<IcsEvent> = polls
        .into_iter()
        .map(|p| IcsEvent {
            url: format!("{origin}/polls/{}", p.id),
            uid: format!("poll-{}", p.id),
            title: format!("Poll closes: {} ({})", p.title, p.club_name),
            description: if p.kind == "date" {
                "Say which dates suit you before it closes.".to_owned()
            } else {
                "Rank the books you would like to read before it closes.".to_owned()
            },
            location: String::new(),
            when: When::At {
                starts: p.closes,
                length: chrono::Duration::minutes(30),
            },
            time_zone: Some(p.time_zone),
            updated: p.updated,
            cancelled: false,
        })
        .collect();
    let days = sqlx::query!(
        r#"SELECT b.id, b.club_id, b.title, c.name AS club_name, d.day AS "day!: chrono::NaiveDate", d.what AS "what!",
                  b.shelved_at AS "updated!: DateTime<Utc>"
             FROM books b
             JOIN clubs c ON c.id = b.club_id
             JOIN club_members m ON m.club_id = b.club_id AND m.user_id = $1 AND m.is_active
             CROSS JOIN LATERAL (VALUES (b.started_on, 'started'), (b.finished_on, 'finished')) AS d(day, what)
            WHERE d.day IS NOT NULL AND d.day >= current_date - 90
            ORDER BY d.day DESC
            LIMIT 200"#,
        user
    )
    .fetch_all(&mut *db)
    .await?;
    entries.extend(days.into_iter().map(|d| IcsEvent {
        url: format!("{origin}/clubs/{}/books", d.club_id),
        uid: format!("book-{}-{}", d.id, d.what),
        title: if d.what == "started" {
            format!("{} starts reading {}", d.club_name, d.title)
        } else {
            format!("{} finished {}", d.club_name, d.title)
        },
        description: String::new(),
        location: String::new(),
        when: When::Day(d.day),
        time_zone: None,
        updated: d.updated,
        cancelled: false,
    }));
    Ok(entries)
}

/// For a member's feed: the target dates of their clubs' reading schedules
/// (the last 90 days and ahead), each a whole day: "Read “Chapters 1–9”".
/// Only the clubs they belong to now; row security says the same.
pub async fn reading_entries(
    db: &mut PgConnection,
    user: Uuid,
    origin: &str,
) -> AppResult<Vec<IcsEvent>> {
    let sections = sqlx::query!(
        r#"SELECT s.id, s.title, s.book_id, s.target_date, s.updated_at, b.title AS book_title,
                  c.name AS club_name
             FROM reading_sections s
             JOIN books b ON b.id = s.book_id
             JOIN clubs c ON c.id = s.club_id
             JOIN club_members m ON m.club_id = s.club_id AND m.user_id = $1 AND m.is_active
            WHERE s.target_date >= current_date - 90
            ORDER BY s.target_date DESC
            LIMIT 200"#,
        user
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(sections
        .into_iter()
        .map(|s| IcsEvent {
            url: format!("{origin}/books/{}/reading", s.book_id),
            uid: format!("reading-{}", s.id),
            title: format!("Read “{}” of {} ({})", s.title, s.book_title, s.club_name),
            description: "The club's target for this part of the book. Mark it finished to open its discussion.".to_owned(),
            location: String::new(),
            when: When::Day(s.target_date),
            time_zone: None,
            updated: s.updated_at,
            cancelled: false,
        })
        .collect())
}

/// Does `user` have a feed link?
pub async fn has_feed(db: &mut PgConnection, user: Uuid) -> AppResult<bool> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM calendar_feeds WHERE user_id = $1) AS "exists!""#,
        user
    )
    .fetch_one(&mut *db)
    .await?)
}

/// Makes a new feed link for `user`, replacing (and so revoking) any old one.
/// Returns the secret token; only its hash is kept.
pub async fn reset_feed(db: &mut PgConnection, user: Uuid) -> AppResult<String> {
    let token = new_refresh_token();
    sqlx::query!(
        "INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, created_at = now()",
        user,
        hash_refresh_token(&token)
    )
    .execute(&mut *db)
    .await?;
    Ok(token)
}

pub async fn revoke_feed(db: &mut PgConnection, user: Uuid) -> AppResult<()> {
    sqlx::query!("DELETE FROM calendar_feeds WHERE user_id = $1", user)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Whose feed `token_hash` is, if it is an active person's.
pub async fn feed_owner(db: &mut PgConnection, token_hash: &str) -> AppResult<Option<Uuid>> {
    Ok(sqlx::query_scalar!(
        "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id
                  WHERE f.token_hash = $1 AND u.is_active",
        token_hash
    )
    .fetch_optional(db)
    .await?)
}

/// The events of `user`'s clubs for their feed: the last 90 days and
/// everything ahead.
pub async fn feed_event_ids(db: &mut PgConnection, user: Uuid) -> AppResult<Vec<Uuid>> {
    Ok(sqlx::query_scalar!(
        "SELECT e.id FROM events e
               JOIN club_members m ON m.club_id = e.club_id AND m.user_id = $1 AND m.is_active
              WHERE e.starts_at >= now() - interval '90 days'
              ORDER BY e.starts_at, e.id
              LIMIT 1000",
        user
    )
    .fetch_all(&mut *db)
    .await?)
}

/// Sets the zone `user` reads times in (already checked).
pub async fn set_time_zone(db: &mut PgConnection, user: Uuid, zone: Option<&str>) -> AppResult<()> {
    sqlx::query!("UPDATE users SET time_zone = $2 WHERE id = $1", user, zone)
        .execute(&mut *db)
        .await?;
    Ok(())
}
