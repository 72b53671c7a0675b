//! Accounts and sessions over real HTTP against the real router and database.
use std::collections::HashMap;

use crate::common::{spawn_app, TestApp};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

const PASSWORD: &str = "a long walk to the library";
const TEST_SECRET: &str = "test-signing-key-that-is-long-enough-0123456789";

/// Cookies set by a response, by name: (value, attributes).
fn set_cookies(response: &reqwest::Response) -> HashMap<String, (String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| {
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (name, value) = pair.split_once('=')?;
            Some((name.to_owned(), (value.to_owned(), attrs.trim().to_owned())))
        })
        .collect()
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client.post(app.url(path)).form(form).send().await.unwrap()
}

async fn register(app: &TestApp, client: &reqwest::Client, email: &str) -> reqwest::Response {
    post(
        app,
        client,
        "/api/auth/register",
        &[
            ("name", "Ada Reader"),
            ("email", email),
            ("password", PASSWORD),
        ],
    )
    .await
}

async fn login(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    post(
        app,
        client,
        "/api/auth/login",
        &[("email", email), ("password", password)],
    )
    .await
}

/// Who the server thinks is calling, with exactly these cookies.
async fn whoami(app: &TestApp, cookie: &str) -> Value {
    let response = reqwest::Client::new()
        .post(app.url("/api/auth/me"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[sqlx::test]
async fn sign_up_starts_a_session_in_safe_cookies(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let response = register(&app, &app.client, "ada@example.com").await;
    // A script's call (not a browser's form post) is answered 200, with
    // where to go in `Location`.
    assert_eq!(response.status(), 200);
    let cookies = set_cookies(&response);
    for name in ["bw_access", "bw_refresh"] {
        let (value, attrs) = &cookies[name];
        assert!(!value.is_empty());
        for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(attrs.contains(attr), "{name}: {attrs}");
        }
    }
    assert!(
        cookies["bw_access"].1.contains("Max-Age=900"),
        "about 15 minutes"
    );
    let me = app
        .client
        .post(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(me["email"], "ada@example.com");
    assert!(me.get("password_hash").is_none());

    let stored: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'ada@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{stored}"
    );
    let token_rows: Vec<String> = sqlx::query_scalar("SELECT token_hash::text FROM refresh_tokens")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(token_rows.len(), 1);
    assert_ne!(
        token_rows[0], cookies["bw_refresh"].0,
        "only a hash of the refresh token is stored"
    );
    app.stop().await;
}

#[sqlx::test]
async fn cookies_are_secure_unless_development_says_otherwise(pool: PgPool) {
    let state = app_state_with(&pool, &[("COOKIE_SECURE", "true")]);
    let app = crate::common::spawn_router(bookwork::server::http::router(state), pool).await;
    let response = register(&app, &app.client, "ada@example.com").await;
    let cookies = set_cookies(&response);
    // Secure sign-ins use host-only names (see `sign_in_cookies_*` below).
    assert!(cookies["__Host-bw_access"].1.contains("Secure"));
    assert!(cookies["__Host-bw_refresh"].1.contains("Secure"));
    app.stop().await;
}

#[sqlx::test]
async fn bad_sign_up_input_names_the_field(pool: PgPool) {
    let app = spawn_app(pool).await;
    let cases: [(&[(&str, &str)], &str); 7] = [
        (
            &[
                ("name", ""),
                ("email", "a@example.com"),
                ("password", PASSWORD),
            ],
            "name",
        ),
        (
            &[
                ("name", "A"),
                ("email", "not-an-email"),
                ("password", PASSWORD),
            ],
            "email",
        ),
        (
            &[
                ("name", "A"),
                ("email", "a@example.com"),
                ("password", "short"),
            ],
            "password",
        ),
        (
            &[
                ("name", "A"),
                ("email", "a@example.com"),
                ("password", "password123"),
            ],
            "password",
        ),
        (
            &[("name", "A"), ("email", ""), ("password", PASSWORD)],
            "email",
        ),
        // Every problem at once, in the form's order: the password is
        // judged even when the address is not an address.
        (
            &[
                ("name", " "),
                ("email", "not-an-address"),
                ("password", "short"),
            ],
            "name,email,password",
        ),
        (
            &[
                ("name", "A"),
                ("email", "nobody"),
                ("password", "x nobody x y z"),
            ],
            "email,password",
        ),
    ];
    for (form, field) in cases {
        let response = post(&app, &app.client, "/api/auth/register", form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            crate::common::invalid_fields(&body),
            field,
            "{form:?}: {body}"
        );
    }
    // A duplicate email, in any case.
    assert!(register(&app, &app.client, "ada@example.com")
        .await
        .status()
        .is_success());
    let again = register(&app, &crate::common::cookie_client(), "ADA@example.com").await;
    assert_eq!(again.status(), 422);
    assert_eq!(
        crate::common::invalid_fields(&again.json::<Value>().await.unwrap()),
        "email"
    );
    // Long passphrases and any Unicode are fine.
    let long = "ünïcødé passphrase ".repeat(6);
    let ok = post(
        &app,
        &crate::common::cookie_client(),
        "/api/auth/register",
        &[
            ("name", "Zoë"),
            ("email", "zoe@example.com"),
            ("password", &long),
        ],
    )
    .await;
    assert!(ok.status().is_success(), "{}", ok.status());
    app.stop().await;
}

#[sqlx::test]
async fn sign_in_redirects_only_within_the_site(pool: PgPool) {
    let app = spawn_app(pool).await;
    register(&app, &crate::common::cookie_client(), "ada@example.com").await;
    for (next, expected) in [
        ("/clubs/1?x=2", "/clubs/1?x=2"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("\\\\evil.example/", "/"),
        (" //evil.example/", "/"),
        ("/\t/evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("https:/evil.example/", "/"),
        // Encoded slashes are a path on this site, not another host.
        ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),
    ] {
        let response = post(
            &app,
            &crate::common::cookie_client(),
            "/api/auth/login",
            &[
                ("email", "ada@example.com"),
                ("password", PASSWORD),
                ("next", next),
            ],
        )
        .await;
        assert_eq!(response.headers()["location"], expected, "next={next}");
    }
    app.stop().await;
}

/// A plain form post refused at the form boundary goes back to the page it
/// came from, never to another site a doctored path names.
#[sqlx::test]
async fn a_refused_form_goes_back_only_within_the_site(pool: PgPool) {
    let app = spawn_app(pool).await;
    for (from, expected) in [
        ("/clubs/new?x=1", "/clubs/new?x=1"),
        ("//evil.example/x", "/"),
        ("/\\evil.example/x", "/"),
        ("///evil.example", "/"),
    ] {
        let response = crate::common::cookie_client()
            .post(app.url("/api/auth/register"))
            .header("accept", "text/html")
            .header("referer", format!("http://{}{from}", app.addr))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=A%01da&email=ada%40example.com&password=x")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{from}");
        let location = response.headers()["location"].to_str().unwrap();
        // What comes before `?__path=…&__err=…` (or `&__path=`).
        let back = &location[..location.find("__path=").unwrap() - 1];
        assert_eq!(back, expected, "{from}: {location}");
    }
    app.stop().await;
}

#[sqlx::test]
async fn unknown_user_and_wrong_password_get_the_same_answer(pool: PgPool) {
    let app = spawn_app(pool).await;
    register(&app, &crate::common::cookie_client(), "ada@example.com").await;
    let wrong_password = login(
        &app,
        &crate::common::cookie_client(),
        "ada@example.com",
        "not the password",
    )
    .await;
    let no_such_user = login(
        &app,
        &crate::common::cookie_client(),
        "nobody@example.com",
        "not the password",
    )
    .await;
    assert!(set_cookies(&wrong_password).is_empty() && set_cookies(&no_such_user).is_empty());
    // The one answer both get: the form's message, saying neither which.
    let expected = (
        422,
        json!({"Validation": {"errors": [{
            "field": "form",
            "message": "That email and password don't match an account. Check them and try again.",
        }]}}),
    );
    for (what, response) in [
        ("wrong password", wrong_password),
        ("no such user", no_such_user),
    ] {
        let status = response.status().as_u16();
        let body: Value = serde_json::from_str(&response.text().await.unwrap())
            .unwrap_or_else(|e| panic!("{what}: the body is not JSON: {e}"));
        assert_eq!((status, body), expected, "{what}");
    }
    app.stop().await;
}

/// Signs up on a fresh client and returns its (access, refresh) cookie values.
async fn signed_up(app: &TestApp, email: &str) -> (String, String) {
    let response = register(app, &crate::common::cookie_client(), email).await;
    let cookies = set_cookies(&response);
    (
        cookies["bw_access"].0.clone(),
        cookies["bw_refresh"].0.clone(),
    )
}

/// Asks who is signed in with only a refresh cookie (the server rotates it).
async fn with_refresh(app: &TestApp, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/auth/me"))
        .header("cookie", format!("bw_refresh={token}"))
        .send()
        .await
        .unwrap()
}

#[sqlx::test]
async fn forged_access_tokens_are_refused(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (access, refresh) = signed_up(&app, "ada@example.com").await;
    assert_eq!(
        whoami(&app, &format!("bw_access={access}")).await["email"],
        "ada@example.com"
    );

    let (user, session): (Uuid, Uuid) = sqlx::query_as("SELECT user_id, id FROM session_families")
        .fetch_one(&pool)
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    let claims = |iss: &str, aud: &str, typ: &str, exp: i64| json!({ "sub": user, "sid": session, "iss": iss, "aud": aud, "typ": typ, "iat": now, "exp": exp });
    let sign = |claims: &Value, key: &str| {
        encode(
            &Header::default(),
            claims,
            &EncodingKey::from_secret(key.as_bytes()),
        )
        .unwrap()
    };
    let alg_none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD
            .encode(claims("bookwork-test", "bookwork-web", "access", now + 600).to_string())
    );
    let forged = [
        ("the genuine token, as a control", access.clone(), true),
        ("alg: none", alg_none, false),
        (
            "signed with another key",
            sign(
                &claims("bookwork-test", "bookwork-web", "access", now + 600),
                "another-key-another-key-another-key!!",
            ),
            false,
        ),
        (
            "expired",
            sign(
                &claims("bookwork-test", "bookwork-web", "access", now - 120),
                TEST_SECRET,
            ),
            false,
        ),
        (
            "wrong issuer",
            sign(
                &claims("someone-else", "bookwork-web", "access", now + 600),
                TEST_SECRET,
            ),
            false,
        ),
        (
            "wrong audience",
            sign(
                &claims("bookwork-test", "another-app", "access", now + 600),
                TEST_SECRET,
            ),
            false,
        ),
        (
            "wrong token type",
            sign(
                &claims("bookwork-test", "bookwork-web", "refresh", now + 600),
                TEST_SECRET,
            ),
            false,
        ),
        (
            "a refresh token used as an access token",
            refresh.clone(),
            false,
        ),
        ("garbage", "not.a.token".to_owned(), false),
    ];
    for (what, token, accepted) in forged {
        let me = whoami(&app, &format!("bw_access={token}")).await;
        assert_eq!(me.is_object(), accepted, "{what}: {me}");
    }
    app.stop().await;
}

#[sqlx::test]
async fn refresh_rotates_and_a_replayed_token_revokes_the_sign_in(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (_, first) = signed_up(&app, "ada@example.com").await;

    // No access token: the middleware refreshes before answering.
    let response = with_refresh(&app, &first).await;
    let cookies = set_cookies(&response);
    let second = cookies["bw_refresh"].0.clone();
    let new_access = cookies["bw_access"].0.clone();
    assert_ne!(second, first, "rotated");
    assert_eq!(
        response.json::<Value>().await.unwrap()["email"],
        "ada@example.com"
    );
    assert_eq!(
        whoami(&app, &format!("bw_refresh={second}")).await["email"],
        "ada@example.com"
    );

    // The first token comes back later (after the short grace for parallel
    // requests): it was stolen. The whole sign-in ends.
    sqlx::query("UPDATE refresh_tokens SET used_at = used_at - interval '1 minute' WHERE used_at IS NOT NULL")
        .execute(&pool)
        .await
        .unwrap();
    let replay = with_refresh(&app, &first).await;
    let cleared = set_cookies(&replay);
    assert_eq!(
        cleared["bw_refresh"].0, "",
        "the thief's cookies are cleared"
    );
    assert!(replay.json::<Value>().await.unwrap().is_null());
    let reason: Option<String> = sqlx::query_scalar("SELECT revoked_reason FROM session_families")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(reason.as_deref(), Some("reuse_detected"));
    // Every token of that sign-in is now useless, including the newest ones.
    assert!(whoami(&app, &format!("bw_refresh={second}"))
        .await
        .is_null());
    assert!(whoami(&app, &format!("bw_access={new_access}"))
        .await
        .is_null());
    app.stop().await;
}

/// A token exchanged moments ago whose sign-in has since run out (its 30
/// days ended between the two requests) is refused, not taken for theft:
/// the sign-in simply ended, and it is not recorded as revoked for reuse.
#[sqlx::test]
async fn a_sign_in_that_ran_out_is_not_taken_for_a_stolen_token(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (_, first) = signed_up(&app, "ada@example.com").await;
    let response = with_refresh(&app, &first).await;
    assert_ne!(set_cookies(&response)["bw_refresh"].0, first, "rotated");
    // The sign-in's 30 days are over a moment later; the first token, used
    // seconds ago (within the grace for parallel requests), comes back.
    sqlx::query("UPDATE session_families SET created_at = now() - interval '30 days', expires_at = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    let again = with_refresh(&app, &first).await;
    assert_eq!(set_cookies(&again)["bw_refresh"].0, "", "cookies cleared");
    assert!(again.json::<Value>().await.unwrap().is_null(), "signed out");
    let (revoked, reason): (bool, Option<String>) =
        sqlx::query_as("SELECT revoked_at IS NOT NULL, revoked_reason FROM session_families")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (revoked, reason),
        (false, None),
        "ended, not revoked for reuse"
    );
    app.stop().await;
}

/// A browser reopened with twenty tabs after its access token expired: all
/// twenty requests carry the same refresh cookie at the same moment.
#[sqlx::test]
async fn twenty_tabs_refreshing_at_once_all_render_signed_in(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (_, refresh) = signed_up(&app, "ada@example.com").await;
    let client = reqwest::Client::new();
    let mut tabs = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let request = client
            .get(app.url("/"))
            .header("accept", "text/html")
            .header("cookie", format!("bw_refresh={refresh}"));
        tabs.spawn(async move {
            let response = request.send().await.unwrap();
            let cookies = set_cookies(&response);
            (cookies, response.text().await.unwrap())
        });
    }
    let pages = tabs.join_all().await;
    let signed_in = pages
        .iter()
        .filter(|(_, html)| html.contains(r#"data-testid="signed-in-as""#))
        .count();
    assert_eq!(signed_in, 20, "every tab renders signed in");
    let with_access = pages
        .iter()
        .filter(|(c, _)| c.get("bw_access").is_some_and(|(v, _)| !v.is_empty()))
        .count();
    assert_eq!(with_access, 20, "every tab gets an access token");
    let winners = pages
        .iter()
        .filter(|(c, _)| c.get("bw_refresh").is_some_and(|(v, _)| !v.is_empty()))
        .count();
    assert_eq!(winners, 1, "exactly one tab rotates the refresh token");

    let live: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM refresh_tokens WHERE used_at IS NULL AND NOT is_revoked",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(live, 1, "the sign-in keeps exactly one live refresh token");
    let revoked: bool = sqlx::query_scalar("SELECT revoked_at IS NOT NULL FROM session_families")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!revoked, "tabs taking turns is not theft");

    // The same old token presented after the grace window is a copy: the
    // whole sign-in ends.
    sqlx::query("UPDATE refresh_tokens SET used_at = used_at - interval '1 minute' WHERE used_at IS NOT NULL")
        .execute(&pool)
        .await
        .unwrap();
    assert!(whoami(&app, &format!("bw_refresh={refresh}"))
        .await
        .is_null());
    let reason: Option<String> = sqlx::query_scalar("SELECT revoked_reason FROM session_families")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(reason.as_deref(), Some("reuse_detected"));
    app.stop().await;
}

/// A copied refresh token replayed from many tabs at once: every replay is
/// answered (as a stranger), and the sign-in is ended once. Before the
/// revocations queued on the sign-in's row, they deadlocked over its tokens
/// and some tabs got 503s.
#[sqlx::test]
async fn a_copied_token_replayed_from_many_tabs_at_once_is_answered_everywhere(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (_, first) = signed_up(&app, "ada@example.com").await;
    // Rotate a few times, so the sign-in has several tokens to revoke.
    let mut refresh = first.clone();
    for _ in 0..3 {
        let response = reqwest::Client::new()
            .post(app.url("/api/auth/me"))
            .header("cookie", format!("bw_refresh={refresh}"))
            .send()
            .await
            .unwrap();
        refresh = set_cookies(&response)["bw_refresh"].0.clone();
    }
    sqlx::query("UPDATE refresh_tokens SET used_at = used_at - interval '1 minute' WHERE used_at IS NOT NULL")
        .execute(&pool)
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let mut tabs = tokio::task::JoinSet::new();
    for _ in 0..32 {
        let request = client
            .get(app.url("/"))
            .header("accept", "text/html")
            .header("cookie", format!("bw_refresh={first}"));
        tabs.spawn(async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        });
    }
    for (status, html) in tabs.join_all().await {
        assert_eq!(status, 200, "{html}");
        assert!(!html.contains(r#"data-testid="signed-in-as""#));
    }
    let reason: Option<String> = sqlx::query_scalar("SELECT revoked_reason FROM session_families")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(reason.as_deref(), Some("reuse_detected"));
    let live: i64 = sqlx::query_scalar("SELECT count(*) FROM refresh_tokens WHERE NOT is_revoked")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(live, 0, "every token of the sign-in is revoked");
    app.stop().await;
}

/// Two copies of a sign-in cookie (one planted for a parent domain, say):
/// neither is trusted.
#[sqlx::test]
async fn conflicting_copies_of_a_sign_in_cookie_sign_nobody_in(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (access, _) = signed_up(&app, "ada@example.com").await;
    let (other, _) = signed_up(&app, "eve@example.com").await;
    assert_eq!(
        whoami(&app, &format!("bw_access={access}")).await["email"],
        "ada@example.com"
    );
    assert_eq!(
        whoami(&app, &format!("bw_access={access}; bw_access={access}")).await["email"],
        "ada@example.com",
        "the same value twice is still one cookie"
    );
    assert!(
        whoami(&app, &format!("bw_access={other}; bw_access={access}"))
            .await
            .is_null()
    );
    assert!(
        whoami(&app, &format!("bw_access={access}; bw_access={other}"))
            .await
            .is_null()
    );
    app.stop().await;
}

#[sqlx::test]
async fn signing_out_makes_the_old_access_token_useless_at_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let client = crate::common::cookie_client();
    let response = register(&app, &client, "ada@example.com").await;
    let access = set_cookies(&response)["bw_access"].0.clone();
    let out = post(&app, &client, "/api/auth/logout", &[]).await;
    assert_eq!(set_cookies(&out)["bw_access"].0, "");
    assert!(
        whoami(&app, &format!("bw_access={access}")).await.is_null(),
        "not only at its expiry"
    );
    app.stop().await;
}

#[sqlx::test]
async fn deactivation_ends_sessions_and_blocks_sign_in(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (access, refresh) = signed_up(&app, "ada@example.com").await;
    sqlx::query("UPDATE users SET is_active = false")
        .execute(&pool)
        .await
        .unwrap();
    assert!(
        whoami(&app, &format!("bw_access={access}; bw_refresh={refresh}"))
            .await
            .is_null()
    );
    let response = login(
        &app,
        &crate::common::cookie_client(),
        "ada@example.com",
        PASSWORD,
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(set_cookies(&response).is_empty());
    app.stop().await;
}

#[sqlx::test]
async fn sign_in_is_rate_limited_per_account(pool: PgPool) {
    let app = spawn_app(pool).await;
    register(&app, &crate::common::cookie_client(), "ada@example.com").await;
    for _ in 0..5 {
        assert_eq!(
            login(&app, &app.client, "ada@example.com", "wrong guess")
                .await
                .status(),
            422
        );
    }
    let limited = login(&app, &app.client, "ada@example.com", PASSWORD).await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after));
    app.stop().await;
}

#[sqlx::test]
async fn a_forged_forwarded_for_does_not_reset_the_client_limit(pool: PgPool) {
    let app = spawn_app(pool).await;
    for i in 0..20 {
        let response = app
            .client
            .post(app.url("/api/auth/login"))
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .form(&[
                ("email", format!("guess{i}@example.com").as_str()),
                ("password", "wrong guess"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
    }
    let limited = app
        .client
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", "203.0.113.77")
        .form(&[("email", "fresh@example.com"), ("password", "wrong guess")])
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    app.stop().await;
}

#[sqlx::test]
async fn cross_site_posts_are_refused_and_same_origin_ones_work(pool: PgPool) {
    let app = spawn_app(pool).await;
    let form = [("email", "ada@example.com"), ("password", "whatever-it-is")];
    let cross_site = app
        .client
        .post(app.url("/api/auth/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let foreign_origin = app
        .client
        .post(app.url("/api/auth/login"))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_origin.status(), 403);
    let same_origin = app
        .client
        .post(app.url("/api/auth/login"))
        .header("sec-fetch-site", "same-origin")
        .header("origin", format!("http://{}", app.addr))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 422, "reaches the server function");
    let own_origin = app
        .client
        .post(app.url("/api/auth/login"))
        .header("origin", format!("http://{}", app.addr))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(own_origin.status(), 422);
    app.stop().await;
}

#[sqlx::test]
async fn pages_carry_security_headers(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/login").await;
    assert_eq!(response.status(), 200);
    let h = response.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("'wasm-unsafe-eval'") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(
        csp.contains("'nonce-"),
        "the hydration script is allowed by nonce: {csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h.contains_key("referrer-policy"));
    assert!(
        !h.contains_key("strict-transport-security"),
        "no HSTS in development"
    );
    app.stop().await;
}

#[sqlx::test]
async fn the_first_admin_is_created_by_command_without_a_known_password(pool: PgPool) {
    use bookwork::auth::server::{create_admin, CreatedAdmin};
    let created = create_admin(&pool, "Root", "root@example.com", None)
        .await
        .unwrap();
    let CreatedAdmin::Created {
        generated_password: Some(password),
    } = created
    else {
        panic!("expected a generated password, got {created:?}")
    };
    assert!(password.len() >= 40, "256 random bits");
    let app = spawn_app(pool.clone()).await;
    let response = login(&app, &app.client, "root@example.com", &password).await;
    assert_eq!(response.status(), 200);
    let me: Value = app
        .client
        .post(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
    // No account anywhere has a well-known password: there are no seeded users.
    let others: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users WHERE email <> 'root@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(others, 0);
    // Running it for an existing account promotes it.
    signed_up(&app, "ada@example.com").await;
    assert!(matches!(
        create_admin(&pool, "Ada", "ada@example.com", None)
            .await
            .unwrap(),
        CreatedAdmin::Promoted
    ));
    app.stop().await;
}

fn app_state_with(pool: &PgPool, extra: &[(&str, &str)]) -> bookwork::platform::state::AppState {
    crate::common::test_state_with(
        pool,
        crate::common::test_leptos_options("target/site"),
        extra,
    )
}

#[sqlx::test]
async fn two_instances_serve_one_user_interchangeably(pool: PgPool) {
    // Nothing about a session lives in process memory: sign in on one
    // instance, carry on (and refresh) on another.
    let first = crate::common::spawn_router(
        bookwork::server::http::router(app_state_with(&pool, &[])),
        pool.clone(),
    )
    .await;
    let second = crate::common::spawn_router(
        bookwork::server::http::router(app_state_with(&pool, &[])),
        pool.clone(),
    )
    .await;
    let (access, refresh) = signed_up(&first, "ada@example.com").await;
    assert_eq!(
        whoami(&second, &format!("bw_access={access}")).await["email"],
        "ada@example.com"
    );
    let refreshed = reqwest::Client::new()
        .post(second.url("/api/auth/me"))
        .header("cookie", format!("bw_refresh={refresh}"))
        .send()
        .await
        .unwrap();
    let new_refresh = set_cookies(&refreshed)["bw_refresh"].0.clone();
    assert_eq!(
        whoami(&first, &format!("bw_refresh={new_refresh}")).await["email"],
        "ada@example.com"
    );
    first.stop().await;
    second.stop().await;
}

#[sqlx::test]
async fn production_adds_hsts(pool: PgPool) {
    let state = app_state_with(
        &pool,
        &[
            ("ENVIRONMENT", "production"),
            ("COOKIE_SECURE", "true"),
            ("PUBLIC_URL", "https://books.example.org"),
        ],
    );
    let app = crate::common::spawn_router(bookwork::server::http::router(state), pool).await;
    let response = app.get("/").await;
    assert!(response.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    app.stop().await;
}

async fn accounts(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Thirty accounts an hour from one client (a crowd on one venue's Wi-Fi),
/// then a 429 that says when to try again and makes no account; another
/// client is not held back by it.
#[sqlx::test]
async fn sign_ups_are_limited_per_client_and_say_when_to_try_again(pool: PgPool) {
    // Behind a proxy on 127.0.0.1, so that tests can be two clients.
    let app =
        crate::common::spawn_app_with(pool.clone(), &[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let sign_up = |n: usize, client_ip: &'static str| {
        crate::common::cookie_client()
            .post(app.url("/api/auth/register"))
            .header("x-forwarded-for", client_ip)
            .form(&[
                ("name", "Crowd Reader".to_owned()),
                ("email", format!("reader{n}@example.com")),
                ("password", PASSWORD.to_owned()),
            ])
            .send()
    };
    for n in 0..30 {
        let r = sign_up(n, "198.51.100.7").await.unwrap();
        assert!(r.status().is_success(), "sign-up {n}: {}", r.status());
    }
    assert_eq!(accounts(&pool).await, 30);

    let refused = sign_up(30, "198.51.100.7").await.unwrap();
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3500..=3600).contains(&retry_after), "{retry_after}");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "RateLimited": { "retry_after_secs": retry_after } })
    );
    assert_eq!(accounts(&pool).await, 30, "no account was made");
    // What a person reads, from the same error.
    let said = serde_json::from_value::<bookwork::error::AppError>(body)
        .unwrap()
        .to_string();
    assert_eq!(said, "Too many attempts. Please try again in an hour.");

    let elsewhere = sign_up(31, "203.0.113.20").await.unwrap();
    assert!(elsewhere.status().is_success(), "{}", elsewhere.status());
    assert_eq!(accounts(&pool).await, 31);

    // An hour on, the client may sign people up again.
    sqlx::query("UPDATE auth_attempts SET created_at = created_at - interval '1 hour'")
        .execute(&pool)
        .await
        .unwrap();
    let later = sign_up(32, "198.51.100.7").await.unwrap();
    assert!(later.status().is_success(), "{}", later.status());
    app.stop().await;
}

/// Sign-ups racing from one client never get past the limit between them.
#[sqlx::test]
async fn racing_sign_ups_from_one_client_stop_at_the_limit(pool: PgPool) {
    let app = crate::common::spawn_app_with(pool.clone(), &[("SIGN_UPS_PER_HOUR", "5")]).await;
    let mut racing = tokio::task::JoinSet::new();
    for n in 0..16 {
        let request = crate::common::cookie_client()
            .post(app.url("/api/auth/register"))
            .form(&[
                ("name", "Racing Reader".to_owned()),
                ("email", format!("racer{n}@example.com")),
                ("password", PASSWORD.to_owned()),
            ]);
        racing.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let mut statuses = racing.join_all().await;
    statuses.sort_unstable();
    let made = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(made, 5, "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(accounts(&pool).await, 5);
    app.stop().await;
}

/// Without JavaScript the refusal comes back to the form, beside what was
/// typed.
#[sqlx::test]
async fn a_refused_sign_up_keeps_what_was_typed(pool: PgPool) {
    let app = crate::common::spawn_app_with(pool.clone(), &[("SIGN_UPS_PER_HOUR", "1")]).await;
    crate::common::sign_up(&app, "First Reader", "first@example.com").await;
    let (status, page) = crate::common::plain_form_post(
        &app,
        &crate::common::cookie_client(),
        "/api/auth/register",
        "/register",
        &[
            ("name", "Second Reader"),
            ("email", "second@example.com"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 302, "back to the form it came from");
    assert!(
        page.contains("Too many attempts. Please try again in an hour."),
        "{page}"
    );
    assert!(page.contains("value=\"Second Reader\""), "{page}");
    assert!(page.contains("value=\"second@example.com\""), "{page}");
    assert_eq!(accounts(&pool).await, 1);
    app.stop().await;
}

/// A name is one line: a line break (which would start a new line in an
/// e-mail's text, a calendar file or a log) is refused beside the field,
/// even when the body does not say it is a form.
#[sqlx::test]
async fn a_line_break_in_a_name_is_refused_beside_it(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    for content_type in ["application/x-www-form-urlencoded", "text/plain"] {
        let response = crate::common::cookie_client()
            .post(app.url("/api/auth/register"))
            .header("content-type", content_type)
            .body(
                "name=Ada%0A2026-12-04T00%3A00%3A00Z+ERROR+forged&email=ada%40example.com&password=a+long+walk+to+the+library",
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{content_type}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            crate::common::invalid_message(&body, "name"),
            "This is one line: remove the line break and try again.",
            "{content_type}"
        );
    }
    assert_eq!(accounts(&pool).await, 0);
    app.stop().await;
}
