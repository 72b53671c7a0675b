//! Hosting meetings in turn over real HTTP: its authorization table one
//! request per cell (checked by the rows afterwards), who is next, two
//! meetings planned at once, swaps, leaving, and the host in the notices.
use crate::common::cast::{cast, club, table_failures, Cast, Who, Who::*};
use crate::common::{call, page_text, send_form, spawn_app, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

/// A meeting of `club` starting in `days` days (public when `public`),
/// hosted by `host`.
async fn meeting(pool: &PgPool, club: Uuid, days: i32, public: bool, host: Option<Uuid>) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location, is_public, host_id)
         VALUES ($1, 'Book night ' || $2, current_date + $2, '19:00', 'Library', $3, $4) RETURNING id",
    )
    .bind(club)
    .bind(days)
    .bind(public)
    .bind(host)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn volunteers(pool: &PgPool, club: Uuid, people: &[Uuid]) {
    for (n, person) in people.iter().enumerate() {
        sqlx::query(
            "INSERT INTO host_volunteers (club_id, user_id, since)
             VALUES ($1, $2, now() - make_interval(days => 100 - $3))",
        )
        .bind(club)
        .bind(person)
        .bind(n as i32)
        .execute(pool)
        .await
        .unwrap();
    }
}

async fn host_of(pool: &PgPool, event: Uuid) -> Option<Uuid> {
    sqlx::query_scalar("SELECT host_id FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn in_rotation(pool: &PgPool, club: Uuid, person: Uuid) -> bool {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM host_volunteers WHERE club_id = $1 AND user_id = $2)",
    )
    .bind(club)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Expected answer per actor, transcribed from the "Hosting meetings"
/// table of docs/AUTHZ.md (not from `src/events/hosting/authz.rs`).
fn expected(action: &str, public: bool) -> [u16; 10] {
    //                             Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let mut row: [u16; 10] = match action {
        "see rotation" => [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
        "volunteer" => [401, 403, 403, 403, 200, 200, 200, 200, 403, 403],
        // "swap a meeting I host" (every actor hosts one here) and "swap
        // any two meetings' hosts" for the organisers and site admins.
        "swap" => [401, 403, 403, 403, 200, 200, 200, 200, 403, 200],
        "take out" => [401, 403, 403, 403, 403, 200, 200, 200, 403, 200],
        _ => unreachable!("{action}"),
    };
    // "(404 private)": a private club's rotation does not exist for them.
    if !public {
        row[..3].copy_from_slice(&[404, 404, 404]);
    }
    row
}

const ACTIONS: [&str; 4] = ["see rotation", "volunteer", "swap", "take out"];

/// Sends one cell's request and checks its effect with the owner's pool.
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
    let owner = cast.ids[&Owner];
    volunteers(pool, club, &[owner]).await;
    // The actor hosts one meeting (the anonymous visitor: nobody does) and
    // Owner the other.
    let mine = meeting(pool, club, 7, public, cast.ids.get(&who).copied()).await;
    let theirs = meeting(pool, club, 14, public, Some(owner)).await;
    let club_s = club.to_string();
    let (path, form): (&str, Vec<(&str, String)>) = match action {
        "see rotation" => ("/api/hosting/rotation", vec![("club", club_s)]),
        "volunteer" => (
            "/api/hosting/volunteer",
            vec![("club", club_s), ("volunteer", "yes".into())],
        ),
        "swap" => (
            "/api/hosting/swap",
            vec![("event", mine.to_string()), ("with", theirs.to_string())],
        ),
        "take out" => (
            "/api/hosting/take-out",
            vec![("club", club_s), ("person", owner.to_string())],
        ),
        _ => unreachable!(),
    };
    let (status, body) = send_form(app, &cast.clients[&who], path, &form).await;
    let allowed = status == 200;
    let text = body.to_string();
    let effect_ok = match action {
        "see rotation" => text.contains("\"Owner\"") == allowed,
        "volunteer" => match cast.ids.get(&who) {
            Some(me) => in_rotation(pool, club, *me).await == allowed,
            None => !allowed,
        },
        "swap" => (host_of(pool, theirs).await == cast.ids.get(&who).copied()) == allowed,
        "take out" => in_rotation(pool, club, owner).await != allowed,
        _ => unreachable!(),
    };
    if !effect_ok {
        wrong.lock().unwrap().push(format!(
            "{action} in a {} club as {who:?}: answered {status}, effect wrong ({text:.200})",
            if public { "public" } else { "private" }
        ));
    }
    status
}

#[sqlx::test]
async fn every_cell_of_the_hosting_authorization_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let wrong = std::sync::Mutex::new(Vec::new());
    let failures = table_failures(
        &ACTIONS,
        "club's hosting",
        expected,
        |who, action, public| attempt(&app, &pool, &cast, who, action, public, &wrong),
    )
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

#[sqlx::test]
async fn the_next_host_is_the_volunteer_longest_without_hosting(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let id = |w: Who| cast.ids[&w];
    // Mem hosted a month ago, CMod ten days ago, Owner hosts next week,
    // CAdm never has (and volunteered last); a cancelled meeting does not
    // count as hosting.
    volunteers(&pool, club, &[id(Owner), id(Mem), id(CMod), id(CAdm)]).await;
    for (days, host) in [(-30, Mem), (-10, CMod), (5, Owner), (-1, CAdm)] {
        meeting(&pool, club, days, false, Some(id(host))).await;
    }
    sqlx::query("UPDATE events SET cancelled_at = now() WHERE host_id = $1")
        .bind(id(CAdm))
        .execute(&pool)
        .await
        .unwrap();
    let (status, rotation) = call(
        &app,
        &cast.clients[&Mem],
        "/api/hosting/rotation",
        &[("club", &club.to_string())],
    )
    .await;
    assert_eq!(status, 200, "{rotation}");
    let order: Vec<&str> = rotation["volunteers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["CAdm", "Mem", "CMod", "Owner"]);
    // The new-meeting form offers CAdm, and a meeting saved with "next in
    // the rotation" gets CAdm; the one after, Mem.
    let (_, form) = call(
        &app,
        &cast.clients[&CMod],
        "/api/events/new-form",
        &[("club", &club.to_string())],
    )
    .await;
    assert_eq!(form["form"]["host"], "rotation");
    assert_eq!(form["hosts"][0][1], "Next in the rotation (now CAdm)");
    for (expected, days) in [(CAdm, 40), (Mem, 43)] {
        let event = create(&app, &cast.clients[&CMod], club, days, "rotation").await;
        let got = host_of(&pool, event).await;
        let name = |w: Option<Uuid>| {
            cast.ids
                .iter()
                .find(|(_, v)| Some(**v) == w)
                .map(|(k, _)| *k)
        };
        assert_eq!(name(got), Some(expected));
    }
    // Someone else as host, or nobody; not a stranger.
    let chosen = create(&app, &cast.clients[&CMod], club, 41, &id(Owner).to_string()).await;
    assert_eq!(host_of(&pool, chosen).await, Some(id(Owner)));
    let (status, body) = send_form(
        &app,
        &cast.clients[&CMod],
        "/api/events/create",
        &event_form(club, 42, &id(Out).to_string()),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        crate::common::invalid_message(&body, "host"),
        "Choose one of the club's members to host."
    );
    app.stop().await;
}

fn event_form(club: Uuid, days: i64, host: &str) -> Vec<(&'static str, String)> {
    let date = (chrono::Utc::now().date_naive() + chrono::Days::new(days as u64)).to_string();
    vec![
        ("club", club.to_string()),
        ("title", format!("Meeting in {days} days")),
        ("description", String::new()),
        ("date", date),
        ("time", "19:00".into()),
        ("time_zone", "Europe/London".into()),
        ("location", "Library".into()),
        ("book", String::new()),
        ("kind", "discussion".into()),
        ("max_attendees", String::new()),
        ("host", host.into()),
    ]
}

/// Plans a meeting through the event form; its id.
async fn create(
    app: &TestApp,
    client: &reqwest::Client,
    club: Uuid,
    days: i64,
    host: &str,
) -> Uuid {
    let form = event_form(club, days, host);
    let (status, body) = send_form(app, client, "/api/events/create", &form).await;
    assert_eq!(status, 200, "{body}");
    created(&app.pool, club, &form[1].1).await
}

async fn created(pool: &PgPool, club: Uuid, title: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM events WHERE club_id = $1 AND title = $2")
        .bind(club)
        .bind(title)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn two_meetings_planned_at_once_get_two_different_hosts(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let people = [cast.ids[&Mem], cast.ids[&CMod], cast.ids[&CAdm]];
    volunteers(&pool, club, &people).await;
    // The rule, kept by the test: each volunteer's latest meeting as host
    // (in days from now); the next two are those whose latest is oldest,
    // those who have not hosted first, then the longest in the rotation
    // (the order `volunteers` put them in). A round's two meetings are
    // later than every earlier one, so whoever is picked first in a round
    // is last in line for the second pick.
    let mut last: std::collections::HashMap<Uuid, i64> = std::collections::HashMap::new();
    for round in 0..4i64 {
        let mut line: Vec<(Option<i64>, usize, Uuid)> = people
            .iter()
            .enumerate()
            .map(|(n, p)| (last.get(p).copied(), n, *p))
            .collect();
        line.sort();
        let due: std::collections::BTreeSet<Uuid> = line[..2].iter().map(|l| l.2).collect();
        let plan = |who: Who, days: i64| {
            let form = event_form(club, days, "rotation");
            let (app, client) = (&app, &cast.clients[&who]);
            async move {
                let (status, body) = send_form(app, client, "/api/events/create", &form).await;
                (status, body, form[1].1.clone())
            }
        };
        let (days_a, days_b) = (10 + 2 * round, 11 + 2 * round);
        let ((a, body_a, title_a), (b, body_b, title_b)) =
            tokio::join!(plan(CMod, days_a), plan(Owner, days_b));
        assert_eq!((a, b), (200, 200), "round {round}: {body_a} {body_b}");
        let first = host_of(&pool, created(&pool, club, &title_a).await)
            .await
            .unwrap();
        let second = host_of(&pool, created(&pool, club, &title_b).await)
            .await
            .unwrap();
        assert_ne!(
            first, second,
            "round {round}: both meetings went to one host"
        );
        assert_eq!(
            [first, second]
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>(),
            due,
            "round {round}"
        );
        last.insert(first, days_a);
        last.insert(second, days_b);
    }
    app.stop().await;
}

#[sqlx::test]
async fn hosts_swap_their_meetings_and_a_leaver_hosts_no_more(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let (mem, cmod) = (cast.ids[&Mem], cast.ids[&CMod]);
    volunteers(&pool, club, &[mem, cmod]).await;
    let first = meeting(&pool, club, 7, false, Some(mem)).await;
    let second = meeting(&pool, club, 14, false, Some(cmod)).await;
    let unhosted = meeting(&pool, club, 21, false, None).await;
    let past = meeting(&pool, club, -7, false, Some(cmod)).await;
    let swap = |who: Who, a: Uuid, b: Uuid| {
        let form = [("event", a.to_string()), ("with", b.to_string())];
        let (app, client) = (&app, &cast.clients[&who]);
        async move { send_form(app, client, "/api/hosting/swap", &form).await.0 }
    };
    // A guest hosting nothing cannot trade other people's meetings.
    assert_eq!(swap(CGuest, first, second).await, 403);
    assert_eq!(host_of(&pool, first).await, Some(mem));
    // Nor can Mem trade with a meeting without a host, or a past one.
    assert_eq!(swap(Mem, first, unhosted).await, 409);
    assert_eq!(swap(Mem, first, past).await, 409);
    assert_eq!(host_of(&pool, first).await, Some(mem));
    assert_eq!(host_of(&pool, past).await, Some(cmod));
    // Mem swaps: CMod hosts the first, Mem the second, and CMod is told.
    assert_eq!(swap(Mem, first, second).await, 200);
    assert_eq!(host_of(&pool, first).await, Some(cmod));
    assert_eq!(host_of(&pool, second).await, Some(mem));
    let told: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT user_id, payload->>'event_id' FROM notifications WHERE kind = 'hosting' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(told, [(cmod, first.to_string())]);
    // The event page names the host.
    let page = page_text(&app, &cast.clients[&CGuest], &format!("/events/{first}")).await;
    assert!(page.contains(r#"data-testid="host">CMod"#), "{page}");
    // Mem leaves the club: out of the rotation, off the coming meeting;
    // the past one keeps its host.
    let (status, _) = call(
        &app,
        &cast.clients[&Mem],
        "/api/clubs/leave",
        &[("id", &club.to_string())],
    )
    .await;
    assert_eq!(status, 200);
    assert!(!in_rotation(&pool, club, mem).await);
    assert_eq!(host_of(&pool, second).await, None);
    assert_eq!(host_of(&pool, past).await, Some(cmod));
    app.stop().await;
}

#[sqlx::test]
async fn the_host_is_told_and_named_in_the_reminder(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let mem = cast.ids[&Mem];
    let event = create(&app, &cast.clients[&CMod], club, 3, &mem.to_string()).await;
    // Mem is told they are hosting; the organiser who chose is not told
    // about themself when they host.
    let (_, list) = call(&app, &cast.clients[&Mem], "/api/notifications/list", &[]).await;
    let titles: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("You're hosting Meeting in 3 days")),
        "{titles:?}"
    );
    let mine = create(
        &app,
        &cast.clients[&CMod],
        club,
        4,
        &cast.ids[&CMod].to_string(),
    )
    .await;
    let told_cmod: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE kind = 'hosting' AND user_id = $1",
    )
    .bind(cast.ids[&CMod])
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(told_cmod, 0, "{mine}");
    // The day-before reminder: the host reads that they host, a member
    // who said they are going reads who does.
    let (status, _) = call(
        &app,
        &cast.clients[&CAdm],
        "/api/events/rsvp",
        &[
            ("event", &event.to_string()),
            ("status", "available"),
            ("note", ""),
        ],
    )
    .await;
    assert_eq!(status, 200);
    sqlx::query(
        "UPDATE event_reminders SET due_at = now() - interval '1 second' WHERE event_id = $1",
    )
    .bind(event)
    .execute(&pool)
    .await
    .unwrap();
    let taken: i32 = sqlx::query_scalar("SELECT bookwork_private.take_due_reminders(20)")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(taken >= 1);
    // What each reader's reminder records (the words are render.rs's
    // unit tests'): the host's name, and for the host that they host.
    let reminded: Vec<(Uuid, String, bool)> = sqlx::query_as(
        "SELECT user_id, payload->>'host', (payload->>'hosting')::boolean
           FROM notifications WHERE kind = 'reminder' AND payload->>'event_id' = $1::text
          ORDER BY user_id",
    )
    .bind(event)
    .fetch_all(&pool)
    .await
    .unwrap();
    let of = |who: Who| {
        reminded
            .iter()
            .filter(|r| r.0 == cast.ids[&who])
            .map(|r| (r.1.as_str(), r.2))
            .collect::<Vec<_>>()
    };
    assert!(
        !of(Mem).is_empty() && of(Mem).iter().all(|r| *r == ("Mem", true)),
        "{reminded:?}"
    );
    assert!(
        !of(CAdm).is_empty() && of(CAdm).iter().all(|r| *r == ("Mem", false)),
        "{reminded:?}"
    );
    app.stop().await;
}
