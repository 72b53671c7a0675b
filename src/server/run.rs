//! Start-up and shutdown of the server process.
use std::path::Path;

use super::embedded_pg::EmbeddedPostgres;
use super::{http, leptos_config, maintenance, shutdown, telemetry};
use crate::platform::config::{Config, DatabaseSource};
use crate::platform::db;
use crate::platform::state::AppState;

/// The database the embedded cluster serves Bookwork from.
pub const EMBEDDED_DATABASE: &str = "bookwork";

/// Runs the server until SIGINT/SIGTERM. Every failure before the listener is
/// up is reported as one line and ends the process with a non-zero status.
pub async fn serve() -> Result<(), String> {
    let leptos_options = leptos_config::load()?;
    let project_dir =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let config = Config::from_env(&leptos_options, &project_dir).map_err(|e| e.to_string())?;
    telemetry::init(config.json_logs);

    let (url, embedded) = database_url(&config).await?;
    let result = serve_with_database(&url, config, leptos_options).await;
    if let Some(embedded) = embedded {
        tracing::info!("stopping the embedded database");
        if let Err(err) = embedded.stop().await {
            tracing::error!(error = %err, "could not stop the embedded database");
        }
    }
    result
}

async fn serve_with_database(
    url: &str,
    config: Config,
    leptos_options: leptos::prelude::LeptosOptions,
) -> Result<(), String> {
    let pool = db::connect(url, &config)
        .await
        .map_err(|e| format!("database error: cannot connect: {e}"))?;
    db::migrate(&pool)
        .await
        .map_err(|e| format!("database error: migrations failed: {e}"))?;
    tracing::info!("database migrations are up to date");
    maintenance::spawn(pool.clone(), std::time::Duration::from_secs(3600));

    let addr = config.listen_addr;
    let state = AppState::new(leptos_options, pool.clone(), config);
    let app = http::router(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("configuration error: cannot listen on {addr} (HOST/PORT): {e}"))?;
    tracing::info!("Bookwork is listening on http://{addr}");
    shutdown::serve(listener, app, shutdown::signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The configured database, or the embedded one started for this process
/// (returned so the caller can stop it on exit).
async fn database_url(config: &Config) -> Result<(String, Option<EmbeddedPostgres>), String> {
    match &config.database {
        DatabaseSource::External(url) => Ok((url.expose().to_owned(), None)),
        DatabaseSource::Embedded { dir } => {
            let embedded = start_embedded(dir, false).await?;
            let started_here = embedded.1;
            let url = embedded.0.database_url(EMBEDDED_DATABASE);
            // A cluster another process started is that process's to stop.
            Ok((url, started_here.then_some(embedded.0)))
        }
    }
}

/// Starts (or joins) the embedded cluster under `dir` and makes sure the
/// Bookwork database exists. Returns whether this call started the server.
pub async fn start_embedded(
    dir: &Path,
    fast_unsafe: bool,
) -> Result<(EmbeddedPostgres, bool), String> {
    let embedded =
        EmbeddedPostgres::new(dir, fast_unsafe).map_err(|e| format!("database error: {e}"))?;
    tracing::info!(dir = %embedded.data_dir().display(), "starting the embedded PostgreSQL");
    let started = embedded
        .start()
        .await
        .map_err(|e| format!("database error: {e}"))?;
    embedded
        .ensure_database(EMBEDDED_DATABASE)
        .await
        .map_err(|e| format!("database error: {e}"))?;
    Ok((embedded, started))
}
