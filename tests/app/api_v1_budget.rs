//! The API's request budget (`API_REQUESTS_PER_MINUTE`): a token past it
//! gets 429 with `Retry-After` whatever it asks, refused requests count
//! too, each token and each program sign-in has its own, and two instances
//! share one budget (it is counted in the database).
use crate::api_v1::{person, send, token};
use crate::common::{spawn_app_with, PASSWORD};
use reqwest::Method;
use serde_json::json;
use sqlx::PgPool;

/// The budget is counted per minute of the database's clock. A scenario
/// that straddled a minute's end would see its count start again, so it
/// starts in a minute with time to spare (it takes well under a second).
async fn with_the_minute_ahead(pool: &PgPool) {
    let left: f64 =
        sqlx::query_scalar("SELECT 60 - extract(second FROM clock_timestamp())::float8")
            .fetch_one(pool)
            .await
            .unwrap();
    if left < 20.0 {
        tokio::time::sleep(std::time::Duration::from_secs_f64(left + 0.2)).await;
    }
}

#[sqlx::test]
async fn a_token_past_its_budget_waits_for_the_next_minute_on_every_instance(pool: PgPool) {
    let budget = [("API_REQUESTS_PER_MINUTE", "4")];
    let one = spawn_app_with(pool.clone(), &budget).await;
    let two = spawn_app_with(pool.clone(), &budget).await;
    let ann = person(&one, &pool, "ann").await;
    let bob = person(&one, &pool, "bob").await;
    let ann_token = token(&pool, ann, &["read", "write"], None).await;
    let bob_token = token(&pool, bob, &["read"], None).await;
    with_the_minute_ahead(&pool).await;

    // Four requests across two instances, one of them refused (a club that
    // is not there): the budget is spent.
    for (app, path) in [
        (&one, "/api/v1/me".to_owned()),
        (&two, "/api/v1/me/clubs".to_owned()),
        (&one, format!("/api/v1/clubs/{}", uuid::Uuid::new_v4())),
        (&two, "/api/v1/me".to_owned()),
    ] {
        let (status, _, _) = send(app, Method::GET, &path, Some(&ann_token), None, &[]).await;
        assert!(status == 200 || status == 404, "{path}: {status}");
    }
    // The fifth, on either instance, is refused before it does anything.
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM clubs")
        .fetch_one(&pool)
        .await
        .unwrap();
    for app in [&one, &two] {
        let (status, headers, problem) = send(
            app,
            Method::POST,
            "/api/v1/clubs",
            Some(&ann_token),
            Some(json!({"name": "Over budget"})),
            &[],
        )
        .await;
        assert_eq!(status, 429, "{problem}");
        let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait), "Retry-After {wait}");
        assert_eq!(headers["content-type"], "application/problem+json");
        assert_eq!(problem["status"], 429);
    }
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM clubs")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(before, after, "nothing made past the budget");

    // Another token has its own budget; a token nobody holds is 401, not
    // counted against anyone.
    let (status, _, _) = send(&two, Method::GET, "/api/v1/me", Some(&bob_token), None, &[]).await;
    assert_eq!(status, 200);
    let (status, _, _) = send(
        &one,
        Method::GET,
        "/api/v1/me",
        Some("bw_nobody"),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 401);

    // A program's sign-in has its own budget too.
    let (status, _, signed_in) = send(
        &one,
        Method::POST,
        "/api/v1/sessions",
        None,
        Some(json!({"email": "bob@example.com", "password": PASSWORD})),
        &[],
    )
    .await;
    assert_eq!(status, 201, "{signed_in}");
    let access = signed_in["access_token"].as_str().unwrap().to_owned();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            send(&two, Method::GET, "/api/v1/me", Some(&access), None, &[])
                .await
                .0,
        );
    }
    assert_eq!(statuses, [200, 200, 200, 200, 429]);

    // The clean-up forgets minutes long gone and keeps this one's counts.
    sqlx::query(
        "INSERT INTO api_request_counts (holder, window_start, requests)
         VALUES (gen_random_uuid(), date_trunc('minute', now()) - interval '10 minutes', 3)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let turn =
        bookwork::server::maintenance::clean_up_once(&pool, std::time::Duration::from_secs(60))
            .await
            .unwrap();
    assert!(matches!(turn, bookwork::server::maintenance::Turn::Ran(_)));
    let (old, current): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE window_start < now() - interval '5 minutes'),
                count(*) FILTER (WHERE window_start >= now() - interval '5 minutes')
           FROM api_request_counts",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (old, current),
        (0, 3),
        "ann's token, bob's token and bob's sign-in"
    );
    one.stop().await;
    two.stop().await;
}
