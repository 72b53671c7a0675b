//! The server's foundation over real HTTP: pages, status codes, health checks
//! and the middleware every response passes through.
use crate::common::{spawn_app, spawn_router, test_leptos_options, test_state};
use sqlx::PgPool;

#[sqlx::test]
async fn home_page_renders_on_the_server(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Your book club, organised"),
        "server-rendered content: {html}"
    );
    // Rendered by the server, not yet live: the WASM flips this marker.
    assert!(html.contains(r#"data-hydrated="false""#));
    assert!(html.contains("<title>Bookwork</title>"));
    // The data came from the database during SSR.
    assert!(html.contains(r#"data-testid="public-clubs">0<"#), "{html}");
    app.stop().await;
}

#[sqlx::test]
async fn home_page_counts_come_from_the_database(pool: PgPool) {
    let owner: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash) VALUES ('Ada', 'ada@example.com', 'x') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    for name in ["Readers", "Night Owls"] {
        sqlx::query("INSERT INTO clubs (name, owner_id, is_public) VALUES ($1, $2, true)")
            .bind(name)
            .bind(owner)
            .execute(&pool)
            .await
            .unwrap();
    }
    let app = spawn_app(pool).await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains(r#"data-testid="public-clubs">2<"#), "{html}");
    app.stop().await;
}

#[sqlx::test]
async fn unknown_pages_get_a_styled_404(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("We couldn&#x27;t find that page")
            || html.contains("We couldn't find that page"),
        "{html}"
    );
    assert!(
        html.contains("site-header"),
        "the 404 page keeps the site's layout"
    );
    app.stop().await;
}

#[sqlx::test]
async fn health_and_readiness(pool: PgPool) {
    let app = spawn_app(pool).await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    app.stop().await;
}

#[sqlx::test]
async fn every_response_carries_a_request_id(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = app.get("/healthz").await;
    let second = app.get("/healthz").await;
    let id = |r: &reqwest::Response| r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id(&first).len(), 36, "a UUID");
    assert_ne!(id(&first), id(&second));

    // A caller's own id (e.g. from a load balancer) is kept.
    let given = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "lb-1234")
        .send()
        .await
        .unwrap();
    assert_eq!(id(&given), "lb-1234");
    app.stop().await;
}

#[sqlx::test]
async fn pages_are_compressed_when_the_client_accepts_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    app.stop().await;
}

#[sqlx::test]
async fn hashed_bundles_are_cached_for_a_year_and_other_files_are_not(pool: PgPool) {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/bookwork.abc123.js"), "console.log(1)").unwrap();
    std::fs::write(site.path().join("favicon.svg"), "<svg/>").unwrap();

    let mut options = test_leptos_options(site.path().to_str().unwrap());
    options.hash_files = true;
    let app = spawn_router(
        bookwork::server::http::router(test_state(pool.clone(), options)),
        pool,
    )
    .await;

    let bundle = app.get("/pkg/bookwork.abc123.js").await;
    assert_eq!(bundle.status(), 200);
    assert_eq!(
        bundle.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );

    let icon = app.get("/favicon.svg").await;
    assert_eq!(icon.status(), 200);
    assert!(icon
        .headers()
        .get("cache-control")
        .is_none_or(|v| !v.to_str().unwrap().contains("immutable")));

    let missing = app.get("/pkg/nothing-here.js").await;
    assert_eq!(missing.status(), 404);
    app.stop().await;
}

#[sqlx::test]
async fn bundles_are_served_as_compressed_once_and_decompress_to_the_file(pool: PgPool) {
    use std::io::Read;
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    let wasm: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(pkg.join("bookwork.abc123.wasm"), &wasm).unwrap();
    assert_eq!(bookwork::server::assets::precompress(&pkg).unwrap(), 2);

    let mut options = test_leptos_options(site.path().to_str().unwrap());
    options.hash_files = true;
    let app = spawn_router(
        bookwork::server::http::router(test_state(pool.clone(), options)),
        pool,
    )
    .await;
    // reqwest here decompresses nothing itself: what arrives is what was sent.
    let fetch = |encoding: &'static str| {
        let client = app.client.clone();
        let url = app.url("/pkg/bookwork.abc123.wasm");
        async move {
            let r = client
                .get(url)
                .header("accept-encoding", encoding)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["content-type"], "application/wasm");
            let coding = r
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_owned());
            (coding, r.bytes().await.unwrap().to_vec())
        }
    };
    let (coding, body) = fetch("gzip, deflate, br").await;
    assert_eq!(coding.as_deref(), Some("br"));
    assert_eq!(
        body,
        std::fs::read(pkg.join("bookwork.abc123.wasm.br")).unwrap()
    );
    let mut unpacked = Vec::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, wasm);
    let (coding, body) = fetch("gzip").await;
    assert_eq!(coding.as_deref(), Some("gzip"));
    assert_eq!(
        body,
        std::fs::read(pkg.join("bookwork.abc123.wasm.gz")).unwrap()
    );
    let (coding, body) = fetch("identity").await;
    assert_eq!(coding, None);
    assert_eq!(body, wasm);
    app.stop().await;
}

/// Building a router lists the app's routes, and Leptos sets a process-wide
/// flag while it does that leaves resources first polled meanwhile waiting
/// for ever (leptos-rs/leptos#4773). Tests build a router each, side by side,
/// so a render in one test hung whenever another test built its router.
#[sqlx::test]
async fn pages_render_while_other_routers_are_built(pool: PgPool) {
    use std::time::Duration;
    let app = spawn_app(pool.clone()).await;
    let state = test_state(pool, test_leptos_options("target/site"));
    let builder = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            for _ in 0..200 {
                drop(bookwork::server::http::router(state.clone()));
            }
        });
    });
    let mut renders = 0;
    while !builder.is_finished() || renders < 20 {
        let render = tokio::time::timeout(Duration::from_secs(5), async {
            app.get("/").await.text().await.unwrap()
        })
        .await
        .expect("a render hung while another router was being built");
        assert!(render.contains(r#"data-testid="public-clubs""#), "{render}");
        renders += 1;
    }
    builder.join().unwrap();
    app.stop().await;
}

/// A request that outlives REQUEST_TIMEOUT (here a page whose query waits
/// on a table someone holds locked) is answered 503 with Retry-After and the
/// security headers, and counted.
#[sqlx::test]
async fn a_request_over_the_deadline_gets_503_and_is_counted(pool: PgPool) {
    let state = crate::common::test_state_with(
        &pool,
        test_leptos_options("target/site"),
        &[("REQUEST_TIMEOUT", "1s")],
    );
    let app = spawn_router(bookwork::server::http::router(state), pool.clone()).await;
    let mut lock = pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE clubs IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    let before = bookwork::server::deadline::timed_out_requests();
    let response = app
        .client
        .get(app.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    assert!(response.headers().contains_key("x-content-type-options"));
    assert!(response.headers().contains_key("x-request-id"));
    assert!(response.text().await.unwrap().contains("took too long"));
    assert!(bookwork::server::deadline::timed_out_requests() > before);
    lock.rollback().await.unwrap();
    assert_eq!(app.get("/").await.status(), 200, "and it recovers");
    app.stop().await;
}

/// Without JavaScript, a form holding a control character comes back with
/// the problem beside the field and everything else as typed.
#[sqlx::test]
async fn a_nul_in_a_plain_form_post_comes_back_beside_the_field(pool: PgPool) {
    let app = spawn_app(pool).await;
    let browser = crate::common::sign_up(&app, "Ada", "ada@example.com").await;
    let (status, page) = crate::common::plain_form_post(
        &app,
        &browser,
        "/api/clubs/create",
        "/clubs/new",
        &[
            ("name", "Night\0Owls"),
            ("description", "We read at night"),
            ("max_members", ""),
            ("meeting_frequency", ""),
            ("location", "Leeds"),
            ("tags", ""),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert!(page.contains("invisible control character"), "{page}");
    assert!(page.contains("We read at night"), "what was typed is kept");
    assert!(
        page.contains("Night\u{FFFD}Owls"),
        "with the character shown"
    );
    app.stop().await;
}
