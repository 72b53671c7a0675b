//! The deployment kit names only metrics Bookwork serves: every metric in
//! the alerting rules (deploy/prometheus/) and the dashboard
//! (deploy/grafana/) is found in a live scrape of a running server, and the
//! gauges the alerts watch say what the database says.
use std::collections::BTreeSet;

use bookwork::platform::config::Secret;
use sqlx::PgPool;

use crate::common::spawn_app;

/// Bookwork's metric names in a text: words that start like them (rules
/// and panels also name `up` and PromQL functions, which are not ours).
fn metric_names(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            ["http_", "db_pool_", "bookwork_"]
                .iter()
                .any(|p| w.starts_with(p))
        })
        .map(str::to_owned)
        .collect()
}

fn deploy_file(path: &str) -> String {
    std::fs::read_to_string(format!("{}/deploy/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[sqlx::test]
async fn every_metric_the_alerts_and_the_dashboard_name_is_served(pool: PgPool) {
    let rules = metric_names(&deploy_file("prometheus/bookwork-alerts.yml"));
    let dashboard: serde_json::Value =
        serde_json::from_str(&deploy_file("grafana/bookwork.json")).unwrap();
    let mut queries = String::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            queries.push_str(target["expr"].as_str().unwrap());
            queries.push('\n');
        }
    }
    let panels = metric_names(&queries);
    assert!(
        rules.len() >= 10 && panels.len() >= 10,
        "{rules:?} {panels:?}"
    );

    let app = spawn_app(pool.clone()).await;
    let token = "deploy-metrics-token";
    let addr = bookwork::server::metrics::listen(
        "127.0.0.1:0".parse().unwrap(),
        bookwork::server::metrics::router(pool.clone(), 5, Some(Secret::new(token))),
    )
    .await
    .unwrap();
    // One request, so the request counters have a route to count (the
    // recorder counts from when the metrics listener is made).
    assert_eq!(app.get("/").await.status(), 200);
    let body = reqwest::Client::new()
        .get(format!("http://{addr}/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let served: BTreeSet<String> = body
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split(['{', ' ']).next())
        .map(str::to_owned)
        .collect();
    let missing: Vec<&String> = rules
        .union(&panels)
        .filter(|m| !served.contains(*m))
        .collect();
    assert!(
        missing.is_empty(),
        "named but not served: {missing:?}\n{body}"
    );

    // The database's gauges: ready, a clean-up that never ran and no
    // backup yet (0), then a backup recorded as the units record it.
    let value = |body: &str, name: &str| -> f64 {
        body.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in\n{body}"))
    };
    assert_eq!(value(&body, "bookwork_ready"), 1.0);
    assert_eq!(
        value(&body, "bookwork_backup_last_success_timestamp_seconds"),
        0.0
    );
    let max: f64 = sqlx::query_scalar("SELECT current_setting('max_connections')::float8")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(value(&body, "bookwork_db_max_connections"), max);
    sqlx::query("SELECT monitoring.record_backup('full', '20261206-021500F')")
        .execute(&pool)
        .await
        .unwrap();
    let recorded: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM max(finished_at))::float8 FROM monitoring.backups",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let body = reqwest::Client::new()
        .get(format!("http://{addr}/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        value(&body, "bookwork_backup_last_success_timestamp_seconds"),
        recorded
    );
    app.stop().await;
}
