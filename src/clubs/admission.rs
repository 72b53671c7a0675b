//! Letting someone into a club: under the club's lock and within its member
//! limit, as a club guest (for a site guest) or a member. A join
//! (`db::join`) and an approved request to join (`join_requests::answer`)
//! both come through here, so the limit holds whichever way people arrive.
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Adds `user` (whose site role is `site_role`) to `club`, or says `full`
/// when the club has no place left. Someone already in stays as they are.
pub(super) async fn admit(
    db: &mut PgConnection,
    club: Uuid,
    user: Uuid,
    site_role: &str,
    full: &str,
) -> AppResult<()> {
    // Locked (as the owner: an outsider may not lock a club row) and
    // counted after the lock, so concurrent admissions take turns.
    let locked = sqlx::query!(
        r#"SELECT max_members, members AS "members!" FROM bookwork_private.lock_club($1)"#,
        club
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    if locked
        .max_members
        .is_some_and(|max| locked.members >= i64::from(max))
    {
        return Err(AppError::Conflict(full.to_owned()));
    }
    let role = if site_role == "guest" {
        "guest"
    } else {
        "member"
    };
    sqlx::query!(
        "INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (club_id, user_id) DO UPDATE
            SET is_active = true, role = EXCLUDED.role, joined_date = now(), books_read = 0
          WHERE NOT club_members.is_active",
        club,
        user,
        role
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}
