use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{AdminUserRow, UserPage, USERS_PER_PAGE};
use crate::error::{AppError, AppResult};
use crate::places;

/// A page of people matching `search`, their last sign-in said in the
/// reading admin's (`reader`) zone, else UTC, in the site's one format.
pub async fn list_users(
    db: &mut PgConnection,
    reader: Option<Uuid>,
    search: &str,
    page: i64,
) -> AppResult<UserPage> {
    // Escape LIKE wildcards so a search for "100%" means exactly that.
    let pattern = format!(
        "%{}%",
        search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM users WHERE name ILIKE $1 OR email ILIKE $1"#,
        pattern
    )
    .fetch_one(&mut *db)
    .await?;
    let rows = sqlx::query!(
        r#"SELECT u.id, u.name, u.email, u.role, u.is_active,
                  notice_time(u.last_login_at, COALESCE(
                      (SELECT r.time_zone FROM users r WHERE r.id = $4), 'UTC')) AS last_login
             FROM users u WHERE u.name ILIKE $1 OR u.email ILIKE $1
            ORDER BY lower(u.name), u.email LIMIT $2 OFFSET $3"#,
        pattern,
        USERS_PER_PAGE,
        (page - 1) * USERS_PER_PAGE,
        reader
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(UserPage {
        users: rows
            .into_iter()
            .map(|r| AdminUserRow {
                id: r.id,
                name: r.name,
                email: r.email,
                role: r.role,
                is_active: r.is_active,
                last_login: r.last_login,
            })
            .collect(),
        total,
        page,
        pages: ((total + USERS_PER_PAGE - 1) / USERS_PER_PAGE).max(1),
    })
}

pub async fn set_role(db: &mut PgConnection, user: Uuid, role: &str) -> AppResult<()> {
    if role != "admin" {
        crate::auth::db::ensure_an_admin_remains(db, user).await?;
    }
    let updated = sqlx::query!("UPDATE users SET role = $2 WHERE id = $1", user, role)
        .execute(&mut *db)
        .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Deactivating also ends every session of that user at once and gives up
/// their places and open tasks at upcoming events, in the same transaction.
pub async fn set_active(db: &mut PgConnection, user: Uuid, active: bool) -> AppResult<()> {
    if !active {
        crate::auth::db::ensure_an_admin_remains(db, user).await?;
    }
    let updated = sqlx::query!(
        "UPDATE users SET is_active = $2 WHERE id = $1",
        user,
        active
    )
    .execute(&mut *db)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    if !active {
        crate::auth::db::revoke_user_sessions_in(db, user, None, "deactivated").await?;
        places::release(db, user, places::Leaving::Everywhere).await?;
    }
    Ok(())
}
