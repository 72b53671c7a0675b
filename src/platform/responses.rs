//! Responses made outside any page or server function (by middleware), in
//! the shapes their callers understand: JSON errors for scripts, and a plain
//! page for a browser when the database is unreachable.
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// `err` for whoever asked: a page for a browser (`html`) when Bookwork is
/// unavailable, JSON with the error's own status otherwise.
pub fn error_response(err: &AppError, html: bool) -> Response {
    match err {
        AppError::Unavailable if html => unavailable_page(),
        _ => json_error(
            StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            err,
        ),
    }
}

/// An error as server functions send it: JSON the browser side decodes.
pub fn json_error(status: StatusCode, err: &AppError) -> Response {
    let mut response = (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        serde_json::to_string(err).unwrap_or_default(),
    )
        .into_response();
    if let Some(secs) = err.retry_after_secs() {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// The page a browser gets while the database is unreachable. Plain HTML
/// with nothing to load: it must not need the things that are down.
pub fn unavailable_page() -> Response {
    plain_page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Bookwork is briefly unavailable",
        "We can't reach our database right now, so nothing was saved. Please try again in a \
         moment (your browser's back button keeps what you typed).",
        Some(crate::error::RETRY_AFTER_UNAVAILABLE_SECS),
    )
}

/// A self-contained page (no styles or scripts to fetch) saying `message`.
pub fn plain_page(
    status: StatusCode,
    heading: &str,
    message: &str,
    retry_after_secs: Option<u64>,
) -> Response {
    // Callers pass fixed words today; escaped so that one passing a name
    // one day cannot put markup in the page.
    let heading = html_escape::encode_text(heading);
    let message = html_escape::encode_text(message);
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{heading} · Bookwork</title></head><body><main><h1>{heading}</h1><p>{message}</p>\
         <p><a href=\"/\">Go to the home page</a></p></main></body></html>"
    );
    let mut response = (
        status,
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response();
    if let Some(secs) = retry_after_secs {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_plain_page_shows_markup_in_its_words_as_text() {
        let response = plain_page(
            StatusCode::NOT_FOUND,
            "</title><base href=\"https://evil.example/\">",
            "<script>alert(1)</script> & more",
            None,
        );
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(
            !body.contains("<base") && !body.contains("<script"),
            "{body}"
        );
        assert!(body.contains(
            "<title>&lt;/title&gt;&lt;base href=\"https://evil.example/\"&gt; · Bookwork</title>"
        ));
        assert!(body.contains("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>"));
    }
}
