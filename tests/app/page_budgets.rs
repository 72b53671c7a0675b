//! What a page costs the database: every page route asked by a signed-in
//! member, counting what the server actually sends through a relay on its
//! connections (`common::wire`). A page reads everything it shows in one
//! transaction, with few statements, whatever the amount of data: the club
//! here has several members, meetings, books and polls, so a query per row
//! shows up as a page over its budget.
use sqlx::PgPool;
use uuid::Uuid;

use crate::common::wire::Sent;
use crate::common::{sign_up, spawn_app_counted};

/// What a page may cost: one transaction, and at most six statements other
/// than BEGIN/COMMIT, the session check and setting the viewer included.
const BUDGET: (usize, usize) = (1, 6);

struct Page {
    route: &'static str,
    path: String,
    /// A visitor may see it too (the club is public).
    public: bool,
    /// A club admin sees more on it than a member does.
    admin_sees_more: bool,
}

struct World {
    /// A book with a reading schedule, and its first section's discussion.
    reading: Uuid,
    section: Uuid,
    club: Uuid,
    event: Uuid,
    poll: Uuid,
    date_poll: Uuid,
    /// A book poll still taking nominations: its page also offers the
    /// shelf's books to nominate.
    nominating: Uuid,
    book: Uuid,
    /// One of the date poll's dates, to plan the meeting on.
    date_option: Uuid,
}

async fn world(pool: &PgPool, people: &[Uuid]) -> World {
    let (owner, member) = (people[0], people[1]);
    let club: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Readers', $1, true) RETURNING id",
    )
    .bind(owner)
    .fetch_one(pool)
    .await
    .unwrap();
    for (i, person) in people.iter().enumerate() {
        let role = if i == 0 { "admin" } else { "member" };
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(club)
            .bind(person)
            .bind(role)
            .execute(pool)
            .await
            .unwrap();
    }
    // A second club of the member's, so lists have more than one of each.
    let other: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Night owls', $1, false) RETURNING id",
    )
    .bind(member)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin')")
        .bind(other)
        .bind(member)
        .execute(pool)
        .await
        .unwrap();
    let mut events = Vec::new();
    for (days, on) in [(-10, club), (7, club), (14, club), (21, club), (9, other)] {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO events (club_id, title, event_date, event_time, location, is_public, max_attendees)
             VALUES ($1, 'Meeting', current_date + $2, '19:00', 'Library', true, 3) RETURNING id",
        )
        .bind(on)
        .bind(days)
        .fetch_one(pool)
        .await
        .unwrap();
        events.push(id);
    }
    let event = events[1];
    for (i, person) in people.iter().enumerate() {
        // Four answers for three places: one waits.
        sqlx::query(
            "INSERT INTO availability (event_id, user_id, status, arrival)
             VALUES ($1, $2, 'available', nextval('availability_arrival_seq'))",
        )
        .bind(event)
        .bind(person)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO event_items (event_id, name, category, assigned_to) VALUES ($1, $2, 'task', $3)",
        )
        .bind(event)
        .bind(format!("Task {i}"))
        .bind(person)
        .execute(pool)
        .await
        .unwrap();
    }
    sqlx::query("UPDATE availability SET waitlisted = true WHERE event_id = $1 AND user_id = $2")
        .bind(event)
        .bind(people[3])
        .execute(pool)
        .await
        .unwrap();
    let mut books = Vec::new();
    for title in ["Dune", "Emma", "Ulysses", "Beloved", "Middlemarch"] {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO books (club_id, title, suggested_by) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(club)
        .bind(title)
        .bind(member)
        .fetch_one(pool)
        .await
        .unwrap();
        books.push(id);
    }
    let poll: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, title, closes_at, created_by) VALUES ($1, 'Next', now() + interval '3 days', $2) RETURNING id",
    )
    .bind(club)
    .bind(owner)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut options = Vec::new();
    for (position, book) in books.iter().take(3).enumerate() {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO poll_options (poll_id, position, book_id) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(poll)
        .bind(position as i32 + 1)
        .bind(book)
        .fetch_one(pool)
        .await
        .unwrap();
        options.push(id);
    }
    for person in &people[..3] {
        sqlx::query("INSERT INTO ballots (poll_id, user_id, ranking) VALUES ($1, $2, $3)")
            .bind(poll)
            .bind(person)
            .bind(&options)
            .execute(pool)
            .await
            .unwrap();
    }
    let date_poll: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, kind, title, closes_at, time_zone, place, created_by)
         VALUES ($1, 'date', 'When', now() + interval '3 days', 'Europe/London', 'Library', $2) RETURNING id",
    )
    .bind(club)
    .bind(owner)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut date_options = Vec::new();
    for position in 1..=3 {
        let option: Uuid = sqlx::query_scalar(
            "INSERT INTO poll_options (poll_id, position, starts_on, starts_time)
             VALUES ($1, $2, current_date + 20 + $2, '19:00') RETURNING id",
        )
        .bind(date_poll)
        .bind(position)
        .fetch_one(pool)
        .await
        .unwrap();
        date_options.push(option);
        for person in &people[..3] {
            sqlx::query(
                "INSERT INTO date_answers (option_id, poll_id, user_id, answer) VALUES ($1, $2, $3, 'yes')",
            )
            .bind(option)
            .bind(date_poll)
            .bind(person)
            .execute(pool)
            .await
            .unwrap();
        }
    }
    let nominating: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, title, closes_at, created_by, nominating, nomination_cap)
         VALUES ($1, 'Suggest', now() + interval '5 days', $2, true, 2) RETURNING id",
    )
    .bind(club)
    .bind(owner)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO poll_options (poll_id, position, book_id, nominated_by) VALUES ($1, 1, $2, $3)",
    )
    .bind(nominating)
    .bind(books[3])
    .bind(member)
    .execute(pool)
    .await
    .unwrap();
    // A schedule of three sections for the book everyone reads, several
    // comments in the first (which the member has finished) and replies.
    let reading = books[0];
    let mut sections = Vec::new();
    for (i, title) in ["Part one", "Part two", "Part three"].iter().enumerate() {
        sections.push(
            sqlx::query_scalar::<_, Uuid>(
                "INSERT INTO reading_sections (club_id, book_id, title, target_date)
                 VALUES ($1, $2, $3, current_date + $4) RETURNING id",
            )
            .bind(club)
            .bind(reading)
            .bind(title)
            .bind(7 * (i as i32 + 1))
            .fetch_one(pool)
            .await
            .unwrap(),
        );
    }
    for who in [owner, member] {
        sqlx::query("INSERT INTO reading_marks (section_id, club_id, user_id) VALUES ($1, $2, $3)")
            .bind(sections[0])
            .bind(club)
            .bind(who)
            .execute(pool)
            .await
            .unwrap();
        for n in 0..3 {
            let said: Uuid = sqlx::query_scalar(
                "INSERT INTO comments (club_id, section_id, author_id, body) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(club)
            .bind(sections[0])
            .bind(who)
            .bind(format!("Thought {n}"))
            .fetch_one(pool)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO comments (club_id, section_id, author_id, body, parent_id) VALUES ($1, $2, $3, 'Agreed', $4)",
            )
            .bind(club)
            .bind(sections[0])
            .bind(who)
            .bind(said)
            .execute(pool)
            .await
            .unwrap();
        }
    }
    // The meeting's discussion: a comment from each, and replies.
    for who in [owner, member] {
        let said: Uuid = sqlx::query_scalar(
            "INSERT INTO comments (club_id, event_id, author_id, body) VALUES ($1, $2, $3, 'Who brings tea?') RETURNING id",
        )
        .bind(club)
        .bind(event)
        .bind(who)
        .fetch_one(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO comments (club_id, event_id, author_id, body, parent_id) VALUES ($1, $2, $3, 'I will', $4)",
        )
        .bind(club)
        .bind(event)
        .bind(who)
        .bind(said)
        .execute(pool)
        .await
        .unwrap();
    }
    // Everyone takes turns hosting, and each coming meeting has a host.
    sqlx::query("INSERT INTO host_volunteers (club_id, user_id) SELECT club_id, user_id FROM club_members WHERE club_id = $1")
        .bind(club)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE events SET host_id = $2 WHERE club_id = $1")
        .bind(club)
        .bind(member)
        .execute(pool)
        .await
        .unwrap();
    World {
        reading,
        section: sections[0],
        club,
        event,
        poll,
        date_poll,
        nominating,
        // In no poll: its suggester may still edit it.
        book: books[4],
        date_option: date_options[0],
    }
}

/// Who looks at the pages: Mina, a member of the club, and Olive, who owns
/// it (a club admin sees more: the people a task can go to, invitations).
struct Cast {
    member: reqwest::Client,
    admin: reqwest::Client,
}

/// Four people sign up (Olive owns the club, Mina is the member who looks)
/// and the world is made for them.
async fn cast(app: &crate::common::TestApp, pool: &PgPool) -> (Cast, World) {
    let mut people = Vec::new();
    let (mut member, mut admin) = (None, None);
    for name in ["Olive", "Mina", "Theo", "Ada"] {
        let email = format!("{}@example.com", name.to_lowercase());
        let client = sign_up(app, name, &email).await;
        people.push(
            sqlx::query_scalar::<_, Uuid>("SELECT id FROM users WHERE email = $1")
                .bind(&email)
                .fetch_one(pool)
                .await
                .unwrap(),
        );
        match name {
            "Mina" => member = Some(client),
            "Olive" => admin = Some(client),
            _ => {}
        }
    }
    let cast = Cast {
        member: member.unwrap(),
        admin: admin.unwrap(),
    };
    (cast, world(pool, &people).await)
}

fn pages(w: &World) -> Vec<Page> {
    let page = |route, path: String, public, admin_sees_more| Page {
        route,
        path,
        public,
        admin_sees_more,
    };
    vec![
        page("/", "/".into(), true, false),
        page("/clubs", "/clubs".into(), true, false),
        page("/clubs/{id}", format!("/clubs/{}", w.club), true, true),
        page(
            "/clubs/{id}/members",
            format!("/clubs/{}/members", w.club),
            false,
            true,
        ),
        page(
            "/clubs/{id}/books",
            format!("/clubs/{}/books", w.club),
            true,
            true,
        ),
        page(
            "/books/{id}/reading",
            format!("/books/{}/reading", w.reading),
            true,
            true,
        ),
        page(
            "/reading/{id}",
            format!("/reading/{}", w.section),
            false,
            false,
        ),
        page(
            "/events/{id}/discussion",
            format!("/events/{}/discussion", w.event),
            false,
            false,
        ),
        page(
            "/clubs/{id}/hosting",
            format!("/clubs/{}/hosting", w.club),
            false,
            true,
        ),
        page("/events/{id}", format!("/events/{}", w.event), true, true),
        page("/polls/{id}", format!("/polls/{}", w.poll), true, true),
        page(
            "/polls/{id} (nominating)",
            format!("/polls/{}", w.nominating),
            true,
            true,
        ),
        page(
            "/polls/{id} (dates)",
            format!("/polls/{}", w.date_poll),
            true,
            true,
        ),
    ]
}

fn describe(sent: &Sent) -> String {
    sent.sent
        .iter()
        .map(|(connection, sql)| {
            let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            format!("    [{connection}] {sql}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[sqlx::test]
async fn every_page_reads_in_one_transaction_within_its_budget(pool: PgPool) {
    let (app, relay) = spawn_app_counted(pool.clone()).await;
    let (people, w) = cast(&app, &pool).await;
    let visitor = crate::common::cookie_client();
    let mut report = Vec::new();
    let mut over = Vec::new();
    for page in pages(&w) {
        let mut viewers = vec![("a member", &people.member)];
        if page.admin_sees_more {
            viewers.push(("a club admin", &people.admin));
        }
        if page.public {
            viewers.push(("a visitor", &visitor));
        }
        for (who, client) in viewers {
            // Once to warm the connection up, once counted.
            let warm = client.get(app.url(&page.path)).send().await.unwrap();
            assert_eq!(warm.status(), 200, "{} as {who}", page.route);
            relay.clear();
            let response = client.get(app.url(&page.path)).send().await.unwrap();
            assert_eq!(response.status(), 200, "{} as {who}", page.route);
            response.text().await.unwrap();
            let sent = relay.sent();
            let (transactions, statements) = (sent.transactions(), sent.queries().len());
            report.push(format!(
                "{} as {who}: {transactions} transaction(s), {statements} statement(s), \
                 {} round trip(s)",
                page.route,
                sent.round_trips.len()
            ));
            // A signed-in page's session check travels with its BEGIN.
            let first = sent.round_trips.iter().find(|(_, sqls)| !sqls.is_empty());
            let checked_on_begin = first.is_some_and(|(_, sqls)| {
                sqls.len() == 2 && sqls[0] == "BEGIN" && sqls[1].contains("check_sign_in")
            });
            if who != "a visitor" && !checked_on_begin {
                over.push(format!(
                    "{} as {who} did not check the sign-in in the message that begins \
                     its transaction:\n{}",
                    page.route,
                    describe(&sent)
                ));
            }
            if transactions > BUDGET.0 || statements > BUDGET.1 {
                over.push(format!(
                    "{} as {who} sent {statements} statements in {transactions} transactions \
                     (budget: {} in {}):\n{}",
                    page.route,
                    BUDGET.1,
                    BUDGET.0,
                    describe(&sent)
                ));
            }
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(over.is_empty(), "pages over budget:\n{}", over.join("\n\n"));
}

/// The pages outside the budget table (forms, a person's own pages, the
/// site admin's) read in one transaction too.
#[sqlx::test]
async fn every_other_page_reads_in_one_transaction(pool: PgPool) {
    let (app, relay) = spawn_app_counted(pool.clone()).await;
    let (people, w) = cast(&app, &pool).await;
    // Olive also runs the site.
    sqlx::query("UPDATE users SET role = 'admin' WHERE email = 'olive@example.com'")
        .execute(&pool)
        .await
        .unwrap();
    let (member, admin) = (&people.member, &people.admin);
    let pages = [
        ("/me".to_owned(), member),
        ("/notifications".to_owned(), member),
        ("/clubs/new".to_owned(), member),
        (format!("/clubs/{}/edit", w.club), admin),
        (format!("/clubs/{}/moderation", w.club), admin),
        (format!("/clubs/{}/events/new", w.club), admin),
        (format!("/events/{}/edit", w.event), admin),
        (format!("/clubs/{}/polls/new", w.club), admin),
        (format!("/clubs/{}/polls/new-date", w.club), admin),
        (
            format!("/polls/{}/plan?option={}", w.date_poll, w.date_option),
            admin,
        ),
        (format!("/books/{}/edit", w.book), member),
        ("/admin/users".to_owned(), admin),
        ("/admin/system".to_owned(), admin),
    ];
    let mut report = Vec::new();
    let mut over = Vec::new();
    for (path, client) in pages {
        let warm = client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(warm.status(), 200, "{path}");
        relay.clear();
        let response = client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        response.text().await.unwrap();
        let sent = relay.sent();
        let transactions = sent.transactions();
        report.push(format!(
            "{path}: {transactions} transaction(s), {} statement(s)",
            sent.queries().len()
        ));
        if transactions != 1 {
            over.push(format!(
                "{path} used {transactions} transactions:\n{}",
                describe(&sent)
            ));
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        over.is_empty(),
        "pages not in one transaction:\n{}",
        over.join("\n\n")
    );
}

/// A page holds its transaction's connection while it renders, so nothing
/// during a GET may wait for a second one: with every connection held by a
/// request waiting for another, they would all wait until the pool gives up
/// (503). With two connections and many signed-in requests at once (the
/// `.ics` files and pages whose reads do not depend on the viewer among
/// them), every request is answered.
#[sqlx::test]
async fn a_request_never_waits_for_a_second_connection(pool: PgPool) {
    let app = crate::common::spawn_app_with(
        pool.clone(),
        &[("DB_MAX_OPEN_CONNS", "2"), ("DB_MAX_IDLE_CONNS", "1")],
    )
    .await;
    let (people, w) = cast(&app, &pool).await;
    let member = people.member;
    let (status, link) = crate::common::call(&app, &member, "/api/calendar/reset", &[]).await;
    assert_eq!(status, 200, "{link}");
    let link = link.as_str().unwrap().to_owned();
    let feed = format!(
        "/{}",
        link.split_once("://").unwrap().1.split_once('/').unwrap().1
    );
    let paths = [
        feed,
        format!("/events/{}/calendar.ics", w.event),
        "/me".to_owned(),
        "/".to_owned(),
        format!("/clubs/{}", w.club),
    ];
    let requests = (0..24).map(|i| {
        let path = paths[i % paths.len()].clone();
        let member = member.clone();
        let url = app.url(&path);
        async move {
            let status = member.get(url).send().await.unwrap().status().as_u16();
            (path, status)
        }
    });
    let answers = futures_util::future::join_all(requests).await;
    let refused: Vec<_> = answers.iter().filter(|(_, s)| *s != 200).collect();
    assert!(refused.is_empty(), "not answered: {refused:?}");
}

/// Health checks and static files are not pages: they never look up who is
/// asking, so a signed-in browser fetching the bundle or a probe costs the
/// database nothing (and `/readyz` only its own `SELECT 1`).
#[sqlx::test]
async fn health_checks_and_files_do_not_check_the_sign_in(pool: PgPool) {
    let (app, relay) = spawn_app_counted(pool.clone()).await;
    let member = cast(&app, &pool).await.0.member;
    for (path, expected) in [
        ("/pkg/bookwork.css", vec![]),
        ("/healthz", vec![]),
        ("/favicon.svg", vec![]),
        ("/readyz", vec!["SELECT 1"]),
    ] {
        relay.clear();
        member.get(app.url(path)).send().await.unwrap();
        let sent = relay.sent();
        let statements: Vec<&str> = sent.sent.iter().map(|(_, sql)| sql.as_str()).collect();
        assert_eq!(statements, expected, "{path}");
    }
}
