//! The boundary every server-function call crosses (`POST /api/...`).
//!
//! Before the function runs, the form it was sent is read once, here, for
//! every function: a body that is too large, not form data or not text is a
//! 400/413, and a field holding a control character (other than tab and
//! line breaks: PostgreSQL cannot store NUL, and none belong in a form) is a
//! 422 naming that field. After it runs, its error gets the status it means
//! (server functions answer every error with 500 otherwise), and a plain
//! HTML form post that failed has what was typed kept for the form it goes
//! back to (see `platform::flash`). A database outage is a 503 with
//! `Retry-After`, and a browser gets a page saying nothing was saved.
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{LOCATION, REFERER, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use tower_sessions::Session;

use crate::error::AppError;
use crate::platform::flash;
use crate::platform::responses::{json_error, unavailable_page};

/// The largest form accepted: far above any field's own limit, so a long
/// text gets the field's message ("at most 5000 characters"), not this.
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;
/// Error bodies are small JSON; anything bigger is not ours to reinterpret.
const MAX_ERROR_BYTES: usize = 64 * 1024;
/// The header server functions put on their error responses.
const SERVER_FN_ERROR: &str = "serverfnerror";

pub async fn form_boundary(request: Request, next: Next) -> Response {
    // The public API (`/api/v1`) takes JSON and reads it itself.
    let path = request.uri().path();
    if request.method() != Method::POST
        || !path.starts_with("/api/")
        || path.starts_with("/api/v1/")
    {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let html = flash::accepts_html(request.headers());
    let session = request.extensions().get::<Session>().cloned();
    let (parts, body) = request.into_parts();
    let back = back_to(&parts.headers);

    let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let err = AppError::BadRequest(format!(
                "The form is too large to send (more than {} MB). Shorten what you wrote and try again.",
                MAX_FORM_BYTES / (1024 * 1024)
            ));
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, err, html, &path, &back);
        }
    };
    // Read as form data whatever the Content-Type says: server functions
    // decode any body as a form (`PostUrl`), so a body sent as text/plain
    // must not slip past the checks below.
    let fields = match read_form(&bytes) {
        Ok(fields) => Some(fields),
        Err(err) => return refuse(StatusCode::BAD_REQUEST, err, html, &path, &back),
    };
    if let Some(fields) = &fields {
        if let Err(err) = refuse_control_characters(fields) {
            if let (true, Some(session)) = (html, &session) {
                flash::keep(session, &path, &shown(fields)).await;
            }
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, err, html, &path, &back);
        }
    }

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if html {
        after_html_form_post(response, fields.as_deref(), session.as_ref(), &path, &back).await
    } else {
        with_error_status(response).await
    }
}

/// Decodes `application/x-www-form-urlencoded`, refusing what is not text.
fn read_form(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    let not_text = || {
        AppError::BadRequest(
            "The form could not be read: it was not plain text. Reload the page and try again."
                .to_owned(),
        )
    };
    let decode = |part: &[u8]| -> Result<String, AppError> {
        let spaced: Vec<u8> = part
            .iter()
            .map(|&b| if b == b'+' { b' ' } else { b })
            .collect();
        let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
        String::from_utf8(bytes).map_err(|_| not_text())
    };
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut halves = pair.splitn(2, |&b| b == b'=');
            let name = decode(halves.next().unwrap_or_default())?;
            let value = decode(halves.next().unwrap_or_default())?;
            Ok((name, value))
        })
        .collect()
}

fn refuse_control_characters(fields: &[(String, String)]) -> Result<(), AppError> {
    let mut checks = crate::error::Checks::new();
    for (name, value) in fields {
        if name.chars().any(|c| c.is_control()) {
            return Err(AppError::BadRequest(
                "The form could not be read: a field name held a control character.".to_owned(),
            ));
        }
        if let Some(problem) = crate::forms::text_problem(name, value) {
            checks.add(name, problem);
        }
    }
    checks.finish()
}

/// Typed values as they can be shown again: refused characters become �, so
/// the person sees where they were.
fn shown(fields: &[(String, String)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(name, value)| {
            let value = value
                .chars()
                .map(|c| {
                    if crate::forms::is_refused_character(c) {
                        '\u{FFFD}'
                    } else {
                        c
                    }
                })
                .collect();
            (name.clone(), value)
        })
        .collect()
}

/// Where a failed plain form post goes back to: the page it came from (only
/// its path; the request passed the same-origin check), else home.
fn back_to(headers: &HeaderMap) -> String {
    let back = headers
        .get(REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .map(|url| {
            let mut back = url.path().to_owned();
            let kept: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(k, _)| k != "__path" && k != "__err")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            if !kept.is_empty() {
                back.push('?');
                back.push_str(
                    &url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(kept)
                        .finish(),
                );
            }
            back
        })
        .unwrap_or_else(|| "/".to_owned());
    // A path such as `//evil.example/x` (or `/\evil.example`, which the URL
    // parser turns into it) would send the browser to another site.
    crate::auth::model::safe_next(Some(&back))
}

/// The error answered the way the caller can use it: a browser's plain form
/// post goes back to its form with the error in the address (as Leptos does
/// for a server function's own errors), anything else gets the status and
/// the error as JSON.
fn refuse(status: StatusCode, err: AppError, html: bool, path: &str, back: &str) -> Response {
    if html {
        if err == AppError::Unavailable {
            return unavailable_page();
        }
        return redirect_with_error(back, path, &err);
    }
    json_error(status, &err)
}

fn redirect_with_error(back: &str, path: &str, err: &AppError) -> Response {
    let encoded = base64::engine::general_purpose::URL_SAFE
        .encode(serde_json::to_vec(err).unwrap_or_default());
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("__path", path)
        .append_pair("__err", &encoded)
        .finish();
    let separator = if back.contains('?') { '&' } else { '?' };
    let location = format!("{back}{separator}{query}#{}", problem_anchor(err));
    match HeaderValue::from_str(&location) {
        Ok(location) => (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response(),
        Err(_) => json_error(StatusCode::BAD_REQUEST, err),
    }
}

/// Where on the page a failed plain post lands, so the browser shows the
/// problem rather than the top of the page: the first field named (its
/// input is `field-<name>`), else the form's message (`forms::FormError`
/// gives the first one shown the id `problem`).
fn problem_anchor(err: &AppError) -> String {
    let field = match err {
        AppError::Validation { errors } => errors.first().map(|e| e.field.as_str()),
        _ => None,
    };
    match field {
        Some(field)
            if field != "form" && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            format!("field-{field}")
        }
        _ => crate::forms::PROBLEM_ANCHOR.to_owned(),
    }
}

/// The way back a server function's own refusal gives (Leptos's redirect to
/// the form's page) lands on the problem too.
fn land_on_the_problem(headers: &mut HeaderMap, err: &AppError) {
    let Some(location) = headers.get(LOCATION).and_then(|v| v.to_str().ok()) else {
        return;
    };
    if location.contains('#') {
        return;
    }
    let landed = format!("{location}#{}", problem_anchor(err));
    if let Ok(value) = HeaderValue::from_str(&landed) {
        headers.insert(LOCATION, value);
    }
}

/// A server function's error response gets the status of its error.
async fn with_error_status(response: Response) -> Response {
    if !response.headers().contains_key(SERVER_FN_ERROR)
        || response.status() != StatusCode::INTERNAL_SERVER_ERROR
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(err.status_code()) {
            parts.status = status;
        }
        if let Some(secs) = err.retry_after_secs() {
            parts.headers.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A plain form post answered with a way back to its form: if that is
/// because of an error, keep what was typed; if the error is an outage,
/// say so instead of sending the browser to a page that cannot load either.
/// If it worked and goes back to the form's page, keep what the function
/// answered, so that page can say what was done.
async fn after_html_form_post(
    response: Response,
    fields: Option<&[(String, String)]>,
    session: Option<&Session>,
    path: &str,
    back: &str,
) -> Response {
    // Server functions mark their error responses (redirected or not) and
    // put the error in the body.
    if !response.headers().contains_key(SERVER_FN_ERROR) {
        return match session {
            Some(session) if goes_back(&response, back) => {
                keep_outcome(response, session, path).await
            }
            _ => response,
        };
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let err = serde_json::from_slice::<AppError>(&bytes).unwrap_or(AppError::Internal);
    if err == AppError::Unavailable {
        return unavailable_page();
    }
    if let (Some(fields), Some(session)) = (fields, session) {
        flash::keep(session, path, fields).await;
    }
    let mut parts = parts;
    land_on_the_problem(&mut parts.headers, &err);
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether a successful post's redirect leads back to the page its form is
/// on (and not to a page made by it, such as a new club's).
fn goes_back(response: &Response, back: &str) -> bool {
    let base = url::Url::parse("http://form.invalid/").expect("a valid base URL");
    let path = |location: &str| base.join(location).ok().map(|url| url.path().to_owned());
    let to = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(path);
    response.status().is_redirection() && to.is_some() && to == path(back)
}

/// Keeps the function's answer (small JSON: `null`, a count) for the page.
async fn keep_outcome(response: Response, session: &Session, path: &str) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    flash::keep_done(session, path, &String::from_utf8_lossy(&bytes)).await;
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_and_refuse_what_is_not_text() {
        assert_eq!(
            read_form(b"name=Ada+Lovelace&note=caf%C3%A9&empty=").unwrap(),
            [
                ("name".to_owned(), "Ada Lovelace".to_owned()),
                ("note".to_owned(), "café".to_owned()),
                ("empty".to_owned(), String::new()),
            ]
        );
        assert!(matches!(
            read_form(b"name=%FF%FE%00"),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            read_form(&[0xff, 0xfe, 0x00]),
            Err(AppError::BadRequest(_))
        ));
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn control_characters_are_refused_beside_their_fields() {
        assert!(refuse_control_characters(&fields(&[("note", "a\tb\r\nc")])).is_ok());
        let err = refuse_control_characters(&fields(&[
            ("name", "A\0da"),
            ("ok", "fine"),
            ("city", "x\u{7}"),
        ]))
        .unwrap_err();
        assert_eq!(err.fields(), ["name", "city"]);
        assert_eq!(shown(&fields(&[("name", "A\0da")]))[0].1, "A\u{FFFD}da");
    }

    #[test]
    fn line_breaks_only_in_the_fields_written_in_a_textarea() {
        let form = fields;
        for multi in ["description", "note", "notes", "notes[item-1]"] {
            assert!(
                refuse_control_characters(&form(&[(multi, "one\r\ntwo")])).is_ok(),
                "{multi}"
            );
        }
        let err = refuse_control_characters(&form(&[
            ("name", "Readers\n\nYour account is locked"),
            ("title", "Meet\r"),
            ("description", "fine\nhere"),
            ("slot_date[row-1]", "2027-01-01\n"),
        ]))
        .unwrap_err();
        assert_eq!(err.fields(), ["name", "title", "slot_date[row-1]"]);
        let AppError::Validation { errors } = err else {
            unreachable!()
        };
        assert!(errors.iter().all(|e| e.message.contains("one line")));
    }

    #[test]
    fn a_failed_post_lands_on_its_first_problem() {
        let fields = AppError::Validation {
            errors: vec![
                crate::error::FieldError {
                    field: "title".into(),
                    message: "x".into(),
                },
                crate::error::FieldError {
                    field: "date".into(),
                    message: "y".into(),
                },
            ],
        };
        assert_eq!(problem_anchor(&fields), "field-title");
        assert_eq!(
            problem_anchor(&AppError::validation("form", "z")),
            "problem"
        );
        assert_eq!(problem_anchor(&AppError::Forbidden("no".into())), "problem");
        // A name that is no plain field name never makes a fragment.
        assert_eq!(
            problem_anchor(&AppError::validation("notes[item-1]", "z")),
            "problem"
        );
        let location = redirect_with_error("/clubs/new", "/api/clubs/create", &fields);
        let location = location.headers()[LOCATION].to_str().unwrap().to_owned();
        assert!(
            location.starts_with("/clubs/new?__path=") && location.ends_with("#field-title"),
            "{location}"
        );
    }

    #[test]
    fn going_back_keeps_the_page_but_not_an_old_error_or_another_site() {
        let mut headers = HeaderMap::new();
        headers.insert(
            REFERER,
            HeaderValue::from_static("http://bookwork.test/clubs/new?x=1&__err=abc&__path=/api/y"),
        );
        assert_eq!(back_to(&headers), "/clubs/new?x=1");
        headers.insert(
            REFERER,
            HeaderValue::from_static("https://evil.example/phish"),
        );
        assert_eq!(back_to(&headers), "/phish", "only the path is used");
        assert_eq!(back_to(&HeaderMap::new()), "/");
        // Paths that a browser would read as another site go home instead.
        for referer in [
            "http://bookwork.test//evil.example/x",
            "http://bookwork.test/\\evil.example/x",
            "http://bookwork.test///evil.example",
        ] {
            headers.insert(REFERER, HeaderValue::from_str(referer).unwrap());
            assert_eq!(back_to(&headers), "/", "{referer}");
        }
    }
}
