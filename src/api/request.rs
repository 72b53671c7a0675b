//! Reading a request the API's way: a body, query or id it cannot read is a
//! `400` problem document naming what was wrong, not the framework's plain
//! text.
use axum::extract::{FromRequestParts, Path, Query};
use http::request::Parts;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::problem::ApiError;

/// The JSON body, or a 400 that says where it went wrong.
pub fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::unreadable("Send a JSON object as the body."));
    }
    serde_json::from_slice(bytes).map_err(|err| {
        ApiError::unreadable(format!("The body is not what this operation takes: {err}."))
    })
}

/// The query string's parameters, or a 400 naming the bad one.
pub fn query<T: DeserializeOwned + Default>(parts: &Parts) -> Result<T, ApiError> {
    if parts.uri.query().is_none() {
        return Ok(T::default());
    }
    Query::<T>::try_from_uri(&parts.uri)
        .map(|Query(q)| q)
        .map_err(|err| {
            ApiError::unreadable(format!(
                "The query is not what this operation takes: {}.",
                err.body_text()
            ))
        })
}

/// An id from the path (`/clubs/{id}`), or a 400 when it is not a UUID.
pub struct Id(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<Uuid>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(Id(id)),
            Err(_) => Err(ApiError::unreadable(
                "The id in the address is not a UUID (like 0b3f6c8e-2d4a-4f7e-9a51-6c2d8e4b1a07).",
            )),
        }
    }
}

/// The request's whole path (`/api/v1/...`): inside the API's router the
/// path seen is the part after `/api/v1`.
pub fn path_of(parts: &Parts) -> &str {
    parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or(parts.uri.path(), |original| original.0.path())
}
