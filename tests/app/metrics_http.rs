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

/// The value of a sample that must be there.
fn value(samples: &HashMap<(String, String), f64>, metric: &str, labels: &str) -> f64 {
    *samples
        .get(&(metric.to_owned(), labels.to_owned()))
        .unwrap_or_else(|| panic!("no {metric}{{{labels}}} in {samples:#?}"))
}

/// The label names `metric`'s samples carry (each sample the same).
fn label_names(samples: &HashMap<(String, String), f64>, metric: &str) -> Vec<String> {
    let mut names: Vec<Vec<String>> = samples
        .keys()
        .filter(|(m, _)| m == metric)
        .map(|(_, labels)| {
            labels
                .split(',')
                .filter(|l| !l.is_empty())
                .map(|l| l.split_once('=').unwrap().0.to_owned())
                .collect()
        })
        .collect();
    assert!(!names.is_empty(), "no {metric} at all");
    names.dedup();
    assert_eq!(names.len(), 1, "{metric}: {names:?}");
    names.remove(0)
}

/// Every metric the README lists under "Operating it", scraped from a real
/// `bookwork` process of its own (the recorder is one per process, so every
/// count below is this test's actions alone, and exact), with the labels
/// the README gives each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_metric_the_readme_lists_is_exported_and_counts_what_happened() {
    use crate::common::process::{start_bookwork, wait_for};
    use crate::common::{free_port, PASSWORD};
    use sqlx::Connection;
    use std::time::Duration;

    const TOKEN: &str = "scrape-token-for-the-process";
    let owner_url = std::env::var("DATABASE_URL").expect("DATABASE_URL (the test cluster's owner)");
    let db = format!(
        "bookwork_metrics_{}",
        &Uuid::new_v4().simple().to_string()[..8]
    );
    let mut admin = sqlx::PgConnection::connect(&owner_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let mut url = url::Url::parse(&owner_url).unwrap();
    url.set_path(&format!("/{db}"));
    let direct = url.to_string();
    url.set_username(bookwork::server::roles::APP).unwrap();
    let app_url = url.to_string();
    bookwork::platform::db::migrate_at(&direct).await.unwrap();
    let fixtures = PgPool::connect(&direct).await.unwrap();
    // Three rate-limit records two days old: the clean-up at start-up
    // removes these and nothing else.
    sqlx::query(
        "INSERT INTO auth_attempts (key, created_at)
         SELECT 'client:192.0.2.' || n, now() - interval '2 days' FROM generate_series(1, 3) n",
    )
    .execute(&fixtures)
    .await
    .unwrap();

    let home = tempfile::tempdir().unwrap();
    let metrics_addr = format!("127.0.0.1:{}", free_port());
    let (server, port) = start_bookwork(
        home.path(),
        "metrics",
        &[
            ("DATABASE_URL", &app_url),
            ("MIGRATION_DATABASE_URL", &direct),
            ("METRICS_ADDR", &metrics_addr),
            ("METRICS_TOKEN", TOKEN),
            ("REQUEST_TIMEOUT", "2s"),
            ("DB_MAX_OPEN_CONNS", "3"),
            ("DB_MAX_IDLE_CONNS", "3"),
            // The pool tops itself up to 3 within a second.
            ("DB_CONN_MAX_IDLE_TIME", "1s"),
            ("NOTIFY_INTERVAL", "1h"),
        ],
        Duration::from_secs(60),
    )
    .await;
    let site = |path: &str| format!("http://127.0.0.1:{port}{path}");
    let metrics_url = format!("http://{metrics_addr}/metrics");
    let scraper = reqwest::Client::new();
    let scraped = || {
        let (client, url) = (scraper.clone(), metrics_url.clone());
        async move { scrape(&client, &url, TOKEN).await }
    };
    // The clean-up took its turn at start-up.
    wait_for(
        "the start-up clean-up to be counted",
        Duration::from_secs(30),
        || {
            let scrape = scraped();
            async move {
                let s = scrape.await;
                s.contains_key(&(
                    "bookwork_cleanup_runs_total".to_owned(),
                    "result=ok".to_owned(),
                ))
                .then_some(())
            }
        },
    )
    .await;

    let post = |client: &reqwest::Client, path: &str, form: &[(&str, &str)]| {
        client.post(site(path)).form(form).send()
    };
    let person = |name: &'static str| {
        let client = crate::common::cookie_client();
        let request = post(
            &client,
            "/api/auth/register",
            &[
                ("name", name),
                ("email", &format!("{name}@example.com")),
                ("password", PASSWORD),
            ],
        );
        async move {
            assert!(
                request.await.unwrap().status().as_u16() < 400,
                "sign-up of {name}"
            );
            client
        }
    };
    let _ada_sign_up = person("ada").await;
    let bea = person("bea").await;
    let id = |name: &'static str| {
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM users WHERE email = $1")
            .bind(format!("{name}@example.com"))
            .fetch_one(&fixtures)
    };
    let (ada_id, bea_id) = (id("ada").await.unwrap(), id("bea").await.unwrap());

    // Sign-ins: one good, five wrong passwords, then the account's limit.
    let ada = crate::common::cookie_client();
    let r = post(
        &ada,
        "/api/auth/login",
        &[("email", "ada@example.com"), ("password", PASSWORD)],
    )
    .await
    .unwrap();
    assert!(r.status().as_u16() < 400, "{}", r.status());
    let stranger = reqwest::Client::new();
    for attempt in 1..=6 {
        let r = post(
            &stranger,
            "/api/auth/login",
            &[
                ("email", "ada@example.com"),
                ("password", "not the password"),
            ],
        )
        .await
        .unwrap();
        assert_eq!(
            r.status(),
            if attempt <= 5 { 422 } else { 429 },
            "attempt {attempt}"
        );
    }

    // A public club's page, twice; a page that does not exist, once.
    let club: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Counting Club', $1, true) RETURNING id",
    )
    .bind(ada_id)
    .fetch_one(&fixtures)
    .await
    .unwrap();
    for (who, role) in [(ada_id, "admin"), (bea_id, "member")] {
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(club)
            .bind(who)
            .bind(role)
            .execute(&fixtures)
            .await
            .unwrap();
    }
    for _ in 0..2 {
        assert_eq!(
            stranger
                .get(site(&format!("/clubs/{club}")))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    assert_eq!(
        stranger
            .get(site("/no/such/page"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // RSVPs for one place: Ada takes it, Bea waits, Ada drops out, Bea
    // moves up.
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location, max_attendees)
         VALUES ($1, 'Counting night', current_date + 7, '19:00', 'Library', 1) RETURNING id",
    )
    .bind(club)
    .fetch_one(&fixtures)
    .await
    .unwrap();
    let event_s = event.to_string();
    for (who, status) in [
        (&ada, "available"),
        (&bea, "available"),
        (&ada, "unavailable"),
    ] {
        let r = post(
            who,
            "/api/events/rsvp",
            &[("event", &event_s), ("status", status), ("note", "")],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "{status}");
    }

    // Refresh tokens: one rotated, the old one replayed a minute later, and
    // one nobody issued.
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = post(
        &plain,
        "/api/auth/register",
        &[
            ("name", "Cleo"),
            ("email", "cleo@example.com"),
            ("password", PASSWORD),
        ],
    )
    .await
    .unwrap();
    let refresh_cookie = |r: &reqwest::Response| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|c| c.to_str().ok()?.strip_prefix("bw_refresh="))
            .map(|c| c.split(';').next().unwrap().to_owned())
            .next()
            .expect("a refresh cookie")
    };
    let first = refresh_cookie(&r);
    let me = |token: String| {
        plain
            .post(site("/api/auth/me"))
            .header("cookie", format!("bw_refresh={token}"))
            .send()
    };
    let r = me(first.clone()).await.unwrap();
    assert_ne!(refresh_cookie(&r), first, "rotated");
    sqlx::query("UPDATE refresh_tokens SET used_at = used_at - interval '1 minute' WHERE used_at IS NOT NULL")
        .execute(&fixtures)
        .await
        .unwrap();
    assert_eq!(
        me(first)
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap(),
        serde_json::Value::Null
    );
    assert_eq!(
        me("a-token-nobody-issued".to_owned())
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap(),
        serde_json::Value::Null
    );

    // A page that outlives REQUEST_TIMEOUT: the clubs it lists are locked.
    let mut lock = fixtures.begin().await.unwrap();
    sqlx::query("LOCK TABLE clubs IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    let r = stranger
        .get(site("/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    lock.rollback().await.unwrap();

    // Once the pool is at rest again (three open, three idle, nobody
    // waiting), every count is what happened above, exactly.
    let after = wait_for("the pool to be at rest", Duration::from_secs(30), || {
        let scrape = scraped();
        async move {
            let s = scrape.await;
            let at_rest = get(&s, "db_pool_connections", "state=open") == 3.0
                && get(&s, "db_pool_connections", "state=idle") == 3.0;
            at_rest.then_some(s)
        }
    })
    .await;
    let clubs_page = "method=GET,route=/clubs/{id},status=2xx";
    for (metric, labels, expected) in [
        ("http_requests_total", clubs_page, 2.0),
        ("http_request_duration_seconds", clubs_page, 2.0),
        (
            "http_requests_total",
            "method=GET,route=(unmatched),status=4xx",
            1.0,
        ),
        ("http_requests_total", "method=GET,route=/,status=5xx", 1.0),
        ("http_requests_timed_out_total", "", 1.0),
        ("db_pool_connections", "state=open", 3.0),
        ("db_pool_connections", "state=idle", 3.0),
        ("db_pool_max_connections", "", 3.0),
        ("db_pool_waiting", "", 0.0),
        ("bookwork_sign_ins_total", "outcome=ok", 1.0),
        ("bookwork_sign_ins_total", "outcome=failed", 5.0),
        ("bookwork_sign_ins_total", "outcome=limited", 1.0),
        ("bookwork_refresh_tokens_total", "result=rotated", 1.0),
        (
            "bookwork_refresh_tokens_total",
            "result=reuse_detected",
            1.0,
        ),
        ("bookwork_refresh_tokens_total", "result=refused", 1.0),
        ("bookwork_refresh_token_reuse_detected_total", "", 1.0),
        ("bookwork_rsvps_total", "status=available", 2.0),
        ("bookwork_rsvps_total", "status=unavailable", 1.0),
        ("bookwork_waitlist_promotions_total", "", 1.0),
        ("bookwork_cleanup_runs_total", "result=ok", 1.0),
        ("bookwork_cleanup_rows_removed_total", "", 3.0),
        (
            "bookwork_build_info",
            &format!(
                "commit={},version={}",
                env!("BOOKWORK_COMMIT"),
                env!("CARGO_PKG_VERSION")
            ),
            1.0,
        ),
    ] {
        assert_eq!(
            value(&after, metric, labels),
            expected,
            "{metric}{{{labels}}}"
        );
    }
    // Each with the labels the README gives it, and no other.
    for (metric, labels) in [
        ("http_requests_total", "method,route,status"),
        ("http_request_duration_seconds", "method,route,status"),
        ("http_requests_timed_out_total", ""),
        ("db_pool_connections", "state"),
        ("db_pool_max_connections", ""),
        ("db_pool_waiting", ""),
        ("bookwork_sign_ins_total", "outcome"),
        ("bookwork_refresh_tokens_total", "result"),
        ("bookwork_refresh_token_reuse_detected_total", ""),
        ("bookwork_rsvps_total", "status"),
        ("bookwork_waitlist_promotions_total", ""),
        ("bookwork_cleanup_runs_total", "result"),
        ("bookwork_cleanup_rows_removed_total", ""),
        ("bookwork_build_info", "commit,version"),
    ] {
        assert_eq!(label_names(&after, metric).join(","), labels, "{metric}");
    }
    // Counters alerts compare over time exist from the start, at 0.
    assert_eq!(
        get(
            &after,
            "bookwork_refresh_tokens_total",
            "result=just_rotated"
        ),
        0.0,
        "no sibling rotations happened"
    );

    // Stopped, and its connections gone, the database can go.
    let mut server = server;
    server.child.kill().await.unwrap();
    fixtures.close().await;
    let watcher = PgPool::connect(&owner_url).await.unwrap();
    wait_for(
        "the server's connections to close",
        Duration::from_secs(30),
        || {
            let count = sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1",
            )
            .bind(db.clone())
            .fetch_one(&watcher);
            async move { (count.await.unwrap() == 0).then_some(()) }
        },
    )
    .await;
    watcher.close().await;
    sqlx::query(&format!("DROP DATABASE {db}"))
        .execute(&mut admin)
        .await
        .unwrap();
}
