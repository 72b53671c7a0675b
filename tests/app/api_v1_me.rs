//! The signed-in person over the API (`/api/v1/me`, its notification
//! settings and sign-ins): changed only by a token that may write, every
//! invalid field named at once with nothing saved, stale changes refused,
//! and a sign-in ended only by its own person — each checked by the rows.
use crate::api_v1::{person, refused_fields, send, token};
use crate::common::{spawn_app, PASSWORD};
use reqwest::Method;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

async fn details(pool: &PgPool, user: Uuid) -> (String, Option<String>, Option<String>) {
    sqlx::query_as("SELECT name, phone, time_zone FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_person_changes_their_details_and_settings_and_ends_their_sign_ins(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ann = person(&app, &pool, "ann").await;
    let bob = person(&app, &pool, "bob").await;
    let ann_rw = token(&pool, ann, &["read", "write"], None).await;
    let ann_read = token(&pool, ann, &["read"], None).await;
    let bob_rw = token(&pool, bob, &["read", "write"], None).await;

    let (status, headers, me) =
        send(&app, Method::GET, "/api/v1/me", Some(&ann_read), None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(
        (me["name"].as_str(), me["time_zone"].as_str()),
        (Some("ann"), None)
    );
    let tag = headers["etag"].to_str().unwrap().to_owned();

    // A read-only token changes nothing; bad fields are named together and
    // nothing is saved.
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        "/api/v1/me",
        Some(&ann_read),
        Some(json!({"name": "Ann Lee"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, problem) = send(
        &app,
        Method::PATCH,
        "/api/v1/me",
        Some(&ann_rw),
        Some(json!({"name": " ", "phone": "call me", "time_zone": "Mars/Base"})),
        &[],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let fields = refused_fields(&problem);
    assert_eq!(fields, ["name", "phone", "time_zone"]);
    assert_eq!(details(&pool, ann).await, ("ann".into(), None, None));

    // A change on the current read goes through; one on a stale read is 412.
    let (status, _, changed) = send(
        &app,
        Method::PATCH,
        "/api/v1/me",
        Some(&ann_rw),
        Some(json!({"name": "Ann Lee", "time_zone": "Europe/Lisbon"})),
        &[("if-match", &tag)],
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["time_zone"], "Europe/Lisbon");
    assert_eq!(
        details(&pool, ann).await,
        ("Ann Lee".into(), None, Some("Europe/Lisbon".into()))
    );
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        "/api/v1/me",
        Some(&ann_rw),
        Some(json!({"name": "Stale"})),
        &[("if-match", &tag)],
    )
    .await;
    assert_eq!(status, 412);
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        "/api/v1/me",
        Some(&ann_rw),
        Some(json!({"phone": "+351 210 000 000", "time_zone": null})),
        &[],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        details(&pool, ann).await,
        ("Ann Lee".into(), Some("+351 210 000 000".into()), None)
    );
    assert_eq!(
        details(&pool, bob).await,
        ("bob".into(), None, None),
        "only the caller changes"
    );

    // Notification settings: the kinds sent change, the rest stay; a kind
    // that is none is refused with nothing saved.
    let saved = async |user: Uuid| -> Vec<(String, bool, bool)> {
        sqlx::query_as("SELECT kind::text, email, in_app FROM notification_preferences WHERE user_id = $1 ORDER BY kind::text")
            .bind(user).fetch_all(&pool).await.unwrap()
    };
    let (status, _, settings) = send(
        &app,
        Method::GET,
        "/api/v1/me/notification-settings",
        Some(&ann_read),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        settings.as_array().unwrap().len(),
        14,
        "every kind a member chooses (README's notification list)"
    );
    assert!(settings
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["email"] == true && s["in_app"] == true));
    let (status, _, problem) = send(&app, Method::PUT, "/api/v1/me/notification-settings", Some(&ann_rw),
        Some(json!({"settings": [{"kind": "reminder", "email": false, "in_app": true}, {"kind": "invitation", "email": false, "in_app": false}]})), &[]).await;
    assert_eq!(status, 422, "{problem}");
    assert!(saved(ann)
        .await
        .iter()
        .all(|(_, email, in_app)| *email && *in_app));
    let (status, _, settings) = send(
        &app,
        Method::PUT,
        "/api/v1/me/notification-settings",
        Some(&ann_rw),
        Some(json!({"settings": [{"kind": "reminder", "email": false, "in_app": true}]})),
        &[],
    )
    .await;
    assert_eq!(status, 200, "{settings}");
    let rows = saved(ann).await;
    let reminder = rows.iter().find(|(kind, _, _)| kind == "reminder").unwrap();
    assert_eq!(reminder, &("reminder".to_owned(), false, true));
    assert!(rows
        .iter()
        .filter(|(kind, _, _)| kind != "reminder")
        .all(|(_, email, in_app)| *email && *in_app));
    assert!(saved(bob)
        .await
        .iter()
        .all(|(_, email, in_app)| *email && *in_app));

    // Sign-ins: a program's own is marked current; ending one signs it out,
    // and nobody ends another person's.
    let (status, _, program) = send(
        &app,
        Method::POST,
        "/api/v1/sessions",
        None,
        Some(json!({"email": "ann@example.com", "password": PASSWORD})),
        &[],
    )
    .await;
    assert_eq!(status, 201);
    let access = program["access_token"].as_str().unwrap().to_owned();
    let (status, _, sessions) = send(
        &app,
        Method::GET,
        "/api/v1/me/sessions",
        Some(&access),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{sessions}");
    let sessions = sessions["items"].as_array().unwrap().clone();
    assert_eq!(
        sessions.len(),
        2,
        "the browser that signed up and the program"
    );
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let browser = sessions.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let live = async |id: &str| -> bool {
        sqlx::query_scalar("SELECT revoked_at IS NULL FROM session_families WHERE id = $1::uuid")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let path = format!("/api/v1/me/sessions/{browser}");
    let (status, _, _) = send(&app, Method::DELETE, &path, Some(&bob_rw), None, &[]).await;
    assert_eq!(status, 404, "not bob's");
    let (status, _, _) = send(&app, Method::DELETE, &path, Some(&ann_read), None, &[]).await;
    assert_eq!(status, 403);
    assert!(live(&browser).await);
    let (status, _, _) = send(&app, Method::DELETE, &path, Some(&ann_rw), None, &[]).await;
    assert_eq!(status, 204);
    assert!(!live(&browser).await);
    let (status, _, _) = send(&app, Method::DELETE, &path, Some(&ann_rw), None, &[]).await;
    assert_eq!(status, 404, "ended already");
    app.stop().await;
}
