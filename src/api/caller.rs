//! Who is calling the API, checked by the first statement of the request's
//! own transaction, which also makes them the viewer row security sees:
//! - a personal access token (`bookwork_private.check_api_token`), which
//!   may do what its scopes say;
//! - or the access token of a program's sign-in (`POST /api/v1/sessions`),
//!   checked as a browser's sign-in is (`auth::check::begin_checked`: the
//!   sign-in still live, the account active), which may do anything its
//!   person may.
//!
//! Tokens come only in the `Authorization` header: one in a query string
//! would end up in logs and browser histories, so it is refused.
use http::request::Parts;
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgConnection, Row};
use uuid::Uuid;

use super::problem::ApiError;
use crate::auth::check::begin_checked_after;
use crate::auth::model::SessionUser;
use crate::error::AppError;
use crate::platform::state::AppState;
use crate::platform::tokens::hash_refresh_token as hash_token;
use crate::platform::transactions::OpenTransaction;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Read,
    Write,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }
}

/// The bearer token of a request: `None` when there is none; refused when
/// it is malformed or sent in the query string.
pub fn bearer(parts: &Parts) -> Result<Option<String>, AppError> {
    if parts.uri.query().is_some_and(|q| {
        q.split('&')
            .any(|pair| matches!(pair.split('=').next(), Some("access_token" | "token")))
    }) {
        return Err(AppError::BadRequest(
            "Send the token in the Authorization header (Bearer), never in the address.".into(),
        ));
    }
    let Some(value) = parts.headers.get(http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().unwrap_or_default();
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer")
                && !token.trim().is_empty()
                && token.trim().len() <= 2000 =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(AppError::Unauthorized),
    }
}

#[derive(FromRow)]
struct Checked {
    token_id: Uuid,
    user_id: Uuid,
    user_name: String,
    user_email: String,
    site_role: String,
    scopes: Vec<String>,
}

/// Who is calling: the person, and what authenticated the request (the
/// personal access token, or the program's sign-in), under which
/// idempotency keys are kept.
pub struct Caller {
    pub me: SessionUser,
    pub holder: Uuid,
}

/// Runs `work` in a transaction as the token's person, when the request
/// has a live token with `scope` (else 401, or 403 for a missing scope),
/// committing only if it succeeds.
pub async fn as_token_holder<T>(
    state: &AppState,
    parts: &Parts,
    scope: Scope,
    work: impl AsyncFnOnce(&mut PgConnection, &Caller) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let token = bearer(parts)?.ok_or(AppError::Unauthorized)?;
    let budget = state.config.api_requests_per_minute;
    if let Some(claims) = state.token_keys().verify_access(&token) {
        let count = format!(
            "SELECT * FROM bookwork_private.count_api_request(NULL, '{}')",
            claims.sid
        );
        let (user, db, counted) =
            begin_checked_after(&state.pool, claims.sub, claims.sid, &count).await?;
        let Some(me) = user else {
            // Dropped unfinished: the transaction is closed, not reused.
            drop(db);
            return Err(AppError::Unauthorized.into());
        };
        if let Err(spent) = within_budget(&counted, budget) {
            db.rollback().await?;
            return Err(spent);
        }
        let caller = Caller {
            me,
            holder: claims.sid,
        };
        return run(db, &caller, work).await;
    }
    // A hash is hex digits: nothing to escape in the simple-protocol text.
    let hash = hash_token(&token);
    let count = format!("SELECT * FROM bookwork_private.count_api_request('{hash}', NULL)");
    let check = format!("SELECT * FROM bookwork_private.check_api_token('{hash}')");
    let (db, counted, rows) = OpenTransaction::begin_after(&state.pool, &count, &check).await?;
    let Some(row) = rows.first() else {
        db.rollback().await?;
        return Err(AppError::Unauthorized.into());
    };
    if let Err(spent) = within_budget(&counted, budget) {
        db.rollback().await?;
        return Err(spent);
    }
    let checked = Checked::from_row(row)?;
    if !checked.scopes.iter().any(|s| s == scope.as_str()) {
        db.rollback().await?;
        return Err(AppError::Forbidden(format!(
            "This token may not {}: make one with the \u{201c}{}\u{201d} scope on your profile page.",
            if scope == Scope::Write { "change anything" } else { "read" },
            scope.as_str()
        ))
        .into());
    }
    let caller = Caller {
        me: SessionUser {
            id: checked.user_id,
            name: checked.user_name,
            email: checked.user_email,
            role: checked.site_role,
        },
        holder: checked.token_id,
    };
    run(db, &caller, work).await
}

/// Refuses (429, with the seconds to the next minute) a request past the
/// holder's budget for this minute; `counted` is
/// `bookwork_private.count_api_request`'s answer.
fn within_budget(counted: &[PgRow], budget: u32) -> Result<(), ApiError> {
    let Some(row) = counted.first() else {
        return Ok(());
    };
    let used: i32 = row.try_get("used").map_err(AppError::from)?;
    let retry_after: i32 = row.try_get("retry_after").map_err(AppError::from)?;
    if u32::try_from(used).unwrap_or(0) > budget {
        return Err(AppError::RateLimited {
            retry_after_secs: u64::try_from(retry_after).unwrap_or(1).max(1),
        }
        .into());
    }
    Ok(())
}

/// Runs `work` in the caller's transaction, committing only if it succeeds.
async fn run<T>(
    mut db: OpenTransaction,
    caller: &Caller,
    work: impl AsyncFnOnce(&mut PgConnection, &Caller) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    match work(&mut db, caller).await {
        Ok(result) => {
            db.commit().await?;
            Ok(result)
        }
        Err(err) => {
            if let Err(failed) = db.rollback().await {
                tracing::warn!(error = %failed, "an API request's transaction did not roll back");
            }
            Err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(uri: &str, authorization: Option<&str>) -> Parts {
        let mut request = http::Request::builder().uri(uri);
        if let Some(value) = authorization {
            request = request.header(http::header::AUTHORIZATION, value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn a_token_comes_only_as_a_bearer_header() {
        assert_eq!(
            bearer(&parts("/api/v1/me", Some("Bearer abc"))).unwrap(),
            Some("abc".into())
        );
        assert_eq!(
            bearer(&parts("/api/v1/me", Some("bearer  abc "))).unwrap(),
            Some("abc".into())
        );
        assert_eq!(bearer(&parts("/api/v1/me", None)).unwrap(), None);
        assert!(bearer(&parts("/api/v1/me", Some("Basic abc"))).is_err());
        assert!(bearer(&parts("/api/v1/me?access_token=abc", None)).is_err());
        assert!(bearer(&parts("/api/v1/me?token=abc", Some("Bearer abc"))).is_err());
        assert_eq!(
            bearer(&parts("/api/v1/clubs?tokenish=1", None)).unwrap(),
            None
        );
    }
}
