//! Metrics over real HTTP: `/metrics` is not on the site's port; on its own
//! listener it wants the bearer token; a scrape parses as Prometheus text,
//! the counters move with the traffic, and routes are labelled by template
//! (`/clubs/{id}`), never by the raw path.
use std::collections::HashMap;

use bookwork::platform::config::Secret;
use openmetrics_parser::PrometheusValue;
use sqlx::PgPool;
use uuid::Uuid;

use crate::common::{call, sign_up, spawn_app};

/// A scrape's samples: metric family and labels (sorted `k=v` pairs, comma
/// separated) to value; a histogram's value is its count of observations.
async fn scrape(
    client: &reqwest::Client,
    url: &str,
    token: &str,
) -> HashMap<(String, String), f64> {
    let body = client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let exposition = openmetrics_parser::prometheus::parse_prometheus(&body)
        .unwrap_or_else(|e| panic!("the exposition parses: {e:?}\n{body}"));
    let mut samples = HashMap::new();
    for (name, family) in &exposition.families {
        for sample in family.iter_samples() {
            let mut labels: Vec<String> = sample
                .get_labelset()
                .unwrap()
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            labels.sort();
            let value = match &sample.value {
                PrometheusValue::Unknown(n) | PrometheusValue::Gauge(n) => n.as_f64(),
                PrometheusValue::Counter(c) => c.value.as_f64(),
                PrometheusValue::Histogram(h) => h.count.unwrap_or(0) as f64,
                PrometheusValue::Summary(s) => s.count.unwrap_or(0) as f64,
            };
            samples.insert((name.clone(), labels.join(",")), value);
        }
    }
    samples
}

fn get(samples: &HashMap<(String, String), f64>, metric: &str, labels: &str) -> f64 {
    samples
        .get(&(metric.to_owned(), labels.to_owned()))
        .copied()
        .unwrap_or(0.0)
}

#[sqlx::test]
async fn metrics_count_requests_by_route_template_and_are_not_public(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    assert_eq!(
        app.get("/metrics").await.status(),
        404,
        "not on the site's port"
    );
    let token = "scrape-token-for-the-test";
    let addr = bookwork::server::metrics::listen(
        "127.0.0.1:0".parse().unwrap(),
        bookwork::server::metrics::router(pool.clone(), 5, Some(Secret::new(token))),
    )
    .await
    .unwrap();
    let url = format!("http://{addr}/metrics");
    let client = reqwest::Client::new();
    assert_eq!(client.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(
        client
            .get(&url)
            .bearer_auth("nearly-the-token")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let before = scrape(&client, &url, token).await;
    let ada = sign_up(&app, "Ada", "ada-metrics@example.com").await;
    let mut clubs = Vec::new();
    for name in ["Metric Readers", "Counting Club"] {
        let (code, _) = call(
            &app,
            &ada,
            "/api/clubs/create",
            &[
                ("name", name),
                ("description", ""),
                ("max_members", ""),
                ("meeting_frequency", ""),
                ("location", ""),
                ("tags", ""),
                ("time_zone", "UTC"),
                ("is_public", "on"),
            ],
        )
        .await;
        assert!(matches!(code, 200 | 302 | 303), "{code}");
        let id: Uuid = sqlx::query_scalar("SELECT id FROM clubs WHERE name = $1")
            .bind(name)
            .fetch_one(&pool)
            .await
            .unwrap();
        clubs.push(id);
    }
    for club in &clubs {
        assert_eq!(app.get(&format!("/clubs/{club}")).await.status(), 200);
    }
    let stranger = crate::common::cookie_client();
    let (code, _) = call(
        &app,
        &stranger,
        "/api/auth/login",
        &[
            ("email", "ada-metrics@example.com"),
            ("password", "not the password"),
        ],
    )
    .await;
    assert_eq!(code, 422);
    let lost = Uuid::new_v4();
    assert_eq!(
        app.get(&format!("/no/such/page/{lost}")).await.status(),
        404
    );
    let after = scrape(&client, &url, token).await;

    let moved =
        |metric: &str, labels: &str| get(&after, metric, labels) - get(&before, metric, labels);
    assert!(
        moved(
            "http_requests_total",
            "method=GET,route=/clubs/{id},status=2xx"
        ) >= 2.0,
        "{after:?}"
    );
    assert!(
        moved(
            "http_request_duration_seconds",
            "method=GET,route=/clubs/{id},status=2xx"
        ) >= 2.0
    );
    assert!(
        moved(
            "http_requests_total",
            "method=GET,route=(unmatched),status=4xx"
        ) >= 1.0
    );
    assert!(moved("bookwork_sign_ins_total", "outcome=failed") >= 1.0);
    assert_eq!(
        get(
            &after,
            "bookwork_build_info",
            &format!(
                "commit={},version={}",
                env!("BOOKWORK_COMMIT"),
                env!("CARGO_PKG_VERSION")
            )
        ),
        1.0
    );
    assert!(after.keys().any(|(m, _)| m == "db_pool_connections"));
    // Templates only: no id or raw path in any label.
    for (metric, labels) in after.keys() {
        for id in clubs.iter().chain([&lost]) {
            assert!(!labels.contains(&id.to_string()), "{metric}{{{labels}}}");
        }
        assert!(!labels.contains("/no/such"), "{metric}{{{labels}}}");
    }
    app.stop().await;
}
