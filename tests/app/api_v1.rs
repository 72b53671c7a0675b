//! The public API (/api/v1) over real HTTP: personal access tokens, the
//! error shape, and the description. (Issue 25, first part.)
use crate::common::{sign_up, spawn_app, TestApp};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// A token for `user` written directly, with these scopes: the token.
async fn token(pool: &PgPool, user: Uuid, scopes: &[&str], expires: Option<&str>) -> String {
    let token = format!("bw_test_{}", Uuid::new_v4().simple());
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at)
         VALUES ($1, 'test', $2, $3, now() - interval '1 hour', now() + $4::interval)",
    )
    .bind(user)
    .bind(hash)
    .bind(scopes.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    .bind(expires.unwrap_or("1 day"))
    .execute(pool)
    .await
    .unwrap();
    token
}

async fn person(app: &TestApp, pool: &PgPool, name: &str) -> Uuid {
    let email = format!("{name}@example.com");
    sign_up(app, name, &email).await;
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String, serde_json::Value) {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, kind, body)
}

#[sqlx::test]
async fn a_token_stands_for_its_person_until_revoked_expired_or_deactivated(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ann = person(&app, &pool, "ann").await;
    let live = token(&pool, ann, &["read"], None).await;
    let (status, _, body) = get(&app, "/api/v1/me", Some(&live)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], ann.to_string());
    assert_eq!(body["name"], "ann");

    // No token, a made-up one, an expired one: 401 as a problem document.
    let expired = token(&pool, ann, &["read"], Some("-1 second")).await;
    for token in [None, Some("bw_nothing"), Some(expired.as_str())] {
        let (status, kind, body) = get(&app, "/api/v1/me", token).await;
        assert_eq!(status, 401, "{token:?}: {body}");
        assert_eq!(kind, "application/problem+json");
        assert_eq!(
            body["type"],
            "https://bookwork.example/problems/unauthenticated"
        );
        assert_eq!(body["status"], 401);
    }
    // In the address: refused, even when it is a good one.
    let (status, _, _) = get(&app, &format!("/api/v1/me?access_token={live}"), None).await;
    assert_eq!(status, 400);
    // A write-only token may not read.
    let writer = token(&pool, ann, &["write"], None).await;
    let (status, _, body) = get(&app, "/api/v1/me", Some(&writer)).await;
    assert_eq!(status, 403, "{body}");
    // Revoked, or the account deactivated: refused at once.
    sqlx::query(
        "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND 'write' = ANY (scopes)",
    )
    .bind(ann)
    .execute(&pool)
    .await
    .unwrap();
    let second = token(&pool, ann, &["read", "write"], None).await;
    assert_eq!(get(&app, "/api/v1/me", Some(&second)).await.0, 200);
    sqlx::query("UPDATE users SET is_active = false WHERE id = $1")
        .bind(ann)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(get(&app, "/api/v1/me", Some(&second)).await.0, 401);
    // The last use was recorded.
    let used: i64 =
        sqlx::query_scalar("SELECT count(*) FROM api_tokens WHERE last_used_at IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(used, 2);
    app.stop().await;
}

#[sqlx::test]
async fn the_description_is_served_and_names_every_route(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (status, kind, body) = get(&app, "/api/v1/openapi.json", None).await;
    assert_eq!(status, 200);
    assert_eq!(kind, "application/json");
    assert_eq!(body["openapi"], "3.1.0");
    assert!(body["paths"]["/api/v1/me"]["get"].is_object(), "{body}");
    assert_eq!(
        body["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    app.stop().await;
}

/// Tokens made and revoked on /me (through the server functions the page's
/// forms post to): shown once, stored hashed, listed without the token, and
/// only their owner may revoke them.
#[sqlx::test]
async fn a_person_makes_lists_and_revokes_their_own_tokens(pool: PgPool) {
    use crate::common::{call, invalid_fields, send_form};
    let app = spawn_app(pool.clone()).await;
    let ann = sign_up(&app, "Ann", "ann@example.com").await;
    let bob = sign_up(&app, "Bob", "bob@example.com").await;

    // Every problem at once, nothing made.
    let (status, body) = call(
        &app,
        &ann,
        "/api/me/tokens/create",
        &[("token_name", " "), ("days", "12")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(invalid_fields(&body), "token_name,scopes,days");
    let (status, body) = call(
        &app,
        &ann,
        "/api/me/tokens/create",
        &[("token_name", "x"), ("scopes[]", "admin"), ("days", "")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(invalid_fields(&body), "scopes");
    let made: i64 = sqlx::query_scalar("SELECT count(*) FROM api_tokens")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(made, 0);

    let (status, body) = send_form(
        &app,
        &ann,
        "/api/me/tokens/create",
        &[
            ("token_name", "calendar bot"),
            ("scopes[]", "read"),
            ("scopes[]", "write"),
            ("days", "30"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = body.as_str().unwrap().to_owned();
    assert!(token.starts_with("bw_") && token.len() > 40, "{token}");
    // Stored as its hash only, with both scopes and a 30-day expiry.
    let (hash, scopes, days): (String, Vec<String>, f64) = sqlx::query_as(
        "SELECT token_hash, scopes, (extract(epoch FROM expires_at - created_at) / 86400)::float8 FROM api_tokens",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(hash, hex::encode(Sha256::digest(token.as_bytes())));
    assert_eq!(scopes, ["read", "write"]);
    assert!((days - 30.0).abs() < 0.01, "{days}");
    assert_eq!(get(&app, "/api/v1/me", Some(&token)).await.2["name"], "Ann");

    // The list names it and never shows it.
    let (status, list) = call(&app, &ann, "/api/me/tokens", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["name"], "calendar bot");
    assert!(!list.to_string().contains(&token));
    assert_eq!(
        call(&app, &bob, "/api/me/tokens", &[]).await.1,
        serde_json::json!([])
    );

    // Bob cannot revoke it (it is not his: not found); Ann can.
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let (status, _) = call(&app, &bob, "/api/me/tokens/revoke", &[("id", &id)]).await;
    assert_eq!(status, 404);
    assert_eq!(get(&app, "/api/v1/me", Some(&token)).await.0, 200);
    let (status, _) = call(&app, &ann, "/api/me/tokens/revoke", &[("id", &id)]).await;
    assert_eq!(status, 200);
    assert_eq!(get(&app, "/api/v1/me", Some(&token)).await.0, 401);
    app.stop().await;
}
