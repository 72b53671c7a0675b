//! Where a request checks its sign-in, and what a write costs the database,
//! counted through the relay on the server's connections (`common::wire`);
//! and that the check still refuses whom it must.
//!
//! A form's post or a script's call (no page transaction) checks the sign-in
//! where it first needs it: a write sends the check in the same message as
//! its own `BEGIN`, so the whole request is one transaction whose first
//! statement is the check, and no exchange with the database is spent on the
//! check alone.
use sqlx::PgPool;
use uuid::Uuid;

use super::behaviours_notices::{club, meeting, person};
use crate::common::wire::Sent;
use crate::common::{call, spawn_app_counted};

const CHECK: &str = "bookwork_private.check_sign_in";

struct World {
    club: Uuid,
    event: Uuid,
    /// Mina: a member of `club`, signed in.
    member: reqwest::Client,
    member_id: Uuid,
}

async fn world(app: &crate::common::TestApp, pool: &PgPool) -> World {
    let (owner_id, _) = person(app, "Olive").await;
    let (member_id, member) = person(app, "Mina").await;
    let club = club(pool, "Readers", owner_id, &[member_id]).await;
    // Public, so that Mina may join it again after leaving.
    sqlx::query("UPDATE clubs SET is_public = true WHERE id = $1")
        .bind(club)
        .execute(pool)
        .await
        .unwrap();
    let event = meeting(pool, club, "Meeting", 7, None).await;
    World {
        club,
        event,
        member,
        member_id,
    }
}

async fn answer(app: &crate::common::TestApp, client: &reqwest::Client, event: Uuid) -> u16 {
    let form = [
        ("event", event.to_string()),
        ("status", "available".to_owned()),
        ("note", "bringing biscuits".to_owned()),
    ];
    crate::common::send_form(app, client, "/api/events/rsvp", &form)
        .await
        .0
}

async fn answer_of(pool: &PgPool, event: Uuid, person: Uuid) -> Option<String> {
    sqlx::query_scalar("SELECT status::text FROM availability WHERE event_id = $1 AND user_id = $2")
        .bind(event)
        .bind(person)
        .fetch_optional(pool)
        .await
        .unwrap()
}

fn describe(sent: &Sent) -> String {
    sent.round_trips
        .iter()
        .map(|(connection, sqls)| {
            let sqls = sqls
                .iter()
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>();
            format!("    [{connection}] {}", sqls.join(" ; "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The exchanges that carried statements (sqlx's pings carry none).
fn with_statements(sent: &Sent) -> Vec<&Vec<String>> {
    sent.round_trips
        .iter()
        .map(|(_, sqls)| sqls)
        .filter(|sqls| !sqls.is_empty())
        .collect()
}

/// A write by a signed-in member is one transaction; its first exchange
/// begins it and checks the sign-in, together; the check is sent once.
async fn assert_one_transaction_checked_on_begin(sent: &Sent, what: &str) {
    let trips = with_statements(sent);
    assert_eq!(sent.transactions(), 1, "{what}:\n{}", describe(sent));
    let first = trips.first().expect("the write reached the database");
    assert!(
        first.len() == 2 && first[0].eq_ignore_ascii_case("BEGIN") && first[1].contains(CHECK),
        "{what}: the first exchange is BEGIN with the check:\n{}",
        describe(sent)
    );
    let checks = sent.sent.iter().filter(|(_, s)| s.contains(CHECK)).count();
    assert_eq!(checks, 1, "{what}: checked once:\n{}", describe(sent));
}

#[sqlx::test]
async fn a_write_checks_the_sign_in_in_the_message_that_begins_it(pool: PgPool) {
    let (app, relay) = spawn_app_counted(pool.clone()).await;
    let w = world(&app, &pool).await;

    relay.clear();
    assert_eq!(answer(&app, &w.member, w.event).await, 200);
    assert_one_transaction_checked_on_begin(&relay.sent(), "an RSVP").await;
    assert_eq!(
        answer_of(&pool, w.event, w.member_id).await.as_deref(),
        Some("available")
    );

    // Leaving the club and joining it again: the same shape.
    for path in ["/api/clubs/leave", "/api/clubs/join"] {
        relay.clear();
        let (status, body) = call(&app, &w.member, path, &[("id", &w.club.to_string())]).await;
        assert!(status < 400, "{path}: {status} {body}");
        assert_one_transaction_checked_on_begin(&relay.sent(), path).await;
    }
    let active: bool = sqlx::query_scalar(
        "SELECT is_active FROM club_members WHERE club_id = $1 AND user_id = $2",
    )
    .bind(w.club)
    .bind(w.member_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(active, "left and joined again");
    app.stop().await;
}

/// The check that rides with a write's BEGIN refuses as the separate check
/// did: a signed-out or deactivated person's still-unexpired access token
/// writes nothing, and the browser is told to drop its cookies.
#[sqlx::test]
async fn a_write_on_a_sign_in_that_ended_changes_nothing(pool: PgPool) {
    let (app, _relay) = spawn_app_counted(pool.clone()).await;
    let w = world(&app, &pool).await;
    let ends: [(&str, &str); 2] = [
        (
            "signed out elsewhere",
            "UPDATE session_families SET revoked_at = now() WHERE user_id = $1",
        ),
        (
            "deactivated",
            "UPDATE users SET is_active = false WHERE id = $1",
        ),
    ];
    for ((how, end), name) in ends.into_iter().zip(["Theo", "Tess"]) {
        let (who, client) = person(&app, name).await;
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'member')")
            .bind(w.club)
            .bind(who)
            .execute(&pool)
            .await
            .unwrap();
        // While the sign-in lasts, the same request is a write.
        let maybe = [
            ("event", w.event.to_string()),
            ("status", "maybe".to_owned()),
            ("note", String::new()),
        ];
        let (status, body) =
            crate::common::send_form(&app, &client, "/api/events/rsvp", &maybe).await;
        assert_eq!(status, 200, "{how}: {body}");
        sqlx::query(end).bind(who).execute(&pool).await.unwrap();
        let form = [
            ("event", w.event.to_string()),
            ("status", "available".to_owned()),
            ("note", String::new()),
        ];
        let response = client
            .post(app.url("/api/events/rsvp"))
            .form(&form)
            .send()
            .await
            .unwrap();
        // Taken for a visitor: the club's meetings are its members' (404),
        // and nobody may answer without signing in (401).
        let status = response.status().as_u16();
        assert!(status == 404 || status == 401, "{how}: {status}");
        let cleared = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.starts_with("bw_access=;"));
        assert!(cleared, "{how}: the browser is told to drop the sign-in");
        assert_eq!(
            answer_of(&pool, w.event, who).await.as_deref(),
            Some("maybe"),
            "{how}: the answer is the one given while signed in"
        );
    }
    app.stop().await;
}

/// A request that is neither a page load nor a server function (a HEAD, as
/// link checkers and download managers send) checks the sign-in at once, as
/// its GET would: the signed-in member's meeting file is there for them.
#[sqlx::test]
async fn a_head_request_is_answered_as_its_get(pool: PgPool) {
    let (app, _relay) = spawn_app_counted(pool.clone()).await;
    let w = world(&app, &pool).await;
    let path = format!("/events/{}/calendar.ics", w.event);
    let get = w.member.get(app.url(&path)).send().await.unwrap();
    assert_eq!(get.status(), 200);
    let head = w.member.head(app.url(&path)).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(
        head.headers().get(reqwest::header::CONTENT_TYPE),
        get.headers().get(reqwest::header::CONTENT_TYPE)
    );
    app.stop().await;
}
