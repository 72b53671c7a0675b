//! Notifications end to end: written with the change that causes them (and
//! not when it rolls back), delivered over a real SMTP conversation in the
//! reader's time zone, exactly once with two workers side by side and when
//! one dies mid-send, reminders that follow their meeting, unsubscribe links
//! that cannot be forged, and the in-app list that is only ever the
//! reader's.
use bookwork::notify::mail::Mailer;
use bookwork::notify::worker::Worker;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

use crate::common::smtp::{decoded_header, header, html_text, plain_text, SmtpServer};
use crate::common::{
    call, cookie_client, sign_up, spawn_router, test_config, test_leptos_options, test_state_with,
    TestApp,
};

const PUBLIC_URL: &str = "https://books.example.org";

/// The server under test, with a public address unlike the one it listens on.
async fn app(pool: &PgPool) -> TestApp {
    let state = test_state_with(
        pool,
        test_leptos_options("target/site"),
        &[("PUBLIC_URL", PUBLIC_URL)],
    );
    spawn_router(bookwork::server::http::router(state), pool.clone()).await
}

/// A worker as an instance runs it: its own pool, logged in as the server
/// is, mailing through `smtp`.
fn worker(pool: &PgPool, smtp: &SmtpServer) -> (Worker, PgPool) {
    let state = test_state_with(
        pool,
        test_leptos_options("target/site"),
        &[("PUBLIC_URL", PUBLIC_URL)],
    );
    let config = test_config(&state.leptos_options, &[("PUBLIC_URL", PUBLIC_URL)]);
    let mailer = Mailer::smtp(&smtp.url).unwrap();
    (Worker::new(state.pool.clone(), &config, mailer), state.pool)
}

async fn id_of(pool: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A club with `admin` as its owner and admin and `members` as members.
async fn club(pool: &PgPool, admin: Uuid, members: &[Uuid]) -> Uuid {
    let club: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, time_zone) VALUES ('Riverside Readers', $1, 'Europe/London') RETURNING id",
    )
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

/// An event `days` ahead at 19:00 London time, with room for `max`.
async fn event(pool: &PgPool, club: Uuid, days: i32, max: Option<i32>) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, time_zone, location, book, max_attendees)
         VALUES ($1, 'Middlemarch night', current_date + $2, '19:00', 'Europe/London', 'The library', 'Middlemarch', $3)
         RETURNING id",
    )
    .bind(club)
    .bind(days)
    .bind(max)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn rsvp(app: &TestApp, who: &reqwest::Client, event: Uuid, status: &str) {
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

async fn kinds_for(pool: &PgPool, user: Uuid) -> Vec<String> {
    sqlx::query_scalar("SELECT kind::text FROM notifications WHERE user_id = $1 ORDER BY id")
        .bind(user)
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_reminder_arrives_by_smtp_in_the_readers_zone_and_its_link_unsubscribes(pool: PgPool) {
    let app = app(&pool).await;
    let _owner = sign_up(&app, "Olive", "olive@example.com").await;
    let alice = sign_up(&app, "Alice", "alice@example.com").await;
    let bob = sign_up(&app, "Bob", "bob@example.com").await;
    let (olive_id, alice_id, bob_id) = (
        id_of(&pool, "olive@example.com").await,
        id_of(&pool, "alice@example.com").await,
        id_of(&pool, "bob@example.com").await,
    );
    sqlx::query("UPDATE users SET time_zone = 'America/New_York' WHERE id = $1")
        .bind(alice_id)
        .execute(&pool)
        .await
        .unwrap();
    let club = club(&pool, olive_id, &[alice_id, bob_id]).await;
    // On a fixed day (reminders fall due relative to now, so the test sets
    // one due below), at 19:00 in London.
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, time_zone, location, book)
         VALUES ($1, 'Middlemarch night', '2099-03-04', '19:00', 'Europe/London', 'The library', 'Middlemarch')
         RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    rsvp(&app, &alice, event, "available").await;
    rsvp(&app, &bob, event, "unavailable").await;
    sqlx::query("INSERT INTO event_items (event_id, name, category, assigned_to) VALUES ($1, 'Bring tea', 'task', $2)")
        .bind(event)
        .bind(alice_id)
        .execute(&pool)
        .await
        .unwrap();

    // The club's default reminders were planned with the event.
    let planned: Vec<(i32, bool)> = sqlx::query_as(
        "SELECT r.minutes_before, r.due_at = e.starts_at - make_interval(mins => r.minutes_before)
           FROM event_reminders r JOIN events e ON e.id = r.event_id WHERE r.event_id = $1 ORDER BY 1 DESC",
    )
    .bind(event)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(planned, vec![(1440, true), (120, true)]);

    // The day-before one falls due.
    sqlx::query("UPDATE event_reminders SET due_at = now() - interval '1 second' WHERE event_id = $1 AND minutes_before = 1440")
        .bind(event)
        .execute(&pool)
        .await
        .unwrap();
    let smtp = SmtpServer::start().await;
    let (worker, _) = worker(&pool, &smtp);
    let round = worker.run_once().await.unwrap();
    assert_eq!((round.reminders, round.sent), (1, 1), "{round:?}");

    let mail = smtp.received();
    assert_eq!(mail.len(), 1, "only Alice said she is going");
    let m = &mail[0];
    assert_eq!(m.recipients, vec!["alice@example.com"]);
    assert_eq!(
        header(&m.data, "Subject").unwrap(),
        "Reminder: Middlemarch night tomorrow"
    );
    assert!(header(&m.data, "To").unwrap().contains("alice@example.com"));
    let text = plain_text(&m.data);
    // Alice reads it in her own zone: the same instant on a New York clock,
    // worked out here with chrono-tz (not with the database's own zone
    // rules), written as notices write times ('Dy FMDD Mon YYYY, HH24:MI').
    let in_new_york = chrono::NaiveDate::from_ymd_opt(2099, 3, 4)
        .unwrap()
        .and_hms_opt(19, 0, 0)
        .unwrap()
        .and_local_timezone(chrono_tz::Europe::London)
        .single()
        .unwrap()
        .with_timezone(&chrono_tz::America::New_York)
        .format("%a %-d %b %Y, %H:%M (America/New_York)")
        .to_string();
    assert_eq!(in_new_york, "Wed 4 Mar 2099, 14:00 (America/New_York)");
    for expected in [
        in_new_york.as_str(),
        "Where: The library",
        "Book: Middlemarch",
        "Your tasks: Bring tea.",
        &format!("{PUBLIC_URL}/events/{event}"),
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(
        m.data.contains("Content-Type: text/html"),
        "an HTML part too"
    );

    // The one-click header and the link in the text are the same signed URL.
    let list_unsubscribe = header(&m.data, "List-Unsubscribe").unwrap();
    assert_eq!(
        header(&m.data, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let link = list_unsubscribe
        .trim_start_matches('<')
        .trim_end_matches('>');
    assert!(
        link.starts_with(&format!("{PUBLIC_URL}/unsubscribe?token=")),
        "{link}"
    );
    assert!(
        text.contains(link),
        "the body carries the same link: {link}\n{}",
        m.data
    );
    let token = link.split("token=").nth(1).unwrap().to_owned();

    // The same notice is in Alice's list, unread, and in her bell.
    let (code, list) = call(&app, &alice, "/api/notifications/list", &[]).await;
    assert_eq!(code, 200);
    assert_eq!(list["unread"], 1);
    assert_eq!(
        list["items"][0]["title"],
        "Reminder: Middlemarch night tomorrow"
    );

    // Without signing in: the page shows what the link stops, a forged link
    // (another person, another kind) is refused, the real one works.
    let stranger = cookie_client();
    let page = stranger
        .get(app.url(&format!("/unsubscribe?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("alice@example.com") && html.contains("meeting reminders"),
        "{html}"
    );
    let signature = token.rsplit('.').next().unwrap();
    for forged in [
        format!("{}.reminder.{signature}", bob_id.simple()),
        format!("{}.event_new.{signature}", alice_id.simple()),
        format!("{}.reminder.AAAA", alice_id.simple()),
    ] {
        let r = stranger
            .post(app.url(&format!("/unsubscribe?token={forged}")))
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{forged}");
        let (code, _) = call(
            &app,
            &stranger,
            "/api/notifications/unsubscribe",
            &[("token", &forged)],
        )
        .await;
        assert_eq!(code, 400, "{forged}");
    }
    let wanted: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notification_preferences WHERE NOT email")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(wanted, 0, "nothing was turned off by a forged link");
    let r = stranger
        .post(app.url(&format!("/unsubscribe?token={token}")))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let off: Vec<(Uuid, String, bool, bool)> =
        sqlx::query_as("SELECT user_id, kind::text, email, in_app FROM notification_preferences")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(off, vec![(alice_id, "reminder".to_owned(), false, true)]);

    // The two-hour reminder then reaches Alice in the app only.
    sqlx::query(
        "UPDATE event_reminders SET due_at = now() - interval '1 second' WHERE event_id = $1",
    )
    .bind(event)
    .execute(&pool)
    .await
    .unwrap();
    let round = worker.run_once().await.unwrap();
    assert_eq!((round.reminders, round.sent), (1, 0), "{round:?}");
    assert_eq!(smtp.received().len(), 1, "no second e-mail");
    let (_, list) = call(&app, &alice, "/api/notifications/list", &[]).await;
    assert_eq!(list["unread"], 2);
    app.stop().await;
}

/// 200 notices due at once, two workers on their own pools: every one is
/// sent, none twice.
#[sqlx::test]
async fn two_workers_send_two_hundred_notices_exactly_once(pool: PgPool) {
    sqlx::query(
        "INSERT INTO users (name, email, password_hash)
         SELECT 'Reader ' || n, 'reader' || n || '@example.com', 'x' FROM generate_series(1, 200) n",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO notifications (kind, user_id, payload, in_app, email_status)
         SELECT 'event_new', id, '{\"event_title\": \"Dune\", \"club_name\": \"Readers\"}', true, 'pending' FROM users",
    )
    .execute(&pool)
    .await
    .unwrap();
    let smtp = SmtpServer::start().await;
    let (a, _) = worker(&pool, &smtp);
    let (b, _) = worker(&pool, &smtp);
    let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.sent + rb.sent, 200, "{ra:?} {rb:?}");
    assert!(
        ra.sent > 0 && rb.sent > 0,
        "both took a share: {ra:?} {rb:?}"
    );
    let mut to: Vec<String> = smtp
        .received()
        .into_iter()
        .flat_map(|m| m.recipients)
        .collect();
    assert_eq!(to.len(), 200);
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 200, "nobody got two");
    let unsent: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE email_status <> 'sent'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(unsent, 0);
}

/// A worker whose mail server hangs mid-batch dies (its instance is gone,
/// its transaction rolled back): the other sends what it had not finished.
#[sqlx::test]
async fn a_notice_claimed_by_a_worker_that_died_is_sent_by_another(pool: PgPool) {
    sqlx::query(
        "INSERT INTO users (name, email, password_hash)
         SELECT 'Reader ' || n, 'reader' || n || '@example.com', 'x' FROM generate_series(1, 5) n",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO notifications (kind, user_id, payload, in_app, email_status)
         SELECT 'event_new', id, '{\"event_title\": \"Dune\", \"club_name\": \"Readers\"}', true, 'pending' FROM users",
    )
    .execute(&pool)
    .await
    .unwrap();
    let hangs = SmtpServer::start_hanging_after(Some(2)).await;
    let (dying, dying_pool) = worker(&pool, &hangs);
    let task = tokio::spawn(async move { dying.run_once().await });
    hangs.hanging.notified().await;
    // Two were handed over and marked sent; the third is claimed, its row
    // locked, its mail half-sent. The instance dies.
    task.abort();
    let _ = task.await;
    dying_pool.close().await;

    let smtp = SmtpServer::start().await;
    let (other, _) = worker(&pool, &smtp);
    let round = other.run_once().await.unwrap();
    assert_eq!(round.sent, 3, "{round:?}");
    let mut everyone: Vec<String> = hangs
        .received()
        .into_iter()
        .chain(smtp.received())
        .flat_map(|m| m.recipients)
        .collect();
    everyone.sort();
    everyone.dedup();
    assert_eq!(everyone.len(), 5, "all five, each once");
    let sent: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE email_status = 'sent' AND attempts = 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(sent, 5, "the dead worker's try left no trace");
}

/// A mail server that refuses: the notice is tried again later, with the
/// error kept, and ends as failed after the last try.
#[sqlx::test]
async fn a_failing_send_is_retried_later_and_ends_as_failed(pool: PgPool) {
    sqlx::query(
        "INSERT INTO users (name, email, password_hash) VALUES ('R', 'r@example.com', 'x')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO notifications (kind, user_id, payload, in_app, email_status)
         SELECT 'event_new', id, '{}', true, 'pending' FROM users",
    )
    .execute(&pool)
    .await
    .unwrap();
    let nowhere = SmtpServer::nowhere().await;
    let (w, _) = worker(&pool, &nowhere);
    // As the README says: tried again after 1, 2, 4, … minutes, and failed
    // after six tries.
    for attempt in 1..=6 {
        let round = w.run_once().await.unwrap();
        assert_eq!(round.failed, 1, "try {attempt}");
        let (status, attempts, error, wait): (String, i32, Option<String>, f64) = sqlx::query_as(
            "SELECT email_status, attempts, last_error,
                    extract(epoch FROM email_due_at - now())::float8 FROM notifications",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(attempts, attempt);
        assert!(error.is_some_and(|e| !e.is_empty()));
        let last = attempt == 6;
        assert_eq!(status, if last { "failed" } else { "pending" });
        if !last {
            // Less by the moments since the worker wrote it.
            let backoff = 60.0 * f64::from(1 << (attempt - 1));
            assert!(
                wait <= backoff && wait > backoff - 30.0,
                "try {attempt}: due again in {wait} s, not {backoff} s"
            );
        }
        assert_eq!(w.run_once().await.unwrap().failed, 0, "waits for its time");
        sqlx::query("UPDATE notifications SET email_due_at = now()")
            .execute(&pool)
            .await
            .unwrap();
    }
}

fn event_form<'a>(
    key: &'static str,
    id: &'a str,
    date: &'a str,
    time: &'a str,
    place: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        (key, id),
        ("title", "Middlemarch night"),
        ("description", ""),
        ("date", date),
        ("time", time),
        ("time_zone", "Europe/London"),
        ("location", place),
        ("book", ""),
        ("kind", "discussion"),
        ("max_attendees", ""),
    ]
}

/// New, moved and cancelled meetings are told to the club (not to whoever
/// made the change); reminders follow the meeting and stop when it is
/// cancelled.
#[sqlx::test]
async fn meetings_planned_moved_and_cancelled_are_told_and_reminders_follow(pool: PgPool) {
    let app = app(&pool).await;
    let olive = sign_up(&app, "Olive", "olive@example.com").await;
    let alice = sign_up(&app, "Alice", "alice@example.com").await;
    let (olive_id, alice_id) = (
        id_of(&pool, "olive@example.com").await,
        id_of(&pool, "alice@example.com").await,
    );
    let club = club(&pool, olive_id, &[alice_id]).await;
    let club_s = club.to_string();

    let (code, _) = call(
        &app,
        &olive,
        "/api/events/create",
        &event_form("club", &club_s, "2099-03-04", "19:00", "The library"),
    )
    .await;
    assert!(code == 200 || code == 302, "{code}");
    let event: Uuid = sqlx::query_scalar("SELECT id FROM events WHERE club_id = $1")
        .bind(club)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kinds_for(&pool, alice_id).await, vec!["event_new"]);
    assert!(
        kinds_for(&pool, olive_id).await.is_empty(),
        "the organiser knows"
    );
    let (_, list) = call(&app, &alice, "/api/notifications/list", &[]).await;
    let title = list["items"][0]["title"].as_str().unwrap();
    assert!(
        title.starts_with("New meeting: Middlemarch night, Wed 4 Mar 2099, 19:00 (Europe/London)"),
        "{title}"
    );

    let due = |pool: PgPool| async move {
        sqlx::query_scalar::<_, String>(
            "SELECT to_char(due_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI') FROM event_reminders
              WHERE event_id = $1 AND done_at IS NULL ORDER BY due_at",
        )
        .bind(event)
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    assert_eq!(
        due(pool.clone()).await,
        vec!["2099-03-03 19:00", "2099-03-04 17:00"]
    );

    // An edit that changes neither time nor place tells nobody.
    let event_s = event.to_string();
    call(
        &app,
        &olive,
        "/api/events/update",
        &event_form("id", &event_s, "2099-03-04", "19:00", "The library"),
    )
    .await;
    assert_eq!(kinds_for(&pool, alice_id).await, vec!["event_new"]);
    // Moved: reminders move with it, and Alice hears what it was.
    call(
        &app,
        &olive,
        "/api/events/update",
        &event_form("id", &event_s, "2099-03-06", "18:30", "The pub"),
    )
    .await;
    assert_eq!(
        due(pool.clone()).await,
        vec!["2099-03-05 18:30", "2099-03-06 16:30"]
    );
    assert_eq!(
        kinds_for(&pool, alice_id).await,
        vec!["event_new", "event_changed"]
    );
    let (_, list) = call(&app, &alice, "/api/notifications/list", &[]).await;
    let body = list["items"][0]["body"].as_str().unwrap();
    assert_eq!(body, "Middlemarch night (Riverside Readers) has changed.");

    // The club turns the day-before reminder off: only the other is left.
    let (code, body) = call(
        &app,
        &olive,
        "/api/clubs/reminders/save",
        &[("club", &club_s), ("minutes[]", "120")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(due(pool.clone()).await, vec!["2099-03-06 16:30"]);
    // A member may not change them; an unknown lead time is refused.
    let (code, _) = call(
        &app,
        &alice,
        "/api/clubs/reminders/save",
        &[("club", &club_s), ("minutes[]", "60")],
    )
    .await;
    assert_eq!(code, 403);
    let (code, _) = call(
        &app,
        &olive,
        "/api/clubs/reminders/save",
        &[("club", &club_s), ("minutes[]", "7")],
    )
    .await;
    assert_eq!(code, 422);

    // Due now, then cancelled before any worker ran: no reminder is sent.
    sqlx::query(
        "UPDATE event_reminders SET due_at = now() - interval '1 second' WHERE event_id = $1",
    )
    .bind(event)
    .execute(&pool)
    .await
    .unwrap();
    rsvp(&app, &alice, event, "available").await;
    let (code, _) = call(
        &app,
        &olive,
        "/api/events/cancel",
        &[("id", &event_s), ("cancel", "true")],
    )
    .await;
    assert_eq!(code, 200);
    // A second click tells nobody again.
    call(
        &app,
        &olive,
        "/api/events/cancel",
        &[("id", &event_s), ("cancel", "true")],
    )
    .await;
    let smtp = SmtpServer::start().await;
    let (w, _) = worker(&pool, &smtp);
    let round = w.run_once().await.unwrap();
    assert_eq!(round.reminders, 0);
    assert_eq!(
        kinds_for(&pool, alice_id).await,
        vec!["event_new", "event_changed", "event_cancelled"]
    );
    let subjects: Vec<String> = smtp
        .received()
        .iter()
        .map(|m| header(&m.data, "Subject").unwrap())
        .collect();
    // What was still waiting about the meeting is not sent once it is
    // cancelled: only the cancellation is.
    assert_eq!(subjects.len(), 1, "{subjects:?}");
    assert!(
        subjects[0].starts_with("Cancelled: Middlemarch night"),
        "{subjects:?}"
    );
    let skipped: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE email_status = 'skipped'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(skipped, 2);
    app.stop().await;
}

/// A change that rolls back leaves no notice; the same change committed does.
#[sqlx::test]
async fn a_rolled_back_change_notifies_nobody(pool: PgPool) {
    let app = app(&pool).await;
    let _ = sign_up(&app, "Olive", "olive@example.com").await;
    let _ = sign_up(&app, "Alice", "alice@example.com").await;
    let (olive_id, alice_id) = (
        id_of(&pool, "olive@example.com").await,
        id_of(&pool, "alice@example.com").await,
    );
    let club = club(&pool, olive_id, &[alice_id]).await;
    let olive = bookwork::auth::model::SessionUser {
        id: olive_id,
        name: "Olive".into(),
        email: "olive@example.com".into(),
        role: "member".into(),
    };
    let form = bookwork::events::model::EventInput {
        title: "Dune".into(),
        description: String::new(),
        date: "2099-01-02".into(),
        time: "19:00".into(),
        time_zone: "UTC".into(),
        location: "Library".into(),
        book: String::new(),
        book_id: String::new(),
        kind: "discussion".into(),
        max_attendees: String::new(),
        is_public: false,
        host: String::new(),
    };
    let app_pool = test_state_with(&pool, test_leptos_options("target/site"), &[]).pool;
    for commit in [false, true] {
        let mut tx = bookwork::platform::db::begin_as(&app_pool, Some(olive_id))
            .await
            .unwrap();
        bookwork::events::db::create_event(&mut tx, club, Some(&olive), &form)
            .await
            .unwrap();
        if commit {
            tx.commit().await.unwrap();
        } else {
            tx.rollback().await.unwrap();
        }
        let n = kinds_for(&pool, alice_id).await.len();
        assert_eq!(n, usize::from(commit), "commit: {commit}");
    }
    app.stop().await;
}

/// "You got a place", a task for you, and preferences: e-mail off means the
/// bell only; both off means nothing.
#[sqlx::test]
async fn promotions_and_tasks_are_told_as_each_reader_chose(pool: PgPool) {
    let app = app(&pool).await;
    let olive = sign_up(&app, "Olive", "olive@example.com").await;
    let alice = sign_up(&app, "Alice", "alice@example.com").await;
    let bob = sign_up(&app, "Bob", "bob@example.com").await;
    let (olive_id, alice_id, bob_id) = (
        id_of(&pool, "olive@example.com").await,
        id_of(&pool, "alice@example.com").await,
        id_of(&pool, "bob@example.com").await,
    );
    let club = club(&pool, olive_id, &[alice_id, bob_id]).await;
    let event = event(&pool, club, 7, Some(1)).await;

    // Bob wants places by e-mail no more, and no tasks at all.
    let (code, body) = call(
        &app,
        &bob,
        "/api/notifications/preferences/save",
        &[
            ("email[]", "reminder"),
            ("email[]", "event_new"),
            ("in_app[]", "reminder"),
            ("in_app[]", "waitlist_promoted"),
            ("in_app[]", "event_new"),
        ],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let (_, prefs) = call(&app, &bob, "/api/notifications/preferences", &[]).await;
    let promoted = prefs
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "waitlist_promoted")
        .unwrap();
    assert_eq!(
        (promoted["email"].clone(), promoted["in_app"].clone()),
        (Value::Bool(false), Value::Bool(true))
    );
    let (code, _) = call(
        &app,
        &bob,
        "/api/notifications/preferences/save",
        &[("email[]", "everything")],
    )
    .await;
    assert_eq!(code, 422, "only kinds that exist");

    rsvp(&app, &alice, event, "available").await;
    rsvp(&app, &bob, event, "available").await; // waitlisted
    assert!(kinds_for(&pool, bob_id).await.is_empty());
    rsvp(&app, &alice, event, "unavailable").await; // Bob moves up
    assert_eq!(kinds_for(&pool, bob_id).await, vec!["waitlist_promoted"]);
    let (_, list) = call(&app, &bob, "/api/notifications/list", &[]).await;
    assert_eq!(
        list["items"][0]["title"],
        "You have a place at Middlemarch night"
    );

    // Tasks: Alice hears of hers; Bob turned tasks off entirely.
    let event_s = event.to_string();
    for (to, name) in [(alice_id, "Chairs"), (bob_id, "Cake")] {
        let (code, body) = call(
            &app,
            &olive,
            "/api/events/items/add",
            &[
                ("event", event_s.as_str()),
                ("name", name),
                ("category", "task"),
                ("assignee", &to.to_string()),
                ("notes", ""),
            ],
        )
        .await;
        assert_eq!(code, 200, "{body}");
    }
    assert_eq!(kinds_for(&pool, alice_id).await, vec!["task_assigned"]);
    assert_eq!(kinds_for(&pool, bob_id).await, vec!["waitlist_promoted"]);

    let smtp = SmtpServer::start().await;
    let (w, _) = worker(&pool, &smtp);
    w.run_once().await.unwrap();
    let mail = smtp.received();
    assert_eq!(mail.len(), 1, "Bob's promotion is in the app only");
    assert_eq!(mail[0].recipients, vec!["alice@example.com"]);
    assert_eq!(
        header(&mail[0].data, "Subject").unwrap(),
        "Task for you: Chairs"
    );
    assert!(plain_text(&mail[0].data).contains("Olive asked you to take care of"));
    app.stop().await;
}

/// The list, marking read and the settings are the reader's own: visitors
/// must sign in, and nobody marks someone else's notice.
#[sqlx::test]
async fn only_the_reader_reads_or_marks_their_notifications(pool: PgPool) {
    let app = app(&pool).await;
    let alice = sign_up(&app, "Alice", "alice@example.com").await;
    let mallory = sign_up(&app, "Mallory", "mallory@example.com").await;
    let alice_id = id_of(&pool, "alice@example.com").await;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO notifications (kind, user_id, payload, in_app, email_status)
         VALUES ('event_new', $1, '{\"event_title\": \"Dune\", \"club_name\": \"Readers\"}', true, 'off') RETURNING id",
    )
    .bind(alice_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let visitor = cookie_client();
    for path in [
        "/api/notifications/list",
        "/api/notifications/read-all",
        "/api/notifications/preferences",
        "/api/notifications/preferences/save",
    ] {
        let (code, _) = call(&app, &visitor, path, &[]).await;
        assert_eq!(code, 401, "{path}");
    }
    let (code, _) = call(
        &app,
        &visitor,
        "/api/notifications/read",
        &[("id", &id.to_string())],
    )
    .await;
    assert_eq!(code, 401);
    let (code, unread) = call(&app, &visitor, "/api/notifications/unread", &[]).await;
    assert_eq!((code, unread), (200, Value::from(0)));

    let (code, _) = call(
        &app,
        &mallory,
        "/api/notifications/read",
        &[("id", &id.to_string())],
    )
    .await;
    assert_eq!(code, 404, "someone else's is not found");
    call(&app, &mallory, "/api/notifications/read-all", &[]).await;
    let (_, list) = call(&app, &mallory, "/api/notifications/list", &[]).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    let (_, unread) = call(&app, &alice, "/api/notifications/unread", &[]).await;
    assert_eq!(unread, 1, "still unread for Alice");

    let (code, _) = call(
        &app,
        &alice,
        "/api/notifications/read",
        &[("id", &id.to_string())],
    )
    .await;
    assert_eq!(code, 200);
    let (_, unread) = call(&app, &alice, "/api/notifications/unread", &[]).await;
    assert_eq!(unread, 0);
    let (code, _) = call(
        &app,
        &alice,
        "/api/notifications/read",
        &[("id", "not-a-number")],
    )
    .await;
    assert_eq!(code, 400);

    // The page and the bell, server-rendered.
    let html = alice
        .get(app.url("/notifications"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("New meeting: Dune"), "{html}");
    // A visitor's browser is sent to sign in, and back here after.
    let html = visitor
        .get(app.url("/notifications"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (html.status().as_u16(), html.headers().get("location")),
        (302, Some(&"/login?next=/notifications".parse().unwrap()))
    );
    app.stop().await;
}

/// An invitation by e-mail carries the link, built from PUBLIC_URL; the link
/// is not kept once sent. Only club admins invite.
#[sqlx::test]
async fn an_invitation_is_mailed_with_its_link_from_the_public_address(pool: PgPool) {
    let app = app(&pool).await;
    let olive = sign_up(&app, "Olive", "olive@example.com").await;
    let alice = sign_up(&app, "Alice", "alice@example.com").await;
    let (olive_id, alice_id) = (
        id_of(&pool, "olive@example.com").await,
        id_of(&pool, "alice@example.com").await,
    );
    let club = club(&pool, olive_id, &[alice_id]).await;
    let club_s = club.to_string();
    let form = |email: &'static str| {
        vec![
            ("club", club_s.clone()),
            ("days", "7".to_owned()),
            ("max_uses", "1".to_owned()),
            ("email", email.to_owned()),
        ]
    };
    let (code, _) = call(
        &app,
        &alice,
        "/api/clubs/invites/create",
        &form("x@example.com")
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(code, 403, "members do not invite");
    let (code, body) = call(
        &app,
        &olive,
        "/api/clubs/invites/create",
        &form("not an address")
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(code, 422, "{body}");
    let (code, path) = call(
        &app,
        &olive,
        "/api/clubs/invites/create",
        &form("friend@example.org")
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(code, 200);
    // The answer is the whole link, from the public address.
    let link = path.as_str().unwrap().to_owned();
    assert!(link.starts_with(&format!("{PUBLIC_URL}/invite/")), "{link}");
    let path = link.trim_start_matches(PUBLIC_URL).to_owned();

    let smtp = SmtpServer::start().await;
    let (w, _) = worker(&pool, &smtp);
    assert_eq!(w.run_once().await.unwrap().sent, 1);
    let mail = smtp.received();
    assert_eq!(mail[0].recipients, vec!["friend@example.org"]);
    assert_eq!(
        header(&mail[0].data, "Subject").unwrap(),
        "Olive invites you to Riverside Readers on Bookwork"
    );
    assert!(
        header(&mail[0].data, "List-Unsubscribe").is_none(),
        "not a subscription"
    );
    assert!(plain_text(&mail[0].data).contains(&format!("{PUBLIC_URL}{path}")));
    let kept: Value =
        sqlx::query_scalar("SELECT payload FROM notifications WHERE kind = 'invitation'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(kept.get("invite_path").is_none(), "{kept}");
    app.stop().await;
}

/// Calendar links come from PUBLIC_URL, whatever Host the request named.
#[sqlx::test]
async fn calendar_links_use_the_public_address(pool: PgPool) {
    let app = app(&pool).await;
    let _ = sign_up(&app, "Olive", "olive@example.com").await;
    let olive_id = id_of(&pool, "olive@example.com").await;
    let club: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Open', $1, true) RETURNING id",
    )
    .bind(olive_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location, is_public)
         VALUES ($1, 'Open night', current_date + 3, '19:00', 'Library', true) RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    let ics = cookie_client()
        .get(app.url(&format!("/events/{event}/calendar.ics")))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ics.contains(&format!("URL:{PUBLIC_URL}/events/{event}")),
        "{ics}"
    );
    assert!(!ics.contains("evil.example"));
    app.stop().await;
}

/// Row security on notices and settings, beneath the code's own checks: as
/// the server's login, a reader sees and changes only their own, and cannot
/// write a notice to anyone.
#[sqlx::test]
async fn row_security_keeps_each_readers_notices_their_own(pool: PgPool) {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash)
         SELECT 'Reader ' || n, 'reader' || n || '@example.com', 'x' FROM generate_series(1, 2) n RETURNING id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let (alice, bob) = (ids[0], ids[1]);
    sqlx::query(
        "INSERT INTO notifications (kind, user_id, payload, in_app, email_status)
         SELECT 'event_new', id, '{}', true, 'pending' FROM users",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO notification_preferences (user_id, kind, email) VALUES ($1, 'reminder', false)")
        .bind(bob)
        .execute(&pool)
        .await
        .unwrap();
    let app_pool = test_state_with(&pool, test_leptos_options("target/site"), &[]).pool;
    let mut tx = bookwork::platform::db::begin_as(&app_pool, Some(alice))
        .await
        .unwrap();
    let seen: Vec<Uuid> = sqlx::query_scalar("SELECT user_id FROM notifications")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, vec![alice]);
    let marked = sqlx::query("UPDATE notifications SET read_at = now()")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(marked, 1, "only her own");
    let prefs: i64 = sqlx::query_scalar("SELECT count(*) FROM notification_preferences")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(prefs, 0, "Bob's settings are not hers to see");
    let forged = sqlx::query(
        "INSERT INTO notifications (kind, user_id, payload, in_app, email_status)
         VALUES ('event_new', $1, '{}', true, 'pending')",
    )
    .bind(bob)
    .execute(&mut *tx)
    .await
    .unwrap_err();
    assert_eq!(
        forged.as_database_error().and_then(|e| e.code()).as_deref(),
        Some("42501"),
        "{forged}"
    );
    tx.rollback().await.unwrap();
    // Without a viewer, nothing.
    let mut tx = bookwork::platform::db::begin_as(&app_pool, None)
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

/// A notice that no longer applies when its turn comes is not mailed: the
/// reader left the club, or the meeting was cancelled.
#[sqlx::test]
async fn a_notice_that_no_longer_applies_is_skipped(pool: PgPool) {
    let app = app(&pool).await;
    let olive = sign_up(&app, "Olive", "olive@example.com").await;
    let alice = sign_up(&app, "Alice", "alice@example.com").await;
    let _bob = sign_up(&app, "Bob", "bob@example.com").await;
    let (olive_id, alice_id, bob_id) = (
        id_of(&pool, "olive@example.com").await,
        id_of(&pool, "alice@example.com").await,
        id_of(&pool, "bob@example.com").await,
    );
    let club = club(&pool, olive_id, &[alice_id, bob_id]).await;
    let club_s = club.to_string();
    let (code, _) = call(
        &app,
        &olive,
        "/api/events/create",
        &event_form("club", &club_s, "2099-03-04", "19:00", "The library"),
    )
    .await;
    assert_eq!(code, 200);
    // Alice leaves before any worker runs.
    let (code, _) = call(&app, &alice, "/api/clubs/leave", &[("id", &club_s)]).await;
    assert_eq!(code, 200);
    let smtp = SmtpServer::start().await;
    let (w, _) = worker(&pool, &smtp);
    w.run_once().await.unwrap();
    let to: Vec<String> = smtp
        .received()
        .into_iter()
        .flat_map(|m| m.recipients)
        .collect();
    assert_eq!(to, vec!["bob@example.com"]);
    let status: String =
        sqlx::query_scalar("SELECT email_status FROM notifications WHERE user_id = $1")
            .bind(alice_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(status, "skipped");
    app.stop().await;
}

/// Two cancel clicks at once, two edits giving a task to the same person at
/// once: each is told once.
#[sqlx::test]
async fn racing_changes_tell_people_once(pool: PgPool) {
    let app = app(&pool).await;
    let olive = sign_up(&app, "Olive", "olive@example.com").await;
    let _ = sign_up(&app, "Alice", "alice@example.com").await;
    let (olive_id, alice_id) = (
        id_of(&pool, "olive@example.com").await,
        id_of(&pool, "alice@example.com").await,
    );
    let club = club(&pool, olive_id, &[alice_id]).await;
    let event = event(&pool, club, 6, None).await;
    let item: Uuid = sqlx::query_scalar("INSERT INTO event_items (event_id, name, category) VALUES ($1, 'Cake', 'task') RETURNING id")
        .bind(event)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (event_s, item_s, alice_s) = (event.to_string(), item.to_string(), alice_id.to_string());
    let assign = [
        ("item", item_s.as_str()),
        ("name", "Cake"),
        ("category", "task"),
        ("assignee", alice_s.as_str()),
        ("notes", ""),
    ];
    let cancel = [("id", event_s.as_str()), ("cancel", "true")];
    let (a, b, c, d) = tokio::join!(
        call(&app, &olive, "/api/events/items/edit", &assign),
        call(&app, &olive, "/api/events/items/edit", &assign),
        call(&app, &olive, "/api/events/cancel", &cancel),
        call(&app, &olive, "/api/events/cancel", &cancel),
    );
    assert_eq!((a.0, b.0, c.0, d.0), (200, 200, 200, 200));
    let mut kinds = kinds_for(&pool, alice_id).await;
    kinds.sort();
    assert_eq!(kinds, vec!["event_cancelled", "task_assigned"]);
    app.stop().await;
}

/// A club changing its reminder times while its meetings are being moved:
/// no request fails (no deadlock), and what is planned matches the last
/// settings and the last times.
#[sqlx::test]
async fn reminder_settings_and_moving_meetings_race_without_deadlock(pool: PgPool) {
    let app = app(&pool).await;
    let olive = sign_up(&app, "Olive", "olive@example.com").await;
    let olive_id = id_of(&pool, "olive@example.com").await;
    let club = club(&pool, olive_id, &[]).await;
    let club_s = club.to_string();
    let mut events = Vec::new();
    for days in [5, 6, 7] {
        events.push(event(&pool, club, days, None).await.to_string());
    }
    // Each request on a task of its own, all at once.
    let post = |path: &str, form: Vec<(&'static str, String)>| {
        let (client, url) = (olive.clone(), app.url(path));
        tokio::spawn(async move {
            let r = client.post(url).form(&form).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        })
    };
    for round in 0..6 {
        let minutes = if round % 2 == 0 { "60" } else { "2880" };
        let time = format!("1{}:00", round % 10);
        let mut requests = vec![post(
            "/api/clubs/reminders/save",
            vec![
                ("club", club_s.clone()),
                ("minutes[]", minutes.to_owned()),
                ("minutes[]", "1440".to_owned()),
            ],
        )];
        for e in &events {
            let form = event_form("id", e, "2099-05-05", &time, "The library")
                .into_iter()
                .map(|(k, v)| (k, v.to_owned()))
                .collect();
            requests.push(post("/api/events/update", form));
        }
        for r in requests {
            let (code, body) = r.await.unwrap();
            assert_eq!(code, 200, "round {round}: {body}");
        }
    }
    // Last round: 2880 and 1440 minutes before 15:00 London on 5 May 2099.
    let planned: Vec<(String, i32, String)> = sqlx::query_as(
        "SELECT event_id::text, minutes_before, to_char(due_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI')
           FROM event_reminders WHERE done_at IS NULL ORDER BY 1, 2",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut expected = Vec::new();
    let mut sorted = events.clone();
    sorted.sort();
    for e in &sorted {
        expected.push((e.clone(), 1440, "2099-05-04 15:00".to_owned()));
        expected.push((e.clone(), 2880, "2099-05-03 15:00".to_owned()));
    }
    assert_eq!(planned, expected);
    app.stop().await;
}

/// E-mailed invitations are capped per person per day.
#[sqlx::test]
async fn emailed_invitations_are_capped_per_day(pool: PgPool) {
    let app = app(&pool).await;
    let olive = sign_up(&app, "Olive", "olive@example.com").await;
    let olive_id = id_of(&pool, "olive@example.com").await;
    let club = club(&pool, olive_id, &[]).await;
    let club_s = club.to_string();
    // As the README says: at most 20 e-mailed invitations per person per day.
    let cap = 20;
    for n in 0..=cap {
        let to = format!("friend{n}@example.org");
        let (code, body) = call(
            &app,
            &olive,
            "/api/clubs/invites/create",
            &[
                ("club", club_s.as_str()),
                ("days", "7"),
                ("max_uses", "1"),
                ("email", to.as_str()),
            ],
        )
        .await;
        if n < cap {
            assert_eq!(code, 200, "invitation {n}: {body}");
        } else {
            assert_eq!(code, 429, "invitation {n}: {body}");
            assert!(body["RateLimited"]["retry_after_secs"].is_u64(), "{body}");
        }
    }
    // A link without e-mail is still fine.
    let (code, _) = call(
        &app,
        &olive,
        "/api/clubs/invites/create",
        &[
            ("club", club_s.as_str()),
            ("days", "7"),
            ("max_uses", "1"),
            ("email", ""),
        ],
    )
    .await;
    assert_eq!(code, 200);
    app.stop().await;
}

/// The interleaving that used to deadlock, step by step: an edit holds its
/// event and waits for the club's new reminder settings to commit; saving
/// the settings must therefore never wait for that event.
#[sqlx::test]
async fn saving_reminder_settings_never_waits_for_an_event_being_edited(pool: PgPool) {
    let olive: Uuid = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash) VALUES ('Olive', 'olive@example.com', 'x') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let club = club(&pool, olive, &[]).await;
    let event = event(&pool, club, 5, None).await;
    let app_pool = test_state_with(&pool, test_leptos_options("target/site"), &[]).pool;
    let begin = || bookwork::platform::db::begin_as(&app_pool, Some(olive));

    // The edit locks its event first, as `update_event` does.
    let mut edit = begin().await.unwrap();
    sqlx::query("SELECT * FROM bookwork_private.lock_event($1)")
        .bind(event)
        .execute(&mut *edit)
        .await
        .unwrap();
    // The settings are saved meanwhile: this must finish without the event.
    let mut settings = begin().await.unwrap();
    let saved = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        sqlx::query("UPDATE clubs SET reminder_minutes = '{60}' WHERE id = $1")
            .bind(club)
            .execute(&mut *settings),
    )
    .await;
    assert!(
        saved.is_ok(),
        "saving the settings waited for the locked event"
    );
    saved.unwrap().unwrap();
    // The edit moves the meeting: it waits for the settings to commit...
    let moved = tokio::spawn(async move {
        sqlx::query("UPDATE events SET event_time = '18:00' WHERE id = $1")
            .bind(event)
            .execute(&mut *edit)
            .await
            .unwrap();
        edit.commit().await.unwrap();
    });
    settings.commit().await.unwrap();
    moved.await.unwrap();
    // ...and plans with them, at the new time.
    let planned: Vec<(i32, bool)> = sqlx::query_as(
        "SELECT r.minutes_before, r.due_at = e.starts_at - interval '60 minutes'
           FROM event_reminders r JOIN events e ON e.id = r.event_id
          WHERE r.event_id = $1 AND r.done_at IS NULL",
    )
    .bind(event)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(planned, vec![(60, true)]);
}

/// A club that asks for it reminds members who have not answered too; never
/// those who said they are not coming.
#[sqlx::test]
async fn a_club_may_remind_members_who_have_not_answered(pool: PgPool) {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash)
         SELECT 'Reader ' || n, 'reader' || n || '@example.com', 'x' FROM generate_series(1, 4) n
         ORDER BY n RETURNING id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let (owner, silent, declined, maybe) = (ids[0], ids[1], ids[2], ids[3]);
    let club = club(&pool, owner, &[silent, declined, maybe]).await;
    let event = event(&pool, club, 3, None).await;
    for (who, status) in [(declined, "unavailable"), (maybe, "maybe")] {
        sqlx::query("INSERT INTO availability (event_id, user_id, status) VALUES ($1, $2, $3)")
            .bind(event)
            .bind(who)
            .bind(status)
            .execute(&pool)
            .await
            .unwrap();
    }
    let due = |pool: PgPool| async move {
        sqlx::query("UPDATE event_reminders SET due_at = now() WHERE event_id = $1 AND minutes_before = 1440")
            .bind(event)
            .execute(&pool)
            .await
            .unwrap();
    };
    let smtp = SmtpServer::start().await;
    let (w, _) = worker(&pool, &smtp);
    let reminded = |pool: PgPool| async move {
        let mut who: Vec<Uuid> =
            sqlx::query_scalar("SELECT user_id FROM notifications WHERE kind = 'reminder'")
                .fetch_all(&pool)
                .await
                .unwrap();
        who.sort();
        who
    };
    due(pool.clone()).await;
    w.run_once().await.unwrap();
    assert_eq!(
        reminded(pool.clone()).await,
        vec![maybe],
        "by default, those who answered"
    );

    sqlx::query("DELETE FROM notifications")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE clubs SET remind_unanswered = true WHERE id = $1")
        .bind(club)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE event_reminders SET done_at = NULL WHERE event_id = $1")
        .bind(event)
        .execute(&pool)
        .await
        .unwrap();
    due(pool.clone()).await;
    w.run_once().await.unwrap();
    let mut expected = vec![owner, silent, maybe];
    expected.sort();
    assert_eq!(reminded(pool.clone()).await, expected);
    let unanswered = plain_text(
        &smtp
            .received()
            .into_iter()
            .find(|m| m.recipients == vec!["reader2@example.com".to_owned()])
            .unwrap()
            .data,
    );
    assert!(
        unanswered.contains("You haven't answered yet."),
        "{unanswered}"
    );
}

#[sqlx::test]
async fn hostile_names_stay_text_in_every_part_of_an_email(pool: PgPool) {
    let app = app(&pool).await;
    let _olive = sign_up(&app, "Olive", "olive@example.com").await;
    let alice = sign_up(&app, "Alice", "alice@example.com").await;
    let (olive_id, alice_id) = (
        id_of(&pool, "olive@example.com").await,
        id_of(&pool, "alice@example.com").await,
    );
    // Written straight into the rows (the forms refuse line breaks in
    // these): an e-mail must hold whatever the database holds.
    let person = "Alice \"<b>\"\r\nBcc: victim@evil.example";
    let club_name = "Readers</p><a href=\"https://evil.example/\">sign in</a> & co";
    let title = "Night\r\nBcc: victim@evil.example\r\n\r\n<script>alert(1)</script>";
    sqlx::query("UPDATE users SET name = $2 WHERE id = $1")
        .bind(alice_id)
        .bind(person)
        .execute(&pool)
        .await
        .unwrap();
    let club = club(&pool, olive_id, &[alice_id]).await;
    let event = event(&pool, club, 5, None).await;
    sqlx::query("UPDATE clubs SET name = $2 WHERE id = $1")
        .bind(club)
        .bind(club_name)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE events SET title = $2 WHERE id = $1")
        .bind(event)
        .bind(title)
        .execute(&pool)
        .await
        .unwrap();
    rsvp(&app, &alice, event, "available").await;
    sqlx::query("UPDATE event_reminders SET due_at = now() - interval '1 second' WHERE event_id = $1 AND minutes_before = 1440")
        .bind(event)
        .execute(&pool)
        .await
        .unwrap();
    let smtp = SmtpServer::start().await;
    let (worker, _) = worker(&pool, &smtp);
    assert_eq!(worker.run_once().await.unwrap().sent, 1);

    let mail = smtp.received();
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert_eq!(m.recipients, ["alice@example.com"], "nobody was added");
    let head = m.data.split("\r\n\r\n").next().unwrap();
    for line in head.split("\r\n") {
        assert!(
            !line.to_ascii_lowercase().starts_with("bcc") && !line.starts_with('<'),
            "a header line from the text: {line:?}"
        );
    }
    // Each on one line, as written otherwise.
    let one_line = |s: &str| s.replace("\r\n", " ");
    assert_eq!(
        decoded_header(&m.data, "Subject").unwrap(),
        format!("Reminder: {} tomorrow", one_line(title))
    );
    let to = decoded_header(&m.data, "To").unwrap();
    assert!(
        to.contains(&one_line(person).replace('"', "\\\"")) || to.contains(&one_line(person)),
        "{to}"
    );
    assert!(to.ends_with("<alice@example.com>"), "{to}");
    // The plain part is plain text: the words as they are.
    let text = plain_text(&m.data);
    assert!(
        text.contains(club_name) && text.contains("<script>alert(1)</script>"),
        "{text}"
    );
    // The HTML part shows them as text: no element came from them.
    let html = scraper::Html::parse_document(&html_text(&m.data));
    let script = scraper::Selector::parse("script").unwrap();
    let evil = scraper::Selector::parse("a[href^=\"https://evil\"]").unwrap();
    assert_eq!(html.select(&script).count(), 0);
    assert_eq!(html.select(&evil).count(), 0);
    let shown: String = html.root_element().text().collect();
    assert!(shown.contains(club_name), "{shown}");
    assert!(shown.contains("<script>alert(1)</script>"), "{shown}");
}
