//! Lists come a page at a time: `{"items": [...], "next_cursor": "..."}`,
//! and a `Link: <...>; rel="next"` header with the address of the next page
//! while there is one. A cursor says where the next page starts (clients
//! pass on the one they were given); `limit` sets the page's size, up to
//! `MAX_LIMIT`.
use axum::response::Response;
use http::request::Parts;
use http::{header, HeaderValue};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problem::ApiError;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// Which page of a list (the query of every list that is read whole).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// From the previous page's `next_cursor`.
    #[param(pattern = "^[0-9]{1,9}$")]
    pub cursor: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next_cursor: Option<String>,
}

/// Where a page starts: the position the cursor names (0 without one).
pub fn start_of(cursor: Option<&str>) -> Result<usize, ApiError> {
    let Some(cursor) = cursor else {
        return Ok(0);
    };
    cursor
        .parse::<u32>()
        .ok()
        .filter(|_| cursor.bytes().all(|b| b.is_ascii_digit()))
        .map(|n| n as usize)
        .ok_or_else(|| {
            ApiError::unreadable("The cursor is not one this list gave: start again without it.")
        })
}

/// The cursor for a page that starts at `start`.
pub fn cursor_at(start: usize) -> String {
    start.to_string()
}

/// The page size asked for, within bounds.
pub fn limit_of(limit: Option<u32>) -> Result<usize, ApiError> {
    match limit.unwrap_or(DEFAULT_LIMIT) {
        n @ 1..=MAX_LIMIT => Ok(n as usize),
        _ => Err(ApiError::unreadable(format!(
            "limit must be between 1 and {MAX_LIMIT}."
        ))),
    }
}

/// The page of `all` a cursor and limit ask for (lists a person reads whole
/// anyway: their clubs, a club's meetings, their notifications).
pub fn page_of<T>(
    all: Vec<T>,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<Page<T>, ApiError> {
    let start = start_of(cursor)?;
    let limit = limit_of(limit)?;
    let more = all.len() > start + limit;
    let items = all.into_iter().skip(start).take(limit).collect();
    Ok(Page {
        items,
        next_cursor: more.then(|| cursor_at(start + limit)),
    })
}

/// The page as JSON (with its ETag) and, when there is a next page, a
/// `Link` to it: this address with the next cursor.
pub fn reply<T: Serialize>(parts: &Parts, page: &Page<T>) -> Response {
    let mut response = super::reply::json(parts, page);
    if let Some(next) = &page.next_cursor {
        let kept = url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .filter(|(name, _)| name != "cursor")
            .collect::<Vec<_>>();
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .append_pair("cursor", next)
            .finish();
        let link = format!("<{}?{query}>; rel=\"next\"", super::request::path_of(parts));
        if let Ok(link) = HeaderValue::from_str(&link) {
            response.headers_mut().insert(header::LINK, link);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_each_other_to_the_end() {
        let all: Vec<u32> = (1..=5).collect();
        let first = page_of(all.clone(), None, Some(2)).unwrap();
        assert_eq!(first.items, vec![1, 2]);
        let second = page_of(all.clone(), first.next_cursor.as_deref(), Some(2)).unwrap();
        assert_eq!(second.items, vec![3, 4]);
        let last = page_of(all, second.next_cursor.as_deref(), Some(2)).unwrap();
        assert_eq!(last.items, vec![5]);
        assert_eq!(last.next_cursor, None);
    }

    #[test]
    fn a_made_up_cursor_or_limit_is_refused() {
        assert!(start_of(Some("nonsense")).is_err());
        assert!(start_of(Some("-1")).is_err());
        assert!(start_of(Some("+1")).is_err());
        assert!(limit_of(Some(0)).is_err());
        assert!(limit_of(Some(MAX_LIMIT + 1)).is_err());
    }
}
