//! `Idempotency-Key` on POST: the first request with a key does the work
//! and keeps its answer under (holder, key): the token or program sign-in
//! that made the request, in the same transaction; a retry
//! with the same key and the same request gets that answer again, and one
//! with a different request is refused (422). Two requests with one key at
//! once: the second waits on the first's claim and then replays its answer,
//! so exactly one thing is made. Keys are kept 24 hours.
use axum::response::Response;
use http::request::Parts;
use http::StatusCode;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use super::caller::Caller;
use super::problem::ApiError;
use super::reply::stored;

/// What a create answers, before it is turned into a response (and kept).
pub struct Created {
    pub location: String,
    pub body: serde_json::Value,
}

/// The request's key, if it has one; a 400 when it is unusable.
fn key_of(parts: &Parts) -> Result<Option<String>, ApiError> {
    let Some(value) = parts.headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.as_bytes();
    match key.len() {
        1..=255 if key.iter().all(|b| (b'!'..=b'~').contains(b)) => {
            Ok(Some(String::from_utf8_lossy(key).into_owned()))
        }
        _ => Err(ApiError::unreadable(
            "Idempotency-Key must be 1 to 255 visible ASCII characters, no spaces (a UUID is a good choice).",
        )),
    }
}

/// Runs `make` once per key: a retry of the same request answers what the
/// first answered.
pub async fn once(
    db: &mut PgConnection,
    caller: &Caller,
    parts: &Parts,
    body: &[u8],
    make: impl AsyncFnOnce(&mut PgConnection) -> Result<Created, ApiError>,
) -> Result<Response, ApiError> {
    let Some(key) = key_of(parts)? else {
        let created = make(db).await?;
        return Ok(stored(
            StatusCode::CREATED,
            Some(&created.location),
            &created.body,
        ));
    };
    let mut hash = Sha256::new();
    hash.update(parts.method.as_str());
    hash.update(b" ");
    hash.update(super::request::path_of(parts));
    hash.update(b"\n");
    hash.update(body);
    let request_hash = hex::encode(hash.finalize());

    sqlx::query!(
        "DELETE FROM api_idempotency_keys
          WHERE holder = $1 AND key = $2 AND created_at < now() - interval '24 hours'",
        caller.holder,
        key
    )
    .execute(&mut *db)
    .await?;
    // The claim: a request with the same key in flight holds its row until
    // it commits, so this waits for it and then finds its answer below.
    let claimed = sqlx::query_scalar!(
        "INSERT INTO api_idempotency_keys (holder, user_id, key, request_hash)
         VALUES ($1, $2, $3, $4) ON CONFLICT (holder, key) DO NOTHING RETURNING true",
        caller.holder,
        caller.me.id,
        key,
        request_hash
    )
    .fetch_optional(&mut *db)
    .await?
    .is_some();
    if !claimed {
        let first = sqlx::query!(
            r#"SELECT request_hash, status AS "status!", location, body AS "body!"
                 FROM api_idempotency_keys WHERE holder = $1 AND key = $2"#,
            caller.holder,
            key
        )
        .fetch_one(&mut *db)
        .await?;
        if first.request_hash != request_hash {
            return Err(ApiError::KeyReused);
        }
        let status = StatusCode::from_u16(first.status as u16).unwrap_or(StatusCode::CREATED);
        return Ok(stored(status, first.location.as_deref(), &first.body));
    }
    let created = make(db).await?;
    sqlx::query!(
        "UPDATE api_idempotency_keys SET status = 201, location = $3, body = $4
          WHERE holder = $1 AND key = $2",
        caller.holder,
        key,
        created.location,
        created.body
    )
    .execute(&mut *db)
    .await?;
    Ok(stored(
        StatusCode::CREATED,
        Some(&created.location),
        &created.body,
    ))
}
