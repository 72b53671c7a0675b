//! What the notification worker does with notices that no longer apply, and
//! who reminders reach: a reminder whose meeting has begun is skipped, people
//! waiting for a place are reminded (and told they are waiting), and a
//! deactivated person's pending e-mail is never sent. Real PostgreSQL, the
//! real router over HTTP for the changes, a real SMTP conversation for the
//! mail.
use bookwork::notify::mail::Mailer;
use bookwork::notify::worker::Worker;
use sqlx::PgPool;
use uuid::Uuid;

use crate::common::smtp::{decoded_header, plain_text, Received, SmtpServer};
use crate::common::TestApp;
use crate::common::{call, sign_up, spawn_app, test_config, test_leptos_options, test_state_with};

/// A worker as an instance runs it: a pool of its own, logged in as the
/// server is, mailing through `smtp`.
pub(crate) fn worker(pool: &PgPool, smtp: &SmtpServer) -> Worker {
    let state = test_state_with(pool, test_leptos_options("target/site"), &[]);
    let config = test_config(&state.leptos_options, &[]);
    Worker::new(
        state.pool.clone(),
        &config,
        Mailer::smtp(&smtp.url).unwrap(),
    )
}

pub(crate) async fn id_of(pool: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Signs `name` up over HTTP; returns their id and their browser.
pub(crate) async fn person(app: &TestApp, name: &str) -> (Uuid, reqwest::Client) {
    let email = format!("{}@example.com", name.to_lowercase());
    let browser = sign_up(app, name, &email).await;
    (id_of(&app.pool, &email).await, browser)
}

/// A club owned by `admin` (its admin) with `members` as plain members.
pub(crate) async fn club(pool: &PgPool, name: &str, admin: Uuid, members: &[Uuid]) -> Uuid {
    let club: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, time_zone) VALUES ($1, $2, 'Europe/London') RETURNING id",
    )
    .bind(name)
    .bind(admin)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin')")
        .bind(club)
        .bind(admin)
        .execute(pool)
        .await
        .unwrap();
    for m in members {
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'member')")
            .bind(club)
            .bind(m)
            .execute(pool)
            .await
            .unwrap();
    }
    club
}

/// A meeting `days` ahead at 19:00 London time, titled `title`, with room
/// for `max`.
pub(crate) async fn meeting(
    pool: &PgPool,
    club: Uuid,
    title: &str,
    days: i32,
    max: Option<i32>,
) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, time_zone, location, book, max_attendees)
         VALUES ($1, $2, current_date + $3, '19:00', 'Europe/London', 'The library', '', $4)
         RETURNING id",
    )
    .bind(club)
    .bind(title)
    .bind(days)
    .bind(max)
    .fetch_one(pool)
    .await
    .unwrap()
}

pub(crate) async fn rsvp(app: &TestApp, who: &reqwest::Client, event: Uuid, status: &str) {
    let (code, body) = call(
        app,
        who,
        "/api/events/rsvp",
        &[
            ("event", &event.to_string()),
            ("status", status),
            ("note", ""),
        ],
    )
    .await;
    assert_eq!(code, 200, "{body}");
}

/// Makes `event`'s reminders due now.
async fn reminders_due(pool: &PgPool, event: Uuid) {
    let due = sqlx::query(
        "UPDATE event_reminders SET due_at = now() - interval '1 second'
          WHERE event_id = $1 AND minutes_before = 1440",
    )
    .bind(event)
    .execute(pool)
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(due, 1, "the day-before reminder was planned");
}

/// The one message sent to `address`.
fn mail_to<'a>(mail: &'a [Received], address: &str) -> &'a Received {
    let to: Vec<&Received> = mail.iter().filter(|m| m.recipients == [address]).collect();
    assert_eq!(to.len(), 1, "one message to {address}");
    to[0]
}

fn recipients(mail: &[Received]) -> Vec<String> {
    let mut to: Vec<String> = mail.iter().flat_map(|m| m.recipients.clone()).collect();
    to.sort();
    to
}

/// (kind, e-mail status) of `user`'s notices, oldest first.
pub(crate) async fn notices(pool: &PgPool, user: Uuid) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT kind::text, email_status FROM notifications WHERE user_id = $1 ORDER BY id",
    )
    .bind(user)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// A reminder written while its meeting was still to come, but whose e-mail
/// is claimed after the meeting began (the mail server was down until
/// then, say), is not sent: it is marked skipped. A reminder for a meeting
/// still to come, claimed in the same round, is sent.
#[sqlx::test]
async fn a_reminder_whose_meeting_has_begun_is_skipped(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (olive, _) = person(&app, "Olive").await;
    let (alice, alice_c) = person(&app, "Alice").await;
    let (bob, bob_c) = person(&app, "Bob").await;
    let club = club(&pool, "Riverside Readers", olive, &[alice, bob]).await;
    let begun = meeting(&pool, club, "Tonight's meeting", 3, None).await;
    let later = meeting(&pool, club, "Next month's meeting", 30, None).await;
    rsvp(&app, &alice_c, begun, "available").await;
    rsvp(&app, &bob_c, later, "available").await;
    reminders_due(&pool, begun).await;
    reminders_due(&pool, later).await;

    // The reminders are written (as the worker's first step does) while
    // both meetings are still to come...
    let taken: i32 = sqlx::query_scalar("SELECT bookwork_private.take_due_reminders(20)")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(taken, 2);
    assert_eq!(
        notices(&pool, alice).await,
        [("reminder".to_owned(), "pending".to_owned())]
    );
    // ...then the first meeting begins (an hour ago) before its e-mail goes.
    sqlx::query(
        "UPDATE events SET event_date = (now() AT TIME ZONE 'Europe/London' - interval '1 hour')::date,
                           event_time = (now() AT TIME ZONE 'Europe/London' - interval '1 hour')::time
          WHERE id = $1",
    )
    .bind(begun)
    .execute(&pool)
    .await
    .unwrap();
    let started: bool = sqlx::query_scalar("SELECT starts_at < now() FROM events WHERE id = $1")
        .bind(begun)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(started, "the meeting has begun");

    let smtp = SmtpServer::start().await;
    let round = worker(&pool, &smtp).run_once().await.unwrap();
    assert_eq!((round.sent, round.failed), (1, 0), "{round:?}");
    let mail = smtp.received();
    assert_eq!(recipients(&mail), ["bob@example.com"]);
    assert_eq!(
        decoded_header(&mail[0].data, "Subject").unwrap(),
        "Reminder: Next month's meeting tomorrow"
    );
    assert_eq!(
        notices(&pool, alice).await,
        [("reminder".to_owned(), "skipped".to_owned())]
    );
    assert_eq!(
        notices(&pool, bob).await,
        [("reminder".to_owned(), "sent".to_owned())]
    );
    app.stop().await;
}

/// Everyone who said they are going is reminded, with a place or waiting
/// for one, and each reminder says which.
#[sqlx::test]
async fn reminders_reach_the_waitlist_and_say_so(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (olive, _) = person(&app, "Olive").await;
    let (alice, alice_c) = person(&app, "Alice").await;
    let (bob, bob_c) = person(&app, "Bob").await;
    let (carol, carol_c) = person(&app, "Carol").await;
    let club = club(&pool, "Riverside Readers", olive, &[alice, bob, carol]).await;
    let event = meeting(&pool, club, "Middlemarch night", 3, Some(1)).await;
    rsvp(&app, &alice_c, event, "available").await; // the one place
    rsvp(&app, &bob_c, event, "available").await; // waiting
    rsvp(&app, &carol_c, event, "unavailable").await;
    let waiting: Vec<(Uuid, bool)> = sqlx::query_as(
        "SELECT user_id, waitlisted FROM availability WHERE event_id = $1 AND status = 'available' ORDER BY arrival",
    )
    .bind(event)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(waiting, [(alice, false), (bob, true)]);
    reminders_due(&pool, event).await;

    let smtp = SmtpServer::start().await;
    let round = worker(&pool, &smtp).run_once().await.unwrap();
    assert_eq!((round.reminders, round.sent), (1, 2), "{round:?}");
    let mail = smtp.received();
    assert_eq!(
        recipients(&mail),
        ["alice@example.com", "bob@example.com"],
        "Carol said she is not coming"
    );
    let waiting_line = "You're on the waitlist; we'll tell you if a place comes free.";
    let going_line = "You said you're going.";
    let bobs = plain_text(&mail_to(&mail, "bob@example.com").data);
    assert!(bobs.contains(waiting_line), "{bobs}");
    assert!(!bobs.contains(going_line), "{bobs}");
    let alices = plain_text(&mail_to(&mail, "alice@example.com").data);
    assert!(alices.contains(going_line), "{alices}");
    assert!(!alices.contains(waiting_line), "{alices}");
    app.stop().await;
}

/// A notice written while its reader was active is not mailed once a site
/// admin has deactivated them: the worker marks it off instead. The others
/// told in the same change are mailed.
#[sqlx::test]
async fn a_deactivated_persons_pending_email_is_not_sent(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (olive, olive_c) = person(&app, "Olive").await;
    let (alice, _) = person(&app, "Alice").await;
    let (bob, _) = person(&app, "Bob").await;
    let (admin, admin_c) = person(&app, "Root").await;
    sqlx::query("UPDATE users SET role = 'admin' WHERE id = $1")
        .bind(admin)
        .execute(&pool)
        .await
        .unwrap();
    let club = club(&pool, "Riverside Readers", olive, &[alice, bob]).await;

    // Olive plans a meeting: Alice and Bob are told, by e-mail too.
    let club_s = club.to_string();
    let (code, body) = call(
        &app,
        &olive_c,
        "/api/events/create",
        &[
            ("club", club_s.as_str()),
            ("title", "Middlemarch night"),
            ("description", ""),
            ("date", "2099-03-04"),
            ("time", "19:00"),
            ("time_zone", "Europe/London"),
            ("location", "The library"),
            ("book", ""),
            ("kind", "discussion"),
            ("max_attendees", ""),
        ],
    )
    .await;
    assert!(matches!(code, 200 | 302 | 303), "{code} {body}");
    let pending = ("event_new".to_owned(), "pending".to_owned());
    assert_eq!(notices(&pool, alice).await, std::slice::from_ref(&pending));
    assert_eq!(notices(&pool, bob).await, [pending]);

    // Bob is deactivated before any worker runs.
    let (code, body) = call(
        &app,
        &admin_c,
        "/api/admin/users/active",
        &[("user_id", &bob.to_string()), ("active", "false")],
    )
    .await;
    assert_eq!(code, 200, "{body}");

    let smtp = SmtpServer::start().await;
    let round = worker(&pool, &smtp).run_once().await.unwrap();
    assert_eq!((round.sent, round.failed), (1, 0), "{round:?}");
    assert_eq!(recipients(&smtp.received()), ["alice@example.com"]);
    assert_eq!(
        notices(&pool, bob).await,
        [("event_new".to_owned(), "off".to_owned())]
    );
    assert_eq!(
        notices(&pool, alice).await,
        [("event_new".to_owned(), "sent".to_owned())]
    );
    // Nothing is left for a later round either.
    let again = worker(&pool, &smtp).run_once().await.unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(smtp.received().len(), 1);
    app.stop().await;
}
