//! The public API (/api/v1) over real HTTP: personal access tokens, the
//! error shape, the description and its reference page; clubs, meetings,
//! answers and notifications with pages, entity tags, preconditions and
//! idempotent creation; who is refused what (checked by its effect); and
//! races over the API matching the pages'.
use crate::common::{sign_up, spawn_app, spawn_app_for_a_crowd, TestApp};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// A token for `user` written directly, with these scopes: the token.
pub(crate) async fn token(
    pool: &PgPool,
    user: Uuid,
    scopes: &[&str],
    expires: Option<&str>,
) -> String {
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

pub(crate) async fn person(app: &TestApp, pool: &PgPool, name: &str) -> Uuid {
    let email = format!("{name}@example.com");
    sign_up(app, name, &email).await;
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub(crate) async fn get(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
) -> (u16, String, serde_json::Value) {
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

/// A club started over the API by the first of `people`, with the rest
/// put in it with the role given (`None`: not in it). Everyone signs up
/// and gets a read-and-write token. Answers the club's id and each
/// person's id and token, in the order given.
pub(crate) async fn club_with<const N: usize>(
    app: &TestApp,
    pool: &PgPool,
    club: Value,
    people: [(&str, Option<&str>); N],
) -> (String, [(Uuid, String); N]) {
    let mut cast = Vec::new();
    for (name, _) in people {
        let id = person(app, pool, name).await;
        cast.push((id, token(pool, id, &["read", "write"], None).await));
    }
    let (status, _, made) = send(
        app,
        Method::POST,
        "/api/v1/clubs",
        Some(&cast[0].1),
        Some(club),
        &[],
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let club = made["id"].as_str().unwrap().to_owned();
    for ((_, role), (id, _)) in people.iter().zip(&cast).skip(1) {
        if let Some(role) = role {
            member_of(pool, &club, *id, role).await;
        }
    }
    (club, cast.try_into().unwrap())
}

/// The fields a 422 problem names, in order, each once.
pub(crate) fn refused_fields(problem: &Value) -> Vec<&str> {
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no fields in {problem}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    fields.dedup();
    fields
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
    // Every reference names a schema the description holds.
    let text = body.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            body["components"]["schemas"][name].is_object(),
            "{name} is referred to but not described"
        );
    }
    // Every operation shows what it takes and what it answers by example:
    // its body's and its success's (the schema's own, or a list's item's).
    let example = |schema: &Value| -> Option<Value> {
        let named = |s: &Value| -> Option<Value> {
            let name = s["$ref"].as_str()?.rsplit('/').next()?;
            let found = &body["components"]["schemas"][name]["example"];
            (!found.is_null()).then(|| found.clone())
        };
        named(schema).or_else(|| named(&schema["items"]))
    };
    let mut without = Vec::new();
    for (path, item) in body["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let mut bodies = vec![&operation["requestBody"]["content"]["application/json"]];
            for (status, answer) in operation["responses"].as_object().unwrap() {
                if status.starts_with('2') {
                    bodies.push(&answer["content"]["application/json"]);
                }
            }
            for content in bodies.into_iter().filter(|c| !c.is_null()) {
                if example(&content["schema"]).is_none() {
                    without.push(format!("{method} {path}: {}", content["schema"]));
                }
            }
        }
    }
    assert!(without.is_empty(), "no example: {without:#?}");
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

/// One API request: the status, the headers and the JSON body (or null).
pub(crate) async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new().request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

async fn club_count(pool: &PgPool, name: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM clubs WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn club_field(pool: &PgPool, id: &str, column: &str) -> Option<String> {
    sqlx::query_scalar(&format!(
        "SELECT {column}::text FROM clubs WHERE id = $1::uuid"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
    .unwrap()
    .flatten()
}

pub(crate) async fn member_of(pool: &PgPool, club: &str, user: Uuid, role: &str) {
    sqlx::query(
        "INSERT INTO club_members (club_id, user_id, role) VALUES ($1::uuid, $2, $3)
         ON CONFLICT (club_id, user_id) DO UPDATE SET is_active = true, role = EXCLUDED.role",
    )
    .bind(club)
    .bind(user)
    .bind(role)
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test]
async fn a_club_is_made_read_changed_and_deleted_with_tags_and_preconditions(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ann = person(&app, &pool, "ann").await;
    let ann_rw = token(&pool, ann, &["read", "write"], None).await;

    let new = json!({"name": "Harbour Readers", "description": "Novels and tea.", "is_public": true,
                     "max_members": 20, "tags": ["fiction", "tea"], "time_zone": "Europe/Lisbon"});
    let (status, headers, club) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&ann_rw),
        Some(new),
        &[],
    )
    .await;
    assert_eq!(status, 201, "{club}");
    let id = club["id"].as_str().unwrap().to_owned();
    assert_eq!(headers["location"], format!("/api/v1/clubs/{id}").as_str());
    assert_eq!(club["name"], "Harbour Readers");
    assert_eq!(club["member_count"], 1);
    assert_eq!(club["can_edit"], true);
    assert_eq!(
        club_field(&pool, &id, "time_zone").await.as_deref(),
        Some("Europe/Lisbon")
    );
    assert_eq!(
        club_field(&pool, &id, "owner_id").await,
        Some(ann.to_string())
    );

    // Read with its tag; the same tag back is 304 with no body.
    let path = format!("/api/v1/clubs/{id}");
    let (status, headers, body) = send(&app, Method::GET, &path, Some(&ann_rw), None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["tags"], json!(["fiction", "tea"]));
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let (status, _, _) = send(
        &app,
        Method::GET,
        &path,
        Some(&ann_rw),
        None,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(status, 304);

    // A change based on what was read goes through, and the tag moves on.
    let (status, headers, body) = send(
        &app,
        Method::PATCH,
        &path,
        Some(&ann_rw),
        Some(json!({"description": "Novels, tea and cake.", "max_members": null})),
        &[("if-match", &etag)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["description"], "Novels, tea and cake.");
    assert_eq!(body["max_members"], Value::Null);
    assert_eq!(
        body["name"], "Harbour Readers",
        "fields not sent stay as they were"
    );
    assert_ne!(headers["etag"].to_str().unwrap(), etag);
    // A second change based on the old read is refused, and changes nothing.
    let (status, _, body) = send(
        &app,
        Method::PATCH,
        &path,
        Some(&ann_rw),
        Some(json!({"name": "Overwritten"})),
        &[("if-match", &etag)],
    )
    .await;
    assert_eq!(status, 412, "{body}");
    assert_eq!(body["type"], "https://bookwork.example/problems/stale");
    assert_eq!(
        club_field(&pool, &id, "name").await.as_deref(),
        Some("Harbour Readers")
    );
    assert_eq!(
        club_field(&pool, &id, "description").await.as_deref(),
        Some("Novels, tea and cake.")
    );

    // Every invalid field at once, as a problem document.
    let (status, _, body) = send(
        &app,
        Method::PATCH,
        &path,
        Some(&ann_rw),
        Some(json!({"name": "", "max_members": 0, "time_zone": "Mars/Olympus"})),
        &[],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in ["name", "max_members", "time_zone"] {
        assert!(fields.contains(&field), "{field} missing from {body}");
    }

    // Deleting: 204, then it is gone.
    let (status, _, _) = send(&app, Method::DELETE, &path, Some(&ann_rw), None, &[]).await;
    assert_eq!(status, 204);
    assert_eq!(club_count(&pool, "Harbour Readers").await, 0);
    let (status, _, _) = send(&app, Method::GET, &path, Some(&ann_rw), None, &[]).await;
    assert_eq!(status, 404);
    app.stop().await;
}

/// The refusals over the API, one request per cell, each checked by its
/// effect (from docs/AUTHZ.md: clubs — edit: club admin and owner; delete:
/// the owner; a private club is invisible to outsiders; a read token never
/// writes; events — RSVP: club members).
#[sqlx::test]
async fn the_api_refuses_whom_the_pages_refuse(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let owner = person(&app, &pool, "owner").await;
    let member = person(&app, &pool, "member").await;
    let outsider = person(&app, &pool, "outsider").await;
    let owner_rw = token(&pool, owner, &["read", "write"], None).await;
    let owner_read = token(&pool, owner, &["read"], None).await;
    let member_rw = token(&pool, member, &["read", "write"], None).await;
    let outsider_rw = token(&pool, outsider, &["read", "write"], None).await;

    let (_, _, private) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&owner_rw),
        Some(json!({"name": "Quiet Readers"})),
        &[],
    )
    .await;
    let private = private["id"].as_str().unwrap().to_owned();
    let (_, _, public) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&owner_rw),
        Some(json!({"name": "Open Readers", "is_public": true})),
        &[],
    )
    .await;
    let public = public["id"].as_str().unwrap().to_owned();
    member_of(&pool, &private, member, "member").await;
    member_of(&pool, &public, member, "member").await;

    // A browser's sign-in cookies are not a credential here (so another
    // site cannot make a browser write through the API): 401, nothing made.
    let browser = sign_up(&app, "carol", "carol@example.com").await;
    let response = browser
        .post(app.url("/api/v1/clubs"))
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"name": "Cookie club"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(club_count(&pool, "Cookie club").await, 0);

    // Without a token: 401, nothing made.
    let (status, headers, _) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        None,
        Some(json!({"name": "Anonymous club"})),
        &[],
    )
    .await;
    assert_eq!(status, 401);
    assert!(headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    // A read token may not write: 403, nothing made or changed.
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&owner_read),
        Some(json!({"name": "Read-only club"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        club_count(&pool, "Anonymous club").await + club_count(&pool, "Read-only club").await,
        0
    );
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        &format!("/api/v1/clubs/{public}"),
        Some(&owner_read),
        Some(json!({"name": "Renamed"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);

    // A private club is a 404 to an outsider: reading, its meetings,
    // changing, joining, deleting.
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/clubs/{private}"), None),
        (Method::GET, format!("/api/v1/clubs/{private}/events"), None),
        (
            Method::PATCH,
            format!("/api/v1/clubs/{private}"),
            Some(json!({"name": "Mine now"})),
        ),
        (
            Method::POST,
            format!("/api/v1/clubs/{private}/membership"),
            None,
        ),
        (Method::DELETE, format!("/api/v1/clubs/{private}"), None),
    ] {
        let (status, _, body) =
            send(&app, method.clone(), &path, Some(&outsider_rw), body, &[]).await;
        assert_eq!(status, 404, "{method} {path}: {body}");
    }
    assert_eq!(
        club_field(&pool, &private, "name").await.as_deref(),
        Some("Quiet Readers")
    );
    let outsider_in: i64 =
        sqlx::query_scalar("SELECT count(*) FROM club_members WHERE user_id = $1")
            .bind(outsider)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(outsider_in, 0);

    // A plain member may not change or delete the club: 403, unchanged.
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        &format!("/api/v1/clubs/{public}"),
        Some(&member_rw),
        Some(json!({"name": "Members' club"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = send(
        &app,
        Method::DELETE,
        &format!("/api/v1/clubs/{public}"),
        Some(&member_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        club_field(&pool, &public, "name").await.as_deref(),
        Some("Open Readers")
    );
    // An admin who is not the owner may change it but not delete it.
    member_of(&pool, &public, member, "admin").await;
    let (status, _, _) = send(
        &app,
        Method::DELETE,
        &format!("/api/v1/clubs/{public}"),
        Some(&member_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(club_count(&pool, "Open Readers").await, 1);

    // A public meeting of the public club: an outsider sees it but may not
    // answer it.
    let (status, _, event) = send(
        &app,
        Method::POST,
        &format!("/api/v1/clubs/{public}/events"),
        Some(&owner_rw),
        Some(
            json!({"title": "First meeting", "date": crate::common::in_days(7), "time": "19:00",
                    "location": "The library", "is_public": true}),
        ),
        &[],
    )
    .await;
    assert_eq!(status, 201, "{event}");
    let event = event["id"].as_str().unwrap().to_owned();
    let (status, _, seen) = send(
        &app,
        Method::GET,
        &format!("/api/v1/events/{event}"),
        Some(&outsider_rw),
        None,
        &[],
    )
    .await;
    assert_eq!((status, &seen["can_rsvp"]), (200, &json!(false)), "{seen}");
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &format!("/api/v1/events/{event}/rsvp"),
        Some(&outsider_rw),
        Some(json!({"status": "available"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let answered: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM availability WHERE event_id = $1::uuid AND user_id = $2",
    )
    .bind(&event)
    .bind(outsider)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(answered, 0);
    // A member who is not an organiser may not plan one.
    member_of(&pool, &public, member, "member").await;
    let (status, _, _) = send(
        &app,
        Method::POST,
        &format!("/api/v1/clubs/{public}/events"),
        Some(&member_rw),
        Some(json!({"title": "Rogue meeting", "date": crate::common::in_days(7), "time": "19:00", "location": "The library"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let rogue: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE title = 'Rogue meeting'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(rogue, 0);
    app.stop().await;
}

#[sqlx::test]
async fn a_retried_create_with_its_key_makes_one_club(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ann = person(&app, &pool, "ann").await;
    let ann_rw = token(&pool, ann, &["read", "write"], None).await;
    let body = json!({"name": "Once Only"});
    let key = [("idempotency-key", "5f0c9d3e-retry-1")];
    let (first, first_headers, first_body) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&ann_rw),
        Some(body.clone()),
        &key,
    )
    .await;
    let (again, again_headers, again_body) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&ann_rw),
        Some(body.clone()),
        &key,
    )
    .await;
    assert_eq!((first, again), (201, 201));
    assert_eq!(first_body["id"], again_body["id"]);
    assert_eq!(first_headers["location"], again_headers["location"]);
    assert_eq!(club_count(&pool, "Once Only").await, 1);
    // The same key for another request: refused, nothing made.
    let (status, _, problem) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&ann_rw),
        Some(json!({"name": "Twice"})),
        &key,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        problem["type"],
        "https://bookwork.example/problems/idempotency-key-reused"
    );
    assert_eq!(club_count(&pool, "Twice").await, 0);

    // Eight retries racing with one key: one club, every answer its.
    let racing = json!({"name": "Raced Once"});
    let answers = futures_util::future::join_all((0..8).map(|_| {
        send(
            &app,
            Method::POST,
            "/api/v1/clubs",
            Some(&ann_rw),
            Some(racing.clone()),
            &[("idempotency-key", "race-key")],
        )
    }))
    .await;
    let ids: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|(status, _, body)| {
            assert_eq!(*status, 201, "{body}");
            body["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(club_count(&pool, "Raced Once").await, 1);
    // Keys are per token: another token's same key makes its own.
    let other = token(&pool, ann, &["read", "write"], None).await;
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&other),
        Some(racing),
        &[("idempotency-key", "race-key")],
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(club_count(&pool, "Raced Once").await, 2);
    app.stop().await;
}

#[sqlx::test]
async fn lists_come_in_pages_linked_by_cursor(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ann = person(&app, &pool, "ann").await;
    let ann_rw = token(&pool, ann, &["read", "write"], None).await;
    for n in 1..=5 {
        let (status, _, _) = send(
            &app,
            Method::POST,
            "/api/v1/clubs",
            Some(&ann_rw),
            Some(json!({"name": format!("Club {n}"), "is_public": n % 2 == 0})),
            &[],
        )
        .await;
        assert_eq!(status, 201);
    }
    // My clubs, two at a time, followed by the Link header to the end.
    let mut path = "/api/v1/me/clubs?limit=2".to_owned();
    let mut names = Vec::new();
    let mut pages = 0;
    loop {
        let (status, headers, body) =
            send(&app, Method::GET, &path, Some(&ann_rw), None, &[]).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        names.extend(
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_owned()),
        );
        match headers.get("link") {
            Some(link) => {
                let link = link.to_str().unwrap();
                assert!(link.ends_with("; rel=\"next\""), "{link}");
                assert!(body["next_cursor"].is_string());
                path = link
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap()
                    .to_owned();
                assert!(
                    path.contains("limit=2"),
                    "the other parameters are kept: {path}"
                );
            }
            None => {
                assert!(body["next_cursor"].is_null());
                break;
            }
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["Club 1", "Club 2", "Club 3", "Club 4", "Club 5"]);
    // Discover: what a stranger may see is the public ones only.
    let bob = person(&app, &pool, "bob").await;
    let bob_read = token(&pool, bob, &["read"], None).await;
    let (status, _, body) = send(
        &app,
        Method::GET,
        "/api/v1/clubs?sort=name",
        Some(&bob_read),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200);
    let seen: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(seen, ["Club 2", "Club 4"]);
    // A cursor or limit it never gave: 400, as a problem.
    for bad in [
        "/api/v1/me/clubs?cursor=nonsense",
        "/api/v1/me/clubs?limit=0",
        "/api/v1/me/clubs?limit=many",
    ] {
        let (status, headers, body) =
            send(&app, Method::GET, bad, Some(&bob_read), None, &[]).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(headers["content-type"], "application/problem+json");
    }
    app.stop().await;
}

#[sqlx::test]
async fn joins_and_answers_racing_over_the_api_keep_the_limits(pool: PgPool) {
    let app = spawn_app_for_a_crowd(pool.clone()).await;
    let owner = person(&app, &pool, "owner").await;
    let owner_rw = token(&pool, owner, &["read", "write"], None).await;
    // Room for the owner and two more.
    let (_, _, club) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&owner_rw),
        Some(json!({"name": "Small Circle", "is_public": true, "max_members": 3})),
        &[],
    )
    .await;
    let club = club["id"].as_str().unwrap().to_owned();
    let mut tokens = Vec::new();
    for n in 0..6 {
        let who = person(&app, &pool, &format!("reader{n}")).await;
        tokens.push(token(&pool, who, &["read", "write"], None).await);
    }
    let membership = format!("/api/v1/clubs/{club}/membership");
    let joins = futures_util::future::join_all(
        tokens
            .iter()
            .map(|t| send(&app, Method::POST, &membership, Some(t), None, &[])),
    )
    .await;
    let joined = joins.iter().filter(|(s, _, _)| *s == 204).count();
    let full = joins.iter().filter(|(s, _, _)| *s == 409).count();
    assert_eq!((joined, full), (2, 4), "{joins:?}");
    let members: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM club_members WHERE club_id = $1::uuid AND is_active",
    )
    .bind(&club)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(members, 3);

    // A meeting with two places, the organiser in one: four members race
    // for the other; one gets it, three wait in line, 1 to 3.
    sqlx::query("UPDATE clubs SET max_members = NULL WHERE id = $1::uuid")
        .bind(&club)
        .execute(&pool)
        .await
        .unwrap();
    for t in &tokens {
        send(
            &app,
            Method::POST,
            &format!("/api/v1/clubs/{club}/membership"),
            Some(t),
            None,
            &[],
        )
        .await;
    }
    let (status, _, event) = send(&app, Method::POST, &format!("/api/v1/clubs/{club}/events"),
        Some(&owner_rw),
        Some(json!({"title": "Two seats", "date": crate::common::in_days(3), "time": "18:30", "location": "The library", "max_attendees": 2})),
        &[]).await;
    assert_eq!(status, 201, "{event}");
    let event = event["id"].as_str().unwrap().to_owned();
    let rsvp = format!("/api/v1/events/{event}/rsvp");
    let answers = futures_util::future::join_all(tokens[..4].iter().map(|t| {
        send(
            &app,
            Method::PUT,
            &rsvp,
            Some(t),
            Some(json!({"status": "available"})),
            &[],
        )
    }))
    .await;
    let mut positions: Vec<Option<i64>> = answers
        .iter()
        .map(|(status, _, body)| {
            assert_eq!(*status, 200, "{body}");
            body["waitlist_position"].as_i64()
        })
        .collect();
    positions.sort();
    assert_eq!(positions, [None, Some(1), Some(2), Some(3)]);
    let (confirmed, waiting): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE NOT waitlisted), count(*) FILTER (WHERE waitlisted)
           FROM availability WHERE event_id = $1::uuid AND status = 'available'",
    )
    .bind(&event)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((confirmed, waiting), (2, 3));
    // The meeting's counts say the same.
    let (_, _, read) = send(
        &app,
        Method::GET,
        &format!("/api/v1/events/{event}"),
        Some(&owner_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(read["counts"]["available"], 2);
    assert_eq!(read["counts"]["waitlisted"], 3);
    app.stop().await;
}

#[sqlx::test]
async fn what_the_api_cannot_read_is_a_problem_document(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ann = person(&app, &pool, "ann").await;
    let ann_rw = token(&pool, ann, &["read", "write"], None).await;
    let cases: [(Method, &str, Option<Value>, u16); 6] = [
        (Method::GET, "/api/v1/clubs/not-a-uuid", None, 400),
        // A struct's fields in order as an array is not an object.
        (Method::PATCH, "/api/v1/me", Some(json!([null, null])), 400),
        (Method::GET, "/api/v1/nothing-here", None, 404),
        (Method::POST, "/api/v1/clubs", Some(json!({"name": 7})), 400),
        (
            Method::POST,
            "/api/v1/clubs",
            Some(json!({"name": "A", "colour": "red"})),
            400,
        ),
        (Method::POST, "/api/v1/me/notifications/abc/read", None, 400),
    ];
    for (method, path, body, expected) in cases {
        let (status, headers, problem) =
            send(&app, method.clone(), path, Some(&ann_rw), body, &[]).await;
        assert_eq!(status, expected, "{method} {path}: {problem}");
        assert_eq!(
            headers["content-type"], "application/problem+json",
            "{method} {path}"
        );
        assert_eq!(problem["status"], expected);
    }
    // The pages' rule for characters: NUL and other invisible controls are
    // refused everywhere, line breaks outside multi-line fields; nothing saved.
    let (status, _, problem) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&ann_rw),
        Some(json!({"name": "Nul\u{0}club", "tags": ["ok", "bell\u{7}"], "description": "Two\nlines"})),
        &[],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let fields = refused_fields(&problem);
    assert_eq!(fields, ["name", "tags"], "{problem}");
    let saved: i64 = sqlx::query_scalar("SELECT count(*) FROM clubs")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(saved, 0);
    // Not JSON at all.
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/clubs"))
        .bearer_auth(&ann_rw)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    app.stop().await;
}

#[sqlx::test]
async fn the_reference_page_describes_every_operation_offline(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (_, _, description) = get(&app, "/api/v1/openapi.json", None).await;
    let response = app.get("/api/docs").await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.unwrap();
    let mut operations = 0;
    for (path, item) in description["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let id = op["operationId"].as_str().unwrap();
            assert!(
                page.contains(&format!("id=\"{id}\"")),
                "{id} is not on the page"
            );
            assert!(
                page.contains(&format!("{} {path}", method.to_uppercase())),
                "{method} {path}"
            );
            assert!(
                op["responses"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .any(|s| s.starts_with('2')),
                "{id} documents no success"
            );
        }
    }
    assert!(operations >= 16, "{operations} operations");
    // Nothing from elsewhere: no script, and every address on the page is
    // this site's.
    assert!(!page.contains("<script"));
    let html = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse("[href], [src]").unwrap();
    for element in html.select(&sel) {
        for attr in ["href", "src"] {
            if let Some(url) = element.value().attr(attr) {
                assert!(url.starts_with('/') || url.starts_with('#'), "{url}");
            }
        }
    }
    // The new club leads on to reading it (links for clients and the
    // conformance run).
    assert_eq!(
        description["paths"]["/api/v1/clubs"]["post"]["responses"]["201"]["links"]["get_club"]
            ["operationId"],
        "get_club"
    );
    app.stop().await;
}

#[sqlx::test]
async fn a_program_signs_in_refreshes_once_and_signs_out(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ann = person(&app, &pool, "ann").await;
    let password = crate::common::PASSWORD;
    let (status, _, tokens) = send(
        &app,
        Method::POST,
        "/api/v1/sessions",
        None,
        Some(json!({"email": "ann@example.com", "password": password})),
        &[],
    )
    .await;
    assert_eq!(status, 201, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 15 * 60);
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let first_refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    // The access token is the person, and may write.
    let (status, _, me) = send(&app, Method::GET, "/api/v1/me", Some(&access), None, &[]).await;
    assert_eq!(
        (status, me["id"].as_str()),
        (200, Some(ann.to_string().as_str()))
    );
    let (status, _, club) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&access),
        Some(json!({"name": "Signed-in Club"})),
        &[("idempotency-key", "one")],
    )
    .await;
    assert_eq!(status, 201, "{club}");
    let (_, _, again) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&access),
        Some(json!({"name": "Signed-in Club"})),
        &[("idempotency-key", "one")],
    )
    .await;
    assert_eq!(club["id"], again["id"]);
    assert_eq!(club_count(&pool, "Signed-in Club").await, 1);

    // A refresh gives new tokens; the spent one, straight after, is a 409
    // (a sibling's retry), and later ends the whole sign-in.
    let (status, _, renewed) = send(
        &app,
        Method::POST,
        "/api/v1/sessions/refresh",
        None,
        Some(json!({"refresh_token": first_refresh})),
        &[],
    )
    .await;
    assert_eq!(status, 200, "{renewed}");
    let second_access = renewed["access_token"].as_str().unwrap().to_owned();
    assert_ne!(renewed["refresh_token"], tokens["refresh_token"]);
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/api/v1/sessions/refresh",
        None,
        Some(json!({"refresh_token": first_refresh})),
        &[],
    )
    .await;
    assert_eq!(status, 409);
    sqlx::query(
        "UPDATE refresh_tokens SET used_at = now() - interval '1 minute' WHERE used_at IS NOT NULL",
    )
    .execute(&pool)
    .await
    .unwrap();
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/api/v1/sessions/refresh",
        None,
        Some(json!({"refresh_token": first_refresh})),
        &[],
    )
    .await;
    assert_eq!(status, 401);
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/api/v1/me",
        Some(&second_access),
        None,
        &[],
    )
    .await;
    assert_eq!(
        status, 401,
        "a replayed refresh token ends the sign-in and its access tokens"
    );
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/api/v1/sessions/refresh",
        None,
        Some(json!({"refresh_token": renewed["refresh_token"]})),
        &[],
    )
    .await;
    assert_eq!(status, 401);

    // Signing out ends a sign-in at once.
    let (_, _, fresh) = send(
        &app,
        Method::POST,
        "/api/v1/sessions",
        None,
        Some(json!({"email": "ann@example.com", "password": password})),
        &[],
    )
    .await;
    let fresh_access = fresh["access_token"].as_str().unwrap().to_owned();
    let (status, _, _) = send(
        &app,
        Method::DELETE,
        "/api/v1/sessions/current",
        Some(&fresh_access),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 204);
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/api/v1/me",
        Some(&fresh_access),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 401);
    let revoked: Option<String> = sqlx::query_scalar(
        "SELECT revoked_reason FROM session_families WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1")
        .bind(ann).fetch_one(&pool).await.unwrap();
    assert_eq!(revoked.as_deref(), Some("signed_out"));
    app.stop().await;
}

#[sqlx::test]
async fn wrong_passwords_over_the_api_meet_the_sign_in_limit(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    person(&app, &pool, "ann").await;
    let wrong = json!({"email": "ann@example.com", "password": "not the password"});
    for _ in 0..5 {
        let (status, headers, problem) = send(
            &app,
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(wrong.clone()),
            &[],
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(headers["content-type"], "application/problem+json");
    }
    // The account's limit is reached: even the right password waits.
    let right = json!({"email": "ann@example.com", "password": crate::common::PASSWORD});
    let (status, headers, problem) = send(
        &app,
        Method::POST,
        "/api/v1/sessions",
        None,
        Some(right),
        &[],
    )
    .await;
    assert_eq!(status, 429, "{problem}");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    assert_eq!(
        problem["type"],
        "https://bookwork.example/problems/rate-limited"
    );
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM session_families")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sessions, 1, "only the sign-up's");
    app.stop().await;
}

/// The walk-through in docs/API.md, run as written: its shell blocks, in
/// order, with curl against a real server, for a member whose club has a
/// meeting coming.
#[sqlx::test]
async fn the_walk_through_in_the_api_guide_works_as_written(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ann = person(&app, &pool, "ann").await;
    let bob = person(&app, &pool, "bob").await;
    let ann_rw = token(&pool, ann, &["read", "write"], None).await;
    let bob_rw = token(&pool, bob, &["read", "write"], None).await;
    let (_, _, club) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&bob_rw),
        Some(json!({"name": "Walkers", "is_public": true})),
        &[],
    )
    .await;
    let club = club["id"].as_str().unwrap().to_owned();
    let (status, _, _) = send(
        &app,
        Method::POST,
        &format!("/api/v1/clubs/{club}/membership"),
        Some(&ann_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 204);
    let (status, _, event) = send(&app, Method::POST, &format!("/api/v1/clubs/{club}/events"),
        Some(&bob_rw),
        Some(json!({"title": "Next one", "date": crate::common::in_days(5), "time": "19:00", "location": "The park"})),
        &[]).await;
    assert_eq!(status, 201, "{event}");

    let guide = include_str!("../../docs/API.md");
    let walk = guide
        .split("\n## A walk-through\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("docs/API.md has its walk-through");
    let blocks: Vec<&str> = walk
        .split("```sh\n")
        .skip(1)
        .map(|block| block.split("\n```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 3, "the guide's three steps");
    let output = tokio::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", &blocks.join("\n")])
        .env("BOOKWORK", app.url(""))
        .env("TOKEN", &ann_rw)
        .output()
        .await
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(printed.contains("\"name\":\"ann\""), "{printed}");
    assert!(printed.contains("\"name\":\"Walkers\""), "{printed}");
    let (status, note): (String, Option<String>) = sqlx::query_as(
        "SELECT status, notes FROM availability WHERE event_id = $1::uuid AND user_id = $2",
    )
    .bind(event["id"].as_str().unwrap())
    .bind(ann)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), note.as_deref()),
        ("available", Some("Bringing scones"))
    );
    app.stop().await;
}

/// Changing, cancelling and deleting a meeting, and a club's members, over
/// the API: allowed to the club's organisers and admins (docs/AUTHZ.md),
/// refused to a plain member, each checked by its effect.
#[sqlx::test]
async fn meetings_and_members_are_managed_by_whom_the_pages_allow(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let owner = person(&app, &pool, "owner").await;
    let member = person(&app, &pool, "member").await;
    let owner_rw = token(&pool, owner, &["read", "write"], None).await;
    let member_rw = token(&pool, member, &["read", "write"], None).await;
    let (_, _, club) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&owner_rw),
        Some(json!({"name": "Managed", "is_public": true})),
        &[],
    )
    .await;
    let club = club["id"].as_str().unwrap().to_owned();
    member_of(&pool, &club, member, "member").await;
    let (_, _, event) = send(&app, Method::POST, &format!("/api/v1/clubs/{club}/events"), Some(&owner_rw),
        Some(json!({"title": "Planned", "date": crate::common::in_days(9), "time": "18:00", "location": "Hall"})),
        &[]).await;
    let event = event["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/events/{event}");
    let title = async || -> String {
        sqlx::query_scalar("SELECT title FROM events WHERE id = $1::uuid")
            .bind(&event)
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    // A member may read it but not change, cancel or delete it.
    let (status, _, _) = send(&app, Method::GET, &path, Some(&member_rw), None, &[]).await;
    assert_eq!(status, 200);
    for (method, target, body) in [
        (
            Method::PATCH,
            path.clone(),
            Some(json!({"title": "Hijacked"})),
        ),
        (Method::POST, format!("{path}/cancellation"), None),
        (Method::DELETE, path.clone(), None),
    ] {
        let (status, _, body) =
            send(&app, method.clone(), &target, Some(&member_rw), body, &[]).await;
        assert_eq!(status, 403, "{method} {target}: {body}");
    }
    assert_eq!(title().await, "Planned");
    let cancelled: bool =
        sqlx::query_scalar("SELECT cancelled_at IS NOT NULL FROM events WHERE id = $1::uuid")
            .bind(&event)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!cancelled);

    // The owner changes it; a change based on an older read is refused.
    let (_, headers, _) = send(&app, Method::GET, &path, Some(&owner_rw), None, &[]).await;
    let tag = headers["etag"].to_str().unwrap().to_owned();
    let (status, _, changed) = send(
        &app,
        Method::PATCH,
        &path,
        Some(&owner_rw),
        Some(json!({"title": "Moved", "time": "19:15"})),
        &[("if-match", &tag)],
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["title"], "Moved");
    assert_eq!(changed["location"], "Hall", "fields not sent stay");
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        &path,
        Some(&owner_rw),
        Some(json!({"title": "Stale"})),
        &[("if-match", &tag)],
    )
    .await;
    assert_eq!(status, 412);
    assert_eq!(title().await, "Moved");

    // Cancelled, and back on; the members are told once.
    for _ in 0..2 {
        let (status, _, _) = send(
            &app,
            Method::POST,
            &format!("{path}/cancellation"),
            Some(&owner_rw),
            None,
            &[],
        )
        .await;
        assert_eq!(status, 204);
    }
    let (_, _, read) = send(&app, Method::GET, &path, Some(&member_rw), None, &[]).await;
    assert_eq!(read["cancelled"], true);
    let told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'event_cancelled'",
    )
    .bind(member)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(told, 1);
    let (status, _, _) = send(
        &app,
        Method::DELETE,
        &format!("{path}/cancellation"),
        Some(&owner_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 204);
    let (_, _, read) = send(&app, Method::GET, &path, Some(&member_rw), None, &[]).await;
    assert_eq!(read["cancelled"], false);

    // Members: listed to a member; roles and removal are the owner's.
    let members = format!("/api/v1/clubs/{club}/members");
    let (status, _, list) = send(&app, Method::GET, &members, Some(&member_rw), None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let role = async |who: Uuid| -> String {
        sqlx::query_scalar(
            "SELECT role FROM club_members WHERE club_id = $1::uuid AND user_id = $2",
        )
        .bind(&club)
        .bind(who)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &format!("{members}/{member}/role"),
        Some(&member_rw),
        Some(json!({"role": "admin"})),
        &[],
    )
    .await;
    assert_eq!(status, 403, "a member may not make themself an admin");
    assert_eq!(role(member).await, "member");
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &format!("{members}/{member}/role"),
        Some(&owner_rw),
        Some(json!({"role": "moderator"})),
        &[],
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(role(member).await, "moderator");
    let (status, _, _) = send(
        &app,
        Method::DELETE,
        &format!("{members}/{owner}"),
        Some(&member_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = send(
        &app,
        Method::DELETE,
        &format!("{members}/{member}"),
        Some(&owner_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 204);
    let active: bool = sqlx::query_scalar(
        "SELECT is_active FROM club_members WHERE club_id = $1::uuid AND user_id = $2",
    )
    .bind(&club)
    .bind(member)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!active);

    // Deleting the meeting: gone.
    let (status, _, _) = send(&app, Method::DELETE, &path, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 204);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE id = $1::uuid")
        .bind(&event)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    app.stop().await;
}

/// The shelf over the API: a member suggests (once per key), reads and
/// sees the shelf; only the club's organisers move a book; an outsider of
/// a private club sees nothing of it.
#[sqlx::test]
async fn the_shelf_over_the_api_keeps_the_shelf_rules(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let owner = person(&app, &pool, "owner").await;
    let member = person(&app, &pool, "member").await;
    let outsider = person(&app, &pool, "outsider").await;
    let owner_rw = token(&pool, owner, &["read", "write"], None).await;
    let member_rw = token(&pool, member, &["read", "write"], None).await;
    let outsider_rw = token(&pool, outsider, &["read", "write"], None).await;
    let (_, _, club) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&owner_rw),
        Some(json!({"name": "Shelved"})),
        &[],
    )
    .await;
    let club = club["id"].as_str().unwrap().to_owned();
    member_of(&pool, &club, member, "member").await;
    let books = format!("/api/v1/clubs/{club}/books");

    let key = [("idempotency-key", "book-1")];
    let body =
        json!({"title": "Middlemarch", "authors": "George Eliot", "isbn": "978-0-14-143954-9"});
    let (status, headers, book) = send(
        &app,
        Method::POST,
        &books,
        Some(&member_rw),
        Some(body.clone()),
        &key,
    )
    .await;
    assert_eq!(status, 201, "{book}");
    assert_eq!(book["shelf"], "suggested");
    assert_eq!(book["isbn13"], "9780141439549");
    let (status, _, again) = send(
        &app,
        Method::POST,
        &books,
        Some(&member_rw),
        Some(body),
        &key,
    )
    .await;
    assert_eq!((status, &again["id"]), (201, &book["id"]));
    let id = book["id"].as_str().unwrap().to_owned();
    assert_eq!(headers["location"], format!("/api/v1/books/{id}").as_str());
    let count = async || -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM books WHERE club_id = $1::uuid")
            .bind(&club)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 1);

    // An outsider: the private club's shelf and book are 404; suggesting too.
    for (method, path, body) in [
        (Method::GET, books.clone(), None),
        (Method::GET, format!("/api/v1/books/{id}"), None),
        (
            Method::POST,
            books.clone(),
            Some(json!({"title": "Intruder"})),
        ),
    ] {
        let (status, _, body) =
            send(&app, method.clone(), &path, Some(&outsider_rw), body, &[]).await;
        assert_eq!(status, 404, "{method} {path}: {body}");
    }
    assert_eq!(count().await, 1);

    // A member may not move it; the owner may.
    let shelf_of = async || -> String {
        sqlx::query_scalar("SELECT shelf FROM books WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &format!("/api/v1/books/{id}/shelf"),
        Some(&member_rw),
        Some(json!({"shelf": "reading"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(shelf_of().await, "suggested");
    let (status, _, moved) = send(
        &app,
        Method::PUT,
        &format!("/api/v1/books/{id}/shelf"),
        Some(&owner_rw),
        Some(json!({"shelf": "reading"})),
        &[],
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["shelf"], "reading");
    assert_eq!(shelf_of().await, "reading");
    let (status, _, list) = send(&app, Method::GET, &books, Some(&member_rw), None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(list["items"][0]["title"], "Middlemarch");
    app.stop().await;
}

/// An open book poll with options over `titles` (fixtures, as the poll
/// tests make them): the poll and its option ids in order.
async fn book_poll(pool: &PgPool, club: &str, titles: &[&str]) -> (String, Vec<String>) {
    let poll: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, title, closes_at) VALUES ($1::uuid, 'Next', now() + interval '3 days') RETURNING id",
    )
    .bind(club)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut options = Vec::new();
    for (n, title) in titles.iter().enumerate() {
        let option: Uuid = sqlx::query_scalar(
            "WITH b AS (INSERT INTO books (club_id, title) VALUES ($1::uuid, $2) RETURNING id)
             INSERT INTO poll_options (poll_id, position, book_id) SELECT $3, $4, id FROM b RETURNING id",
        )
        .bind(club)
        .bind(title)
        .bind(poll)
        .bind(n as i32 + 1)
        .fetch_one(pool)
        .await
        .unwrap();
        options.push(option.to_string());
    }
    (poll.to_string(), options)
}

/// Ballots over the API, counted by instant runoff: who may vote and close,
/// the results round by round (worked out by hand below), and ballots racing
/// the close: each one counted or refused, never lost.
#[sqlx::test]
async fn ballots_over_the_api_are_counted_and_race_the_close_safely(pool: PgPool) {
    let app = spawn_app_for_a_crowd(pool.clone()).await;
    let owner = person(&app, &pool, "owner").await;
    let owner_rw = token(&pool, owner, &["read", "write"], None).await;
    let (_, _, club) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&owner_rw),
        Some(json!({"name": "Voters", "is_public": true})),
        &[],
    )
    .await;
    let club = club["id"].as_str().unwrap().to_owned();
    let mut voters = Vec::new();
    for n in 0..6 {
        let who = person(&app, &pool, &format!("voter{n}")).await;
        member_of(&pool, &club, who, "member").await;
        voters.push(token(&pool, who, &["read", "write"], None).await);
    }
    let outsider = person(&app, &pool, "outsider").await;
    let outsider_rw = token(&pool, outsider, &["read", "write"], None).await;
    let (poll, o) = book_poll(&pool, &club, &["Alpha", "Beta", "Gamma"]).await;
    let ballot = format!("/api/v1/polls/{poll}/ballot");

    // A: [Alpha, Beta]; B: [Beta, Alpha]; C: [Gamma, Beta]. Round 1: one
    // each; all tied, so the option added last (Gamma) goes. Round 2: C's
    // ballot moves to Beta: Alpha 1, Beta 2 of 3, a majority: Beta wins.
    for (voter, ranking) in [
        (&voters[0], [&o[0], &o[1]]),
        (&voters[1], [&o[1], &o[0]]),
        (&voters[2], [&o[2], &o[1]]),
    ] {
        let (status, _, body) = send(
            &app,
            Method::PUT,
            &ballot,
            Some(voter),
            Some(json!({"ranking": ranking})),
            &[],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["my_ranking"], json!(ranking));
    }
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &ballot,
        Some(&outsider_rw),
        Some(json!({"ranking": [&o[0]]})),
        &[],
    )
    .await;
    assert_eq!(status, 403, "an outsider does not vote");
    let (status, _, body) = send(
        &app,
        Method::PUT,
        &ballot,
        Some(&voters[3]),
        Some(json!({"ranking": [&o[0], &o[0]]})),
        &[],
    )
    .await;
    assert_eq!(status, 422, "a book ranked twice: {body}");
    let cast: i64 = sqlx::query_scalar("SELECT count(*) FROM ballots WHERE poll_id = $1::uuid")
        .bind(&poll)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(cast, 3);
    // Only an organiser closes it; then the count is there.
    let (status, _, _) = send(
        &app,
        Method::POST,
        &format!("/api/v1/polls/{poll}/closing"),
        Some(&voters[0]),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, closed) = send(
        &app,
        Method::POST,
        &format!("/api/v1/polls/{poll}/closing"),
        Some(&owner_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{closed}");
    let results = &closed["results"];
    assert_eq!(results["ballots"], 3);
    assert_eq!(results["winner"], o[1].as_str());
    assert_eq!(results["rounds"][0]["eliminated"], o[2].as_str());
    let second: Vec<(String, u64)> = results["rounds"][1]["tallies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["option"].as_str().unwrap().to_owned(),
                t["votes"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(second, [(o[0].clone(), 1), (o[1].clone(), 2)]);
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &ballot,
        Some(&voters[3]),
        Some(json!({"ranking": [&o[0]]})),
        &[],
    )
    .await;
    assert_eq!(status, 409, "a closed poll takes no ballots");

    // Six ballots racing the close: every 200 is counted, every 409 is not.
    let (race, r) = book_poll(&pool, &club, &["One", "Two"]).await;
    let race_ballot = format!("/api/v1/polls/{race}/ballot");
    let closing = format!("/api/v1/polls/{race}/closing");
    let votes = futures_util::future::join_all(voters.iter().map(|t| {
        send(
            &app,
            Method::PUT,
            &race_ballot,
            Some(t),
            Some(json!({"ranking": [&r[0]]})),
            &[],
        )
    }));
    let close = send(&app, Method::POST, &closing, Some(&owner_rw), None, &[]);
    let (votes, (status, _, closed)) = futures_util::future::join(votes, close).await;
    assert_eq!(status, 200, "{closed}");
    let counted = votes.iter().filter(|(s, _, _)| *s == 200).count();
    let refused = votes.iter().filter(|(s, _, _)| *s == 409).count();
    assert_eq!(counted + refused, voters.len(), "{votes:?}");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM ballots WHERE poll_id = $1::uuid")
        .bind(&race)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored as usize, counted);
    let (_, _, final_poll) = send(
        &app,
        Method::GET,
        &format!("/api/v1/polls/{race}"),
        Some(&owner_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(final_poll["results"]["ballots"], counted as u64);
    app.stop().await;
}
