//! Reading a request the API's way: a body, query or id it cannot read is a
//! `400` problem document naming what was wrong, not the framework's plain
//! text.
use axum::extract::{FromRequestParts, Path, Query};
use http::request::Parts;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use uuid::Uuid;

use super::problem::ApiError;

/// The JSON body, or a 400 that says where it went wrong.
pub fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every body is an object: serde would also read a struct from an
    // array of its fields in order, which no client means.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::unreadable("Send a JSON object as the body."));
    }
    let read = serde_json::from_slice(bytes).map_err(|err| {
        ApiError::unreadable(format!("The body is not what this operation takes: {err}."))
    })?;
    let value: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
    refuse_control_characters(&value)?;
    Ok(read)
}

/// The pages' rule for the characters of text (`forms::text_problem`): no
/// invisible control characters, and line breaks only where a text may have
/// several lines; every field's problem at once, as a 422.
fn refuse_control_characters(body: &serde_json::Value) -> Result<(), ApiError> {
    fn texts<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::String(text) => out.push(text),
            serde_json::Value::Array(items) => items.iter().for_each(|item| texts(item, out)),
            serde_json::Value::Object(fields) => fields.values().for_each(|v| texts(v, out)),
            _ => {}
        }
    }
    let Some(fields) = body.as_object() else {
        return Ok(());
    };
    let mut checks = crate::error::Checks::new();
    for (name, value) in fields {
        let mut found = Vec::new();
        texts(value, &mut found);
        if let Some(problem) = found
            .into_iter()
            .find_map(|text| crate::forms::text_problem(name, text))
        {
            checks.add(name, problem);
        }
    }
    Ok(checks.finish()?)
}

/// The query string's parameters, or a 400 naming the bad one.
pub fn query<T: DeserializeOwned + Default>(parts: &Parts) -> Result<T, ApiError> {
    let Some(raw) = parts.uri.query() else {
        return Ok(T::default());
    };
    // The pages' rule for characters holds for a query's text too.
    if let Some((name, _)) = url::form_urlencoded::parse(raw.as_bytes())
        .find(|(name, value)| crate::forms::text_problem(name, value).is_some())
    {
        return Err(ApiError::unreadable(format!(
            "The query's {name} holds a control character or a line break."
        )));
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

/// Two ids from the path (`/clubs/{id}/members/{user}`), or a 400 when
/// either is not a UUID.
pub struct TwoIds(pub Uuid, pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for TwoIds {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<(Uuid, Uuid)>::from_request_parts(parts, state).await {
            Ok(Path((first, second))) => Ok(TwoIds(first, second)),
            Err(_) => Err(ApiError::unreadable(
                "The ids in the address are not UUIDs.",
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

/// A whole number however JSON writes it (`20` or `20.0`), for an `i32`
/// field (one beyond an `i32` is refused, as the description says).
pub fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    let Some(number) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    let whole = number.as_i64().or_else(|| {
        number
            .as_f64()
            .filter(|f| f.fract() == 0.0)
            .map(|f| f.clamp(i64::MIN as f64, i64::MAX as f64) as i64)
    });
    match whole.map(i32::try_from) {
        Some(Ok(n)) => Ok(Some(n)),
        Some(Err(_)) => Err(D::Error::custom(format!("{number} is too large"))),
        None => Err(D::Error::custom(format!("{number} is not a whole number"))),
    }
}

/// [`whole_number`] for a field that may be sent as null to clear it
/// (absent stays `None`).
pub fn sent_whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i32>>, D::Error> {
    whole_number(d).map(Some)
}

/// A field that may be sent as null to clear it: absent is `None`, null is
/// `Some(None)`.
pub fn sent<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
