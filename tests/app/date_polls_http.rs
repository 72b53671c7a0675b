//! Date polls over real HTTP: the authorization table one request per cell
//! (view, answer, propose, plan), a poll from proposal to meeting (answers,
//! the grid, the best date, "plan the meeting" pre-filled, poll and event
//! linked, the poll closed), bad proposals and answers explained, answers
//! after the close refused, two organisers planning at once, and an event's
//! book chosen from the shelf.
use std::collections::HashMap;

use crate::common::cast::{cast, club, table_failures, Cast, Who, Who::*};
use crate::common::{invalid_message, send_form, spawn_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

fn pairs(form: &[(&str, &str)]) -> Vec<(String, String)> {
    form.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// An open date poll in `club` (made directly) over `dates` ("YYYY-MM-DD
/// HH:MM" in Europe/London); returns it and its option ids in order.
async fn date_poll(pool: &PgPool, club: Uuid, dates: &[&str]) -> (Uuid, Vec<Uuid>) {
    let poll: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, kind, title, closes_at, results_live, time_zone, place)
         VALUES ($1, 'date', 'When?', now() + interval '3 days', true, 'Europe/London', 'Library')
         RETURNING id",
    )
    .bind(club)
    .fetch_one(pool)
    .await
    .unwrap();
    let options: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO poll_options (poll_id, position, starts_on, starts_time)
         SELECT $1, n, d::timestamp::date, d::timestamp::time
           FROM unnest($2::text[]) WITH ORDINALITY AS t(d, n) RETURNING id",
    )
    .bind(poll)
    .bind(dates)
    .fetch_all(pool)
    .await
    .unwrap();
    (poll, options)
}

fn answers(poll: Uuid, answers: &[(Uuid, &str)]) -> Vec<(String, String)> {
    let mut form = vec![("poll".to_owned(), poll.to_string())];
    form.extend(answers.iter().map(|(o, a)| {
        (
            bookwork::polls::dates::model::answer_field(*o),
            a.to_string(),
        )
    }));
    form
}

/// The new-event form's fields, as "plan the meeting" sends them.
fn meeting(poll: Uuid, date: &str, time: &str, book_id: &str) -> Vec<(String, String)> {
    pairs(&[
        ("poll", &poll.to_string()),
        ("title", "January meeting"),
        ("description", ""),
        ("date", date),
        ("time", time),
        ("time_zone", "Europe/London"),
        ("location", "Library"),
        ("book", ""),
        ("book_id", book_id),
        ("kind", "discussion"),
        ("max_attendees", ""),
    ])
}

/// Answers close in 30 days, at 20:00 (club time).
fn new_date_poll(club: Uuid, slots: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = pairs(&[
        ("club", &club.to_string()),
        ("title", "When in January?"),
        ("place", "Library"),
        ("book", ""),
        ("date", &crate::common::in_days(30)),
        ("time", "20:00"),
    ]);
    for (n, (d, t)) in slots.iter().enumerate() {
        form.push((format!("slot_date[row-{}]", n + 1), d.to_string()));
        form.push((format!("slot_time[row-{}]", n + 1), t.to_string()));
    }
    form
}

/// Expected answer per actor, transcribed from the "Books, polls" table of
/// docs/AUTHZ.md (not from `src/polls/authz.rs`): 200 allowed (proposing,
/// planning and deleting also name the page to go to), 404 hidden, 403
/// refused, 401 must sign in.
fn expected(action: &str, public: bool) -> [u16; 10] {
    //                               Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let mut row: [u16; 10] = match action {
        // "see a public club's shelf and closed poll results", "see live
        // results" (a date poll always shows its counts): as "see". The
        // page is everyone's; who answered what is checked by `names`.
        "view" | "see who answered" => [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        // "vote (rank books; answer date options)".
        "answer" => [401, 403, 403, 403, 200, 200, 200, 200, 403, 403],
        // "open / close / delete a book or date poll"; planning the meeting
        // is opening an event too ("create / edit an event": the same
        // people, SMod not).
        "propose" | "plan" | "close" => [401, 403, 403, 403, 403, 200, 200, 200, 403, 200],
        "delete" => [401, 403, 403, 403, 403, 200, 200, 200, 200, 200],
        _ => unreachable!("{action}"),
    };
    // "see a private club's shelf, polls, results": 404 for Anon, SGuest
    // and Out, whatever they try.
    if !public {
        row[..3].copy_from_slice(&[404, 404, 404]);
    }
    row
}

/// "see who answered which date option": –, –, –, then Y for CGuest, Mem,
/// CMod, CAdm, Owner, SMod and SAdm.
fn names(who: Who) -> bool {
    !matches!(who, Anon | SGuest | Out)
}

const ACTIONS: [&str; 7] = [
    "view",
    "see who answered",
    "answer",
    "propose",
    "plan",
    "close",
    "delete",
];

/// A member called Other, who answered yes to `option`.
async fn other_answer(pool: &PgPool, club: Uuid, poll: Uuid, option: Uuid) {
    let other: Uuid = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash) VALUES ('Other', $1, 'x') RETURNING id",
    )
    .bind(format!("other-{}@example.com", Uuid::new_v4().simple()))
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'member')")
        .bind(club)
        .bind(other)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO date_answers (option_id, poll_id, user_id, answer) VALUES ($1, $2, $3, 'yes')",
    )
    .bind(option)
    .bind(poll)
    .bind(other)
    .execute(pool)
    .await
    .unwrap();
}

/// A number the owner's pool reads, about `id` (and `who`, as `$2`).
async fn count(pool: &PgPool, sql: &str, id: Uuid, who: Option<Uuid>) -> i64 {
    let query = sqlx::query_scalar(sql).bind(id);
    let query = if sql.contains("$2") {
        query.bind(who)
    } else {
        query
    };
    query.fetch_one(pool).await.unwrap()
}

/// Sends one cell's request and checks its effect with the owner's pool
/// (what the answer shows, or the rows changed when allowed and unchanged
/// when refused); failures go into `wrong`. Returns the status.
async fn attempt(
    app: &TestApp,
    pool: &PgPool,
    cast: &Cast,
    who: Who,
    action: &str,
    public: bool,
    wrong: &std::sync::Mutex<Vec<String>>,
) -> u16 {
    let club = club(pool, cast, public).await;
    let (poll, options) = date_poll(pool, club, &["2099-01-05 19:00", "2099-01-06 19:00"]).await;
    other_answer(pool, club, poll, options[0]).await;
    let (path, form) = match action {
        "view" | "see who answered" => ("/api/polls/view", pairs(&[("id", &poll.to_string())])),
        "answer" => ("/api/polls/answer", answers(poll, &[(options[1], "yes")])),
        "propose" => (
            "/api/polls/create-date",
            new_date_poll(club, &[("2099-01-05", "19:00"), ("2099-01-06", "19:00")]),
        ),
        "plan" => ("/api/polls/plan", meeting(poll, "2099-01-05", "19:00", "")),
        "close" => ("/api/polls/close", pairs(&[("poll", &poll.to_string())])),
        "delete" => (
            "/api/polls/delete",
            pairs(&[("poll", &poll.to_string()), ("confirm", "yes")]),
        ),
        _ => unreachable!(),
    };
    let (status, body) = send_form(app, &cast.clients[&who], path, &form).await;
    let allowed = status == 200;
    let me = cast.ids.get(&who).copied();
    let as_expected = match action {
        // The dates, counted: Other's yes to the first.
        "view" => {
            (body["dates"]["options"][0]["yes"] == 1) == allowed
                && (body["dates"]["options"].as_array().map_or(0, Vec::len) == 2) == allowed
        }
        "see who answered" => {
            let named = body["dates"]["rows"][0]["name"] == "Other";
            named == (allowed && names(who)) && (body.to_string().contains("Other") == named)
        }
        "answer" => {
            count(pool, "SELECT count(*) FROM date_answers WHERE poll_id = $1 AND user_id = $2", poll, me).await
                == i64::from(allowed)
        }
        "propose" => {
            count(pool, "SELECT count(*) FROM polls WHERE club_id = $1 AND title = 'When in January?'", club, None)
                .await
                == i64::from(allowed)
        }
        "plan" => {
            count(
                pool,
                "SELECT count(*) FROM polls p JOIN events e ON e.id = p.event_id WHERE p.id = $1 AND p.closed_at IS NOT NULL",
                poll,
                None,
            )
            .await
                == i64::from(allowed)
                && count(pool, "SELECT count(*) FROM events WHERE club_id = $1", club, None).await
                    == i64::from(allowed)
        }
        "close" => {
            count(pool, "SELECT count(*) FROM polls WHERE id = $1 AND closed_at IS NOT NULL", poll, None).await
                == i64::from(allowed)
        }
        // The poll goes with its dates and answers.
        "delete" => {
            count(
                pool,
                "SELECT (SELECT count(*) FROM polls WHERE id = $1) + (SELECT count(*) FROM poll_options WHERE poll_id = $1)
                        + (SELECT count(*) FROM date_answers WHERE poll_id = $1)",
                poll,
                None,
            )
            .await
                == if allowed { 0 } else { 4 }
        }
        _ => unreachable!(),
    };
    if !as_expected {
        wrong.lock().unwrap().push(format!(
            "{action} in a {} club as {who:?}: answered {status}, effect not as the table says: {body:.300}",
            if public { "public" } else { "private" }
        ));
    }
    status
}

#[sqlx::test]
async fn every_cell_of_the_date_poll_authorization_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let wrong = std::sync::Mutex::new(Vec::new());
    let failures = table_failures(&ACTIONS, "club", expected, |who, action, public| {
        attempt(&app, &pool, &cast, who, action, public, &wrong)
    })
    .await;
    let wrong = wrong.into_inner().unwrap();
    assert!(
        failures.is_empty() && wrong.is_empty(),
        "statuses:\n{}\neffects:\n{}",
        failures.join("\n"),
        wrong.join("\n")
    );
    app.stop().await;
}

/// Deleting a date poll that became a meeting keeps the meeting (the poll
/// points to it, not the reverse); the meeting no longer names a poll.
#[sqlx::test]
async fn deleting_a_planned_date_poll_keeps_the_meeting(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let (poll, options) = date_poll(&pool, club, &["2099-01-05 19:00", "2099-01-06 19:00"]).await;
    let (code, _) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/answer",
        &answers(poll, &[(options[0], "yes")]),
    )
    .await;
    assert_eq!(code, 200);
    let (code, body) = send_form(
        &app,
        &cast.clients[&CAdm],
        "/api/polls/plan",
        &meeting(poll, "2099-01-05", "19:00", ""),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let event: Uuid = sqlx::query_scalar("SELECT event_id FROM polls WHERE id = $1")
        .bind(poll)
        .fetch_one(&pool)
        .await
        .unwrap();
    let html = cast.clients[&SMod]
        .get(app.url(&format!("/polls/{poll}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("the meeting planned from it stays"), "{html}");
    let (code, body) = send_form(
        &app,
        &cast.clients[&SMod],
        "/api/polls/delete",
        &pairs(&[("poll", &poll.to_string()), ("confirm", "yes")]),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let left: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM polls), (SELECT count(*) FROM poll_options),
                (SELECT count(*) FROM date_answers), (SELECT count(*) FROM events WHERE id = $1)",
    )
    .bind(event)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        left,
        (0, 0, 0, 1),
        "the poll, its dates and answers went; the meeting stayed"
    );
    let (code, e) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/events/view",
        &[("id", &event.to_string())],
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(e["from_poll"], Value::Null);
    app.stop().await;
}

/// A visitor to a public club's date poll sees how many can come on each
/// date, not who: the names stay with the club, in the page and beneath it.
#[sqlx::test]
async fn visitors_see_how_many_can_come_not_who(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let (poll, options) = date_poll(&pool, club, &["2099-01-05 19:00", "2099-01-06 19:00"]).await;
    for who in [Mem, CMod] {
        let (code, _) = send_form(
            &app,
            &cast.clients[&who],
            "/api/polls/answer",
            &answers(poll, &[(options[1], "yes"), (options[0], "no")]),
        )
        .await;
        assert_eq!(code, 200);
    }
    let page = |who: Who| {
        let (app, client) = (&app, &cast.clients[&who]);
        async move {
            client
                .get(app.url(&format!("/polls/{poll}")))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let visitor = page(Anon).await;
    assert!(visitor.contains("2 people answered"), "{visitor}");
    assert!(visitor.contains("2 yes · 0 if need be · 0 no"), "{visitor}");
    assert!(visitor.contains("Best"), "{visitor}");
    assert!(
        !visitor.contains(">Mem<") && !visitor.contains(">CMod<"),
        "{visitor}"
    );
    assert!(visitor.contains("Sign in"), "{visitor}");
    let member = page(CGuest).await;
    assert!(
        member.contains(">Mem<") && member.contains(">CMod<"),
        "{member}"
    );
    let app_pool = crate::common::test_state_with(
        &pool,
        crate::common::test_leptos_options("target/site"),
        &[],
    )
    .pool;
    for viewer in [None, Some(cast.ids[&Out])] {
        let mut tx = bookwork::platform::db::begin_as(&app_pool, viewer)
            .await
            .unwrap();
        let (rows, counted): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM date_answers),
                    (SELECT sum(yes + maybe + no)::bigint FROM bookwork_private.date_poll_counts($1))",
        )
        .bind(poll)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        assert_eq!((rows, counted), (0, 4), "{viewer:?}: counts, no rows");
        tx.rollback().await.unwrap();
    }
    app.stop().await;
}

#[sqlx::test]
async fn a_date_poll_from_proposal_to_meeting(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    sqlx::query("UPDATE clubs SET time_zone = 'Europe/London' WHERE id = $1")
        .bind(club)
        .execute(&pool)
        .await
        .unwrap();
    let book: Uuid = sqlx::query_scalar(
        "INSERT INTO books (club_id, title, shelf) VALUES ($1, 'Middlemarch', 'up_next') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    // Proposed out of order, with an empty row between: kept in time order.
    let mut form = new_date_poll(
        club,
        &[
            ("2099-01-12", "19:30"),
            ("", ""),
            ("2099-01-05", "19:00"),
            ("2099-01-08", "18:00"),
        ],
    );
    form.retain(|(k, _)| k != "book");
    form.push(("book".into(), book.to_string()));
    let (code, body) = send_form(&app, &cast.clients[&CMod], "/api/polls/create-date", &form).await;
    assert!(matches!(code, 200 | 302 | 303), "{code} {body}");
    let poll: Uuid = sqlx::query_scalar("SELECT id FROM polls WHERE club_id = $1")
        .bind(club)
        .fetch_one(&pool)
        .await
        .unwrap();
    let options: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM poll_options WHERE poll_id = $1 ORDER BY position")
            .bind(poll)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(options.len(), 3);

    // Member: yes to the 5th and 8th; Admin: if need be to the 5th, yes to
    // the 8th; Owner: no to the 5th, yes to the 12th. The 8th has most yes.
    for (who, said) in [
        (
            Mem,
            vec![(options[0], "yes"), (options[1], "yes"), (options[2], "no")],
        ),
        (CAdm, vec![(options[0], "maybe"), (options[1], "yes")]),
        (Owner, vec![(options[0], "no"), (options[2], "yes")]),
    ] {
        let (code, body) = send_form(
            &app,
            &cast.clients[&who],
            "/api/polls/answer",
            &answers(poll, &said),
        )
        .await;
        assert_eq!(code, 200, "{who:?}: {body}");
    }
    // The member changes their mind about the 12th.
    let (code, _) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/answer",
        &answers(poll, &[(options[2], "maybe")]),
    )
    .await;
    assert_eq!(code, 200);

    // A club guest sees the grid (names and answers) but may not answer.
    let (code, page) = send_form(
        &app,
        &cast.clients[&CGuest],
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(code, 200, "{page}");
    let grid = &page["dates"];
    assert_eq!(page["kind"], "date");
    assert_eq!(page["can_vote"], false);
    assert_eq!(grid["place"], "Library");
    assert_eq!(grid["book"], "Middlemarch");
    assert_eq!(grid["best"], 1, "the 8th: two yes");
    let counts: Vec<(i64, i64, i64)> = grid["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["yes"].as_i64().unwrap(),
                o["maybe"].as_i64().unwrap(),
                o["no"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counts, [(1, 1, 1), (2, 0, 0), (1, 1, 0)]);
    assert!(grid["options"][0]["when"]
        .as_str()
        .unwrap()
        .starts_with("Mon 5 Jan 2099, 19:00"));
    let rows: HashMap<String, Vec<Value>> = grid["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["answers"].as_array().unwrap().clone(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows["CAdm"],
        [Value::from("maybe"), Value::from("yes"), Value::Null]
    );
    assert_eq!(page["ballots_cast"], 3);
    // The member sees their own answers in the form.
    let (_, mine) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(
        mine["dates"]["mine"],
        serde_json::json!(["yes", "yes", "maybe"])
    );

    // "Plan the meeting" on the best date: the form comes filled in.
    let (code, plan) = send_form(
        &app,
        &cast.clients[&CAdm],
        "/api/polls/plan-form",
        &[
            ("poll", &poll.to_string()),
            ("option", &options[1].to_string()),
        ],
    )
    .await;
    assert_eq!(code, 200, "{plan}");
    let f = &plan["fields"]["form"];
    assert_eq!(
        (
            f["date"].as_str(),
            f["time"].as_str(),
            f["time_zone"].as_str(),
            f["location"].as_str()
        ),
        (
            Some("2099-01-08"),
            Some("18:00"),
            Some("Europe/London"),
            Some("Library")
        )
    );
    assert_eq!(f["book_id"], book.to_string());
    // A member may not plan it.
    let (code, _) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/plan-form",
        &[
            ("poll", &poll.to_string()),
            ("option", &options[1].to_string()),
        ],
    )
    .await;
    assert_eq!(code, 403);

    let (code, body) = send_form(
        &app,
        &cast.clients[&CAdm],
        "/api/polls/plan",
        &meeting(poll, "2099-01-08", "18:00", &book.to_string()),
    )
    .await;
    assert!(matches!(code, 200 | 302 | 303), "{code} {body}");
    let (event, closed): (Option<Uuid>, bool) =
        sqlx::query_as("SELECT event_id, closed_at IS NOT NULL FROM polls WHERE id = $1")
            .bind(poll)
            .fetch_one(&pool)
            .await
            .unwrap();
    let event = event.expect("the poll links to its meeting");
    assert!(closed, "planning closes the poll");
    let (book_id, title): (Option<Uuid>, Option<String>) =
        sqlx::query_as("SELECT book_id, book FROM events WHERE id = $1")
            .bind(event)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (book_id, title.as_deref()),
        (Some(book), Some("Middlemarch"))
    );
    // The event links back; the poll page links to the event.
    let (_, e) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/events/view",
        &[("id", &event.to_string())],
    )
    .await;
    assert_eq!(
        e["from_poll"],
        serde_json::json!([poll, "When in January?"])
    );
    assert_eq!(e["book_on_shelf"], true);
    let (_, page) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(page["dates"]["event"], event.to_string());
    assert_eq!(page["open"], false);
    // Planned once: a second attempt is refused, and answers now are too.
    let (code, _) = send_form(
        &app,
        &cast.clients[&CAdm],
        "/api/polls/plan",
        &meeting(poll, "2099-01-08", "18:00", ""),
    )
    .await;
    assert_eq!(code, 409);
    let (code, body) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/answer",
        &answers(poll, &[(options[0], "no")]),
    )
    .await;
    assert_eq!(code, 409, "{body}");
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE club_id = $1")
        .bind(club)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(events, 1);
    app.stop().await;
}

#[sqlx::test]
async fn bad_proposals_and_answers_are_explained(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let organiser = &cast.clients[&CMod];
    for (slots, message) in [
        (
            vec![("2099-01-05", "19:00")],
            "Propose at least 2 dates to choose between.",
        ),
        (
            vec![("2099-01-05", "19:00"), ("2099-01-05", "19:00")],
            "Date 2 is the same as an earlier one.",
        ),
        (
            vec![("2099-01-05", "19:00"), ("2099-01-06", "")],
            "Date 2: enter the time as HH:MM (24-hour).",
        ),
        (
            vec![("", "19:00"), ("2099-01-06", "19:00")],
            "Date 1: enter the date as YYYY-MM-DD.",
        ),
        (
            vec![("2001-01-05", "19:00"), ("2099-01-06", "19:00")],
            "Date 1 has already passed.",
        ),
    ] {
        let (code, body) = send_form(
            &app,
            organiser,
            "/api/polls/create-date",
            &new_date_poll(club, &slots),
        )
        .await;
        assert_eq!(
            (code, invalid_message(&body, "slots")),
            (422, message.to_owned()),
            "{slots:?}"
        );
    }
    // Each problem also stands beside its own field.
    let (_, body) = send_form(
        &app,
        organiser,
        "/api/polls/create-date",
        &new_date_poll(club, &[("2099-01-05", "19:00"), ("2099-01-06", "7pm")]),
    )
    .await;
    assert_eq!(
        invalid_message(&body, "slot_time[row-2]"),
        "Date 2: enter the time as HH:MM (24-hour)."
    );
    // Answers close before the first date (here in 30 days).
    let (code, body) = send_form(
        &app,
        organiser,
        "/api/polls/create-date",
        &new_date_poll(
            club,
            &[
                (&crate::common::in_days(10), "19:00"),
                ("2099-01-06", "19:00"),
            ],
        ),
    )
    .await;
    assert_eq!(
        (code, invalid_message(&body, "date").as_str()),
        (
            422,
            "Answers must close before the first proposed date. Choose an earlier closing time."
        )
    );
    // A book from another club's shelf.
    let other = crate::common::cast::club(&pool, &cast, true).await;
    let theirs: Uuid =
        sqlx::query_scalar("INSERT INTO books (club_id, title) VALUES ($1, 'Emma') RETURNING id")
            .bind(other)
            .fetch_one(&pool)
            .await
            .unwrap();
    let mut form = new_date_poll(club, &[("2099-01-05", "19:00"), ("2099-01-06", "19:00")]);
    form.retain(|(k, _)| k != "book");
    form.push(("book".into(), theirs.to_string()));
    let (code, body) = send_form(&app, organiser, "/api/polls/create-date", &form).await;
    assert_eq!(
        (code, invalid_message(&body, "book").as_str()),
        (422, "Choose a book from the club's shelf.")
    );
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM polls")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(none, 0);

    let (poll, o) = date_poll(&pool, club, &["2099-01-05 19:00", "2099-01-06 19:00"]).await;
    let member = &cast.clients[&Mem];
    for (said, message) in [
        (
            vec![(o[0], "perhaps")],
            "Answer each date with yes, if need be, or no.",
        ),
        (
            vec![(o[0], "")],
            "Answer at least one date: yes, if need be, or no.",
        ),
        (
            vec![(Uuid::new_v4(), "yes")],
            "Those answers are for another poll.",
        ),
    ] {
        let (code, body) =
            send_form(&app, member, "/api/polls/answer", &answers(poll, &said)).await;
        assert_eq!(
            (code, invalid_message(&body, "form")),
            (422, message.to_owned())
        );
    }
    // A ballot for a date poll, and date answers for a book poll.
    let ballot = vec![
        ("poll".to_owned(), poll.to_string()),
        (bookwork::polls::model::rank_field(o[0]), "1".to_owned()),
    ];
    let (code, _) = send_form(&app, member, "/api/polls/vote", &ballot).await;
    assert_eq!(code, 409);
    // Past its closing time: refused and not saved.
    sqlx::query("UPDATE polls SET closes_at = now() - interval '1 minute' WHERE id = $1")
        .bind(poll)
        .execute(&pool)
        .await
        .unwrap();
    let (code, body) = send_form(
        &app,
        member,
        "/api/polls/answer",
        &answers(poll, &[(o[0], "yes")]),
    )
    .await;
    assert_eq!(code, 409);
    assert!(
        body.to_string().contains("your answers were not saved"),
        "{body}"
    );
    let saved: i64 = sqlx::query_scalar("SELECT count(*) FROM date_answers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(saved, 0);
    app.stop().await;
}

/// Two organisers press "Create the meeting" at once: one meeting, and the
/// other is told the poll is already planned.
#[sqlx::test]
async fn two_organisers_planning_at_once_make_one_meeting(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    for _ in 0..5 {
        let (poll, _) = date_poll(&pool, club, &["2099-01-05 19:00", "2099-01-06 19:00"]).await;
        let form = meeting(poll, "2099-01-05", "19:00", "");
        let (a, b) = tokio::join!(
            send_form(&app, &cast.clients[&CAdm], "/api/polls/plan", &form),
            send_form(&app, &cast.clients[&Owner], "/api/polls/plan", &form),
        );
        let mut codes = [a.0, b.0].map(|c| if c == 302 || c == 303 { 200 } else { c });
        codes.sort();
        assert_eq!(codes, [200, 409], "{a:?} {b:?}");
        let linked: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM events e JOIN polls p ON p.event_id = e.id WHERE p.id = $1",
        )
        .bind(poll)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(linked, 1);
    }
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE club_id = $1")
        .bind(club)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(events, 5, "no meeting without its poll");
    app.stop().await;
}

/// An event's book may be one from the club's shelf: stored by id with its
/// title; another club's book, or a shelf book and different typed text,
/// are explained.
#[sqlx::test]
async fn an_event_book_comes_from_the_shelf(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let other = crate::common::cast::club(&pool, &cast, false).await;
    let shelf = |club: Uuid, title: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>(
                "INSERT INTO books (club_id, title) VALUES ($1, $2) RETURNING id",
            )
            .bind(club)
            .bind(title)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let ours = shelf(club, "Persuasion").await;
    let theirs = shelf(other, "Emma").await;
    let event = |book: &str, book_id: &str| {
        pairs(&[
            ("club", &club.to_string()),
            ("title", "Chat"),
            ("description", ""),
            ("date", "2099-02-01"),
            ("time", "19:00"),
            ("time_zone", "UTC"),
            ("location", "Library"),
            ("book", book),
            ("book_id", book_id),
            ("kind", "discussion"),
            ("max_attendees", ""),
        ])
    };
    let admin = &cast.clients[&CAdm];
    let (code, body) = send_form(
        &app,
        admin,
        "/api/events/create",
        &event("", &theirs.to_string()),
    )
    .await;
    assert_eq!(
        (code, invalid_message(&body, "book_id").as_str()),
        (422, "Choose a book from the club's shelf.")
    );
    let (code, body) = send_form(
        &app,
        admin,
        "/api/events/create",
        &event("Ulysses", &ours.to_string()),
    )
    .await;
    assert_eq!(
        (code, invalid_message(&body, "book").as_str()),
        (
            422,
            "Choose a book from the shelf or type another one, not both."
        )
    );
    let (code, body) = send_form(&app, admin, "/api/events/create", &event("", "not-an-id")).await;
    assert_eq!(code, 422, "{body}");
    let (code, body) = send_form(
        &app,
        admin,
        "/api/events/create",
        &event("", &ours.to_string()),
    )
    .await;
    assert!(matches!(code, 200 | 302 | 303), "{code} {body}");
    let (id, book_id, book): (Uuid, Option<Uuid>, Option<String>) =
        sqlx::query_as("SELECT id, book_id, book FROM events WHERE club_id = $1")
            .bind(club)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((book_id, book.as_deref()), (Some(ours), Some("Persuasion")));
    // The edit form shows it chosen in the list, not as typed text; the book
    // page lists the meeting.
    let (_, form) = send_form(
        &app,
        admin,
        "/api/events/edit-form",
        &[("id", &id.to_string())],
    )
    .await;
    assert_eq!(
        (
            form["form"]["book_id"].as_str(),
            form["form"]["book"].as_str()
        ),
        (Some(ours.to_string().as_str()), Some(""))
    );
    assert!(form["shelf"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["title"] == "Persuasion"));
    assert!(!form["shelf"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["title"] == "Emma"));
    // Typed text instead: the link goes.
    let mut edit = event("Ulysses", "");
    edit.retain(|(k, _)| k != "club");
    edit.push(("id".into(), id.to_string()));
    let (code, body) = send_form(&app, admin, "/api/events/update", &edit).await;
    assert!(matches!(code, 200 | 302 | 303), "{code} {body}");
    let (book_id, book): (Option<Uuid>, Option<String>) =
        sqlx::query_as("SELECT book_id, book FROM events WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((book_id, book.as_deref()), (None, Some("Ulysses")));
    app.stop().await;
}

/// Thirteen dates are one too many: refused beside the dates, nothing
/// dropped in silence, and without JavaScript every date typed comes back.
#[sqlx::test]
async fn more_dates_than_a_poll_takes_are_refused_and_kept(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let organiser = &cast.clients[&CMod];
    let days: Vec<String> = (1..=13).map(|d| format!("2099-01-{d:02}")).collect();
    let thirteen: Vec<(&str, &str)> = days.iter().map(|d| (d.as_str(), "19:00")).collect();
    let polls = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM polls")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let (code, body) = send_form(
        &app,
        organiser,
        "/api/polls/create-date",
        &new_date_poll(club, &thirteen),
    )
    .await;
    assert_eq!(
        (code, invalid_message(&body, "slots")),
        (
            422,
            "Propose at most 12 dates; this has 13. Clear the rows you can do without.".to_owned()
        )
    );
    assert_eq!(polls().await, 0);
    // Twelve are fine.
    let (code, body) = send_form(
        &app,
        organiser,
        "/api/polls/create-date",
        &new_date_poll(club, &thirteen[..12]),
    )
    .await;
    assert!(matches!(code, 200 | 302 | 303), "{code}: {body}");
    assert_eq!(polls().await, 1);

    // Rows the form never has are not taken in silence either.
    for key in ["row-0", "row-99", "row-01", "first"] {
        let mut form = new_date_poll(club, &thirteen[..2]);
        form.push((format!("slot_date[{key}]"), "2099-02-01".to_owned()));
        form.push((format!("slot_time[{key}]"), "19:00".to_owned()));
        let (code, body) = send_form(&app, organiser, "/api/polls/create-date", &form).await;
        assert_eq!(
            (code, invalid_message(&body, "slots")),
            (
                422,
                "Propose dates in the rows of this form (at most 12).".to_owned()
            ),
            "{key}"
        );
    }
    assert_eq!(polls().await, 1);

    // Without JavaScript: back to the form with the message and all
    // thirteen dates as typed.
    let from = format!("/clubs/{club}/polls/new-date");
    let form = new_date_poll(club, &thirteen);
    let (status, page) =
        crate::common::plain_form_post(&app, organiser, "/api/polls/create-date", &from, &form)
            .await;
    assert_eq!(status, 302, "back to the form it came from");
    assert!(
        page.contains("Propose at most 12 dates; this has 13."),
        "{page}"
    );
    for day in &days {
        assert!(page.contains(&format!("value=\"{day}\"")), "{day} was lost");
    }
    assert!(page.contains("Date 13"), "a 13th row to show it in");
    assert_eq!(polls().await, 1);
    app.stop().await;
}

/// A closing time a club would use: within a year, said with the latest
/// time allowed; for date polls too.
#[sqlx::test]
async fn a_poll_closes_within_a_year(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let organiser = &cast.clients[&CMod];
    let mut form = new_date_poll(club, &[("2099-01-05", "19:00"), ("2099-01-06", "19:00")]);
    form.retain(|(k, _)| k != "date");
    form.push(("date".to_owned(), "9999-12-31".to_owned()));
    let (code, body) = send_form(&app, organiser, "/api/polls/create-date", &form).await;
    let message = invalid_message(&body, "date");
    assert_eq!(code, 422, "{body}");
    assert!(
        message.starts_with("A poll stays open for at most a year. Choose a closing time before "),
        "{message}"
    );
    let latest = (chrono::Utc::now() + chrono::Months::new(12))
        .format("%-d %B %Y")
        .to_string();
    assert!(message.contains(&latest), "{message} names {latest}");
    // A year less a day is fine.
    form.retain(|(k, _)| k != "date");
    form.push(("date".to_owned(), crate::common::in_days(364)));
    let (code, body) = send_form(&app, organiser, "/api/polls/create-date", &form).await;
    assert!(matches!(code, 200 | 302 | 303), "{code}: {body}");
    app.stop().await;
}

/// The club page marks each open poll the viewer has not voted in or
/// answered, and stops once they have: a ballot for a book poll, answers
/// for a date poll, each person for themselves.
#[sqlx::test]
async fn the_club_page_says_which_open_polls_wait_for_you(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let book: Uuid =
        sqlx::query_scalar("INSERT INTO books (club_id, title) VALUES ($1, 'Dune') RETURNING id")
            .bind(club)
            .fetch_one(&pool)
            .await
            .unwrap();
    let book_poll: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, title, closes_at) VALUES ($1, 'Next', now() + interval '3 days') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    let option: Uuid = sqlx::query_scalar(
        "INSERT INTO poll_options (poll_id, position, book_id) VALUES ($1, 1, $2) RETURNING id",
    )
    .bind(book_poll)
    .bind(book)
    .fetch_one(&pool)
    .await
    .unwrap();
    let (date_poll, dates) = date_poll(&pool, club, &["2099-01-05T19:00"]).await;
    let waiting = |who: Who| {
        let client = cast.clients[&who].clone();
        let url = app.url(&format!("/clubs/{club}"));
        async move {
            let html = client.get(url).send().await.unwrap().text().await.unwrap();
            html.matches("Not voted yet").count()
        }
    };
    assert_eq!(waiting(Mem).await, 2, "both polls wait for the member");
    let mut ballot = vec![("poll".to_owned(), book_poll.to_string())];
    ballot.push((bookwork::polls::model::rank_field(option), "1".to_owned()));
    let (code, _) = send_form(&app, &cast.clients[&Mem], "/api/polls/vote", &ballot).await;
    assert_eq!(code, 200);
    assert_eq!(waiting(Mem).await, 1, "the book poll is done");
    let (code, _) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/answer",
        &answers(date_poll, &[(dates[0], "yes")]),
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(waiting(Mem).await, 0, "and so is the date poll");
    assert_eq!(
        waiting(CMod).await,
        2,
        "another member has voted in neither"
    );
    app.stop().await;
}
