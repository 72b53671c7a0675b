//! Application state handed to axum and, through Leptos context, to server functions.
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;
use sqlx::PgPool;

use super::config::Config;
use crate::error::AppError;
use crate::platform::tokens::TokenKeys;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub tokens: Arc<TokenKeys>,
    /// When this instance started, for `/admin/system`'s uptime.
    pub started: Started,
}

/// The moment an instance started: monotonic for the uptime, wall-clock to show.
#[derive(Clone, Copy, Debug)]
pub struct Started {
    pub at: std::time::Instant,
    pub utc: chrono::DateTime<chrono::Utc>,
}

impl Started {
    pub fn now() -> Self {
        Started {
            at: std::time::Instant::now(),
            utc: chrono::Utc::now(),
        }
    }
}

/// This instance, for the operator: its host name and process id.
pub fn instance_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".to_owned());
    format!("{host} (pid {})", std::process::id())
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool, config: Config) -> Self {
        let tokens = Arc::new(TokenKeys::new(
            config.jwt_secret.expose(),
            &config.jwt_issuer,
        ));
        AppState {
            leptos_options,
            pool,
            config: Arc::new(config),
            tokens,
            started: Started::now(),
        }
    }

    pub fn token_keys(&self) -> Arc<TokenKeys> {
        self.tokens.clone()
    }
}

/// The state, from inside a server function or a component rendered on the server.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// A value the middleware put in the extensions of the request being
/// served, from inside a server function or a page's render: read in place
/// (the request's parts are borrowed from the Leptos context, not cloned as
/// an extractor would), `None` outside a request.
pub fn request_extension<T: Clone + Send + Sync + 'static>() -> Option<T> {
    with_context::<http::request::Parts, _>(|parts| parts.extensions.get::<T>().cloned()).flatten()
}
