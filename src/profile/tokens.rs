//! Personal access tokens for the API, on `/me`: a person makes one (named,
//! with scopes and maybe an expiry), sees it once, lists theirs with when
//! each was last used, and revokes them. Only a hash is stored; row
//! security keeps everyone to their own (`api_tokens_own`).
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{ApiTokenRow, EXPIRY_CHOICES};
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult, Checks};
use crate::platform::tokens::{hash_refresh_token as hash_token, new_refresh_token};

/// Live tokens one person may hold: plenty for scripts, bots and phones.
pub const TOKENS_PER_PERSON: i64 = 20;

pub async fn list(db: &mut PgConnection, me: &SessionUser) -> AppResult<Vec<ApiTokenRow>> {
    let rows = sqlx::query!(
        r#"SELECT t.id, t.name, t.scopes,
                  notice_time(t.created_at, z.zone) AS "created!",
                  notice_time(t.expires_at, z.zone) AS expires,
                  notice_time(t.last_used_at, z.zone) AS last_used,
                  t.expires_at IS NOT NULL AND t.expires_at <= now() AS "expired!"
             FROM api_tokens t
             CROSS JOIN (SELECT COALESCE((SELECT time_zone FROM users WHERE id = $1), 'UTC') AS zone) z
            WHERE t.user_id = $1 AND t.revoked_at IS NULL
            ORDER BY t.created_at DESC"#,
        me.id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ApiTokenRow {
            id: r.id,
            name: r.name,
            scopes: r.scopes,
            created: r.created,
            expires: r.expires,
            last_used: r.last_used,
            expired: r.expired,
        })
        .collect())
}

/// Makes a token; returns it (the only time it is seen: `bw_` and 43
/// characters of randomness).
pub async fn create(
    db: &mut PgConnection,
    me: &SessionUser,
    name: &str,
    scopes: &[String],
    days: &str,
) -> AppResult<String> {
    let mut checks = Checks::new();
    let name = name.trim();
    if name.is_empty() {
        checks.add(
            "token_name",
            "Name the token after what will use it, such as \u{201c}calendar bot\u{201d}.",
        );
    } else if name.chars().count() > 100 {
        checks.add("token_name", "Use at most 100 characters.");
    }
    let unknown = scopes.iter().any(|s| s != "read" && s != "write");
    let chosen: Vec<String> = ["read", "write"]
        .into_iter()
        .filter(|s| scopes.iter().any(|given| given == s))
        .map(str::to_owned)
        .collect();
    if unknown || chosen.is_empty() {
        checks.add(
            "scopes",
            "Choose what the token may do: read, write or both.",
        );
    }
    let days = match days.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(d) if EXPIRY_CHOICES.iter().any(|(v, _)| *v == raw) => Some(d),
            _ => {
                checks.add("days", "Choose when the token stops working from the list.");
                None
            }
        },
    };
    checks.finish()?;
    let live = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM api_tokens
            WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())"#,
        me.id
    )
    .fetch_one(&mut *db)
    .await?;
    if live >= TOKENS_PER_PERSON {
        return Err(AppError::Conflict(format!(
            "You have {TOKENS_PER_PERSON} tokens already: revoke one you no longer use first."
        )));
    }
    let token = format!("bw_{}", new_refresh_token());
    sqlx::query!(
        "INSERT INTO api_tokens (user_id, name, token_hash, scopes, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))",
        me.id,
        name,
        hash_token(&token),
        &chosen,
        days
    )
    .execute(&mut *db)
    .await?;
    Ok(token)
}

/// Revokes one of the person's own tokens; someone else's is not found.
pub async fn revoke(db: &mut PgConnection, me: &SessionUser, token: Uuid) -> AppResult<String> {
    sqlx::query_scalar!(
        "UPDATE api_tokens SET revoked_at = now()
          WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING name",
        token,
        me.id
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)
}
