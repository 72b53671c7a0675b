//! Queries for accounts, sign-in sessions, refresh tokens and rate limiting.
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::platform::db::{begin, in_transaction};

pub struct Credentials {
    pub id: Uuid,
    pub password_hash: String,
    pub is_active: bool,
}

pub async fn create_user(
    pool: &PgPool,
    name: &str,
    email: &str,
    password_hash: &str,
) -> AppResult<Uuid> {
    in_transaction(pool, async |db| {
        sqlx::query_scalar!(
            "INSERT INTO users (name, email, password_hash) VALUES ($1, $2, $3) RETURNING id",
            name,
            email,
            password_hash
        )
        .fetch_one(db)
        .await
    })
    .await
    .map_err(
        |e| match e.as_database_error().and_then(|d| d.constraint()) {
            Some("users_email_key") => AppError::validation(
                "email",
                "An account with this email already exists. Sign in instead?",
            ),
            Some("check_email_format") => AppError::validation(
                "email",
                "Enter a valid email address, like name@example.com.",
            ),
            _ => e.into(),
        },
    )
}

pub async fn credentials(pool: &PgPool, email: &str) -> AppResult<Option<Credentials>> {
    in_transaction(pool, async |db| {
        Ok(sqlx::query_as!(
            Credentials,
            "SELECT id, password_hash, is_active FROM users WHERE email = $1",
            email
        )
        .fetch_optional(db)
        .await?)
    })
    .await
}

pub async fn record_login(pool: &PgPool, user: Uuid) -> AppResult<()> {
    in_transaction(pool, async |db| {
        sqlx::query!("UPDATE users SET last_login_at = now() WHERE id = $1", user)
            .execute(db)
            .await?;
        Ok(())
    })
    .await
}

/// Starts a sign-in: a session family with its first refresh token.
pub async fn start_session(
    pool: &PgPool,
    user: Uuid,
    token_hash: &str,
    user_agent: Option<&str>,
    expires_at: DateTime<Utc>,
) -> AppResult<Uuid> {
    let mut tx = begin(pool).await?;
    let family = sqlx::query_scalar!(
        "INSERT INTO session_families (user_id, expires_at, user_agent) VALUES ($1, $2, $3) RETURNING id",
        user,
        // `as _`: the session store turns on sqlx's `time` types too, which
        // would otherwise be what the macro expects for timestamptz.
        expires_at as _,
        user_agent.map(|ua| ua.chars().take(300).collect::<String>())
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)",
        user,
        family,
        token_hash,
        expires_at as _
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(family)
}

pub enum Rotation {
    /// The token was exchanged: here are the session and user it belongs to.
    Rotated {
        user: Uuid,
        session: Uuid,
        expires_at: DateTime<Utc>,
    },
    /// Exchanged moments ago by a sibling request of the same browser (tabs
    /// reopened together all send the token they had): the sign-in stands,
    /// and the sibling's response carries the successor.
    JustRotated { user: Uuid, session: Uuid },
    /// Unknown, expired or revoked: no new tokens.
    Refused,
    /// A token that was exchanged a while ago came back: it was copied.
    /// The whole sign-in has been revoked.
    ReuseDetected,
}

/// How long after its rotation a token may be presented again without being
/// taken for theft: a browser firing several requests at once sends the same
/// cookie with each. Within it, those copies are still signed in (without a
/// new refresh token of their own); after it, a copy ends the sign-in.
pub const ROTATION_GRACE_SECS: f64 = 10.0;

/// Exchanges `old_hash` for `new_hash` in one conditional write, so of any
/// number of concurrent attempts exactly one succeeds.
pub async fn rotate(pool: &PgPool, old_hash: &str, new_hash: &str) -> Result<Rotation, AppError> {
    let mut tx = begin(pool).await?;
    // The sign-in's row first, then its tokens: the order every change to a
    // sign-in takes, so a rotation and a revocation racing it (a replayed
    // token) queue on that row instead of deadlocking over the tokens.
    sqlx::query!(
        "SELECT f.id FROM session_families f JOIN refresh_tokens t ON t.family_id = f.id
          WHERE t.token_hash = $1 FOR UPDATE OF f",
        old_hash
    )
    .fetch_optional(&mut *tx)
    .await?;
    let claimed = sqlx::query!(
        r#"UPDATE refresh_tokens t SET used_at = now()
             FROM session_families f
            WHERE t.token_hash = $1 AND f.id = t.family_id
              AND t.used_at IS NULL AND NOT t.is_revoked AND t.expires_at > now()
              AND f.revoked_at IS NULL AND f.expires_at > now()
        RETURNING t.user_id, t.family_id AS "family_id!",
                  f.expires_at AS "expires_at: chrono::DateTime<chrono::Utc>""#,
        old_hash
    )
    .fetch_optional(&mut *tx)
    .await?;

    let Some(claimed) = claimed else {
        // Why not? A token exchanged moments ago came from a sibling request;
        // one exchanged well before is a replay of a copied token.
        let used = sqlx::query!(
            r#"SELECT t.user_id, t.family_id AS "family_id!",
                      t.used_at > now() - make_interval(secs => $2) AS "recent!",
                      NOT t.is_revoked AND t.expires_at > now()
                          AND f.revoked_at IS NULL AND f.expires_at > now() AS "live!"
                 FROM refresh_tokens t JOIN session_families f ON f.id = t.family_id
                WHERE t.token_hash = $1 AND t.used_at IS NOT NULL"#,
            old_hash,
            ROTATION_GRACE_SECS
        )
        .fetch_optional(&mut *tx)
        .await?;
        return match used {
            Some(token) if token.recent && token.live => Ok(Rotation::JustRotated {
                user: token.user_id,
                session: token.family_id,
            }),
            Some(token) if !token.recent => {
                revoke_family_in(&mut tx, token.family_id, "reuse_detected").await?;
                tx.commit().await?;
                tracing::warn!(session = %token.family_id, "refresh token reuse detected; sign-in revoked");
                Ok(Rotation::ReuseDetected)
            }
            _ => Ok(Rotation::Refused),
        };
    };

    sqlx::query!(
        "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)",
        claimed.user_id,
        claimed.family_id,
        new_hash,
        claimed.expires_at as _
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE session_families SET last_used_at = now() WHERE id = $1",
        claimed.family_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Rotation::Rotated {
        user: claimed.user_id,
        session: claimed.family_id,
        expires_at: claimed.expires_at,
    })
}

/// Ends a sign-in: its row, then its tokens. Only the request that revokes
/// the row touches the tokens; any number of others revoking it at once (a
/// copied token replayed from many tabs) wait for that row, find it revoked
/// and stop, rather than deadlock updating the same tokens in another order.
async fn revoke_family_in(
    tx: &mut sqlx::PgConnection,
    family: Uuid,
    reason: &str,
) -> AppResult<()> {
    let revoked = sqlx::query!(
        "UPDATE session_families SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL",
        family,
        reason
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if revoked > 0 {
        sqlx::query!(
            "UPDATE refresh_tokens SET is_revoked = true WHERE family_id = $1",
            family
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

pub async fn revoke_session(pool: &PgPool, family: Uuid, reason: &str) -> AppResult<()> {
    let mut tx = begin(pool).await?;
    revoke_family_in(&mut tx, family, reason).await?;
    tx.commit().await?;
    Ok(())
}

/// Failed attempts for `key` in the last `window_secs`, and the age of the oldest.
pub async fn recent_failures(pool: &PgPool, key: &str, window_secs: f64) -> AppResult<(i64, f64)> {
    in_transaction(pool, async |db| {
        let row = sqlx::query!(
            r#"SELECT count(*) AS "count!",
                      coalesce(extract(epoch FROM now() - min(created_at))::float8, 0) AS "oldest_age!"
                 FROM auth_attempts WHERE key = $1 AND created_at > now() - make_interval(secs => $2)"#,
            key,
            window_secs
        )
        .fetch_one(db)
        .await?;
        Ok((row.count, row.oldest_age))
    })
    .await
}

/// Claims one of `limit` uses of `key` within the last `window_secs` and
/// records it, or refuses: `None` when claimed, else the seconds until the
/// oldest use leaves the window. Claims of one key take turns (a
/// transaction-scoped advisory lock on it), so requests that race, on one
/// instance or several, never get more than `limit` between them.
pub async fn claim_use(
    pool: &PgPool,
    key: &str,
    limit: i64,
    window_secs: f64,
) -> AppResult<Option<f64>> {
    let mut tx = begin(pool).await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(key)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query!(
        r#"WITH recent AS (
               SELECT count(*) AS uses, min(created_at) AS oldest
                 FROM auth_attempts WHERE key = $1 AND created_at > now() - make_interval(secs => $2)
           ), claimed AS (
               INSERT INTO auth_attempts (key) SELECT $1 FROM recent WHERE uses < $3 RETURNING id
           )
           SELECT EXISTS (SELECT 1 FROM claimed) AS "claimed!",
                  coalesce(extract(epoch FROM min(oldest) + make_interval(secs => $2) - now())::float8, 0) AS "wait!"
             FROM recent"#,
        key,
        window_secs,
        limit
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((!row.claimed).then_some(row.wait))
}

pub async fn record_failure(pool: &PgPool, keys: &[String]) -> AppResult<()> {
    in_transaction(pool, async |db| {
        sqlx::query!(
            "INSERT INTO auth_attempts (key) SELECT unnest($1::text[])",
            keys
        )
        .execute(db)
        .await?;
        Ok(())
    })
    .await
}

/// Revokes every live sign-in of `user` (but `except`, if given). Returns how many.
pub async fn revoke_user_sessions(
    pool: &PgPool,
    user: Uuid,
    except: Option<Uuid>,
    reason: &str,
) -> AppResult<u64> {
    let mut tx = begin(pool).await?;
    let revoked = revoke_user_sessions_in(&mut tx, user, except, reason).await?;
    tx.commit().await?;
    Ok(revoked)
}

/// [`revoke_user_sessions`] inside the caller's transaction.
pub async fn revoke_user_sessions_in(
    tx: &mut sqlx::PgConnection,
    user: Uuid,
    except: Option<Uuid>,
    reason: &str,
) -> AppResult<u64> {
    let revoked = sqlx::query_scalar!(
        r#"UPDATE session_families SET revoked_at = now(), revoked_reason = $3
            WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2)
        RETURNING id"#,
        user,
        except,
        reason
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE refresh_tokens SET is_revoked = true WHERE family_id = ANY($1)",
        &revoked
    )
    .execute(&mut *tx)
    .await?;
    Ok(revoked.len() as u64)
}

pub async fn password_hash(pool: &PgPool, user: Uuid) -> AppResult<String> {
    in_transaction(pool, async |db| {
        Ok(
            sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", user)
                .fetch_one(db)
                .await?,
        )
    })
    .await
}

pub async fn set_password_hash(pool: &PgPool, user: Uuid, hash: &str) -> AppResult<()> {
    in_transaction(pool, async |db| {
        sqlx::query!(
            "UPDATE users SET password_hash = $2 WHERE id = $1",
            user,
            hash
        )
        .execute(db)
        .await?;
        Ok(())
    })
    .await
}

/// Would this change leave the site without an active admin? Checked under a
/// lock on the admin rows so two admins demoting each other cannot both win.
/// `NO KEY UPDATE`, not `UPDATE`: the key-share locks that writing a row
/// which points at a user takes (a notice for an admin, while an event is
/// locked) must not wait for it, or the lock order (people, then events)
/// would be crossed.
pub async fn ensure_an_admin_remains(db: &mut sqlx::PgConnection, user: Uuid) -> AppResult<()> {
    let admins = sqlx::query_scalar!(
        "SELECT id FROM users WHERE role = 'admin' AND is_active FOR NO KEY UPDATE"
    )
    .fetch_all(&mut *db)
    .await?;
    if admins == [user] {
        return Err(AppError::Conflict(
            "This is the last active site admin. Make someone else an admin first.".into(),
        ));
    }
    Ok(())
}
