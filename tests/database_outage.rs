//! A database outage, for real: a private embedded cluster (the same
//! mechanism the server uses by default) is stopped under the server and
//! started again. /readyz follows it; requests meanwhile get 503 with
//! `Retry-After` (never 500) and service resumes when it is back.
#![cfg(feature = "ssr")]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
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

/// Returns once `done` holds, asking every 20 ms; fails after 20 s, naming
/// `what` was awaited.
async fn until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "not within 20 s: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A running cluster of its own with Bookwork's schema, and the server on it.
async fn app_on_own_cluster(dir: &tempfile::TempDir) -> (EmbeddedPostgres, common::TestApp) {
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
    // The owner migrates and makes fixtures; the server logs in as bookwork_app.
    let owner_url = cluster.database_url_as("bookwork", bookwork::server::roles::OWNER);
    let pool = db::connect(&owner_url, &config).await.unwrap();
    db::migrate(&pool).await.unwrap();
    let app = spawn_router(http::router(test_state(pool.clone(), options)), pool).await;
    (cluster, app)
}

#[tokio::test]
async fn readyz_reports_a_database_outage_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let (cluster, app) = app_on_own_cluster(&dir).await;

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

/// Eight members answering an event over and over while the database stops
/// for a moment and comes back: every answer is either saved or refused with
/// 503 + `Retry-After` (JSON for scripts, a page saying nothing was saved for
/// a browser's form), and answers are saved again once it is back.
#[tokio::test]
async fn writes_during_an_outage_get_503_with_retry_after_and_recover() {
    let dir = tempfile::tempdir().unwrap();
    let (cluster, app) = app_on_own_cluster(&dir).await;
    let owner = common::sign_up(&app, "Owner", "owner@example.com").await;
    let owner_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'owner@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let club: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Readers', $1, true) RETURNING id",
    )
    .bind(owner_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let event: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location, is_public)
         VALUES ($1, 'Meet', current_date + 30, '19:00', 'Library', true) RETURNING id",
    )
    .bind(club)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    drop(owner);
    // A personal access token for the owner, for the API's answer below.
    sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, scopes)
         VALUES ($1, 'outage', encode(sha256('bw_outage_token'), 'hex'), ARRAY['read'])",
    )
    .bind(owner_id)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut members = Vec::new();
    for i in 0..8 {
        let email = format!("member{i}@example.com");
        let client = common::sign_up(&app, &format!("Member {i}"), &email).await;
        sqlx::query(
            "INSERT INTO club_members (club_id, user_id, role)
             SELECT $1, id, 'member' FROM users WHERE email = $2",
        )
        .bind(club)
        .bind(&email)
        .execute(&app.pool)
        .await
        .unwrap();
        members.push(client);
    }

    let stop = Arc::new(AtomicBool::new(false));
    // Each member's answers so far: (saved, refused with 503).
    let tally: Arc<Vec<(AtomicUsize, AtomicUsize)>> = Arc::new(
        (0..members.len())
            .map(|_| (AtomicUsize::new(0), AtomicUsize::new(0)))
            .collect(),
    );
    let mut answering = tokio::task::JoinSet::new();
    for (i, client) in members.into_iter().enumerate() {
        let url = app.url("/api/events/rsvp");
        let stop = stop.clone();
        let tally = tally.clone();
        answering.spawn(async move {
            let mut seen: Vec<(u16, Option<String>, String)> = Vec::new();
            let statuses = ["available", "maybe", "unavailable"];
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let status = statuses[(i + n) % 3];
                n += 1;
                let response = client
                    .post(&url)
                    .form(&[
                        ("event", event.to_string().as_str()),
                        ("status", status),
                        ("note", ""),
                    ])
                    .send()
                    .await
                    .unwrap();
                let code = response.status().as_u16();
                let retry = response
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_owned());
                let body = response.text().await.unwrap();
                match code {
                    200 => tally[i].0.fetch_add(1, Ordering::SeqCst),
                    503 => tally[i].1.fetch_add(1, Ordering::SeqCst),
                    _ => 0,
                };
                seen.push((code, retry, body));
            }
            seen
        });
    }
    let saved = |i: usize| tally[i].0.load(Ordering::SeqCst);
    let members = 0..tally.len();
    until("every member has saved an answer", || {
        members.clone().all(|i| saved(i) > 0)
    })
    .await;
    cluster.stop().await.unwrap();
    // While it is down: a browser's plain form post gets a page, not a
    // redirect to a form that cannot load either.
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser
        .post(app.url("/api/auth/login"))
        .header("accept", "text/html")
        .form(&[
            ("email", "member0@example.com"),
            ("password", common::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 503, "{:?}", page.headers());
    assert!(page.headers().contains_key("retry-after"));
    let text = page.text().await.unwrap();
    assert!(text.contains("nothing was saved"), "{text}");
    let home = browser
        .get(app.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 503, "a page that needs the database");
    assert!(home.headers().contains_key("retry-after"));
    // The API says so as a problem document, with when to try again.
    let api = browser
        .get(app.url("/api/v1/me/clubs"))
        .bearer_auth("bw_outage_token")
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 503);
    assert!(api.headers().contains_key("retry-after"));
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = api.json().await.unwrap();
    assert_eq!(
        problem["type"],
        "https://bookwork.example/problems/unavailable"
    );

    until("every member has been refused during the outage", || {
        members
            .clone()
            .all(|i| tally[i].1.load(Ordering::SeqCst) > 0)
    })
    .await;
    assert!(cluster.start().await.unwrap());
    assert_eq!(wait_for_status(&app, 200).await, 200);
    let before: Vec<usize> = members.clone().map(saved).collect();
    until("every member has saved an answer again", || {
        members.clone().all(|i| saved(i) > before[i])
    })
    .await;
    stop.store(true, Ordering::SeqCst);
    let per_member = answering.join_all().await;
    let every_member_saved_again = per_member
        .iter()
        .all(|seen| seen.last().is_some_and(|(code, ..)| *code == 200));
    let answers: Vec<_> = per_member.into_iter().flatten().collect();

    let refused: Vec<_> = answers.iter().filter(|(code, ..)| *code == 503).collect();
    let odd: Vec<_> = answers
        .iter()
        .filter(|(code, ..)| *code != 200 && *code != 503)
        .collect();
    assert!(odd.is_empty(), "answers neither saved nor 503: {odd:?}");
    assert!(
        !refused.is_empty(),
        "some answers were sent during the outage"
    );
    for (_, retry, body) in &refused {
        assert!(retry.is_some(), "503 without Retry-After: {body}");
        assert_eq!(body, r#""Unavailable""#, "a script gets the error as JSON");
    }
    assert!(
        every_member_saved_again,
        "answers are saved again after the outage"
    );

    app.stop().await;
    cluster.stop().await.unwrap();
}
