//! Book polls over real HTTP: the authorization table one request per cell,
//! a whole poll (ranked ballots, results hidden until the close, instant-
//! runoff winner, "make this our next read"), bad ballots explained, votes
//! after and racing the close, and secret ballots.
use crate::common::cast::{cast, club, table_failures, Cast, Who, Who::*};
use crate::common::{
    invalid_message, send_form, spawn_app, test_leptos_options, test_state_with, TestApp,
};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// Books on `club`'s shelf, suggested, in this order.
async fn books(pool: &PgPool, club: Uuid, titles: &[&str]) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for t in titles {
        ids.push(
            sqlx::query_scalar("INSERT INTO books (club_id, title) VALUES ($1, $2) RETURNING id")
                .bind(club)
                .bind(t)
                .fetch_one(pool)
                .await
                .unwrap(),
        );
    }
    ids
}

/// An open poll over `books` (made as the owner); returns it and its option
/// ids in order.
async fn poll(pool: &PgPool, club: Uuid, books: &[Uuid], live: bool) -> (Uuid, Vec<Uuid>) {
    let poll: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, title, closes_at, results_live) VALUES ($1, 'Next', now() + interval '3 days', $2) RETURNING id",
    )
    .bind(club)
    .bind(live)
    .fetch_one(pool)
    .await
    .unwrap();
    let options: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO poll_options (poll_id, position, book_id)
         SELECT $1, n, b FROM unnest($2::uuid[]) WITH ORDINALITY AS t(b, n) RETURNING id",
    )
    .bind(poll)
    .bind(books)
    .fetch_all(pool)
    .await
    .unwrap();
    (poll, options)
}

fn ballot(poll: Uuid, ranks: &[(Uuid, &str)]) -> Vec<(String, String)> {
    let mut form = vec![("poll".to_owned(), poll.to_string())];
    form.extend(
        ranks
            .iter()
            .map(|(o, r)| (bookwork::polls::model::rank_field(*o), r.to_string())),
    );
    form
}

/// Expected answer per actor, transcribed from the "Books, polls" table of
/// docs/AUTHZ.md (not from `src/polls/authz.rs`): 200 allowed (opening or
/// deleting a poll also names the page to go to), 404 hidden, 403 refused,
/// 401 must sign in.
fn expected(action: &str, public: bool) -> [u16; 10] {
    //                               Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let mut row: [u16; 10] = match action {
        // "see a public club's shelf and closed poll results": Y for
        // everyone; "see live results (when the poll shows them)": as
        // "see". A poll whose results are hidden until the close is seen
        // like the shelf, without results, by everyone alike.
        "view" | "see live results" | "see closed results" => {
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]
        }
        // "vote (rank books ...)", "suggest a book / nominate": login, join
        // first, –, Y, Y, Y, Y, –, –.
        "vote" | "nominate" => [401, 403, 403, 403, 200, 200, 200, 200, 403, 403],
        // "open / close / delete a book or date poll": CMod, CAdm, Owner,
        // SMod "delete (moderation)", SAdm. Starting the voting after the
        // nominations is opening it.
        "create" | "close" | "start" => [401, 403, 403, 403, 403, 200, 200, 200, 403, 200],
        "delete" => [401, 403, 403, 403, 403, 200, 200, 200, 200, 200],
        // "move books between shelves, 'make this our next read'".
        "next-read" => [401, 403, 403, 403, 403, 200, 200, 200, 403, 200],
        _ => unreachable!("{action}"),
    };
    // "see a private club's shelf, polls, results": 404 for Anon, SGuest
    // and Out, whatever they try.
    if !public {
        row[..3].copy_from_slice(&[404, 404, 404]);
    }
    row
}

const ACTIONS: [&str; 10] = [
    "view",
    "see live results",
    "see closed results",
    "vote",
    "nominate",
    "create",
    "close",
    "start",
    "delete",
    "next-read",
];

/// Another member of `club` with a ballot in `poll` that ranks `first`
/// first (so a poll's results have a winner: `first`).
async fn other_ballot(pool: &PgPool, club: Uuid, poll: Uuid, first: Uuid) -> Uuid {
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
        "INSERT INTO ballots (poll_id, user_id, ranking) VALUES ($1, $2, ARRAY[$3]::uuid[])",
    )
    .bind(poll)
    .bind(other)
    .bind(first)
    .execute(pool)
    .await
    .unwrap();
    other
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
    let b = books(pool, club, &["Dune", "Emma"]).await;
    let (poll, options) = poll(pool, club, &b, action == "see live results").await;
    // Someone else ranked Emma first: the count's winner, when shown.
    other_ballot(pool, club, poll, options[1]).await;
    if matches!(action, "see closed results" | "next-read") {
        sqlx::query("UPDATE polls SET closed_at = now() WHERE id = $1")
            .bind(poll)
            .execute(pool)
            .await
            .unwrap();
    }
    if matches!(action, "nominate" | "start") {
        sqlx::query("UPDATE polls SET nominating = true WHERE id = $1")
            .bind(poll)
            .execute(pool)
            .await
            .unwrap();
    }
    let form: Vec<(String, String)> = match action {
        "view" | "see live results" | "see closed results" => {
            vec![("id".into(), poll.to_string())]
        }
        "vote" => ballot(poll, &[(options[0], "1")]),
        "create" => vec![
            ("club".into(), club.to_string()),
            ("title".into(), "Spring".into()),
            ("date".into(), crate::common::in_days(30)),
            ("time".into(), "20:00".into()),
            ("books[]".into(), b[0].to_string()),
            ("books[]".into(), b[1].to_string()),
        ],
        "close" | "start" | "next-read" => vec![("poll".into(), poll.to_string())],
        "delete" => vec![
            ("poll".into(), poll.to_string()),
            ("confirm".into(), "yes".into()),
        ],
        "nominate" => vec![
            ("poll".into(), poll.to_string()),
            ("title".into(), format!("Nominated by {who:?}")),
        ],
        _ => unreachable!(),
    };
    let path = match action {
        "view" | "see live results" | "see closed results" => "/api/polls/view",
        "start" => "/api/polls/start-voting",
        other => &format!("/api/polls/{other}"),
    };
    let (status, body) = send_form(app, &cast.clients[&who], path, &form).await;
    let allowed = status == 200;
    let me = cast.ids.get(&who).copied();
    let as_expected = match action {
        // The poll and its books; results only once the poll shows them.
        "view" => {
            (body["options"].as_array().map_or(0, Vec::len) == 2) == allowed
                && body["outcome"].is_null()
        }
        "see live results" | "see closed results" => {
            (body["outcome"]["winner"] == 1) == allowed
                && (body["options"][1]["title"] == "Emma") == allowed
        }
        "vote" => {
            count(
                pool,
                "SELECT count(*) FROM ballots WHERE poll_id = $1 AND user_id = $2",
                poll,
                me,
            )
            .await
                == i64::from(allowed)
        }
        "nominate" => {
            count(
                pool,
                "SELECT count(*) FROM poll_options WHERE poll_id = $1 AND nominated_by = $2",
                poll,
                me,
            )
            .await
                == i64::from(allowed)
        }
        "create" => {
            count(
                pool,
                "SELECT count(*) FROM polls WHERE club_id = $1 AND title = 'Spring'",
                club,
                None,
            )
            .await
                == i64::from(allowed)
        }
        "close" => {
            count(
                pool,
                "SELECT count(*) FROM polls WHERE id = $1 AND closed_at IS NOT NULL",
                poll,
                None,
            )
            .await
                == i64::from(allowed)
        }
        "start" => {
            count(
                pool,
                "SELECT count(*) FROM polls WHERE id = $1 AND NOT nominating",
                poll,
                None,
            )
            .await
                == i64::from(allowed)
        }
        // The poll goes with its options and ballots; its books stay.
        "delete" => {
            let left = count(
                pool,
                "SELECT (SELECT count(*) FROM polls WHERE id = $1) + (SELECT count(*) FROM poll_options WHERE poll_id = $1)
                        + (SELECT count(*) FROM ballots WHERE poll_id = $1)",
                poll,
                None,
            )
            .await;
            let books = count(
                pool,
                "SELECT count(*) FROM books WHERE club_id = $1",
                club,
                None,
            )
            .await;
            left == if allowed { 0 } else { 4 } && books == 2
        }
        "next-read" => {
            let shelf: String = sqlx::query_scalar("SELECT shelf FROM books WHERE id = $1")
                .bind(b[1])
                .fetch_one(pool)
                .await
                .unwrap();
            shelf == if allowed { "up_next" } else { "suggested" }
        }
        _ => unreachable!(),
    };
    if !as_expected {
        wrong.lock().unwrap().push(format!(
            "{action} in a {} club as {who:?}: answered {status}, effect not as the answer says: {body:.300}",
            if public { "public" } else { "private" }
        ));
    }
    status
}

#[sqlx::test]
async fn every_cell_of_the_poll_authorization_table(pool: PgPool) {
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

/// Extra members of the cast's club, each with a signed-in client.
async fn voters(app: &TestApp, pool: &PgPool, club: Uuid, n: usize) -> Vec<reqwest::Client> {
    let mut clients = Vec::new();
    for i in 0..n {
        let email = format!("voter{i}-{}@example.com", Uuid::new_v4().simple());
        let c = crate::common::sign_up(app, &format!("Voter {i}"), &email).await;
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) SELECT $1, id, 'member' FROM users WHERE email = $2")
            .bind(club)
            .bind(&email)
            .execute(pool)
            .await
            .unwrap();
        clients.push(c);
    }
    clients
}

#[sqlx::test]
async fn a_poll_from_opening_to_the_next_read(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let b = books(&pool, club, &["Dune", "Emma", "Ulysses"]).await;
    let admin = &cast.clients[&CAdm];
    let form = vec![
        ("club".to_owned(), club.to_string()),
        ("title".to_owned(), "What we read in spring".to_owned()),
        ("date".to_owned(), crate::common::in_days(30)),
        ("time".to_owned(), "20:00".to_owned()),
        ("books[]".to_owned(), b[0].to_string()),
        ("books[]".to_owned(), b[1].to_string()),
        ("books[]".to_owned(), b[2].to_string()),
    ];
    let (code, _) = send_form(&app, admin, "/api/polls/create", &form).await;
    assert_eq!(code, 200);
    let poll: Uuid = sqlx::query_scalar("SELECT id FROM polls")
        .fetch_one(&pool)
        .await
        .unwrap();
    let options: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM poll_options ORDER BY position")
        .fetch_all(&pool)
        .await
        .unwrap();
    let (dune, emma, ulysses) = (options[0], options[1], options[2]);
    // Plurality would choose Dune (4 first choices); Emma and Ulysses share
    // a majority of 5 that prefers Emma.
    let people = voters(&app, &pool, club, 9).await;
    let mut ballots: Vec<Vec<(Uuid, &str)>> = vec![vec![(dune, "1")]; 4];
    ballots.extend(vec![vec![(emma, "1"), (ulysses, "2")]; 3]);
    ballots.extend(vec![vec![(ulysses, "1"), (emma, "2")]; 2]);
    // Waiting on each voter's home page until they vote.
    let (_, waiting) = crate::common::call(&app, &people[0], "/api/polls/waiting", &[]).await;
    assert_eq!(waiting[0]["title"], "What we read in spring");
    let (_, waiting) =
        crate::common::call(&app, &cast.clients[&CGuest], "/api/polls/waiting", &[]).await;
    assert_eq!(waiting, serde_json::json!([]), "guests do not vote");
    for (person, ranks) in people.iter().zip(&ballots) {
        let (code, body) = send_form(&app, person, "/api/polls/vote", &ballot(poll, ranks)).await;
        assert_eq!(code, 200, "{body}");
    }
    let (_, waiting) = crate::common::call(&app, &people[0], "/api/polls/waiting", &[]).await;
    assert_eq!(waiting, serde_json::json!([]));
    // Results are hidden until the close, from everyone.
    let (_, page) = send_form(&app, admin, "/api/polls/view", &[("id", &poll.to_string())]).await;
    assert_eq!(page["outcome"], Value::Null);
    assert_eq!(page["ballots_cast"], 9);
    let (code, _) = send_form(
        &app,
        admin,
        "/api/polls/next-read",
        &[("poll", &poll.to_string())],
    )
    .await;
    assert_eq!(code, 409, "not before the close");
    let (code, _) = send_form(
        &app,
        admin,
        "/api/polls/close",
        &[("poll", &poll.to_string())],
    )
    .await;
    assert_eq!(code, 200);
    let (_, page) = send_form(
        &app,
        &people[0],
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(page["open"], false);
    assert_eq!(page["outcome"]["winner"], 1, "Emma: {page}");
    assert_eq!(page["outcome"]["rounds"].as_array().unwrap().len(), 2);
    assert_eq!(
        page["my_ranking"],
        serde_json::json!([dune]),
        "each sees their own ballot"
    );
    let html = people[0]
        .get(app.url(&format!("/polls/{poll}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "Winner: ",
        "Round 2",
        "data-testid=\"rounds-chart\"",
        "Exhausted ballots",
        "the one added later goes out",
    ] {
        assert!(html.contains(expected), "{expected} missing");
    }
    // A book already up next (chosen some other way) gives way to the winner.
    let before: Uuid = sqlx::query_scalar(
        "INSERT INTO books (club_id, title, authors, shelf) VALUES ($1, 'Middlemarch', 'George Eliot', 'up_next') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    // A member may not make it the next read; the admin does.
    let (code, _) = send_form(
        &app,
        &people[0],
        "/api/polls/next-read",
        &[("poll", &poll.to_string())],
    )
    .await;
    assert_eq!(code, 403);
    let (code, _) = send_form(
        &app,
        admin,
        "/api/polls/next-read",
        &[("poll", &poll.to_string())],
    )
    .await;
    assert_eq!(code, 200);
    let shelf: String = sqlx::query_scalar("SELECT shelf FROM books WHERE id = $1")
        .bind(b[1])
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(shelf, "up_next");
    let up_next: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM books WHERE club_id = $1 AND shelf = 'up_next'")
            .bind(club)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(up_next, [b[1]], "one next read");
    let moved_back: String = sqlx::query_scalar("SELECT shelf FROM books WHERE id = $1")
        .bind(before)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(moved_back, "suggested");
    // The club's page says the same as its shelf.
    let (_, club_view) =
        send_form(&app, admin, "/api/clubs/view", &[("id", &club.to_string())]).await;
    assert_eq!(club_view["up_next"], "Emma", "{club_view}");
    app.stop().await;
}

#[sqlx::test]
async fn bad_ballots_are_explained_and_late_ones_refused(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let b = books(&pool, club, &["Dune", "Emma", "Ulysses"]).await;
    let (poll, o) = poll(&pool, club, &b, true).await;
    let member = &cast.clients[&Mem];
    for (ranks, message) in [
        (
            vec![(o[0], "1"), (o[1], "1")],
            "Two books are ranked 1st. Give each rank to one book only.",
        ),
        (
            vec![(o[0], "1"), (o[1], "3")],
            "Ranks go 1st, 2nd, 3rd… without gaps: nothing is ranked 2nd.",
        ),
        (
            vec![(o[0], ""), (o[1], "")],
            "Rank at least one book (1st is your favourite).",
        ),
        (
            vec![(Uuid::new_v4(), "1")],
            "That ballot is for another poll.",
        ),
    ] {
        let (code, body) = send_form(&app, member, "/api/polls/vote", &ballot(poll, &ranks)).await;
        assert_eq!(
            (code, invalid_message(&body, "form")),
            (422, message.to_owned())
        );
    }
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM ballots")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(none, 0);
    // Live results: shown while open.
    let (code, _) = send_form(
        &app,
        member,
        "/api/polls/vote",
        &ballot(poll, &[(o[2], "1")]),
    )
    .await;
    assert_eq!(code, 200);
    let (_, page) = send_form(
        &app,
        member,
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(page["outcome"]["winner"], 2);
    // Past its closing time: refused, not counted.
    sqlx::query("UPDATE polls SET closes_at = now() - interval '1 minute'")
        .execute(&pool)
        .await
        .unwrap();
    let (code, body) = send_form(
        &app,
        member,
        "/api/polls/vote",
        &ballot(poll, &[(o[0], "1")]),
    )
    .await;
    assert_eq!(code, 409, "{body}");
    let kept: Vec<Vec<Uuid>> = sqlx::query_scalar("SELECT ranking FROM ballots")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(kept, vec![vec![o[2]]], "the late change was not counted");
    app.stop().await;
}

/// Votes racing the close: each is either counted (200) or refused (409),
/// and exactly the counted ones are in the result.
#[sqlx::test]
async fn votes_racing_the_close_are_counted_or_refused_never_lost(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let b = books(&pool, club, &["Dune", "Emma"]).await;
    let (poll, o) = poll(&pool, club, &b, false).await;
    let people = voters(&app, &pool, club, 12).await;
    let mut tasks = Vec::new();
    for (i, person) in people.into_iter().enumerate() {
        let (url, form) = (app.url("/api/polls/vote"), ballot(poll, &[(o[i % 2], "1")]));
        tasks.push(tokio::spawn(async move {
            person
                .post(url)
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
        if i == 6 {
            let (url, admin) = (app.url("/api/polls/close"), cast.clients[&CAdm].clone());
            tasks.push(tokio::spawn(async move {
                let s = admin
                    .post(url)
                    .form(&[("poll", poll.to_string())])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16();
                // Marked so it is not taken for a vote.
                s + 1000
            }));
        }
    }
    let mut counted = 0;
    for t in tasks {
        match t.await.unwrap() {
            1200 => {}
            200 => counted += 1,
            409 => {}
            other => panic!("unexpected answer {other}"),
        }
    }
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM ballots")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, counted);
    let (_, page) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(page["outcome"]["ballots"], counted);
    app.stop().await;
}

/// Ballots are secret: beneath the code, row security gives each voter
/// only their own.
#[sqlx::test]
async fn ballots_are_secret(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let b = books(&pool, club, &["Dune", "Emma"]).await;
    let (poll, o) = poll(&pool, club, &b, true).await;
    for (who, first) in [(Mem, o[0]), (CMod, o[1])] {
        let (code, _) = send_form(
            &app,
            &cast.clients[&who],
            "/api/polls/vote",
            &ballot(poll, &[(first, "1")]),
        )
        .await;
        assert_eq!(code, 200);
    }
    let app_pool = test_state_with(&pool, test_leptos_options("target/site"), &[]).pool;
    let mut tx = bookwork::platform::db::begin_as(&app_pool, Some(cast.ids[&Mem]))
        .await
        .unwrap();
    let seen: Vec<Uuid> = sqlx::query_scalar("SELECT user_id FROM ballots")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, vec![cast.ids[&Mem]]);
    tx.rollback().await.unwrap();
    let (_, page) = send_form(
        &app,
        &cast.clients[&CAdm],
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(
        page["my_ranking"],
        serde_json::json!([]),
        "the admin sees no one else's ballot"
    );
    assert_eq!(page["outcome"]["ballots"], 2, "only counts");
    app.stop().await;
}

/// Opening a poll tells the club's other voters (not guests, not the
/// organiser); a day before it closes, those who have not voted are told
/// once, by whichever worker takes it.
#[sqlx::test]
async fn voters_hear_of_a_new_poll_and_of_its_close_if_they_have_not_voted(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let b = books(&pool, club, &["Dune", "Emma"]).await;
    let form = vec![
        ("club".to_owned(), club.to_string()),
        ("title".to_owned(), "Summer".to_owned()),
        ("date".to_owned(), crate::common::in_days(30)),
        ("time".to_owned(), "20:00".to_owned()),
        ("books[]".to_owned(), b[0].to_string()),
        ("books[]".to_owned(), b[1].to_string()),
    ];
    let (code, _) = send_form(&app, &cast.clients[&CAdm], "/api/polls/create", &form).await;
    assert_eq!(code, 200);
    let told = |kind: &'static str| {
        let pool = pool.clone();
        async move {
            let mut who: Vec<Uuid> =
                sqlx::query_scalar("SELECT user_id FROM notifications WHERE kind = $1")
                    .bind(kind)
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            who.sort();
            who
        }
    };
    let mut voters = vec![cast.ids[&Mem], cast.ids[&CMod], cast.ids[&Owner]];
    voters.sort();
    assert_eq!(told("poll_opened").await, voters);

    let (poll, options): (Uuid, Vec<Uuid>) = (
        sqlx::query_scalar("SELECT id FROM polls")
            .fetch_one(&pool)
            .await
            .unwrap(),
        sqlx::query_scalar("SELECT id FROM poll_options ORDER BY position")
            .fetch_all(&pool)
            .await
            .unwrap(),
    );
    let (code, _) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/vote",
        &ballot(poll, &[(options[0], "1")]),
    )
    .await;
    assert_eq!(code, 200);
    sqlx::query("UPDATE polls SET closes_at = now() + interval '3 hours'")
        .execute(&pool)
        .await
        .unwrap();
    let config = crate::common::test_config(&test_leptos_options("target/site"), &[]);
    let app_pool = test_state_with(&pool, test_leptos_options("target/site"), &[]).pool;
    let mail = crate::common::smtp::SmtpServer::start().await;
    let worker = || {
        bookwork::notify::worker::Worker::new(
            app_pool.clone(),
            &config,
            bookwork::notify::mail::Mailer::smtp(&mail.url).unwrap(),
        )
    };
    let (a, b) = (worker(), worker());
    let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
    ra.unwrap();
    rb.unwrap();
    let mut not_voted = vec![cast.ids[&CMod], cast.ids[&CAdm], cast.ids[&Owner]];
    not_voted.sort();
    assert_eq!(
        told("poll_closing").await,
        not_voted,
        "once each, not the member who voted"
    );
    let subject = mail
        .received()
        .iter()
        .filter_map(|m| crate::common::smtp::header(&m.data, "Subject"))
        .find(|s| s.starts_with("Closing soon"))
        .unwrap();
    assert_eq!(subject, "Closing soon: Summer (Readers)");
    app.stop().await;
}

/// A book in a poll stays on the shelf (removing it would rewrite the
/// poll); a voter who leaves no longer counts; an absurd date is a field
/// error; who suggested a book is shown only to those who may see members.
#[sqlx::test]
async fn polls_keep_their_record_and_count_only_current_voters(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let b = books(&pool, club, &["Dune", "Emma"]).await;
    sqlx::query("UPDATE books SET suggested_by = $1")
        .bind(cast.ids[&Mem])
        .execute(&pool)
        .await
        .unwrap();
    let (poll, o) = poll(&pool, club, &b, true).await;
    let (code, body) = send_form(
        &app,
        &cast.clients[&SMod],
        "/api/books/remove",
        &[("book", &b[0].to_string()), ("confirm", &"yes".to_owned())],
    )
    .await;
    assert_eq!(code, 409, "{body}");
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM books WHERE id = $1")
        .bind(b[0])
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 1);
    for who in [Mem, CMod] {
        let (code, _) = send_form(
            &app,
            &cast.clients[&who],
            "/api/polls/vote",
            &ballot(poll, &[(o[0], "1")]),
        )
        .await;
        assert_eq!(code, 200);
    }
    sqlx::query("UPDATE club_members SET is_active = false WHERE user_id = $1")
        .bind(cast.ids[&CMod])
        .execute(&pool)
        .await
        .unwrap();
    let (_, page) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(
        (
            page["ballots_cast"].clone(),
            page["outcome"]["ballots"].clone()
        ),
        (Value::from(1), Value::from(1))
    );
    let form = vec![
        ("club".to_owned(), club.to_string()),
        ("title".to_owned(), "Old".to_owned()),
        ("date".to_owned(), "-5000-01-01".to_owned()),
        ("time".to_owned(), "20:00".to_owned()),
        ("books[]".to_owned(), b[0].to_string()),
        ("books[]".to_owned(), b[1].to_string()),
    ];
    let (code, body) = send_form(&app, &cast.clients[&CAdm], "/api/polls/create", &form).await;
    assert_eq!(code, 422, "{body}");
    assert!(!invalid_message(&body, "date").is_empty());
    // Nor in 9999: a poll stays open for at most a year.
    let polls_before: i64 = sqlx::query_scalar("SELECT count(*) FROM polls")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut far = form.clone();
    far[2].1 = "9999-12-31".to_owned();
    let (code, body) = send_form(&app, &cast.clients[&CAdm], "/api/polls/create", &far).await;
    assert_eq!(code, 422, "{body}");
    assert!(
        invalid_message(&body, "date").starts_with("A poll stays open for at most a year."),
        "{body}"
    );
    let polls_after: i64 = sqlx::query_scalar("SELECT count(*) FROM polls")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(polls_after, polls_before);
    for (who, sees) in [(Anon, false), (Out, false), (Mem, true)] {
        let (_, shelf) = send_form(
            &app,
            &cast.clients[&who],
            "/api/books/shelf",
            &[("club", &club.to_string())],
        )
        .await;
        assert_eq!(
            shelf["books"][0]["suggested_by"].is_string(),
            sees,
            "{who:?}"
        );
    }
    app.stop().await;
}

/// A poll with nominations: members put books forward (from the shelf or
/// new), each up to the cap; nobody votes until the organiser starts the
/// voting, and nobody nominates after.
#[sqlx::test]
async fn members_nominate_up_to_the_cap_then_everyone_ranks(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let b = books(&pool, club, &["Dune", "Emma"]).await;
    let organiser = &cast.clients[&CMod];
    let create = |cap: &str| {
        vec![
            ("club".to_owned(), club.to_string()),
            ("title".into(), "Nominated".into()),
            ("date".into(), crate::common::in_days(30)),
            ("time".into(), "20:00".into()),
            ("nominate".into(), "on".into()),
            ("cap".into(), cap.into()),
        ]
    };
    let (code, body) = send_form(&app, organiser, "/api/polls/create", &create("11")).await;
    assert_eq!(
        (code, invalid_message(&body, "cap").as_str()),
        (422, "Allow each member from 1 to 10 nominations.")
    );
    // No books of the organiser's own: fine with nominations.
    let (code, body) = send_form(&app, organiser, "/api/polls/create", &create("2")).await;
    assert!(matches!(code, 200 | 302 | 303), "{code} {body}");
    let poll: Uuid = sqlx::query_scalar("SELECT id FROM polls WHERE club_id = $1")
        .bind(club)
        .fetch_one(&pool)
        .await
        .unwrap();
    let nominate = |form: &[(&str, &str)]| {
        let mut f = vec![("poll".to_owned(), poll.to_string())];
        f.extend(form.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        f
    };
    let member = &cast.clients[&Mem];
    let (code, body) = send_form(
        &app,
        member,
        "/api/polls/nominate",
        &nominate(&[("book", &b[0].to_string())]),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = send_form(
        &app,
        member,
        "/api/polls/nominate",
        &nominate(&[("book", &b[0].to_string())]),
    )
    .await;
    assert_eq!(
        (code, invalid_message(&body, "book").as_str()),
        (422, "That book is already in the poll.")
    );
    let (code, body) = send_form(&app, member, "/api/polls/nominate", &nominate(&[])).await;
    assert_eq!(code, 422, "{body}");
    // A new book: nominated, and suggested to the shelf.
    let (code, body) = send_form(
        &app,
        member,
        "/api/polls/nominate",
        &nominate(&[("title", "Piranesi"), ("authors", "Susanna Clarke")]),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let shelf: String =
        sqlx::query_scalar("SELECT shelf FROM books WHERE club_id = $1 AND title = 'Piranesi'")
            .bind(club)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(shelf, "suggested");
    let (code, body) = send_form(
        &app,
        member,
        "/api/polls/nominate",
        &nominate(&[("book", &b[1].to_string())]),
    )
    .await;
    assert_eq!(
        (code, invalid_message(&body, "form").as_str()),
        (
            422,
            "You have nominated 2 books, as many as this poll allows each member."
        )
    );
    // A club guest may not; nobody votes yet.
    let (code, _) = send_form(
        &app,
        &cast.clients[&CGuest],
        "/api/polls/nominate",
        &nominate(&[("book", &b[1].to_string())]),
    )
    .await;
    assert_eq!(code, 403);
    let (_, page) = send_form(
        &app,
        member,
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(page["nominations"]["mine"], 2);
    assert_eq!(page["nominations"]["can_nominate"], false);
    assert_eq!(page["can_vote"], false);
    assert_eq!(page["nominated_by"], serde_json::json!(["Mem", "Mem"]));
    let options: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM poll_options WHERE poll_id = $1 ORDER BY position")
            .bind(poll)
            .fetch_all(&pool)
            .await
            .unwrap();
    let (code, body) = send_form(
        &app,
        member,
        "/api/polls/vote",
        &ballot(poll, &[(options[0], "1")]),
    )
    .await;
    assert_eq!(code, 409, "{body}");
    assert!(body.to_string().contains("still nominating"), "{body}");

    let (code, _) = send_form(&app, member, "/api/polls/start-voting", &nominate(&[])).await;
    assert_eq!(code, 403);
    let (code, body) = send_form(&app, organiser, "/api/polls/start-voting", &nominate(&[])).await;
    assert_eq!(code, 200, "{body}");
    let (code, _) = send_form(
        &app,
        &cast.clients[&CAdm],
        "/api/polls/nominate",
        &nominate(&[("book", &b[1].to_string())]),
    )
    .await;
    assert_eq!(code, 409, "no nominations once voting has started");
    let (code, body) = send_form(
        &app,
        member,
        "/api/polls/vote",
        &ballot(poll, &[(options[1], "1"), (options[0], "2")]),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    app.stop().await;
}

/// Voting needs two books; a member pressing "Nominate" many times at once
/// still gets only their cap.
#[sqlx::test]
async fn the_cap_holds_when_nominations_race(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let b = books(&pool, club, &["A", "B", "C", "D", "E", "F"]).await;
    let (poll, _) = poll(&pool, club, &b[..1], false).await;
    sqlx::query("UPDATE polls SET nominating = true, nomination_cap = 2 WHERE id = $1")
        .bind(poll)
        .execute(&pool)
        .await
        .unwrap();
    let (code, body) = send_form(
        &app,
        &cast.clients[&Owner],
        "/api/polls/start-voting",
        &[("poll".to_owned(), poll.to_string())],
    )
    .await;
    assert_eq!(code, 409, "one book is not a vote: {body}");
    let member = &cast.clients[&Mem];
    let mut presses = tokio::task::JoinSet::new();
    for book in &b[1..] {
        let (client, url) = (member.clone(), app.url("/api/polls/nominate"));
        let form = [("poll", poll.to_string()), ("book", book.to_string())];
        presses.spawn(async move {
            let r = client.post(url).form(&form).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        });
    }
    let results = presses.join_all().await;
    let ok = results.iter().filter(|(c, _)| *c == 200).count();
    assert_eq!(ok, 2, "{results:?}");
    assert!(
        results.iter().all(|(c, _)| matches!(c, 200 | 422)),
        "{results:?}"
    );
    let theirs: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM poll_options WHERE poll_id = $1 AND nominated_by IS NOT NULL",
    )
    .bind(poll)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(theirs, 2);
    app.stop().await;
}

/// A member's private calendar feed carries their clubs' polls (when they
/// close) and the days their clubs started and finished books; not other
/// clubs' polls.
#[sqlx::test]
async fn polls_and_shelf_days_are_in_the_private_feed(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let b = books(&pool, club, &["Dune", "Emma"]).await;
    sqlx::query(
        "UPDATE books SET shelf = 'read', started_on = DATE '2099-01-04', finished_on = DATE '2099-02-01'
          WHERE id = $1",
    )
    .bind(b[0])
    .execute(&pool)
    .await
    .unwrap();
    let (poll, _) = poll(&pool, club, &b, false).await;
    let closes: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT closes_at FROM polls WHERE id = $1")
            .bind(poll)
            .fetch_one(&pool)
            .await
            .unwrap();
    // A club the member is not in.
    let elsewhere: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Elsewhere', $1, true) RETURNING id",
    )
    .bind(cast.ids[&Owner])
    .fetch_one(&pool)
    .await
    .unwrap();
    let theirs = books(&pool, elsewhere, &["Ulysses", "Beloved"]).await;
    self::poll(&pool, elsewhere, &theirs, false).await;

    let (_, link) =
        crate::common::call(&app, &cast.clients[&Mem], "/api/calendar/reset", &[]).await;
    let link = link.as_str().unwrap();
    let path = format!(
        "/{}",
        link.split_once("://").unwrap().1.split_once('/').unwrap().1
    );
    let feed = app
        .get(&path)
        .await
        .text()
        .await
        .unwrap()
        .replace("\r\n ", "");
    assert!(
        feed.contains("SUMMARY:Poll closes: Next (Readers)"),
        "{feed}"
    );
    assert!(
        feed.contains(&format!("UID:poll-{poll}@bookwork")),
        "{feed}"
    );
    assert!(
        feed.contains(&format!("DTSTART:{}", closes.format("%Y%m%dT%H%M%SZ"))),
        "{feed}"
    );
    assert!(
        feed.contains("SUMMARY:Readers starts reading Dune"),
        "{feed}"
    );
    assert!(
        feed.contains("DTSTART;VALUE=DATE:20990104\r\nDTEND;VALUE=DATE:20990105"),
        "{feed}"
    );
    assert!(feed.contains("SUMMARY:Readers finished Dune"), "{feed}");
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 3, "{feed}");
    assert!(!feed.contains("Elsewhere"), "{feed}");
    app.stop().await;
}

/// The page of a public club's poll as a visitor reads it (status, HTML).
async fn page_as(app: &TestApp, client: &reqwest::Client, poll: Uuid) -> (u16, String) {
    let r = client
        .get(app.url(&format!("/polls/{poll}")))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A public club's poll is everyone's to see, with its results once it
/// shows them (closed, or live); a private club's is not found. Beneath
/// the code, the database gives visitors the counted ballots only then, and
/// never a ballot or a date answer with a name.
#[sqlx::test]
async fn a_public_clubs_poll_results_are_for_everyone_and_ballots_for_no_one(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let public = club(&pool, &cast, true).await;
    let b = books(&pool, public, &["Dune", "Emma"]).await;
    let (poll, o) = poll(&pool, public, &b, false).await;
    // Two ballots for Emma, one for Dune: Emma wins with 2 of 3.
    for (who, first) in [(Mem, o[1]), (CMod, o[1]), (CAdm, o[0])] {
        let (code, _) = send_form(
            &app,
            &cast.clients[&who],
            "/api/polls/vote",
            &ballot(poll, &[(first, "1")]),
        )
        .await;
        assert_eq!(code, 200);
    }
    let (anon, outsider) = (&cast.clients[&Anon], &cast.clients[&Out]);
    let app_pool = test_state_with(&pool, test_leptos_options("target/site"), &[]).pool;
    let counted_for = |viewer: Option<Uuid>| {
        let app_pool = app_pool.clone();
        async move {
            let mut tx = bookwork::platform::db::begin_as(&app_pool, viewer)
                .await
                .unwrap();
            let seen: (i64, i64) = sqlx::query_as(
                "SELECT (SELECT count(*) FROM bookwork_private.poll_rankings($1)), (SELECT count(*) FROM ballots)",
            )
            .bind(poll)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            tx.rollback().await.unwrap();
            seen
        }
    };

    // Open, results hidden until the close: the books, no results, no count,
    // and a way in.
    let (status, html) = page_as(&app, anon, poll).await;
    assert_eq!(status, 200);
    let listed = &html[html
        .find("data-testid=\"poll-books\"")
        .expect("the books are listed")..];
    assert!(
        listed.contains(">Dune<") && listed.contains(">Emma<"),
        "{html}"
    );
    assert!(
        html.contains("Results are shown when the poll closes."),
        "{html}"
    );
    assert!(
        !html.contains("ballots cast") && !html.contains("Your ballot"),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"/login?next=/polls/{poll}\"")),
        "{html}"
    );
    let (_, page) = send_form(
        &app,
        outsider,
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(
        (page["outcome"].clone(), page["ballots_cast"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(
        counted_for(None).await,
        (0, 0),
        "nothing counted for a visitor yet"
    );
    assert_eq!(counted_for(Some(cast.ids[&Out])).await, (0, 0));
    // The club page lists it for visitors too.
    let club_page = anon
        .get(app.url(&format!("/clubs/{public}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        club_page.contains(&format!("href=\"/polls/{poll}\"")),
        "{club_page}"
    );

    // Live results: shown to visitors while open.
    sqlx::query("UPDATE polls SET results_live = true WHERE id = $1")
        .bind(poll)
        .execute(&pool)
        .await
        .unwrap();
    let (_, page) = send_form(&app, anon, "/api/polls/view", &[("id", &poll.to_string())]).await;
    assert_eq!(
        (
            page["outcome"]["winner"].clone(),
            page["ballots_cast"].clone()
        ),
        (Value::from(1), Value::from(3))
    );
    assert_eq!(counted_for(None).await, (3, 0), "counted, and no ballot");

    // Closed (results were hidden until then): everyone sees the count.
    sqlx::query("UPDATE polls SET results_live = false, closed_at = now() WHERE id = $1")
        .bind(poll)
        .execute(&pool)
        .await
        .unwrap();
    for client in [anon, outsider, &cast.clients[&SGuest]] {
        let (status, html) = page_as(&app, client, poll).await;
        assert_eq!(status, 200);
        assert!(html.contains("Winner: <strong>Emma"), "{html}");
        assert!(html.contains("3 ballots cast"), "{html}");
        assert!(
            !html.contains("Your ballot") && !html.contains("Close the poll now"),
            "{html}"
        );
    }
    let (_, page) = send_form(&app, anon, "/api/polls/view", &[("id", &poll.to_string())]).await;
    assert_eq!(page["my_ranking"], serde_json::json!([]));
    assert_eq!(counted_for(None).await, (3, 0));
    assert_eq!(counted_for(Some(cast.ids[&Out])).await, (3, 0));

    // A private club's closed poll: not found, for the page and the function.
    let private = club(&pool, &cast, false).await;
    let theirs = books(&pool, private, &["Ulysses", "Beloved"]).await;
    let (hidden, _) = self::poll(&pool, private, &theirs, true).await;
    sqlx::query("UPDATE polls SET closed_at = now() WHERE id = $1")
        .bind(hidden)
        .execute(&pool)
        .await
        .unwrap();
    let (status, html) = page_as(&app, anon, hidden).await;
    assert_eq!(status, 404);
    assert!(!html.contains("Ulysses"), "{html}");
    let (code, _) = send_form(
        &app,
        outsider,
        "/api/polls/view",
        &[("id", &hidden.to_string())],
    )
    .await;
    assert_eq!(code, 404);
    let mut tx = bookwork::platform::db::begin_as(&app_pool, None)
        .await
        .unwrap();
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM polls WHERE id = $1")
        .bind(hidden)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, 0, "row security hides a private club's poll");
    tx.rollback().await.unwrap();
    app.stop().await;
}

/// Deleting a poll: a box to tick first (without JavaScript too), then the
/// poll goes with its options and ballots, its books stay on the shelf,
/// its e-mails not yet sent are not sent, and the club's page comes back.
#[sqlx::test]
async fn deleting_a_poll_needs_its_box_ticked_and_keeps_its_books(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let b = books(&pool, club, &["Dune", "Emma"]).await;
    let form = vec![
        ("club".to_owned(), club.to_string()),
        ("title".to_owned(), "Summer".to_owned()),
        ("date".to_owned(), crate::common::in_days(30)),
        ("time".to_owned(), "20:00".to_owned()),
        ("books[]".to_owned(), b[0].to_string()),
        ("books[]".to_owned(), b[1].to_string()),
    ];
    let organiser = &cast.clients[&CMod];
    let (code, _) = send_form(&app, organiser, "/api/polls/create", &form).await;
    assert_eq!(code, 200);
    let poll: Uuid = sqlx::query_scalar("SELECT id FROM polls")
        .fetch_one(&pool)
        .await
        .unwrap();
    let option: Uuid = sqlx::query_scalar("SELECT id FROM poll_options ORDER BY position LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (code, _) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/vote",
        &ballot(poll, &[(option, "1")]),
    )
    .await;
    assert_eq!(code, 200);
    let rows = || async {
        sqlx::query_as::<_, (i64, i64, i64, i64)>(
            "SELECT (SELECT count(*) FROM polls), (SELECT count(*) FROM poll_options),
                    (SELECT count(*) FROM ballots), (SELECT count(*) FROM books)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    assert_eq!(rows().await, (1, 2, 1, 2));
    let pending = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM notifications WHERE email_status = 'pending' AND payload->>'poll_id' = $1",
        )
        .bind(poll.to_string())
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    assert!(pending().await > 0, "the opening was announced");

    let (code, body) = send_form(
        &app,
        organiser,
        "/api/polls/delete",
        &[("poll", &poll.to_string())],
    )
    .await;
    assert_eq!(
        (code, invalid_message(&body, "confirm").as_str()),
        (422, "Tick the box to confirm that the poll should go.")
    );
    let page = format!("/polls/{poll}");
    let (_, html) = crate::common::plain_form_post(
        &app,
        organiser,
        "/api/polls/delete",
        &page,
        &[("poll", poll.to_string())],
    )
    .await;
    assert!(
        html.contains("Tick the box to confirm that the poll should go."),
        "{html}"
    );
    assert_eq!(rows().await, (1, 2, 1, 2), "nothing deleted");

    let (status, html) = crate::common::plain_form_post(
        &app,
        organiser,
        "/api/polls/delete",
        &page,
        &[("poll", poll.to_string()), ("confirm", "yes".to_owned())],
    )
    .await;
    assert_eq!(status, 302);
    assert!(html.contains("<h1>Readers"), "the club's page: {html:.500}");
    assert_eq!(
        rows().await,
        (0, 0, 0, 2),
        "the poll went; its books stayed"
    );
    assert_eq!(pending().await, 0, "no e-mail about a poll that is gone");
    let (code, _) = send_form(
        &app,
        organiser,
        "/api/polls/view",
        &[("id", &poll.to_string())],
    )
    .await;
    assert_eq!(code, 404);
    app.stop().await;
}

/// A write that would change nothing says why instead of answering 200:
/// closing a closed poll, starting the voting twice, making the winner the
/// next read twice.
#[sqlx::test]
async fn a_write_that_changes_nothing_says_why(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let b = books(&pool, club, &["Dune", "Emma"]).await;
    let (poll, o) = poll(&pool, club, &b, false).await;
    sqlx::query("UPDATE polls SET nominating = true WHERE id = $1")
        .bind(poll)
        .execute(&pool)
        .await
        .unwrap();
    let admin = &cast.clients[&CAdm];
    let form = [("poll", poll.to_string())];
    let (code, _) = send_form(&app, admin, "/api/polls/start-voting", &form).await;
    assert_eq!(code, 200);
    let (code, body) = send_form(&app, admin, "/api/polls/start-voting", &form).await;
    assert_eq!(
        (code, body["Conflict"].as_str()),
        (409, Some("Voting has already started."))
    );
    let (code, _) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/vote",
        &ballot(poll, &[(o[1], "1")]),
    )
    .await;
    assert_eq!(code, 200);
    let (code, _) = send_form(&app, admin, "/api/polls/close", &form).await;
    assert_eq!(code, 200);
    let closed_at = || async {
        sqlx::query_scalar::<_, chrono::DateTime<chrono::Utc>>("SELECT closed_at FROM polls")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let first = closed_at().await;
    let (code, body) = send_form(&app, &cast.clients[&Owner], "/api/polls/close", &form).await;
    assert_eq!(
        (code, body["Conflict"].as_str()),
        (409, Some("This poll has already closed."))
    );
    assert_eq!(closed_at().await, first, "closed once");
    let (code, _) = send_form(&app, admin, "/api/polls/next-read", &form).await;
    assert_eq!(code, 200);
    let (code, body) = send_form(&app, &cast.clients[&Owner], "/api/polls/next-read", &form).await;
    assert_eq!(
        (code, body["Conflict"].as_str()),
        (409, Some("“Emma” is already on “Up next”."))
    );
    app.stop().await;
}

/// Who nominated a book tells who is in the club: named to those who may
/// see the members, "a member" to visitors of a public club's poll.
#[sqlx::test]
async fn visitors_are_not_told_who_nominated_what(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let b = books(&pool, club, &["Dune", "Emma"]).await;
    let (poll, _) = poll(&pool, club, &b[..1], false).await;
    sqlx::query("UPDATE polls SET nominating = true WHERE id = $1")
        .bind(poll)
        .execute(&pool)
        .await
        .unwrap();
    let (code, _) = send_form(
        &app,
        &cast.clients[&Mem],
        "/api/polls/nominate",
        &[("poll", poll.to_string()), ("book", b[1].to_string())],
    )
    .await;
    assert_eq!(code, 200);
    for (who, named) in [(Anon, "a member"), (Out, "a member"), (CGuest, "Mem")] {
        let (code, page) = send_form(
            &app,
            &cast.clients[&who],
            "/api/polls/view",
            &[("id", &poll.to_string())],
        )
        .await;
        assert_eq!(code, 200, "{who:?}");
        assert_eq!(
            page["nominated_by"],
            serde_json::json!(["", named]),
            "{who:?}"
        );
    }
    let html = cast.clients[&Anon]
        .get(app.url(&format!("/polls/{poll}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("nominated by a member"), "{html}");
    assert!(!html.contains("nominated by Mem"), "{html}");
    app.stop().await;
}
