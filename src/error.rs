//! The one error type shared by server functions, pages and the HTTP layer.
//!
//! It crosses the wire to the browser, so it carries only what a user may
//! read: database and internal details are logged on the server and replaced
//! by an opaque `Internal` (or `Unavailable` when the database cannot be
//! reached).
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// How long a client is asked to wait before trying again after
/// [`AppError::Unavailable`].
pub const RETRY_AFTER_UNAVAILABLE_SECS: u64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Not found.")]
    NotFound,
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    /// What is wrong with the fields of a form: every one of them at once.
    #[error("{}", summary(.errors))]
    Validation { errors: Vec<FieldError> },
    /// The request itself could not be read (not form data, not text, fields
    /// missing or of the wrong kind): a broken client, not a person's typing.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Please try again {}.", wait_in_words(*.retry_after_secs))]
    RateLimited { retry_after_secs: u64 },
    /// The database cannot be reached right now; nothing was saved.
    #[error(
        "Bookwork is briefly unavailable, so nothing was saved. Please try again in a moment."
    )]
    Unavailable,
    /// The request ran out of time; what it was doing may or may not have
    /// been saved.
    #[error(
        "Bookwork took too long to answer. Check whether your change was saved, then try again."
    )]
    TimedOut,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// Transport problems seen by the browser (network down, bad response).
    #[error("Could not reach Bookwork: {0}")]
    Transport(String),
}

/// One field's problem, shown beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// "in 40 seconds", "in 12 minutes", "in about 2 hours": a wait as a person
/// says it, never shorter than it is.
pub fn wait_in_words(secs: u64) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    if secs <= 1 {
        return "in a second".to_owned();
    }
    if secs < MINUTE {
        return format!("in {secs} seconds");
    }
    match secs.div_ceil(MINUTE) {
        1 => "in a minute".to_owned(),
        minutes @ 2..=59 => format!("in {minutes} minutes"),
        60 => "in an hour".to_owned(),
        _ => format!("in about {} hours", secs.div_ceil(HOUR)),
    }
}

fn summary(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.message.clone(),
        _ => format!("Please correct the {} fields marked below.", errors.len()),
    }
}

impl AppError {
    /// A validation error about one field.
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            errors: vec![FieldError {
                field: field.to_owned(),
                message: message.into(),
            }],
        }
    }

    /// The message for `field`, when this is a validation error about it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation { errors } => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The fields this error is about (none unless it is a validation error).
    pub fn fields(&self) -> Vec<&str> {
        match self {
            AppError::Validation { errors } => errors.iter().map(|e| e.field.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    /// The HTTP status that represents this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden(_) => 403,
            AppError::Validation { .. } => 422,
            AppError::BadRequest(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Unavailable | AppError::TimedOut => 503,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// Seconds a client should wait before trying again, when that is the point.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            AppError::Unavailable | AppError::TimedOut => Some(RETRY_AFTER_UNAVAILABLE_SECS),
            _ => None,
        }
    }
}

/// Collects the problems of a whole form, so a person sees every one of them
/// at once rather than one per try.
#[derive(Debug, Default)]
pub struct Checks {
    errors: Vec<FieldError>,
    /// A failure that is not about a field (the database is down, ...): it
    /// wins over field problems.
    other: Option<AppError>,
}

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }

    /// The value when `result` is fine; otherwise notes its problems and
    /// gives `None`.
    pub fn check<T>(&mut self, result: Result<T, AppError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(AppError::Validation { errors }) => {
                self.errors.extend(errors);
                None
            }
            Err(other) => {
                self.other.get_or_insert(other);
                None
            }
        }
    }

    /// Notes a problem with `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn is_clean(&self) -> bool {
        self.errors.is_empty() && self.other.is_none()
    }

    /// `Ok` when nothing was noted, else the error for all of it.
    pub fn finish(self) -> Result<(), AppError> {
        match (self.other, self.errors.is_empty()) {
            (Some(other), _) => Err(other),
            (None, true) => Ok(()),
            (None, false) => Err(AppError::Validation {
                errors: self.errors,
            }),
        }
    }

    /// [`finish`](Self::finish), then `value` (which every check produced).
    pub fn done<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, AppError> {
        self.finish()?;
        value().ok_or(AppError::Internal)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(msg) | ServerFnErrorErr::Response(msg) => {
                AppError::Transport(msg)
            }
            // The body did not decode into the function's arguments: a field
            // missing, text where a number or id belongs, not form data.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest(
                "The form could not be read: something in it was missing or not in the expected \
                 format. Reload the page and try again."
                    .to_owned(),
            ),
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => AppError::NotFound,
            other if database_unreachable(&other) => {
                tracing::warn!(error = %other, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

/// Errors that mean "the database cannot be reached right now" rather than
/// "this query is wrong": no connection to be had, the connection broke, or
/// the server is starting up or shutting down.
#[cfg(feature = "ssr")]
pub fn database_unreachable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08: connection exception; 57P01-57P03: admin shutdown, crash
            // shutdown, cannot connect now; 53300: too many connections.
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    #[test]
    fn waits_are_said_in_words_and_never_shorter_than_they_are() {
        let said: Vec<String> = [1, 2, 59, 60, 61, 3599, 3600, 3601]
            .into_iter()
            .map(super::wait_in_words)
            .collect();
        assert_eq!(
            said,
            [
                "in a second",
                "in 2 seconds",
                "in 59 seconds",
                "in a minute",
                "in 2 minutes",
                "in an hour",
                "in an hour",
                "in about 2 hours",
            ]
        );
    }

    use super::*;

    #[test]
    fn validation_errors_name_their_fields() {
        let err = AppError::validation("email", "Enter an email address.");
        assert_eq!(
            err.field_message("email").as_deref(),
            Some("Enter an email address.")
        );
        assert_eq!(err.field_message("name"), None);
        assert_eq!(err.status_code(), 422);
        assert_eq!(err.to_string(), "Enter an email address.");
    }

    #[test]
    fn checks_report_every_field_at_once() {
        let mut checks = Checks::new();
        let name: Option<&str> = checks.check(Err(AppError::validation("name", "Enter a name.")));
        let age = checks.check(Ok::<_, AppError>(3));
        checks.add("email", "Enter an email.");
        assert_eq!((name, age), (None, Some(3)));
        let err = checks.finish().unwrap_err();
        assert_eq!(err.fields(), ["name", "email"]);
        assert_eq!(err.to_string(), "Please correct the 2 fields marked below.");

        let mut down = Checks::new();
        down.add("name", "Enter a name.");
        down.check::<()>(Err(AppError::Unavailable));
        assert_eq!(down.finish(), Err(AppError::Unavailable), "an outage wins");
        assert_eq!(Checks::new().finish(), Ok(()));
    }

    #[test]
    fn errors_round_trip_through_json() {
        for err in [
            AppError::RateLimited {
                retry_after_secs: 7,
            },
            AppError::validation("title", "Give it a title."),
            AppError::Unavailable,
        ] {
            let json = serde_json::to_string(&err).unwrap();
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), err);
        }
    }
}
