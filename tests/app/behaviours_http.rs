//! Two promises of the README's "Accounts and sessions", over real HTTP: a
//! sign-in lasts 30 days and not a moment longer (a refresh token or
//! sign-in past its expiry signs nobody in, and the browser is told to drop
//! the cookies), and every page's Content-Security-Policy carries a nonce of
//! its own that the page's inline scripts, and only they, carry.
use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgPool;

use crate::common::{spawn_app, TestApp, PASSWORD};

/// Thirty days, in seconds: the README's limit, written out here rather than
/// read from the code.
const THIRTY_DAYS: i64 = 30 * 24 * 60 * 60;

/// Cookies a response sets, by name: (value, attributes).
fn set_cookies(response: &reqwest::Response) -> HashMap<String, (String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .map(|c| {
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (name, value) = pair.split_once('=').unwrap();
            (name.to_owned(), (value.to_owned(), attrs.trim().to_owned()))
        })
        .collect()
}

fn max_age(attrs: &str) -> i64 {
    attrs
        .split(';')
        .find_map(|a| a.trim().strip_prefix("Max-Age="))
        .unwrap_or_else(|| panic!("no Max-Age in {attrs}"))
        .parse()
        .unwrap()
}

async fn db_now(pool: &PgPool) -> DateTime<Utc> {
    sqlx::query_scalar("SELECT now()")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Signs in (or up, for the first) with a client that keeps no cookies;
/// returns the access and refresh cookies the answer set, and how long the
/// refresh cookie is to be kept.
async fn start_sign_in(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (String, String, i64) {
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(r.status().as_u16() < 400, "{path}: {}", r.status());
    let cookies = set_cookies(&r);
    (
        cookies["bw_access"].0.clone(),
        cookies["bw_refresh"].0.clone(),
        max_age(&cookies["bw_refresh"].1),
    )
}

/// `/api/auth/me` with exactly `cookie`: who the server took the caller
/// for, and the cookies its answer set.
async fn me(app: &TestApp, cookie: &str) -> (Value, HashMap<String, (String, String)>) {
    let r = reqwest::Client::new()
        .post(app.url("/api/auth/me"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookies = set_cookies(&r);
    (r.json().await.unwrap(), cookies)
}

/// Both sign-in cookies are cleared: empty, kept for no time.
fn cleared(cookies: &HashMap<String, (String, String)>) -> bool {
    ["bw_access", "bw_refresh"].iter().all(|name| {
        cookies
            .get(*name)
            .is_some_and(|(v, attrs)| v.is_empty() && max_age(attrs) == 0)
    })
}

#[sqlx::test]
async fn a_sign_in_lasts_thirty_days_and_no_longer(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;

    // A fresh sign-in ends 30 days after it began, and the browser is asked
    // to keep the refresh cookie exactly that long.
    let (before, clock) = (db_now(&pool).await, Instant::now());
    let (_, first_refresh, kept) = start_sign_in(
        &app,
        "/api/auth/register",
        &[
            ("name", "Ada"),
            ("email", "ada@example.com"),
            ("password", PASSWORD),
        ],
    )
    .await;
    let (after, took) = (db_now(&pool).await, clock.elapsed().as_secs() as i64 + 1);
    let (family_ends, token_ends): (DateTime<Utc>, DateTime<Utc>) = sqlx::query_as(
        "SELECT f.expires_at, t.expires_at FROM session_families f JOIN refresh_tokens t ON t.family_id = f.id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let thirty_days = chrono::Duration::seconds(THIRTY_DAYS);
    assert!(
        before + thirty_days <= family_ends && family_ends <= after + thirty_days,
        "{before} .. {after}: ends {family_ends}"
    );
    assert_eq!(
        token_ends, family_ends,
        "the token lives as long as its sign-in"
    );
    assert!(
        (THIRTY_DAYS - took..=THIRTY_DAYS).contains(&kept),
        "Max-Age {kept}"
    );

    // A second sign-in, for the token-level case below.
    let (_, second_refresh, _) = start_sign_in(
        &app,
        "/api/auth/login",
        &[("email", "ada@example.com"), ("password", PASSWORD)],
    )
    .await;
    let families: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT id FROM session_families ORDER BY created_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(families.len(), 2);

    // While it lasts, the refresh token signs in (and is rotated).
    let (who, cookies) = me(&app, &format!("bw_refresh={first_refresh}")).await;
    assert_eq!(who["email"], "ada@example.com");
    let (access, refresh) = (
        cookies["bw_access"].0.clone(),
        cookies["bw_refresh"].0.clone(),
    );
    assert_eq!(
        me(&app, &format!("bw_access={access}")).await.0["email"],
        "ada@example.com"
    );

    // The first sign-in began 31 days ago: it ended yesterday. Its newest
    // refresh token, and its access token (still inside its 15 minutes),
    // sign nobody in, and the browser is told to forget them.
    sqlx::query(
        "UPDATE session_families SET created_at = now() - interval '31 days', expires_at = now() - interval '1 day'
          WHERE id = $1",
    )
    .bind(families[0])
    .execute(&pool)
    .await
    .unwrap();
    for cookie in [
        format!("bw_refresh={refresh}"),
        format!("bw_access={access}; bw_refresh={refresh}"),
    ] {
        let (who, cookies) = me(&app, &cookie).await;
        assert_eq!(who, Value::Null, "{cookie}");
        assert!(cleared(&cookies), "{cookie}: {cookies:?}");
    }

    // The second sign-in's refresh token is past its own expiry.
    sqlx::query(
        "UPDATE refresh_tokens SET created_at = now() - interval '31 days', expires_at = now() - interval '1 day'
          WHERE family_id = $1",
    )
    .bind(families[1])
    .execute(&pool)
    .await
    .unwrap();
    let (who, cookies) = me(&app, &format!("bw_refresh={second_refresh}")).await;
    assert_eq!(who, Value::Null);
    assert!(cleared(&cookies), "{cookies:?}");

    // Neither was renewed.
    let issued: i64 = sqlx::query_scalar("SELECT count(*) FROM refresh_tokens")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(issued, 3, "two sign-ins and one rotation");
    app.stop().await;
}

#[sqlx::test]
async fn every_page_has_a_nonce_of_its_own_on_its_inline_scripts(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut seen = Vec::new();
    for path in ["/login", "/login", "/", "/", "/register"] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let nonces: Vec<&str> = csp
            .split(['\'', ' ', ';'])
            .filter_map(|word| word.strip_prefix("nonce-"))
            .collect();
        assert_eq!(nonces.len(), 1, "one nonce in {csp}");
        let nonce = nonces[0].to_owned();
        assert!(nonce.len() >= 16, "{nonce}");
        let html = r.text().await.unwrap();
        let page = scraper::Html::parse_document(&html);
        let scripts = scraper::Selector::parse("script").unwrap();
        let inline: Vec<Option<&str>> = page
            .select(&scripts)
            .filter(|s| s.value().attr("src").is_none())
            .map(|s| s.value().attr("nonce"))
            .collect();
        assert!(!inline.is_empty(), "{path} has its islands loader script");
        assert!(
            inline.iter().all(|n| *n == Some(nonce.as_str())),
            "{path}: every inline script carries this response's nonce {nonce}: {inline:?}"
        );
        seen.push(nonce);
    }
    let mut distinct = seen.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), seen.len(), "a nonce per response: {seen:?}");
    app.stop().await;
}
