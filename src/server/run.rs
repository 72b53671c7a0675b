//! Start-up and shutdown of the server process.
use std::path::Path;

use super::embedded_pg::EmbeddedPostgres;
use super::{http, leptos_config, maintenance, roles, shutdown, telemetry};
use crate::notify::mail::Mailer;
use crate::notify::worker::Worker;
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

    let (urls, embedded) = database_urls(&config).await?;
    let result = serve_with_database(&urls, config, leptos_options).await;
    if let Some(embedded) = embedded {
        tracing::info!("stopping the embedded database");
        if let Err(err) = embedded.stop().await {
            tracing::error!(error = %err, "could not stop the embedded database");
        }
    }
    result
}

async fn serve_with_database(
    urls: &DatabaseUrls,
    config: Config,
    leptos_options: leptos::prelude::LeptosOptions,
) -> Result<(), String> {
    db::migrate_at(&urls.migration)
        .await
        .map_err(|e| format!("database error: migrations failed: {e}"))?;
    tracing::info!("database migrations are up to date");
    let pool = db::connect(&urls.app, &config).await.map_err(|e| {
        format!(
            "database error: cannot connect: {}",
            db::connect_failure(&e)
        )
    })?;
    db::warn_unless_least_privilege(&pool).await;
    if let Some(addr) = config.metrics_addr {
        let scrape = super::metrics::router(
            pool.clone(),
            config.max_connections,
            config.metrics_token.clone(),
        );
        let bound = super::metrics::listen(addr, scrape).await?;
        tracing::info!("metrics for Prometheus at http://{bound}/metrics");
    }
    maintenance::spawn(pool.clone(), std::time::Duration::from_secs(3600));
    let mailer = Mailer::from_config(&config.mail)?;
    if config.mail.smtp_url.is_none() {
        tracing::info!(dir = %config.mail.dir.display(), "no SMTP_URL: e-mail is written to files here");
    }
    Worker::new(pool.clone(), &config, mailer).spawn(config.notify_interval);

    super::assets::precompress_in_background(
        std::path::Path::new(&*leptos_options.site_root).join(&*leptos_options.site_pkg_dir),
    );
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

/// The logins Bookwork uses: the server's, and the one migrations run as.
pub struct DatabaseUrls {
    pub app: String,
    pub migration: String,
}

/// The configured database, or the embedded one (started for this process
/// if it was not running: returned so the caller can stop it on exit). The
/// embedded one serves as `bookwork_app` and migrates as `bookwork_owner`.
pub async fn database_urls(
    config: &Config,
) -> Result<(DatabaseUrls, Option<EmbeddedPostgres>), String> {
    match &config.database {
        DatabaseSource::External { app, migration } => Ok((
            DatabaseUrls {
                app: app.expose().to_owned(),
                migration: migration.expose().to_owned(),
            },
            None,
        )),
        DatabaseSource::Embedded { dir } => {
            let (cluster, started_here) = start_embedded(dir, false).await?;
            let urls = DatabaseUrls {
                app: cluster.database_url_as(EMBEDDED_DATABASE, roles::APP),
                migration: cluster.database_url_as(EMBEDDED_DATABASE, roles::OWNER),
            };
            // A cluster another process started is that process's to stop.
            Ok((urls, started_here.then_some(cluster)))
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
