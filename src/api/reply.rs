//! How the API answers: JSON with an `ETag` (and `304 Not Modified` when
//! the client's `If-None-Match` still matches), `201 Created` with a
//! `Location`, `204 No Content`, and the `If-Match` check that refuses a
//! write based on a stale read, with the row held from the comparison to
//! the write.
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::problem::ApiError;

/// A representation's entity tag: a strong tag over its JSON, so any change
/// to what a client would read gives a new tag.
pub fn etag_of(value: &impl Serialize) -> String {
    let json = serde_json::to_vec(value).unwrap_or_default();
    let digest = Sha256::digest(&json);
    format!("\"{}\"", hex::encode(&digest[..12]))
}

/// Whether a conditional header's list (`"a", "b"` or `*`) names `etag`.
fn names(list: &str, etag: &str) -> bool {
    list.split(',').map(str::trim).any(|tag| {
        // If-None-Match compares weakly: W/"x" matches "x".
        tag == "*" || tag.trim_start_matches("W/") == etag
    })
}

/// `200` with the value as JSON and its `ETag`, or `304` when the client's
/// `If-None-Match` names that tag already.
pub fn json(parts: &Parts, value: &impl Serialize) -> Response {
    let etag = etag_of(value);
    let tag = HeaderValue::from_str(&etag).expect("an entity tag is a header value");
    let unchanged = parts
        .headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|list| names(list, &etag));
    if unchanged {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
    }
    (
        [(header::ETAG, tag)],
        axum::Json(serde_json::to_value(value).unwrap_or_default()),
    )
        .into_response()
}

/// A response from its parts (as an idempotency key keeps them).
pub fn stored(status: StatusCode, location: Option<&str>, body: &serde_json::Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if let Ok(tag) = HeaderValue::from_str(&etag_of(body)) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// `204 No Content`.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// Refuses a write whose `If-Match` does not name the current version
/// (`current`, the tag a read would give now). Without `If-Match` the write
/// goes ahead: the header is how a client asks not to overwrite a change it
/// has not seen.
pub fn check_if_match(parts: &Parts, current: &impl Serialize) -> Result<(), ApiError> {
    let Some(list) = parts.headers.get(header::IF_MATCH) else {
        return Ok(());
    };
    let list = list.to_str().unwrap_or_default();
    // If-Match compares strongly: a weak tag never matches.
    let etag = etag_of(current);
    let matches = list
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == etag);
    if matches {
        Ok(())
    } else {
        Err(ApiError::Stale)
    }
}

/// A row a change compares against `If-Match` and then writes.
#[derive(Debug, Clone, Copy)]
pub enum Held {
    Club,
    Event,
    Item,
    Book,
}

/// Holds the row until the transaction ends, `FOR UPDATE`: as strongly as
/// the change takes it later (deleting a club, `places::lock_event`,
/// updating an item or a book), so the lock is never upgraded while others
/// wait on it, and the `If-Match` comparison and the write see the same
/// row. Row security hides it from whoever may not change it, who is
/// refused next.
pub async fn hold(db: &mut sqlx::PgConnection, row: Held, id: uuid::Uuid) -> Result<(), ApiError> {
    let statement = match row {
        Held::Club => "SELECT 1 FROM clubs WHERE id = $1 FOR UPDATE",
        Held::Event => "SELECT 1 FROM events WHERE id = $1 FOR UPDATE",
        Held::Item => "SELECT 1 FROM event_items WHERE id = $1 FOR UPDATE",
        Held::Book => "SELECT 1 FROM books WHERE id = $1 FOR UPDATE",
    };
    sqlx::query(statement).bind(id).fetch_optional(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        assert!(names("\"a\"", "\"a\""));
        assert!(names("W/\"a\"", "\"a\""));
        assert!(names("\"b\", \"a\"", "\"a\""));
        assert!(names("*", "\"a\""));
        assert!(!names("\"b\"", "\"a\""));
    }

    #[test]
    fn a_tag_changes_with_the_representation() {
        let one = serde_json::json!({"name": "Readers"});
        let two = serde_json::json!({"name": "Readers!"});
        assert_ne!(etag_of(&one), etag_of(&two));
        assert_eq!(etag_of(&one), etag_of(&one.clone()));
    }
}
