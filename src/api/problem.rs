//! The API's one error shape: RFC 9457 `application/problem+json`, with a
//! stable `type` per kind of problem, the status, a sentence for people,
//! and every invalid field at once. Made from the `AppError` the domain
//! functions return, so the pages and the API refuse alike.
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;

/// A field the request got wrong, and what is wrong with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvalidField {
    pub field: String,
    pub message: String,
}

/// What went wrong (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; stable, so programs may match it.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What happened, in words for people.
    pub detail: String,
    /// For a validation problem: every field that was refused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<InvalidField>,
}

/// The problem kinds' names under this prefix (documented in docs/API.md).
const TYPES: &str = "https://bookwork.example/problems/";

impl From<&AppError> for Problem {
    fn from(err: &AppError) -> Problem {
        let (kind, title) = match err {
            AppError::NotFound => ("not-found", "Not found"),
            AppError::Unauthorized => ("unauthenticated", "Authentication needed"),
            AppError::Forbidden(_) => ("forbidden", "Not allowed"),
            AppError::Validation { .. } => ("invalid", "Invalid request"),
            AppError::BadRequest(_) => ("bad-request", "Unreadable request"),
            AppError::Conflict(_) => ("conflict", "Conflict"),
            AppError::RateLimited { .. } => ("rate-limited", "Too many requests"),
            AppError::Unavailable | AppError::TimedOut => ("unavailable", "Briefly unavailable"),
            AppError::Internal | AppError::Transport(_) => ("internal", "Internal error"),
        };
        let errors = match err {
            AppError::Validation { errors } => errors
                .iter()
                .map(|e| InvalidField {
                    field: e.field.clone(),
                    message: e.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        Problem {
            kind: format!("{TYPES}{kind}"),
            title: title.to_owned(),
            status: err.status_code(),
            detail: err.to_string(),
            errors,
        }
    }
}

impl Problem {
    /// A problem for a bare status (what the framework refused before the
    /// API's own code ran).
    pub fn for_status(status: http::StatusCode) -> Problem {
        let (kind, detail) = match status.as_u16() {
            405 => (
                "method-not-allowed",
                "This address does not take that method; Allow lists those it does.",
            ),
            413 => ("too-large", "The body is too large."),
            415 => (
                "unsupported-media-type",
                "Send the body as application/json.",
            ),
            404 => ("not-found", "Not found."),
            _ => ("bad-request", "The request could not be handled."),
        };
        let title = status.canonical_reason().unwrap_or("Error");
        Problem::of(kind, title, status.as_u16(), detail)
    }

    fn of(kind: &str, title: &str, status: u16, detail: &str) -> Problem {
        Problem {
            kind: format!("{TYPES}{kind}"),
            title: title.to_owned(),
            status,
            detail: detail.to_owned(),
            errors: Vec::new(),
        }
    }
}

/// An API error: the problem document with its status, `Retry-After` when
/// waiting helps, and `WWW-Authenticate` when a token is needed.
#[derive(Debug)]
pub enum ApiError {
    /// What the domain functions (and the pages) refuse.
    App(AppError),
    /// `If-Match` names a version that is no longer the current one: someone
    /// else changed it since the client read it.
    Stale,
    /// An `Idempotency-Key` used before for a different request.
    KeyReused,
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> ApiError {
        ApiError::App(err)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> ApiError {
        ApiError::App(AppError::from(err))
    }
}

impl ApiError {
    /// A request the API cannot read (bad JSON, a malformed id or query).
    pub fn unreadable(detail: impl Into<String>) -> ApiError {
        ApiError::App(AppError::BadRequest(detail.into()))
    }

    fn problem(&self) -> Problem {
        match self {
            ApiError::App(err) => Problem::from(err),
            ApiError::Stale => Problem::of(
                "stale",
                "Changed since you read it",
                412,
                "Someone changed this since you read it (If-Match no longer matches). Read it again, then make your change.",
            ),
            ApiError::KeyReused => Problem::of(
                "idempotency-key-reused",
                "Idempotency-Key already used",
                422,
                "This Idempotency-Key was used in the last 24 hours for a different request. Use a new key for a new request.",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = self.problem();
        let status = http::StatusCode::from_u16(problem.status)
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (
            status,
            [(http::header::CONTENT_TYPE, "application/problem+json")],
            serde_json::to_string(&problem).unwrap_or_default(),
        )
            .into_response();
        let headers = response.headers_mut();
        if let Some(secs) = match &self {
            ApiError::App(err) => err.retry_after_secs(),
            _ => None,
        } {
            headers.insert(http::header::RETRY_AFTER, secs.into());
        }
        if status == http::StatusCode::UNAUTHORIZED {
            headers.insert(
                http::header::WWW_AUTHENTICATE,
                http::HeaderValue::from_static("Bearer realm=\"bookwork\""),
            );
        }
        response
    }
}
