//! Every server function, sent every kind of bad input a client can send:
//! missing fields, text where a number, id or yes/no belongs, a NUL byte, a
//! body that is not UTF-8, a 1 MB string, a value outside its set, an id that
//! does not exist. None may answer 5xx, and no answer may show a stack trace
//! or SQL. The table below must name every registered server function, so a
//! new one cannot be forgotten.
use std::collections::{BTreeMap, BTreeSet};

use sqlx::PgPool;
use uuid::Uuid;

use crate::common::{sign_up, spawn_app, TestApp};

/// What an argument of a server function is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arg {
    /// Free text (also values from a fixed set, like a status).
    Text,
    Uuid,
    Int,
    Bool,
    /// An optional text field (a checkbox sends "on" or nothing).
    Optional,
}
use Arg::*;

/// Every server function and its arguments, in order.
const TABLE: &[(&str, &[(&str, Arg)])] = &[
    ("admin/users", &[("search", Text), ("page", Int)]),
    ("admin/users/role", &[("user_id", Uuid), ("role", Text)]),
    ("admin/users/active", &[("user_id", Uuid), ("active", Bool)]),
    ("admin/system", &[]),
    ("auth/me", &[]),
    (
        "auth/register",
        &[
            ("name", Text),
            ("email", Text),
            ("password", Text),
            ("next", Optional),
        ],
    ),
    (
        "auth/login",
        &[("email", Text), ("password", Text), ("next", Optional)],
    ),
    ("auth/logout", &[]),
    ("clubs/create", CLUB_FIELDS),
    ("clubs/view", &[("id", Uuid)]),
    (
        "clubs/discover",
        &[("search", Text), ("tag", Text), ("page", Int)],
    ),
    ("clubs/mine", &[]),
    ("clubs/join", &[("id", Uuid)]),
    ("clubs/leave", &[("id", Uuid)]),
    ("clubs/edit-form", &[("id", Uuid)]),
    ("clubs/update", &[("id", Uuid)]), // + CLUB_FIELDS, see `arguments`
    ("clubs/delete", &[("id", Uuid), ("confirm_name", Text)]),
    ("clubs/members", &[("club", Uuid)]),
    (
        "clubs/members/role",
        &[("club", Uuid), ("user", Uuid), ("role", Text)],
    ),
    ("clubs/members/remove", &[("club", Uuid), ("user", Uuid)]),
    ("clubs/members/hand-over", &[("club", Uuid), ("user", Uuid)]),
    (
        "clubs/members/books-read",
        &[("club", Uuid), ("books_read", Text)],
    ),
    ("clubs/invites", &[("club", Uuid)]),
    (
        "clubs/invites/create",
        &[
            ("club", Uuid),
            ("days", Text),
            ("max_uses", Text),
            ("email", Optional),
        ],
    ),
    ("clubs/invites/revoke", &[("club", Uuid), ("invite", Uuid)]),
    ("clubs/reminders", &[("club", Uuid)]),
    ("books/shelf", &[("club", Uuid)]),
    ("books/edit-form", &[("book", Uuid)]),
    ("books/suggest", &[("club", Uuid)]), // + BOOK_FIELDS
    ("books/edit", &[("book", Uuid)]),    // + BOOK_FIELDS
    ("books/move", &[("book", Uuid), ("shelf", Text)]),
    ("books/remove", &[("book", Uuid), ("confirm", Optional)]),
    ("polls/new-form", &[("club", Uuid)]),
    (
        "polls/create",
        &[
            ("club", Uuid),
            ("title", Text),
            ("date", Text),
            ("time", Text),
            ("books[]", Optional),
            ("results_live", Optional),
            ("nominate", Optional),
            ("cap", Optional),
        ],
    ),
    (
        "polls/nominate",
        &[
            ("poll", Uuid),
            ("book", Optional),
            ("title", Optional),
            ("authors", Optional),
        ],
    ),
    ("polls/start-voting", &[("poll", Uuid)]),
    ("polls/view", &[("id", Uuid)]),
    ("polls/of-club", &[("club", Uuid)]),
    (
        "polls/vote",
        &[("poll", Uuid), ("rank[option-x]", Optional)],
    ),
    ("polls/close", &[("poll", Uuid)]),
    ("polls/delete", &[("poll", Uuid), ("confirm", Optional)]),
    ("polls/waiting", &[]),
    ("polls/next-read", &[("poll", Uuid)]),
    ("polls/new-date-form", &[("club", Uuid)]),
    (
        "polls/create-date",
        &[
            ("club", Uuid),
            ("title", Text),
            ("place", Text),
            ("book", Optional),
            ("date", Text),
            ("time", Text),
            ("slot_date[row-1]", Optional),
            ("slot_time[row-1]", Optional),
        ],
    ),
    (
        "polls/answer",
        &[("poll", Uuid), ("answer[option-x]", Optional)],
    ),
    ("polls/plan-form", &[("poll", Uuid), ("option", Uuid)]),
    ("polls/plan", &[("poll", Uuid)]), // + EVENT_FIELDS
    (
        "clubs/reminders/save",
        &[
            ("club", Uuid),
            ("minutes[]", Optional),
            ("remind_unanswered", Optional),
        ],
    ),
    ("notifications/list", &[]),
    ("notifications/unread", &[]),
    ("notifications/read", &[("id", Int)]),
    ("notifications/read-all", &[]),
    ("notifications/preferences", &[]),
    (
        "notifications/preferences/save",
        &[("email[]", Optional), ("in_app[]", Optional)],
    ),
    ("notifications/unsubscribe/check", &[("token", Text)]),
    ("notifications/unsubscribe", &[("token", Text)]),
    ("invites/status", &[("token", Text)]),
    ("invites/accept", &[("token", Text)]),
    ("events/view", &[("id", Uuid)]),
    ("events/of-club", &[("club", Uuid)]),
    ("events/new-form", &[("club", Uuid)]),
    ("events/edit-form", &[("id", Uuid)]),
    ("events/create", &[("club", Uuid)]), // + EVENT_FIELDS
    ("events/update", &[("id", Uuid)]),   // + EVENT_FIELDS
    ("events/cancel", &[("id", Uuid), ("cancel", Bool)]),
    ("events/delete", &[("id", Uuid)]),
    (
        "events/rsvp",
        &[("event", Uuid), ("status", Text), ("note", Text)],
    ),
    ("events/items/add", &[("event", Uuid)]), // + ITEM_FIELDS
    ("events/items/edit", &[("item", Uuid)]), // + ITEM_FIELDS
    ("events/items/delete", &[("item", Uuid)]),
    ("events/items/status", &[("item", Uuid), ("status", Text)]),
    ("events/mine", &[]),
    ("events/my-tasks", &[]),
    ("calendar/settings", &[]),
    ("calendar/time-zone", &[("time_zone", Text)]),
    ("calendar/reset", &[]),
    ("calendar/revoke", &[]),
    ("forms/remembered", &[("form", Text)]),
    ("community_stats", &[]),
    ("home/mine", &[]),
    ("me/profile", &[]),
    (
        "me/update",
        &[("name", Text), ("phone", Text), ("avatar", Text)],
    ),
    (
        "me/password",
        &[("current_password", Text), ("new_password", Text)],
    ),
    ("me/sessions", &[]),
    ("me/sessions/end", &[("id", Uuid)]),
    ("me/sessions/end-others", &[]),
];

const CLUB_FIELDS: &[(&str, Arg)] = &[
    ("name", Text),
    ("description", Text),
    ("is_public", Optional),
    ("max_members", Text),
    ("meeting_frequency", Text),
    ("location", Text),
    ("tags", Text),
    ("time_zone", Optional),
];
const EVENT_FIELDS: &[(&str, Arg)] = &[
    ("title", Text),
    ("description", Text),
    ("date", Text),
    ("time", Text),
    ("time_zone", Text),
    ("location", Text),
    ("book", Text),
    ("book_id", Optional),
    ("kind", Text),
    ("max_attendees", Text),
    ("is_public", Optional),
];
const BOOK_FIELDS: &[(&str, Arg)] = &[
    ("title", Text),
    ("authors", Text),
    ("isbn", Text),
    ("cover_url", Text),
    ("pages", Text),
    ("description", Text),
];
const ITEM_FIELDS: &[(&str, Arg)] = &[
    ("name", Text),
    ("category", Text),
    ("assignee", Text),
    ("notes", Text),
];

/// A function's full argument list.
fn arguments(path: &str, own: &[(&'static str, Arg)]) -> Vec<(&'static str, Arg)> {
    let extra: &[(&str, Arg)] = match path {
        "clubs/update" => CLUB_FIELDS,
        "events/create" | "events/update" | "polls/plan" => EVENT_FIELDS,
        "events/items/add" | "events/items/edit" => ITEM_FIELDS,
        "books/suggest" | "books/edit" => BOOK_FIELDS,
        _ => &[],
    };
    own.iter().chain(extra).copied().collect()
}

/// Real rows, so that most requests get past "not found" to the code that
/// reads their other fields.
struct Ids {
    club: Uuid,
    event: Uuid,
    item: Uuid,
    book: Uuid,
    poll: Uuid,
    member: Uuid,
}

/// A plausible value for an argument: real ids, sensible text. Bad input is
/// then one field at a time on top of this. Passwords are wrong ones, so
/// nothing here changes who is signed in.
fn good(path: &str, name: &str, arg: Arg, ids: &Ids) -> String {
    match (arg, name) {
        (Uuid, "club") => ids.club.to_string(),
        (Uuid, "event") => ids.event.to_string(),
        (Uuid, "item") => ids.item.to_string(),
        (Uuid, "book") => ids.book.to_string(),
        (Uuid, "poll") => ids.poll.to_string(),
        (Uuid, "id") if path.starts_with("polls/") => ids.poll.to_string(),
        (Uuid, "id") if path.starts_with("events/") => ids.event.to_string(),
        (Uuid, "id") => ids.club.to_string(),
        (Uuid, _) => ids.member.to_string(),
        (Int, _) => "1".into(),
        (Bool, _) => "false".into(),
        (_, "email") => "someone@example.com".into(),
        // Soon enough for a poll's closing date (at most a year ahead).
        (_, "date") => crate::common::in_days(30),
        (_, "time") => "19:00".into(),
        (_, "time_zone") => "Europe/London".into(),
        (_, "kind") => "social".into(),
        (_, "category") => "task".into(),
        (_, "status") => "maybe".into(),
        (_, "role") => "member".into(),
        (_, n) if n.contains("password") => "not the right password".into(),
        _ => "x".into(),
    }
}

/// What a person may not see in any answer.
fn leaks(body: &str) -> Option<&'static str> {
    [
        "panicked",
        "stack backtrace",
        "RUST_BACKTRACE",
        "src/",
        "sqlx",
        "PgDatabaseError",
        "SELECT ",
        "INSERT ",
        "UPDATE ",
        "syntax error",
        "violates",
    ]
    .into_iter()
    .find(|needle| body.contains(needle))
}

enum Body {
    Form(Vec<(String, String)>),
    Raw(Vec<u8>),
}

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    body: Body,
    html: bool,
) -> (u16, String) {
    let mut request = client
        .post(app.url(&format!("/api/{path}")))
        .header("referer", app.url("/"));
    if html {
        request = request.header("accept", "text/html");
    }
    let request = match body {
        Body::Form(fields) => request.form(&fields),
        Body::Raw(bytes) => request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(bytes),
    };
    let response = request.send().await.expect("request failed");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// Every bad version of a call to `path`, each with a name for the report.
fn bad_calls(path: &str, args: &[(&'static str, Arg)], ids: &Ids) -> Vec<(String, Body, bool)> {
    let good_form = |replace: Option<(&str, String)>, drop: Option<&str>| -> Body {
        Body::Form(
            args.iter()
                .filter(|(name, _)| Some(*name) != drop)
                .map(|(name, arg)| {
                    let value = match &replace {
                        Some((n, v)) if n == name => v.clone(),
                        _ => good(path, name, *arg, ids),
                    };
                    (name.to_string(), value)
                })
                .collect(),
        )
    };
    let mut calls = vec![
        ("nothing at all".to_owned(), Body::Raw(Vec::new()), false),
        (
            "bytes ff fe 00".to_owned(),
            Body::Raw(vec![0xff, 0xfe, 0x00]),
            false,
        ),
        (
            "percent-encoded bytes that are not UTF-8".to_owned(),
            Body::Raw(b"name=%FF%FE%00&id=%C3%28".to_vec()),
            false,
        ),
        (
            "bytes ff fe 00 from a browser form".to_owned(),
            Body::Raw(vec![0xff, 0xfe, 0x00]),
            true,
        ),
    ];
    let big = "a".repeat(1024 * 1024);
    for (name, arg) in args {
        calls.push((
            format!("{name} missing"),
            good_form(None, Some(name)),
            false,
        ));
        match arg {
            Uuid => {
                calls.push((
                    format!("{name} not an id"),
                    good_form(Some((name, "not-a-uuid".into())), None),
                    false,
                ));
                calls.push((
                    format!("{name} an id that does not exist"),
                    good_form(Some((name, uuid::Uuid::new_v4().to_string())), None),
                    false,
                ));
            }
            Int => calls.push((
                format!("{name} not a number"),
                good_form(Some((name, "twelve".into())), None),
                false,
            )),
            Bool => calls.push((
                format!("{name} not yes or no"),
                good_form(Some((name, "perhaps".into())), None),
                false,
            )),
            Text | Optional => {
                calls.push((
                    format!("{name} with a NUL byte"),
                    good_form(Some((name, "a\0b".into())), None),
                    false,
                ));
                calls.push((
                    format!("{name} with a NUL byte, from a browser form"),
                    good_form(Some((name, "a\0b".into())), None),
                    true,
                ));
                calls.push((
                    format!("{name} 1 MB long"),
                    good_form(Some((name, big.clone())), None),
                    false,
                ));
                calls.push((
                    format!("{name} an unknown value"),
                    good_form(Some((name, "zzz-no-such-value".into())), None),
                    false,
                ));
            }
        }
    }
    calls
}

#[test]
fn the_table_names_every_server_function() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let listed: BTreeSet<String> = TABLE.iter().map(|(p, _)| p.to_string()).collect();
    let missing: Vec<_> = registered.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&registered).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "add these server functions to tests/app/bad_input.rs: {missing:?}; remove these: {stale:?}"
    );
}

#[sqlx::test]
async fn no_server_function_answers_bad_input_with_5xx_or_internals(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let admin = sign_up(&app, "Admin", "admin@example.com").await;
    sqlx::query("UPDATE users SET role = 'admin' WHERE email = 'admin@example.com'")
        .execute(&pool)
        .await
        .unwrap();
    sign_up(&app, "Member", "member@example.com").await;
    let member: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'member@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let admin_id: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'admin@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let club: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Readers', $1, true) RETURNING id",
    )
    .bind(admin_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin'), ($1, $3, 'member')")
        .bind(club)
        .bind(admin_id)
        .bind(member)
        .execute(&pool)
        .await
        .unwrap();
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location, is_public)
         VALUES ($1, 'Meet', current_date + 30, '19:00', 'Library', true) RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    let item: Uuid = sqlx::query_scalar(
        "INSERT INTO event_items (event_id, name, category) VALUES ($1, 'Snacks', 'task') RETURNING id",
    )
    .bind(event)
    .fetch_one(&pool)
    .await
    .unwrap();
    let book: Uuid =
        sqlx::query_scalar("INSERT INTO books (club_id, title) VALUES ($1, 'Dune') RETURNING id")
            .bind(club)
            .fetch_one(&pool)
            .await
            .unwrap();
    let poll: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, title, closes_at) VALUES ($1, 'Next', now() + interval '3 days') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO poll_options (poll_id, position, book_id) VALUES ($1, 1, $2)")
        .bind(poll)
        .bind(book)
        .execute(&pool)
        .await
        .unwrap();
    let ids = Ids {
        club,
        event,
        item,
        book,
        poll,
        member,
    };

    let anonymous = crate::common::cookie_client();
    let mut failures = BTreeMap::new();
    let mut sent = 0;
    // Signing out last, so the admin stays signed in for everything else.
    let mut order: Vec<_> = TABLE.iter().collect();
    order.sort_by_key(|(path, _)| *path == "auth/logout");
    for (path, own) in order {
        let args = arguments(path, own);
        for (who, client) in [("anonymous", &anonymous), ("site admin", &admin)] {
            for (what, body, html) in bad_calls(path, &args, &ids) {
                // Megabyte bodies go through the same boundary for everyone;
                // only the admin's reach every field's own check.
                if who == "anonymous" && what.ends_with("1 MB long") {
                    continue;
                }
                let (status, text) = send(&app, client, path, body, html).await;
                sent += 1;
                if status >= 500 {
                    failures.insert(
                        format!("{path} as {who}: {what}"),
                        format!("{status}: {text:.300}"),
                    );
                } else if let Some(leak) = leaks(&text) {
                    failures.insert(
                        format!("{path} as {who}: {what}"),
                        format!("{status}, shows {leak:?}: {text:.300}"),
                    );
                }
            }
        }
    }
    assert!(sent > 1000, "only {sent} requests sent");
    assert!(
        failures.is_empty(),
        "{} of {sent} bad requests were answered badly:\n{}",
        failures.len(),
        failures
            .iter()
            .map(|(k, v)| format!("{k} → {v}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    app.stop().await;
}
