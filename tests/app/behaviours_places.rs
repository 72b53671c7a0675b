//! Places and tasks a person gives up, as the README's "Events, RSVPs and
//! calendars" says: when someone with a place is removed from the club,
//! has their account deactivated, or the limit is raised, the first waiting
//! is promoted and told ("you got a place", in the app and by e-mail); and
//! leaving or being removed unassigns that person's open tasks at upcoming
//! events (their finished ones, and past events, keep their history).
use sqlx::PgPool;
use uuid::Uuid;

use super::behaviours_notices::{club, meeting, notices, person, rsvp, worker};
use crate::common::smtp::{decoded_header, plain_text, SmtpServer};
use crate::common::{call, spawn_app, TestApp};

/// (user, waitlisted) of the "available" answers, in arrival order.
async fn queue(pool: &PgPool, event: Uuid) -> Vec<(Uuid, bool)> {
    sqlx::query_as(
        "SELECT user_id, waitlisted FROM availability WHERE event_id = $1 AND status = 'available' ORDER BY arrival",
    )
    .bind(event)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// A one-place meeting a week ahead: Alice has the place, Bob waits.
struct Full {
    app: TestApp,
    olive: reqwest::Client,
    club: Uuid,
    event: Uuid,
    alice: Uuid,
    bob: Uuid,
}

async fn full_meeting(pool: PgPool) -> Full {
    let app = spawn_app(pool.clone()).await;
    let (olive_id, olive) = person(&app, "Olive").await;
    let (alice, alice_c) = person(&app, "Alice").await;
    let (bob, bob_c) = person(&app, "Bob").await;
    let club = club(&pool, "Riverside Readers", olive_id, &[alice, bob]).await;
    let event = meeting(&pool, club, "Middlemarch night", 7, Some(1)).await;
    rsvp(&app, &alice_c, event, "available").await;
    rsvp(&app, &bob_c, event, "available").await;
    assert_eq!(queue(&pool, event).await, [(alice, false), (bob, true)]);
    assert!(notices(&pool, bob).await.is_empty());
    Full {
        app,
        olive,
        club,
        event,
        alice,
        bob,
    }
}

/// Bob has Alice's place and is told, once, in the app and by e-mail.
async fn bob_was_promoted_and_told(pool: &PgPool, f: &Full) {
    assert_eq!(
        notices(pool, f.bob).await,
        [("waitlist_promoted".to_owned(), "pending".to_owned())]
    );
    let smtp = SmtpServer::start().await;
    let round = worker(pool, &smtp).run_once().await.unwrap();
    assert_eq!((round.sent, round.failed), (1, 0), "{round:?}");
    let mail = smtp.received();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].recipients, ["bob@example.com"]);
    assert_eq!(
        decoded_header(&mail[0].data, "Subject").unwrap(),
        "You have a place at Middlemarch night"
    );
    let text = plain_text(&mail[0].data);
    assert!(
        text.contains("A place came free at Middlemarch night (Riverside Readers)"),
        "{text}"
    );
}

#[sqlx::test]
async fn removing_someone_with_a_place_promotes_the_first_waiting(pool: PgPool) {
    let f = full_meeting(pool.clone()).await;
    let (code, body) = call(
        &f.app,
        &f.olive,
        "/api/clubs/members/remove",
        &[
            ("club", &f.club.to_string()),
            ("user", &f.alice.to_string()),
        ],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(queue(&pool, f.event).await, [(f.bob, false)]);
    bob_was_promoted_and_told(&pool, &f).await;
    f.app.stop().await;
}

#[sqlx::test]
async fn raising_the_limit_promotes_the_first_waiting(pool: PgPool) {
    let f = full_meeting(pool.clone()).await;
    // The same meeting, with room for two: only the limit changes.
    let date: String = sqlx::query_scalar("SELECT event_date::text FROM events WHERE id = $1")
        .bind(f.event)
        .fetch_one(&pool)
        .await
        .unwrap();
    let id = f.event.to_string();
    let (code, body) = call(
        &f.app,
        &f.olive,
        "/api/events/update",
        &[
            ("id", id.as_str()),
            ("title", "Middlemarch night"),
            ("description", ""),
            ("date", &date),
            ("time", "19:00"),
            ("time_zone", "Europe/London"),
            ("location", "The library"),
            ("book", ""),
            ("kind", "discussion"),
            ("max_attendees", "2"),
        ],
    )
    .await;
    assert!(matches!(code, 200 | 302 | 303), "{code} {body}");
    assert_eq!(
        queue(&pool, f.event).await,
        [(f.alice, false), (f.bob, false)]
    );
    bob_was_promoted_and_told(&pool, &f).await;
    f.app.stop().await;
}

#[sqlx::test]
async fn deactivating_someone_with_a_place_promotes_the_first_waiting(pool: PgPool) {
    let f = full_meeting(pool.clone()).await;
    let (root, root_c) = person(&f.app, "Root").await;
    sqlx::query("UPDATE users SET role = 'admin' WHERE id = $1")
        .bind(root)
        .execute(&pool)
        .await
        .unwrap();
    let (code, body) = call(
        &f.app,
        &root_c,
        "/api/admin/users/active",
        &[("user_id", &f.alice.to_string()), ("active", "false")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(queue(&pool, f.event).await, [(f.bob, false)]);
    bob_was_promoted_and_told(&pool, &f).await;
    f.app.stop().await;
}

/// Who each task is assigned to, by task name.
async fn assignees(pool: &PgPool) -> Vec<(String, Option<Uuid>)> {
    sqlx::query_as("SELECT name, assigned_to FROM event_items ORDER BY name")
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn task(pool: &PgPool, event: Uuid, name: &str, to: Uuid, status: &str) {
    sqlx::query(
        "INSERT INTO event_items (event_id, name, category, assigned_to, status) VALUES ($1, $2, 'task', $3, $4)",
    )
    .bind(event)
    .bind(name)
    .bind(to)
    .bind(status)
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test]
async fn leaving_or_being_removed_unassigns_open_tasks_at_upcoming_meetings(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (olive, olive_c) = person(&app, "Olive").await;
    let (alice, alice_c) = person(&app, "Alice").await;
    let (bob, _) = person(&app, "Bob").await;
    let riverside = club(&pool, "Riverside Readers", olive, &[alice, bob]).await;
    let hilltop = club(&pool, "Hilltop Readers", olive, &[alice, bob]).await;
    let next = meeting(&pool, riverside, "Next meeting", 7, None).await;
    let last = meeting(&pool, riverside, "Last meeting", -7, None).await;
    let elsewhere = meeting(&pool, hilltop, "Hilltop meeting", 7, None).await;
    for (event, name, to, status) in [
        (next, "a: Bring tea", alice, "pending"),
        (next, "b: Chairs", alice, "in_progress"),
        (next, "c: Read chapter one", alice, "completed"),
        (next, "d: Cake", alice, "cancelled"),
        (last, "e: Last month's biscuits", alice, "pending"),
        (elsewhere, "f: Hilltop snacks", alice, "pending"),
        (next, "g: Cups", bob, "pending"),
        (elsewhere, "h: Hilltop chairs", bob, "pending"),
    ] {
        task(&pool, event, name, to, status).await;
    }

    // Alice leaves Riverside: her open tasks at its upcoming meeting are
    // nobody's; what she finished, the past and the other club keep her.
    let (code, body) = call(
        &app,
        &alice_c,
        "/api/clubs/leave",
        &[("id", &riverside.to_string())],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let after_leaving = vec![
        ("a: Bring tea".to_owned(), None),
        ("b: Chairs".to_owned(), None),
        ("c: Read chapter one".to_owned(), Some(alice)),
        ("d: Cake".to_owned(), Some(alice)),
        ("e: Last month's biscuits".to_owned(), Some(alice)),
        ("f: Hilltop snacks".to_owned(), Some(alice)),
        ("g: Cups".to_owned(), Some(bob)),
        ("h: Hilltop chairs".to_owned(), Some(bob)),
    ];
    assert_eq!(assignees(&pool).await, after_leaving);

    // Olive removes Bob from Riverside: the same for his.
    let (code, body) = call(
        &app,
        &olive_c,
        "/api/clubs/members/remove",
        &[("club", &riverside.to_string()), ("user", &bob.to_string())],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let mut after_removal = after_leaving;
    after_removal[6].1 = None;
    assert_eq!(assignees(&pool).await, after_removal);
    app.stop().await;
}
