//! /readyz follows the database: it fails while the database is down and
//! recovers when it is back. Uses a private embedded cluster (the same
//! mechanism the server uses by default) so it can be stopped and started.
#![cfg(feature = "ssr")]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use bookwork::platform::db;
use bookwork::server::embedded_pg::EmbeddedPostgres;
use bookwork::server::http;
use common::{spawn_router, test_leptos_options, test_state};

async fn wait_for_status(app: &common::TestApp, expected: u16) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = app.get("/readyz").await.status().as_u16();
        if status == expected || Instant::now() > deadline {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn readyz_reports_a_database_outage_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    // The cluster may run as the unprivileged postgres user; let it in.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let cluster = EmbeddedPostgres::new(&dir.path().join("pg"), true).unwrap();
    assert!(
        cluster.start().await.unwrap(),
        "a new cluster is started by this call"
    );
    cluster.ensure_database("bookwork").await.unwrap();

    let options = test_leptos_options("target/site");
    let config = common::test_config(&options, &[]);
    let pool = db::connect(&cluster.database_url("bookwork"), &config)
        .await
        .unwrap();
    db::migrate(&pool).await.unwrap();
    let app = spawn_router(http::router(test_state(pool.clone(), options)), pool).await;

    assert_eq!(app.get("/readyz").await.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);

    cluster.stop().await.unwrap();
    assert_eq!(
        wait_for_status(&app, 503).await,
        503,
        "database down: not ready"
    );
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the process itself is still up"
    );

    // Data survives the restart.
    assert!(cluster.start().await.unwrap());
    assert_eq!(
        wait_for_status(&app, 200).await,
        200,
        "database back: ready again"
    );
    let migrated: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(migrated > 0);

    app.stop().await;
    cluster.stop().await.unwrap();
    assert!(!cluster.is_running().await.unwrap());
}
