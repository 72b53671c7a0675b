//! Writing notices, in the caller's transaction: they exist if and only if
//! the change that caused them commits. Who is told, and whether in the app
//! and by e-mail, is decided in the database (`bookwork_private.notify`),
//! from each reader's preferences; the functions run as the owner because
//! the person making the change may not see the people it concerns.
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::Kind;
use crate::error::AppResult;

/// Tells the active members of the event's club, except `actor`.
pub async fn club_event(
    db: &mut PgConnection,
    kind: Kind,
    event: Uuid,
    actor: Option<Uuid>,
    extra: Value,
) -> AppResult<()> {
    sqlx::query_scalar!(
        r#"SELECT bookwork_private.notify_club_event($1, $2, $3, $4) AS "n!""#,
        kind.as_str(),
        event,
        actor,
        extra
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(())
}

/// Tells `people` about the event.
pub async fn about_event(
    db: &mut PgConnection,
    kind: Kind,
    event: Uuid,
    people: &[Uuid],
    extra: Value,
) -> AppResult<()> {
    sqlx::query_scalar!(
        r#"SELECT bookwork_private.notify_about_event($1, $2, $3, $4) AS "n!""#,
        kind.as_str(),
        event,
        people,
        extra
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(())
}

/// Mails an invitation link to an address (maybe nobody's account yet).
pub async fn invitation(
    db: &mut PgConnection,
    address: &str,
    club_id: Uuid,
    club_name: &str,
    inviter: &str,
    invite_path: &str,
    expires: &str,
) -> AppResult<()> {
    let payload = json!({
        "club_id": club_id, "club_name": club_name, "actor": inviter,
        "invite_path": invite_path, "invite_expires": expires,
    });
    sqlx::query!(
        "INSERT INTO notifications (kind, address, payload, in_app, email_status)
         VALUES ('invitation', $1, $2, false, 'pending')",
        address,
        payload
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}
