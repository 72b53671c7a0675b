//! Clubs over real HTTP: the authorization table of AUTHZ.md, one request per
//! cell, and the member limit under a race.
use crate::common::cast::{cast, club, Cast, Who, Who::*, EVERYONE};
use crate::common::{sign_up, spawn_app, spawn_app_for_a_crowd, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// Expected HTTP status per actor, transcribed from AUTHZ.md by hand (not
/// computed from the code's own table): 200 allowed, 404 hidden, 403 refused,
/// 401 must sign in.
fn expected(action: &str, public: bool) -> [u16; 10] {
    //                               Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    match (action, public) {
        ("view", true) => [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ("view", false) => [404, 404, 404, 200, 200, 200, 200, 200, 200, 200],
        ("join", true) => [401, 200, 200, 403, 403, 403, 403, 403, 200, 200],
        ("join", false) => [404, 404, 404, 403, 403, 403, 403, 403, 403, 403],
        ("leave", true) => [401, 403, 403, 200, 200, 200, 200, 403, 403, 403],
        ("leave", false) => [404, 404, 404, 200, 200, 200, 200, 403, 403, 403],
        ("members", true) => [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
        ("members", false) => [404, 404, 404, 200, 200, 200, 200, 200, 200, 200],
        ("edit", true) => [401, 403, 403, 403, 403, 403, 200, 200, 403, 200],
        ("edit", false) => [404, 404, 404, 403, 403, 403, 200, 200, 403, 200],
        ("delete", true) => [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
        ("delete", false) => [404, 404, 404, 403, 403, 403, 403, 200, 403, 200],
        // On the member "Mem": make them a moderator, remove them, give them the club.
        ("role", true) | ("remove", true) | ("invite", true) => {
            [401, 403, 403, 403, 403, 403, 200, 200, 403, 200]
        }
        ("role", false) | ("remove", false) | ("invite", false) => {
            [404, 404, 404, 403, 403, 403, 200, 200, 403, 200]
        }
        ("handover", true) => [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
        ("handover", false) => [404, 404, 404, 403, 403, 403, 403, 200, 403, 200],
        _ => unreachable!(),
    }
}

async fn attempt(app: &TestApp, cast: &Cast, who: Who, action: &str, club: Uuid) -> u16 {
    let id = club.to_string();
    let member = cast.ids[&Mem].to_string();
    let (path, form): (&str, Vec<(&str, &str)>) = match action {
        "view" => ("/api/clubs/view", vec![("id", &id)]),
        "join" => ("/api/clubs/join", vec![("id", &id)]),
        "leave" => ("/api/clubs/leave", vec![("id", &id)]),
        "members" => ("/api/clubs/members", vec![("club", &id)]),
        "edit" => (
            "/api/clubs/update",
            vec![
                ("id", &id),
                ("name", "Renamed"),
                ("description", ""),
                ("is_public", "on"),
                ("max_members", ""),
                ("meeting_frequency", ""),
                ("location", ""),
                ("tags", ""),
            ],
        ),
        "delete" => (
            "/api/clubs/delete",
            vec![("id", &id), ("confirm_name", "Readers")],
        ),
        "role" => (
            "/api/clubs/members/role",
            vec![("club", &id), ("user", &member), ("role", "moderator")],
        ),
        "remove" => (
            "/api/clubs/members/remove",
            vec![("club", &id), ("user", &member)],
        ),
        "handover" => (
            "/api/clubs/members/hand-over",
            vec![("club", &id), ("user", &member)],
        ),
        "invite" => (
            "/api/clubs/invites/create",
            vec![("club", &id), ("days", "7"), ("max_uses", "1")],
        ),
        _ => unreachable!(),
    };
    cast.clients[&who]
        .post(app.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[sqlx::test]
async fn every_cell_of_the_club_authorization_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let mut failures = Vec::new();
    for action in [
        "view", "join", "leave", "members", "edit", "delete", "role", "remove", "handover",
        "invite",
    ] {
        for public in [true, false] {
            for (who, want) in EVERYONE.into_iter().zip(expected(action, public)) {
                // A fresh club per cell: joining and leaving change it.
                let club = club(&pool, &cast, public).await;
                let got = attempt(&app, &cast, who, action, club).await;
                if got != want {
                    failures.push(format!(
                        "{action} {} club as {who:?}: expected {want}, got {got}",
                        if public { "public" } else { "private" }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

#[sqlx::test]
async fn private_clubs_never_show_up_for_people_who_cannot_see_them(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let public = club(&pool, &cast, true).await;
    let private = club(&pool, &cast, false).await;
    sqlx::query(
        "UPDATE clubs SET name = 'Secret Sonnets Society', description = 'sonnets' WHERE id = $1",
    )
    .bind(private)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE clubs SET name = 'Open Sonnets Circle', description = 'sonnets' WHERE id = $1",
    )
    .bind(public)
    .execute(&pool)
    .await
    .unwrap();
    for (who, sees_private) in [
        (Anon, false),
        (SGuest, false),
        (Out, false),
        (Mem, true),
        (SAdm, true),
        (SMod, true),
    ] {
        let list: Value = cast.clients[&who]
            .post(app.url("/api/clubs/discover"))
            .form(&[("search", "sonnets"), ("tag", ""), ("page", "1")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let expected_total = if sees_private { 2 } else { 1 };
        assert_eq!(list["total"], expected_total, "{who:?}: {list}");
        let names: Vec<&str> = list["clubs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names.contains(&"Secret Sonnets Society"),
            sees_private,
            "{who:?}"
        );
    }
    // A private club's page is the same 404 as a club that does not exist.
    let page = app
        .client
        .get(app.url(&format!("/clubs/{private}")))
        .send()
        .await
        .unwrap();
    let missing = app
        .client
        .get(app.url(&format!("/clubs/{}", Uuid::new_v4())))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (page.status().as_u16(), missing.status().as_u16()),
        (404, 404)
    );
    app.stop().await;
}

#[sqlx::test]
async fn forty_simultaneous_joins_for_five_free_places_give_five_members(pool: PgPool) {
    let app = spawn_app_for_a_crowd(pool.clone()).await;
    let owner: Uuid = sqlx::query_scalar("INSERT INTO users (name, email, password_hash) VALUES ('Owner', 'owner@example.com', 'x') RETURNING id")
        .fetch_one(&pool)
        .await
        .unwrap();
    let club: Uuid = sqlx::query_scalar("INSERT INTO clubs (name, owner_id, is_public, max_members) VALUES ('Small', $1, true, 6) RETURNING id")
        .bind(owner)
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin')")
        .bind(club)
        .bind(owner)
        .execute(&pool)
        .await
        .unwrap();

    // Forty signed-in people (signed up through the real endpoint).
    let mut joiners = Vec::new();
    for i in 0..40 {
        let c = sign_up(&app, "Joiner", &format!("joiner{i}@example.com")).await;
        joiners.push(c);
    }
    sqlx::query("DELETE FROM auth_attempts")
        .execute(&pool)
        .await
        .unwrap();

    let mut attempts = tokio::task::JoinSet::new();
    for c in joiners {
        let request = c
            .post(app.url("/api/clubs/join"))
            .form(&[("id", club.to_string())]);
        attempts.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = attempts.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        35,
        "the rest are told the club is full"
    );
    let members: i64 =
        sqlx::query_scalar("SELECT count(*) FROM club_members WHERE club_id = $1 AND is_active")
            .bind(club)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(members, 6);
    app.stop().await;
}

#[sqlx::test]
async fn deleting_a_club_needs_its_name_and_takes_its_events_with_it(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location) VALUES ($1, 'Talk', current_date + 3, '19:00', 'Library') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO event_items (event_id, name) VALUES ($1, 'Snacks')")
        .bind(event)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO availability (event_id, user_id, status) VALUES ($1, $2, 'available')",
    )
    .bind(event)
    .bind(cast.ids[&Mem])
    .execute(&pool)
    .await
    .unwrap();
    let owner = &cast.clients[&Owner];
    let wrong = owner
        .post(app.url("/api/clubs/delete"))
        .form(&[
            ("id", club.to_string().as_str()),
            ("confirm_name", "readers?"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    let right = owner
        .post(app.url("/api/clubs/delete"))
        .form(&[
            ("id", club.to_string().as_str()),
            ("confirm_name", "Readers"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    for table in [
        "clubs",
        "events",
        "event_items",
        "availability",
        "club_members",
    ] {
        let left: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "{table}");
    }
    app.stop().await;
}
