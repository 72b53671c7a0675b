//! Test harness: the real router, served over real HTTP on port 0, against the
//! database `#[sqlx::test]` created for the test, with a cookie-keeping client.
#![allow(dead_code)]

pub mod cast;
pub mod process;
pub mod smtp;
pub mod wire;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;

use axum::Router;
use bookwork::platform::config::{Config, EnvSource};
use bookwork::platform::state::AppState;
use bookwork::server::{http, shutdown};
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub pool: PgPool,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task panicked")
                .expect("server failed");
        }
    }
}

/// Configuration as a test deployment would have it: explicit values only.
pub fn test_config(leptos: &LeptosOptions, extra: &[(&str, &str)]) -> Config {
    let mut vars: HashMap<String, String> = HashMap::from([
        (
            "JWT_SECRET".to_owned(),
            "test-signing-key-that-is-long-enough-0123456789".to_owned(),
        ),
        ("JWT_ISSUER".to_owned(), "bookwork-test".to_owned()),
        (
            "DATABASE_URL".to_owned(),
            "postgres://unused-in-tests/bookwork".to_owned(),
        ),
        // reqwest's cookie store honours Secure, and tests speak plain http.
        ("COOKIE_SECURE".to_owned(), "false".to_owned()),
    ]);
    for (k, v) in extra {
        vars.insert((*k).to_owned(), (*v).to_owned());
    }
    Config::from_source(
        &EnvSource(move |k| vars.get(k).cloned()),
        leptos,
        Path::new("."),
    )
    .expect("test configuration is valid")
}

pub fn test_leptos_options(site_root: &str) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("bookwork")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .build()
}

/// The state of a server under test: configured by `extra` on top of
/// [`test_config`], and with a pool of its own built with the settings
/// production uses, on the database `#[sqlx::test]` made for the test.
///
/// Not the test's own pool: that one allows 5 connections and waits 30 s for
/// one, so a page that needed more would hang where production fails fast.
/// And not its login either: the test's pool is the owner's (it made the
/// database and its fixtures), the server logs in as `bookwork_app`, with
/// the least privilege Bookwork ships with, under row-level security.
pub fn test_state_with(
    test_pool: &PgPool,
    leptos_options: LeptosOptions,
    extra: &[(&str, &str)],
) -> AppState {
    let config = test_config(&leptos_options, extra);
    let pool = bookwork::platform::db::pool_options(&config).connect_lazy_with(
        (*test_pool.connect_options())
            .clone()
            .username(bookwork::server::roles::APP),
    );
    AppState::new(leptos_options, pool, config)
}

pub fn test_state(pool: PgPool, leptos_options: LeptosOptions) -> AppState {
    test_state_with(&pool, leptos_options, &[])
}

/// Boots the real router for `pool` on 127.0.0.1:0.
pub async fn spawn_app(pool: PgPool) -> TestApp {
    let state = test_state(pool.clone(), test_leptos_options("target/site"));
    spawn_router(http::router(state), pool).await
}

/// [`spawn_app`] for a test that signs up more people than one client may
/// in an hour (`SIGN_UPS_PER_HOUR`, 30): its crowd stands for people on
/// many networks, not one script. The limit has tests of its own.
pub async fn spawn_app_for_a_crowd(pool: PgPool) -> TestApp {
    spawn_app_with(pool, &[("SIGN_UPS_PER_HOUR", "1000")]).await
}

/// [`spawn_app`] configured by `extra` on top of [`test_config`].
pub async fn spawn_app_with(pool: PgPool, extra: &[(&str, &str)]) -> TestApp {
    let state = test_state_with(&pool, test_leptos_options("target/site"), extra);
    spawn_router(http::router(state), pool).await
}

/// [`spawn_app`] whose server reaches the database through a
/// [`wire::Relay`], which counts the statements it sends.
pub async fn spawn_app_counted(pool: PgPool) -> (TestApp, wire::Relay) {
    let relay = wire::Relay::start(&pool.connect_options());
    let leptos = test_leptos_options("target/site");
    let config = test_config(&leptos, &[]);
    let options = relay.options(
        (*pool.connect_options())
            .clone()
            .username(bookwork::server::roles::APP),
    );
    let server_pool = bookwork::platform::db::pool_options(&config).connect_lazy_with(options);
    let state = AppState::new(leptos, server_pool, config);
    (spawn_router(http::router(state), pool).await, relay)
}

pub async fn spawn_router(app: Router, pool: PgPool) -> TestApp {
    // `TEST_LOG=1` shows the server's logs (errors it keeps from clients).
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("bookwork=debug,warn")
            .with_test_writer()
            .try_init();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(shutdown::serve(listener, app, async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        addr,
        client,
        pool,
        stop: Some(stop),
        server: Some(server),
    }
}

/// A client that keeps cookies and does not follow redirects, like one browser.
/// The password every test account signs up with.
pub const PASSWORD: &str = "a long walk to the library";

/// Signs a new account up through the real endpoint; returns a client that
/// holds its sign-in cookies.
pub async fn sign_up(app: &TestApp, name: &str, email: &str) -> reqwest::Client {
    let c = cookie_client();
    let r = c
        .post(app.url("/api/auth/register"))
        .form(&[("name", name), ("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_redirection() || r.status().is_success(),
        "sign-up of {email}: {}",
        r.status()
    );
    c
}

/// Signs an existing account in through the real endpoint (with
/// [`PASSWORD`]); returns a client holding that sign-in's cookies.
pub async fn sign_in(app: &TestApp, email: &str) -> reqwest::Client {
    let c = cookie_client();
    call(
        app,
        &c,
        "/api/auth/login",
        &[("email", email), ("password", PASSWORD)],
    )
    .await;
    c
}

pub fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// POSTs a form to `path` and returns the status and the JSON body (or null).
pub async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    send_form(app, client, path, form).await
}

/// [`call`] for any form that serializes (owned pairs, say).
pub async fn send_form<F: serde::Serialize + ?Sized>(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &F,
) -> (u16, serde_json::Value) {
    let response = client.post(app.url(path)).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// The fields a validation error body names, comma-separated in order
/// (`{"Validation":{"errors":[{"field":..,"message":..}]}}`), or "" when the
/// body is no validation error.
pub fn invalid_fields(body: &serde_json::Value) -> String {
    body["Validation"]["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

/// The message a validation error body gives for `field`.
pub fn invalid_message(body: &serde_json::Value, field: &str) -> String {
    body["Validation"]["errors"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["field"] == field))
        .and_then(|e| e["message"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// What a browser without JavaScript does with a form: a plain POST to
/// `path` from the page at `from`, then the page the answer redirects to.
/// Returns the redirect's status and that page's HTML.
pub async fn plain_form_post<K: serde::Serialize, V: serde::Serialize>(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    from: &str,
    form: &[(K, V)],
) -> (u16, String) {
    let r = client
        .post(app.url(path))
        .header("accept", "text/html")
        .header("referer", app.url(from))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    assert!(r.status().is_redirection(), "{path}: {status}");
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    // Leptos answers with the referer as sent (absolute), the form boundary
    // with a path.
    let location = if location.starts_with('/') {
        app.url(&location)
    } else {
        location
    };
    let page = client
        .get(location)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (status, page)
}

/// The page `client` sees at `path`, as a browser asks for it (HTML).
pub async fn page_text(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    client
        .get(app.url(path))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A private club, "Quiet Readers", made by `owner` through its form: its id.
pub async fn private_club(app: &TestApp, owner: &reqwest::Client) -> String {
    let r = owner
        .post(app.url("/api/clubs/create"))
        .form(&[
            ("name", "Quiet Readers"),
            ("description", ""),
            ("max_members", ""),
            ("meeting_frequency", ""),
            ("location", ""),
            ("tags", ""),
        ])
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    location.trim_start_matches("/clubs/").to_owned()
}

/// The date `days` from today (UTC), as a form sends it (YYYY-MM-DD): for
/// closing times, which may be at most a year ahead.
pub fn in_days(days: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(days)).to_string()
}

/// A TCP port on 127.0.0.1 that was free a moment ago, for a process a
/// test starts (a server, PgBouncer, a PostgreSQL on TCP).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
