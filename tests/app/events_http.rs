//! Events over real HTTP: the events part of AUTHZ.md one request per cell,
//! RSVPs racing for a few places, waitlist promotion order, calendars parsed
//! back, and bad input answered beside the field.
use crate::common::cast::{cast, club, Cast, Who, Who::*, EVERYONE};
use crate::common::{call, sign_up, spawn_app, spawn_app_for_a_crowd, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// An event a week ahead in `club`.
async fn event(pool: &PgPool, club: Uuid, public: bool, max: Option<i32>) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location, is_public, max_attendees)
         VALUES ($1, 'Dune, part one', current_date + 7, '19:00', 'Library', $2, $3) RETURNING id",
    )
    .bind(club)
    .bind(public)
    .bind(max)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn item(pool: &PgPool, event: Uuid, assignee: Option<Uuid>) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO event_items (event_id, name, category, assigned_to) VALUES ($1, 'Snacks', 'task', $2) RETURNING id",
    )
    .bind(event)
    .bind(assignee)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Someone else in the club (a plain member), for "someone else's item".
async fn other_member(pool: &PgPool, club: Uuid) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash) VALUES ('Other', $1, 'x') RETURNING id",
    )
    .bind(format!("other-{}@example.com", Uuid::new_v4()))
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'member')")
        .bind(club)
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    id
}

/// Expected answer per actor, transcribed from AUTHZ.md by hand (not computed
/// from the code's table): 200 allowed, 404 hidden, 403 refused, 401 must
/// sign in. For what a person may *see* on the event ("answers", "items"),
/// 200 means the event came back with it and 403 means without it.
fn expected(action: &str, public: bool) -> [u16; 10] {
    //                                 Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let hidden = [404, 404, 404];
    let row: [u16; 10] = match action {
        "view" | "page" | "ics" => [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        "answers" | "items" => [403, 403, 403, 200, 200, 200, 200, 200, 200, 200],
        "rsvp" => [401, 403, 403, 200, 200, 200, 200, 200, 403, 403],
        "create" | "edit" | "item-add" | "item-edit" => {
            [401, 403, 403, 403, 403, 200, 200, 200, 403, 200]
        }
        "cancel" | "delete" | "item-delete" => [401, 403, 403, 403, 403, 200, 200, 200, 200, 200],
        // An item assigned to the actor themself (nobody's, for non-members).
        "status-own" => [401, 403, 403, 200, 200, 200, 200, 200, 403, 200],
        "status-other" => [401, 403, 403, 403, 403, 200, 200, 200, 403, 200],
        _ => unreachable!("{action}"),
    };
    if public {
        row
    } else {
        let mut row = row;
        row[..3].copy_from_slice(&hidden);
        row
    }
}

const ACTIONS: [&str; 15] = [
    "view",
    "page",
    "ics",
    "answers",
    "items",
    "rsvp",
    "create",
    "edit",
    "cancel",
    "delete",
    "item-add",
    "item-edit",
    "item-delete",
    "status-own",
    "status-other",
];

fn event_form<'a>(key: &'static str, id: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        (key, id),
        ("title", "Renamed"),
        ("description", ""),
        ("date", "2099-01-02"),
        ("time", "19:00"),
        ("time_zone", "Europe/London"),
        ("location", "Library"),
        ("book", ""),
        ("kind", "discussion"),
        ("max_attendees", ""),
        ("is_public", "on"),
    ]
}

fn owned(v: Vec<(&'static str, &str)>) -> Vec<(&'static str, String)> {
    v.into_iter().map(|(k, v)| (k, v.to_owned())).collect()
}

/// One cell's club: the cast's, with an event, CMod's "maybe", an item
/// assigned to the actor (nobody's for those not in the club) and one
/// assigned to another member, "Other".
struct Scene {
    club: Uuid,
    event: Uuid,
    own_item: Uuid,
    other_item: Uuid,
    other: Uuid,
}

async fn scene(pool: &PgPool, cast: &Cast, who: Who, public: bool) -> Scene {
    let club = club(pool, cast, public).await;
    let event = event(pool, club, public, None).await;
    sqlx::query("INSERT INTO availability (event_id, user_id, status) VALUES ($1, $2, 'maybe')")
        .bind(event)
        .bind(cast.ids[&CMod])
        .execute(pool)
        .await
        .unwrap();
    let member = cast
        .ids
        .get(&who)
        .copied()
        .filter(|_| matches!(who, CGuest | Mem | CMod | CAdm | Owner));
    let own_item = item(pool, event, member).await;
    let other = other_member(pool, club).await;
    let other_item = item(pool, event, Some(other)).await;
    Scene {
        club,
        event,
        own_item,
        other_item,
        other,
    }
}

/// What the database holds about a club's events, read with the test's
/// owner pool, by titles and people's names.
#[derive(Debug, Clone, Default, PartialEq)]
struct EventsState {
    /// (title, date, public, cancelled), sorted.
    events: Vec<(String, String, bool, bool)>,
    /// (name, status, assignee), sorted.
    items: Vec<(String, String, Option<String>)>,
    /// (person, answer), sorted.
    answers: Vec<(String, String)>,
}

async fn events_state(pool: &PgPool, club: Uuid) -> EventsState {
    let events = sqlx::query_as(
        "SELECT title, event_date::text, is_public, cancelled_at IS NOT NULL
           FROM events WHERE club_id = $1",
    )
    .bind(club)
    .fetch_all(pool)
    .await
    .unwrap();
    let items = sqlx::query_as(
        "SELECT i.name, i.status::text, u.name
           FROM event_items i JOIN events e ON e.id = i.event_id LEFT JOIN users u ON u.id = i.assigned_to
          WHERE e.club_id = $1",
    )
    .bind(club)
    .fetch_all(pool)
    .await
    .unwrap();
    let answers = sqlx::query_as(
        "SELECT u.name, a.status::text
           FROM availability a JOIN events e ON e.id = a.event_id JOIN users u ON u.id = a.user_id
          WHERE e.club_id = $1",
    )
    .bind(club)
    .fetch_all(pool)
    .await
    .unwrap();
    // Sorted here, as `intended` sorts (SQL puts NULL last, Rust first).
    let mut state = EventsState {
        events,
        items,
        answers,
    };
    state.events.sort();
    state.items.sort();
    state.answers.sort();
    state
}

/// What an allowed action is meant to do, worked out by hand from `before`
/// (the forms above ask for these values): the change asked for, nothing
/// else.
fn intended(action: &str, who: Who, before: &EventsState) -> EventsState {
    let mut after = before.clone();
    let other = Some("Other".to_owned());
    let item_of = |state: &mut EventsState, others: bool| -> usize {
        state
            .items
            .iter()
            .position(|(_, _, assignee)| (*assignee == other) == others)
            .expect("the scene's items")
    };
    match action {
        "view" | "page" | "ics" | "answers" | "items" => {}
        // One answer per person: CMod's "maybe" becomes "available".
        "rsvp" => {
            let me = format!("{who:?}");
            after.answers.retain(|(name, _)| *name != me);
            after.answers.push((me, "available".into()));
        }
        // The organiser is counted as going: one of the club's people.
        "create" => {
            after
                .events
                .push(("Renamed".into(), "2099-01-02".into(), true, false));
            if matches!(who, CMod | CAdm | Owner) {
                after.answers.push((format!("{who:?}"), "available".into()));
            }
        }
        "edit" => {
            let event = &mut after.events[0];
            (event.0, event.1, event.2) = ("Renamed".into(), "2099-01-02".into(), true);
        }
        "cancel" => after.events[0].3 = true,
        // With its items and answers.
        "delete" => after = EventsState::default(),
        "item-add" => after
            .items
            .push(("Chairs".into(), "pending".into(), other.clone())),
        "item-edit" => {
            let i = item_of(&mut after, true);
            after.items[i].0 = "Snacks and tea".into();
        }
        "item-delete" => {
            let i = item_of(&mut after, true);
            after.items.remove(i);
        }
        "status-own" => {
            let i = item_of(&mut after, false);
            after.items[i].1 = "in_progress".into();
        }
        "status-other" => {
            let i = item_of(&mut after, true);
            after.items[i].1 = "completed".into();
        }
        _ => unreachable!("{action}"),
    }
    after.items.sort();
    after.answers.sort();
    after.events.sort();
    after
}

/// What a read showed against what the spec lets this actor see: the
/// event (its title), who answered (CMod, "maybe") and its items when
/// `allowed`, and none of it otherwise. `None` when right.
fn read_problem(action: &str, who: Who, allowed: bool, body: &str) -> Option<String> {
    let shows = |part: &str| body.contains(part);
    let page = || serde_json::from_str::<Value>(body).unwrap_or(Value::Null);
    match action {
        "view" | "page" if allowed => {
            (!shows("Dune, part one")).then(|| format!("the title is missing: {body}"))
        }
        "ics" if allowed => {
            (!shows("SUMMARY:Dune\\, part one")).then(|| format!("no SUMMARY: {body}"))
        }
        "view" | "page" | "ics" => shows("Dune").then(|| format!("the event was shown: {body}")),
        "answers" if allowed => {
            let answers: Vec<(Value, Value)> = page()["answers"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| (a["name"].clone(), a["status"].clone()))
                .collect();
            let want = vec![(Value::from("CMod"), Value::from("maybe"))];
            (answers != want).then(|| format!("answers {answers:?}, expected {want:?}"))
        }
        "answers" => shows("\"CMod\"").then(|| format!("an answer was shown: {body}")),
        "items" if allowed => {
            let mut items: Vec<(Value, Value)> = page()["items"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| (i["name"].clone(), i["assignee"].clone()))
                .collect();
            items.sort_by_key(|i| i.1.to_string());
            let own = if matches!(who, CGuest | Mem | CMod | CAdm | Owner) {
                Value::from(format!("{who:?}"))
            } else {
                Value::Null
            };
            let mut want = vec![
                (Value::from("Snacks"), own),
                (Value::from("Snacks"), Value::from("Other")),
            ];
            want.sort_by_key(|i| i.1.to_string());
            (items != want).then(|| format!("items {items:?}, expected {want:?}"))
        }
        "items" => shows("Snacks").then(|| format!("an item was shown: {body}")),
        _ => None,
    }
}

/// Sends the cell's request; returns the status and the body. For "answers"
/// and "items" (shown on the event, not a request of their own) 200 means
/// the event came back with them and 403 without them.
async fn attempt(app: &TestApp, cast: &Cast, who: Who, action: &str, s: &Scene) -> (u16, String) {
    let client = &cast.clients[&who];
    let (club_s, event_s) = (s.club.to_string(), s.event.to_string());
    let (own_s, other_s, other_id) = (
        s.own_item.to_string(),
        s.other_item.to_string(),
        s.other.to_string(),
    );
    let answer = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        (status, r.text().await.unwrap())
    };
    let post = |path: &'static str, form: Vec<(&'static str, String)>| async move {
        answer(client.post(app.url(path)).form(&form).send().await.unwrap()).await
    };
    let get = |path: String| async move {
        answer(client.get(app.url(&path)).send().await.unwrap()).await
    };
    let event = s.event;
    match action {
        "view" => post("/api/events/view", owned(vec![("id", &event_s)])).await,
        "page" => get(format!("/events/{event}")).await,
        "ics" => get(format!("/events/{event}/calendar.ics")).await,
        "answers" | "items" => {
            let (status, body) = post("/api/events/view", owned(vec![("id", &event_s)])).await;
            if status != 200 {
                return (status, body);
            }
            let page: Value = serde_json::from_str(&body).unwrap();
            let shown = page[action].as_array().is_some_and(|l| !l.is_empty());
            (if shown { 200 } else { 403 }, body)
        }
        "rsvp" => {
            post(
                "/api/events/rsvp",
                owned(vec![
                    ("event", &event_s),
                    ("status", "available"),
                    ("note", ""),
                ]),
            )
            .await
        }
        "create" => post("/api/events/create", owned(event_form("club", &club_s))).await,
        "edit" => post("/api/events/update", owned(event_form("id", &event_s))).await,
        "cancel" => {
            post(
                "/api/events/cancel",
                owned(vec![("id", &event_s), ("cancel", "true")]),
            )
            .await
        }
        "delete" => post("/api/events/delete", owned(vec![("id", &event_s)])).await,
        "item-add" => {
            post(
                "/api/events/items/add",
                owned(vec![
                    ("event", &event_s),
                    ("name", "Chairs"),
                    ("category", "task"),
                    ("assignee", &other_id),
                    ("notes", ""),
                ]),
            )
            .await
        }
        "item-edit" => {
            post(
                "/api/events/items/edit",
                owned(vec![
                    ("item", &other_s),
                    ("name", "Snacks and tea"),
                    ("category", "task"),
                    ("assignee", &other_id),
                    ("notes", ""),
                ]),
            )
            .await
        }
        "item-delete" => post("/api/events/items/delete", owned(vec![("item", &other_s)])).await,
        "status-own" => {
            post(
                "/api/events/items/status",
                owned(vec![("item", &own_s), ("status", "in_progress")]),
            )
            .await
        }
        "status-other" => {
            post(
                "/api/events/items/status",
                owned(vec![("item", &other_s), ("status", "completed")]),
            )
            .await
        }
        _ => unreachable!(),
    }
}

#[sqlx::test]
async fn every_cell_of_the_event_authorization_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let mut failures = Vec::new();
    for action in ACTIONS {
        for public in [true, false] {
            for (who, want) in EVERYONE.into_iter().zip(expected(action, public)) {
                // A fresh club and event per cell: every write changes them.
                let scene = scene(&pool, &cast, who, public).await;
                let before = events_state(&pool, scene.club).await;
                let (got, body) = attempt(&app, &cast, who, action, &scene).await;
                let after = events_state(&pool, scene.club).await;
                let cell = format!(
                    "{action} in a {} event as {who:?}",
                    if public { "public" } else { "private" }
                );
                if got != want {
                    failures.push(format!("{cell}: expected {want}, got {got}"));
                }
                // The spec's word on the cell, not the answer's.
                let allowed = want == 200;
                let meant = if allowed {
                    intended(action, who, &before)
                } else {
                    before.clone()
                };
                if after != meant {
                    failures.push(format!(
                        "{cell}: {}\n  expected {meant:?}\n  found    {after:?}",
                        if allowed {
                            "not done as asked"
                        } else {
                            "changed the event"
                        }
                    ));
                }
                if let Some(problem) = read_problem(action, who, allowed, &body) {
                    failures.push(format!("{cell}: {problem}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

#[sqlx::test]
async fn a_private_event_of_a_public_club_is_hidden_from_outsiders(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let private = event(&pool, club, false, None).await;
    let public = event(&pool, club, true, None).await;
    for (who, sees_private) in [(Anon, false), (Out, false), (CGuest, true), (SMod, true)] {
        let c = &cast.clients[&who];
        let page = c
            .get(app.url(&format!("/events/{private}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status() == 200, sees_private, "{who:?}");
        let list: Value = c
            .post(app.url("/api/events/of-club"))
            .form(&[("club", club.to_string())])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ids: Vec<&str> = list["upcoming"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&public.to_string().as_str()), "{who:?}");
        assert_eq!(
            ids.contains(&private.to_string().as_str()),
            sees_private,
            "{who:?}"
        );
    }
    app.stop().await;
}

/// RSVP counts are part of seeing a public event, for everyone (AUTHZ.md);
/// who answered is for the club's people and site staff. Row security hides
/// the answers themselves from outsiders, so this checks that the counts
/// still reach them, and that the list does not.
#[sqlx::test]
async fn everyone_who_sees_a_public_event_sees_its_counts(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let event = event(&pool, club, true, Some(2)).await;
    for (who, status, waitlisted) in [
        (Owner, "available", false),
        (CAdm, "available", false),
        (CMod, "available", true),
        (Mem, "maybe", false),
        (CGuest, "unavailable", false),
    ] {
        sqlx::query(
            "INSERT INTO availability (event_id, user_id, status, waitlisted) VALUES ($1, $2, $3, $4)",
        )
        .bind(event)
        .bind(cast.ids[&who])
        .bind(status)
        .bind(waitlisted)
        .execute(&pool)
        .await
        .unwrap();
    }
    for who in EVERYONE {
        let (status, page) = call(
            &app,
            &cast.clients[&who],
            "/api/events/view",
            &[("id", &event.to_string())],
        )
        .await;
        assert_eq!(status, 200, "{who:?}");
        assert_eq!(
            page["counts"],
            serde_json::json!({"available": 2, "waitlisted": 1, "maybe": 1, "unavailable": 1}),
            "{who:?}"
        );
        let sees_who = !matches!(who, Anon | SGuest | Out);
        assert_eq!(
            page["answers"].as_array().unwrap().len(),
            if sees_who { 5 } else { 0 },
            "{who:?}"
        );
    }
    app.stop().await;
}

/// Signs up `n` people through the real endpoint and makes them members.
async fn members(
    app: &TestApp,
    pool: &PgPool,
    club: Uuid,
    n: usize,
) -> Vec<(Uuid, reqwest::Client)> {
    let mut people = Vec::new();
    for i in 0..n {
        let email = format!("reader{i}-{}@example.com", Uuid::new_v4().simple());
        let c = sign_up(app, &format!("Reader {i:02}"), &email).await;
        let id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_one(pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'member')")
            .bind(club)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
        people.push((id, c));
    }
    sqlx::query("DELETE FROM auth_attempts")
        .execute(pool)
        .await
        .unwrap();
    people
}

async fn owner_club(pool: &PgPool) -> Uuid {
    let owner: Uuid = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash) VALUES ('Owner', 'owner@example.com', 'x') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Readers', $1, true) RETURNING id",
    )
    .bind(owner)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn rsvp(app: &TestApp, c: &reqwest::Client, event: Uuid, status: &str) -> u16 {
    call(
        app,
        c,
        "/api/events/rsvp",
        &[
            ("event", &event.to_string()),
            ("status", status),
            ("note", ""),
        ],
    )
    .await
    .0
}

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

#[sqlx::test]
async fn forty_simultaneous_answers_for_five_places_give_five_confirmed_in_arrival_order(
    pool: PgPool,
) {
    let app = spawn_app_for_a_crowd(pool.clone()).await;
    let club = owner_club(&pool).await;
    let people = members(&app, &pool, club, 40).await;
    let event = event(&pool, club, true, Some(5)).await;
    let mut answers = tokio::task::JoinSet::new();
    for (_, c) in &people {
        let request = c.post(app.url("/api/events/rsvp")).form(&[
            ("event", event.to_string()),
            ("status", "available".into()),
            ("note", String::new()),
        ]);
        answers.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = answers.join_all().await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let queue = queue(&pool, event).await;
    assert_eq!(queue.len(), 40);
    // The first five accepted hold the places; everyone after them waits.
    let flags: Vec<bool> = queue.iter().map(|(_, w)| *w).collect();
    assert_eq!(flags, [vec![false; 5], vec![true; 35]].concat());
    // Each waiting person sees their own place, 1 to 35, in arrival order.
    for (place, (user, _)) in queue.iter().skip(5).enumerate() {
        let c = &people.iter().find(|(id, _)| id == user).unwrap().1;
        let (_, page) = call(&app, c, "/api/events/view", &[("id", &event.to_string())]).await;
        assert_eq!(page["my_rsvp"]["waitlist_position"], place as i64 + 1);
    }
    let (_, page) = call(
        &app,
        &people[0].1,
        "/api/events/view",
        &[("id", &event.to_string())],
    )
    .await;
    assert_eq!(page["counts"]["available"], 5);
    assert_eq!(page["counts"]["waitlisted"], 35);
    app.stop().await;
}

/// A note changes without the event's lock (it moves nobody), so it races
/// with the answers that do move people. Five places, eight coming: while
/// two with places drop out, the three who keep theirs and the first two
/// waiting (promoted meanwhile) keep changing their notes. Nobody loses a
/// place or a turn to a note, the two drop-outs' places go to the first two
/// waiting, in order, and every note is the last one its writer sent.
#[sqlx::test]
async fn notes_changing_while_places_move_keep_every_place_and_turn(pool: PgPool) {
    let app = spawn_app_for_a_crowd(pool.clone()).await;
    let club = owner_club(&pool).await;
    let p = members(&app, &pool, club, 8).await;
    let event = event(&pool, club, true, Some(5)).await;
    for (_, c) in &p {
        assert_eq!(rsvp(&app, c, event, "available").await, 200);
    }
    let answer = |i: usize, status: &'static str, note: String| {
        let request = p[i].1.post(app.url("/api/events/rsvp")).form(&[
            ("event", event.to_string()),
            ("status", status.to_owned()),
            ("note", note),
        ]);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let mut racing = tokio::task::JoinSet::new();
    for i in [3, 4] {
        racing.spawn(answer(i, "unavailable", String::new()));
    }
    for i in [0, 1, 2, 5, 6] {
        let sends: Vec<_> = (0..6)
            .map(|k| answer(i, "available", format!("note {i}.{k}")))
            .collect();
        racing.spawn(async move {
            for send in sends {
                let status = send.await;
                if status != 200 {
                    return status;
                }
            }
            200
        });
    }
    let statuses = racing.join_all().await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let id = |i: usize| p[i].0;
    assert_eq!(
        queue(&pool, event).await,
        [
            (id(0), false),
            (id(1), false),
            (id(2), false),
            (id(5), false),
            (id(6), false),
            (id(7), true)
        ]
    );
    for i in [0, 1, 2, 5, 6] {
        let note: Option<String> = sqlx::query_scalar(
            "SELECT notes FROM availability WHERE event_id = $1 AND user_id = $2",
        )
        .bind(event)
        .bind(id(i))
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(note.as_deref(), Some(format!("note {i}.5").as_str()));
    }
    app.stop().await;
}

#[sqlx::test]
async fn the_first_on_the_waitlist_is_promoted_when_a_place_frees(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let club = owner_club(&pool).await;
    let p = members(&app, &pool, club, 5).await;
    let event = event(&pool, club, true, Some(2)).await;
    let id = |i: usize| p[i].0;
    for (_, c) in &p[..4] {
        assert_eq!(rsvp(&app, c, event, "available").await, 200);
    }
    assert_eq!(
        queue(&pool, event).await,
        [(id(0), false), (id(1), false), (id(2), true), (id(3), true)]
    );

    // Saying "available" again (a new note) keeps the place: no re-queueing.
    call(
        &app,
        &p[0].1,
        "/api/events/rsvp",
        &[
            ("event", &event.to_string()),
            ("status", "available"),
            ("note", "bringing tea"),
        ],
    )
    .await;
    assert_eq!(queue(&pool, event).await[0], (id(0), false));

    // A confirmed person drops out: the first waiting takes the place.
    assert_eq!(rsvp(&app, &p[1].1, event, "unavailable").await, 200);
    assert_eq!(
        queue(&pool, event).await,
        [(id(0), false), (id(2), false), (id(3), true)]
    );

    // A waiting person drops out: nobody moves up, the queue closes the gap.
    assert_eq!(rsvp(&app, &p[4].1, event, "available").await, 200);
    assert_eq!(rsvp(&app, &p[3].1, event, "maybe").await, 200);
    assert_eq!(
        queue(&pool, event).await,
        [(id(0), false), (id(2), false), (id(4), true)]
    );
    let (_, page) = call(
        &app,
        &p[4].1,
        "/api/events/view",
        &[("id", &event.to_string())],
    )
    .await;
    assert_eq!(page["my_rsvp"]["waitlist_position"], 1);

    // Coming back means the back of the queue.
    assert_eq!(rsvp(&app, &p[1].1, event, "available").await, 200);
    assert_eq!(
        queue(&pool, event).await,
        [(id(0), false), (id(2), false), (id(4), true), (id(1), true)]
    );

    // Leaving the club gives the place up too.
    assert_eq!(
        call(
            &app,
            &p[0].1,
            "/api/clubs/leave",
            &[("id", &club.to_string())]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        queue(&pool, event).await,
        [(id(2), false), (id(4), false), (id(1), true)]
    );

    // More places: the waitlist moves up at once.
    sqlx::query("UPDATE club_members SET role = 'moderator' WHERE user_id = $1")
        .bind(id(2))
        .execute(&pool)
        .await
        .unwrap();
    let event_s = event.to_string();
    let mut form = event_form("id", &event_s);
    form.retain(|(k, _)| *k != "max_attendees");
    form.push(("max_attendees", "3"));
    assert_eq!(
        call(&app, &p[2].1, "/api/events/update", &form).await.0,
        200
    );
    assert_eq!(
        queue(&pool, event).await,
        [(id(2), false), (id(4), false), (id(1), false)]
    );
    app.stop().await;
}

/// Unfolds an .ics body into (name with parameters, raw value) lines.
fn ics_lines(body: &str) -> Vec<(String, String)> {
    assert!(
        !body.replace("\r\n", "").contains('\n'),
        "lines end in CRLF"
    );
    body.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (k, v) = l.split_once(':').expect("a property line");
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn values(lines: &[(String, String)], key: &str) -> Vec<String> {
    lines
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| unescape(v))
        .collect()
}

#[sqlx::test]
async fn calendar_files_carry_the_right_instants_and_escape_text(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let owner = &cast.clients[&Owner];
    // Summer and winter in New York: UTC-4, then UTC-5.
    for (date, title) in [
        ("2030-07-04", "Dune, part one; the desert"),
        ("2030-01-15", "Winter reading"),
    ] {
        let club_s = club.to_string();
        let mut form = event_form("club", &club_s);
        form.retain(|(k, _)| {
            !matches!(*k, "title" | "date" | "time_zone" | "description" | "time")
        });
        form.extend([
            ("title", title),
            ("date", date),
            ("time", "19:30"),
            ("time_zone", "America/New_York"),
            ("description", "Bring notes,\nand snacks"),
        ]);
        let (status, body) = call(&app, owner, "/api/events/create", &form).await;
        assert_eq!(status, 200, "{body}");
    }
    let summer: Uuid = sqlx::query_scalar("SELECT id FROM events WHERE event_date = '2030-07-04'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let r = app
        .client
        .get(app.url(&format!("/events/{summer}/calendar.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let lines = ics_lines(&r.text().await.unwrap());
    assert_eq!(
        lines.first().unwrap(),
        &("BEGIN".to_owned(), "VCALENDAR".to_owned())
    );
    assert_eq!(values(&lines, "DTSTART"), ["20300704T233000Z"]);
    assert_eq!(values(&lines, "DTEND"), ["20300705T013000Z"]);
    assert_eq!(values(&lines, "SUMMARY"), ["Dune, part one; the desert"]);
    assert_eq!(values(&lines, "DESCRIPTION"), ["Bring notes,\nand snacks"]);
    let raw_summary = &lines.iter().find(|(k, _)| k == "SUMMARY").unwrap().1;
    assert_eq!(raw_summary, "Dune\\, part one\\; the desert");

    // The private feed: every event of my clubs, winter one at UTC-5.
    let (status, link) = call(&app, &cast.clients[&Mem], "/api/calendar/reset", &[]).await;
    assert_eq!(status, 200);
    let link = link.as_str().unwrap().to_owned();
    let path = link.split_once("://").unwrap().1.split_once('/').unwrap().1;
    let feed = app
        .client
        .get(app.url(&format!("/{path}")))
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), 200);
    let lines = ics_lines(&feed.text().await.unwrap());
    let mut starts = values(&lines, "DTSTART");
    starts.sort();
    assert_eq!(starts, ["20300116T003000Z", "20300704T233000Z"]);
    app.stop().await;
}

#[sqlx::test]
async fn hostile_text_stays_inside_its_calendar_property(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let event = event(&pool, club, true, None).await;
    // Written straight into the rows: the forms refuse line breaks in a
    // title, but a file must hold whatever the database holds.
    let title = "Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected; a, b \\ c";
    let location = "Room 1;2,3\nATTENDEE:mailto:x@evil.example\r";
    let description = "Line one\r\nURL:https://evil.example/\n\nLine three";
    sqlx::query("UPDATE events SET title = $2, location = $3, description = $4 WHERE id = $1")
        .bind(event)
        .bind(title)
        .bind(location)
        .bind(description)
        .execute(&pool)
        .await
        .unwrap();
    let r = app
        .client
        .get(app.url(&format!("/events/{event}/calendar.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"event.ics\"",
        "the file name is ours, never the title"
    );
    let lines = ics_lines(&r.text().await.unwrap());
    let names: Vec<&str> = lines.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names.iter().filter(|k| **k == "BEGIN").count(),
        2,
        "{names:?}"
    );
    assert!(!names.contains(&"ATTENDEE"), "{lines:?}");
    assert!(
        values(&lines, "URL").iter().all(|u| !u.contains("evil")),
        "{lines:?}"
    );
    // Each text reads back as written (a line break as one \n).
    let unbroken = |s: &str| s.replace("\r\n", "\n").replace('\r', "\n");
    assert_eq!(values(&lines, "SUMMARY"), [unbroken(title)]);
    assert_eq!(values(&lines, "LOCATION"), [unbroken(location)]);
    assert_eq!(values(&lines, "DESCRIPTION"), [unbroken(description)]);
    app.stop().await;
}

#[sqlx::test]
async fn a_feed_shows_only_what_its_owner_may_see_now_and_can_be_revoked(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    event(&pool, club, false, None).await;
    event(&pool, club, true, None).await;
    let mem = &cast.clients[&Mem];
    let feed_path = |link: Value| {
        let link = link.as_str().unwrap().to_owned();
        format!(
            "/{}",
            link.split_once("://").unwrap().1.split_once('/').unwrap().1
        )
    };
    let count = |body: String| body.matches("BEGIN:VEVENT").count();
    let first = feed_path(call(&app, mem, "/api/calendar/reset", &[]).await.1);
    assert_eq!(count(app.get(&first).await.text().await.unwrap()), 2);
    // Removed from the club: its events leave the feed.
    sqlx::query("UPDATE club_members SET is_active = false WHERE user_id = $1")
        .bind(cast.ids[&Mem])
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(count(app.get(&first).await.text().await.unwrap()), 0);
    // Resetting replaces the link; turning it off ends it.
    let second = feed_path(call(&app, mem, "/api/calendar/reset", &[]).await.1);
    assert_eq!(app.get(&first).await.status(), 404);
    assert_eq!(app.get(&second).await.status(), 200);
    assert_eq!(call(&app, mem, "/api/calendar/revoke", &[]).await.0, 200);
    assert_eq!(app.get(&second).await.status(), 404);
    assert_eq!(
        app.get("/calendar/not-a-token/bookwork.ics").await.status(),
        404
    );
    app.stop().await;
}

#[sqlx::test]
async fn bad_event_input_is_answered_beside_the_field(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let owner = &cast.clients[&Owner];
    let club_s = club.to_string();
    for (field, value, message_part) in [
        ("title", "  ", "title"),
        ("date", "2001-01-01", "already passed"),
        ("max_attendees", "0", "at least 1"),
        ("time_zone", "Mars/Olympus", "Unknown time zone"),
    ] {
        let mut form = event_form("club", &club_s);
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let (status, body) = call(&app, owner, "/api/events/create", &form).await;
        assert_eq!(status, 422, "{field}: {body}");
        assert_eq!(crate::common::invalid_fields(&body), field, "{body}");
        assert!(
            crate::common::invalid_message(&body, field).contains(message_part),
            "{body}"
        );
    }
    // A past event stays editable.
    let past: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location) VALUES ($1, 'Old', '2001-01-01', '19:00', 'Here') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    let past_s = past.to_string();
    let mut form = event_form("id", &past_s);
    form.retain(|(k, _)| *k != "date");
    form.push(("date", "2001-01-01"));
    assert_eq!(call(&app, owner, "/api/events/update", &form).await.0, 200);
    let list: Value = call(&app, owner, "/api/events/of-club", &[("club", &club_s)])
        .await
        .1;
    assert_eq!(list["past"][0]["title"], "Renamed");

    // An assignee who is not a member of the club.
    let upcoming = event(&pool, club, true, None).await;
    let (status, body) = call(
        &app,
        owner,
        "/api/events/items/add",
        &[
            ("event", &upcoming.to_string()),
            ("name", "Chairs"),
            ("category", "task"),
            ("assignee", &cast.ids[&Out].to_string()),
            ("notes", ""),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(crate::common::invalid_fields(&body), "assignee");

    // Without JavaScript the form comes back with what was typed.
    let mut form = event_form("club", &club_s);
    form.retain(|(k, _)| !matches!(*k, "title" | "date"));
    form.extend([
        ("title", "Typed title that must survive"),
        ("date", "2001-01-01"),
    ]);
    let (_, page) = crate::common::plain_form_post(
        &app,
        owner,
        "/api/events/create",
        &format!("/clubs/{club}/events/new"),
        &form,
    )
    .await;
    assert!(page.contains("Typed title that must survive"), "{page}");
    assert!(page.contains("already passed"));
    app.stop().await;
}

#[sqlx::test]
async fn times_are_shown_in_the_viewers_zone(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, time_zone, location, is_public)
         VALUES ($1, 'Talk', '2099-06-01', '19:00', 'Europe/London', 'Here', true) RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    let mem = &cast.clients[&Mem];
    let (_, page) = call(&app, mem, "/api/events/view", &[("id", &event.to_string())]).await;
    assert!(
        page["starts"].as_str().unwrap().ends_with("19:00"),
        "{page}"
    );
    let (status, body) = call(
        &app,
        mem,
        "/api/calendar/time-zone",
        &[("time_zone", "Nowhere/Special")],
    )
    .await;
    assert_eq!(
        (status, crate::common::invalid_fields(&body).as_str()),
        (422, "time_zone")
    );
    assert_eq!(
        call(
            &app,
            mem,
            "/api/calendar/time-zone",
            &[("time_zone", "Europe/Berlin")]
        )
        .await
        .0,
        200
    );
    let (_, page) = call(&app, mem, "/api/events/view", &[("id", &event.to_string())]).await;
    assert!(
        page["starts"].as_str().unwrap().ends_with("20:00"),
        "{page}"
    );
    assert_eq!(page["zone"], "Europe/Berlin");
    assert!(page["local_starts"].as_str().unwrap().contains("19:00"));

    // Every list that shows the meeting's time writes it in the reader's zone
    // too (the club's list, my upcoming meetings, my open tasks), and a
    // visitor, who has no zone, reads the meeting's own.
    item(&pool, event, Some(cast.ids[&Mem])).await;
    let club_id = club.to_string();
    let (_, listed) = call(&app, mem, "/api/events/of-club", &[("club", &club_id)]).await;
    assert_eq!(listed["upcoming"][0]["starts"], page["starts"], "{listed}");
    assert_eq!(listed["upcoming"][0]["zone"], "Europe/Berlin");
    let (_, mine) = call(&app, mem, "/api/events/mine", &[]).await;
    assert_eq!(mine[0]["starts"], page["starts"], "{mine}");
    assert_eq!(mine[0]["zone"], "Europe/Berlin");
    let (_, tasks) = call(&app, mem, "/api/events/my-tasks", &[]).await;
    assert_eq!(tasks[0]["starts"], page["starts"], "{tasks}");
    let (_, home) = call(&app, mem, "/api/home/mine", &[]).await;
    assert_eq!(home["events"][0]["starts"], page["starts"], "{home}");
    assert_eq!(home["tasks"][0]["starts"], page["starts"]);
    let visitor = crate::common::cookie_client();
    let (_, listed) = call(&app, &visitor, "/api/events/of-club", &[("club", &club_id)]).await;
    assert!(
        listed["upcoming"][0]["starts"]
            .as_str()
            .unwrap()
            .ends_with("19:00"),
        "{listed}"
    );
    assert_eq!(listed["upcoming"][0]["zone"], "Europe/London");
    app.stop().await;
}

#[sqlx::test]
async fn home_lists_my_upcoming_events_and_open_tasks(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let soon = event(&pool, club, false, None).await;
    let mem = &cast.clients[&Mem];
    assert_eq!(rsvp(&app, mem, soon, "maybe").await, 200);
    let task = item(&pool, soon, Some(cast.ids[&Mem])).await;
    let done = item(&pool, soon, Some(cast.ids[&Mem])).await;
    sqlx::query("UPDATE event_items SET status = 'completed' WHERE id = $1")
        .bind(done)
        .execute(&pool)
        .await
        .unwrap();
    let (_, events) = call(&app, mem, "/api/events/mine", &[]).await;
    assert_eq!(events[0]["id"], soon.to_string());
    assert_eq!(events[0]["my_rsvp"], "maybe");
    let (_, tasks) = call(&app, mem, "/api/events/my-tasks", &[]).await;
    let ids: Vec<&str> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [task.to_string().as_str()]);
    // Outsiders see none of it.
    let (_, events) = call(&app, &cast.clients[&Out], "/api/events/mine", &[]).await;
    assert_eq!(events.as_array().unwrap().len(), 0);

    // The home page reads the same lists in one answer.
    let (status, home) = call(&app, mem, "/api/home/mine", &[]).await;
    assert_eq!(status, 200, "{home}");
    assert_eq!(home["events"], events_of(&app, mem).await);
    assert_eq!(home["tasks"][0]["id"], task.to_string());
    assert_eq!(home["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(home["clubs"][0]["id"], club.to_string());
    let (_, outsider) = call(&app, &cast.clients[&Out], "/api/home/mine", &[]).await;
    assert_eq!(
        outsider,
        serde_json::json!({"name": "Out", "next_read": null, "clubs": [], "polls": [], "events": [], "tasks": []})
    );
    let html = mem
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"data-testid="my-events""#), "{html}");
    assert!(html.contains(r#"data-testid="my-tasks""#), "{html}");
    app.stop().await;
}

async fn events_of(app: &TestApp, client: &reqwest::Client) -> serde_json::Value {
    call(app, client, "/api/events/mine", &[]).await.1
}

#[sqlx::test]
async fn new_events_start_in_the_clubs_time_zone(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let owner = &cast.clients[&Owner];
    let club_form = |zone: &'static str| {
        vec![
            ("name", "Paris Readers"),
            ("description", ""),
            ("is_public", "on"),
            ("max_members", ""),
            ("meeting_frequency", ""),
            ("location", ""),
            ("tags", ""),
            ("time_zone", zone),
        ]
    };
    let (status, body) = call(
        &app,
        owner,
        "/api/clubs/create",
        &club_form("Paris/Left-Bank"),
    )
    .await;
    assert_eq!(
        (status, crate::common::invalid_fields(&body).as_str()),
        (422, "time_zone")
    );
    assert_eq!(
        call(&app, owner, "/api/clubs/create", &club_form("Europe/Paris"))
            .await
            .0,
        200
    );
    let club: Uuid = sqlx::query_scalar("SELECT id FROM clubs WHERE name = 'Paris Readers'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (_, defaults) = call(
        &app,
        owner,
        "/api/events/new-form",
        &[("club", &club.to_string())],
    )
    .await;
    assert_eq!(defaults["form"]["time_zone"], "Europe/Paris");
    // A plain member may not even see the new-event form.
    sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'member')")
        .bind(club)
        .bind(cast.ids[&Mem])
        .execute(&pool)
        .await
        .unwrap();
    let (status, _) = call(
        &app,
        &cast.clients[&Mem],
        "/api/events/new-form",
        &[("club", &club.to_string())],
    )
    .await;
    assert_eq!(status, 403);
    app.stop().await;
}

#[sqlx::test]
async fn site_staff_who_belong_to_a_club_answer_and_do_their_tasks_like_members(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let event = event(&pool, club, false, None).await;
    for who in [SMod, SAdm] {
        // Not members yet: the table's "–".
        assert_eq!(
            rsvp(&app, &cast.clients[&who], event, "available").await,
            403,
            "{who:?}"
        );
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'member')")
            .bind(club)
            .bind(cast.ids[&who])
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(
            rsvp(&app, &cast.clients[&who], event, "available").await,
            200,
            "{who:?}"
        );
        let task = item(&pool, event, Some(cast.ids[&who])).await;
        let (status, _) = call(
            &app,
            &cast.clients[&who],
            "/api/events/items/status",
            &[("item", &task.to_string()), ("status", "completed")],
        )
        .await;
        assert_eq!(status, 200, "{who:?}");
    }
    // Belonging to the club takes nothing away: a site moderator who is a
    // member still takes an event down (moderation).
    let (status, _) = call(
        &app,
        &cast.clients[&SMod],
        "/api/events/cancel",
        &[("id", &event.to_string()), ("cancel", "true")],
    )
    .await;
    assert_eq!(status, 200);
    app.stop().await;
}

#[sqlx::test]
async fn deactivating_an_account_gives_up_its_places_and_tasks(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let club = owner_club(&pool).await;
    let p = members(&app, &pool, club, 2).await;
    let (leaving, waiting) = (p[0].0, p[1].0);
    let event = event(&pool, club, true, Some(1)).await;
    let past: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location) VALUES ($1, 'Last year', current_date - 365, '19:00', 'Here') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO availability (event_id, user_id, status) VALUES ($1, $2, 'available')",
    )
    .bind(past)
    .bind(leaving)
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(rsvp(&app, &p[0].1, event, "available").await, 200);
    assert_eq!(rsvp(&app, &p[1].1, event, "available").await, 200);
    assert_eq!(
        queue(&pool, event).await,
        [(leaving, false), (waiting, true)]
    );
    let task = item(&pool, event, Some(leaving)).await;

    let admin = sign_up(&app, "Admin", "admin@example.com").await;
    sqlx::query("UPDATE users SET role = 'admin' WHERE email = 'admin@example.com'")
        .execute(&pool)
        .await
        .unwrap();
    let (status, _) = call(
        &app,
        &admin,
        "/api/admin/users/active",
        &[("user_id", &leaving.to_string()), ("active", "false")],
    )
    .await;
    assert_eq!(status, 200);

    assert_eq!(
        queue(&pool, event).await,
        [(waiting, false)],
        "the place went to the first waiting"
    );
    let assignee: Option<Uuid> =
        sqlx::query_scalar("SELECT assigned_to FROM event_items WHERE id = $1")
            .bind(task)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(assignee, None, "the open task is free for someone else");
    assert_eq!(
        queue(&pool, past).await,
        [(leaving, false)],
        "past events keep their history"
    );
    app.stop().await;
}

/// A member answering several events while they are removed from the club:
/// no request fails (an answer and a removal once locked the same rows in
/// opposite orders and could deadlock), and no place survives the removal.
#[sqlx::test]
async fn a_removal_racing_answers_neither_fails_nor_leaves_a_place(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let owner = sign_up(&app, "Owner", "owner@example.com").await;
    let owner_id: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'owner@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    for round in 0..5 {
        let club: Uuid = sqlx::query_scalar(
            "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Readers', $1, true) RETURNING id",
        )
        .bind(owner_id)
        .fetch_one(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin')")
            .bind(club)
            .bind(owner_id)
            .execute(&pool)
            .await
            .unwrap();
        let p = members(&app, &pool, club, 1).await;
        let (member, client) = (p[0].0, p[0].1.clone());
        let mut events = Vec::new();
        for _ in 0..4 {
            events.push(event(&pool, club, true, Some(1)).await);
        }
        let mut racing = tokio::task::JoinSet::new();
        for &e in &events {
            for status in ["available", "maybe", "available"] {
                let (app_url, client) = (app.url("/api/events/rsvp"), client.clone());
                racing.spawn(async move {
                    client
                        .post(app_url)
                        .form(&[
                            ("event", e.to_string().as_str()),
                            ("status", status),
                            ("note", ""),
                        ])
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                });
            }
        }
        let (remove_url, owner) = (app.url("/api/clubs/members/remove"), owner.clone());
        racing.spawn(async move {
            owner
                .post(remove_url)
                .form(&[("club", club.to_string()), ("user", member.to_string())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
        let statuses = racing.join_all().await;
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 403),
            "round {round}: {statuses:?}"
        );
        let left: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM availability a JOIN events e ON e.id = a.event_id WHERE e.club_id = $1 AND a.user_id = $2",
        )
        .bind(club)
        .bind(member)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(left, 0, "round {round}: a removed member kept an answer");
    }
    app.stop().await;
}

/// Without JavaScript, a failed item form comes back with what was typed and
/// every problem beside its field, in the right one of the page's item forms.
#[sqlx::test]
async fn a_failed_plain_item_form_keeps_what_was_typed(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let event = event(&pool, club, true, None).await;
    let existing = item(&pool, event, None).await;
    let owner = &cast.clients[&Owner];
    let from = format!("/events/{event}");
    let post = |path: &'static str, form: Vec<(&'static str, String)>| {
        let (app, from) = (&app, from.clone());
        async move {
            crate::common::plain_form_post(app, owner, path, &from, &form)
                .await
                .1
        }
    };
    let page = post(
        "/api/events/items/add",
        vec![
            ("event", event.to_string()),
            ("name", String::new()),
            ("category", "chore".into()),
            ("assignee", String::new()),
            ("notes", "Bring the good biscuits".into()),
        ],
    )
    .await;
    assert!(page.contains("Bring the good biscuits"), "{page}");
    assert!(page.contains("Give the item a name."));
    assert!(page.contains("Choose a category."), "every problem at once");

    let page = post(
        "/api/events/items/edit",
        vec![
            ("item", existing.to_string()),
            ("name", "Renamed, then refused".into()),
            ("category", "task".into()),
            ("assignee", "not-a-member-id".into()),
            ("notes", String::new()),
        ],
    )
    .await;
    assert!(page.contains("Renamed, then refused"), "{page}");
    assert!(
        page.contains("<details open"),
        "the item's edit form comes back open"
    );
    app.stop().await;
}

/// Who holds item `item` now (`None`: nobody).
async fn holder(pool: &PgPool, item: Uuid) -> Option<Uuid> {
    sqlx::query_scalar("SELECT assigned_to FROM event_items WHERE id = $1")
        .bind(item)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// "I'll bring it", cell by cell from AUTHZ.md's row (transcribed here by
/// hand): those who come to the meetings take on a task nobody has, and the
/// effect is checked, not only the answer. Then the cases the row's note
/// names: a cancelled meeting, an agenda item, a task someone has.
#[sqlx::test]
async fn taking_on_a_task_follows_the_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    //                  Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let row: [u16; 10] = [401, 403, 403, 200, 200, 200, 200, 200, 403, 403];
    let mut failures = Vec::new();
    for public in [true, false] {
        for (who, mut want) in EVERYONE.into_iter().zip(row) {
            if !public && matches!(who, Anon | SGuest | Out) {
                want = 404;
            }
            let s = scene(&pool, &cast, who, public).await;
            let urn = item(&pool, s.event, None).await;
            let (got, body) = call(
                &app,
                &cast.clients[&who],
                "/api/events/items/volunteer",
                &[("item", &urn.to_string())],
            )
            .await;
            let cell = format!(
                "{who:?}, {} event",
                if public { "public" } else { "private" }
            );
            if got != want {
                failures.push(format!("{cell}: expected {want}, got {got}: {body}"));
            }
            let meant = (want == 200).then(|| cast.ids[&who]);
            let now = holder(&pool, urn).await;
            if now != meant {
                failures.push(format!(
                    "{cell}: the task is held by {now:?}, expected {meant:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Not for an agenda item, a task someone has, or a cancelled meeting;
    // and nothing changes.
    let s = scene(&pool, &cast, Mem, true).await;
    let agenda: Uuid = sqlx::query_scalar(
        "INSERT INTO event_items (event_id, name, category) VALUES ($1, 'Welcome', 'agenda') RETURNING id",
    )
    .bind(s.event)
    .fetch_one(&pool)
    .await
    .unwrap();
    for (item, why) in [
        (agenda, "an agenda item"),
        (s.other_item, "someone else's task"),
    ] {
        let before = holder(&pool, item).await;
        let (got, body) = call(
            &app,
            &cast.clients[&Mem],
            "/api/events/items/volunteer",
            &[("item", &item.to_string())],
        )
        .await;
        assert_eq!(got, 409, "{why}: {body}");
        assert_eq!(holder(&pool, item).await, before, "{why}");
    }
    let urn = item(&pool, s.event, None).await;
    sqlx::query("UPDATE events SET cancelled_at = now() WHERE id = $1")
        .bind(s.event)
        .execute(&pool)
        .await
        .unwrap();
    let (got, _) = call(
        &app,
        &cast.clients[&Mem],
        "/api/events/items/volunteer",
        &[("item", &urn.to_string())],
    )
    .await;
    assert_eq!(got, 409, "a cancelled meeting");
    assert_eq!(holder(&pool, urn).await, None);
    app.stop().await;
}

/// Two members say "I'll bring it" at the same moment, many times over:
/// each time exactly one has it, and the other is told it was taken.
#[sqlx::test]
async fn of_two_volunteering_at_once_one_gets_the_task(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let s = scene(&pool, &cast, Mem, true).await;
    for _ in 0..20 {
        let urn = item(&pool, s.event, None).await;
        let form = [("item", urn.to_string())];
        let (a, b) = tokio::join!(
            crate::common::send_form(
                &app,
                &cast.clients[&Mem],
                "/api/events/items/volunteer",
                &form
            ),
            crate::common::send_form(
                &app,
                &cast.clients[&CGuest],
                "/api/events/items/volunteer",
                &form
            ),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
        let winner = if a.0 == 200 { Mem } else { CGuest };
        assert_eq!(holder(&pool, urn).await, Some(cast.ids[&winner]));
    }
    app.stop().await;
}
