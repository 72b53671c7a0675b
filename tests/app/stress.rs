//! No render may hang. Every page route, for a visitor, a member, a club admin
//! and a site admin, in the development and the production configuration, is
//! rendered sixteen at a time (over 2,000 renders in all) against one router
//! per configuration with a short request timeout, while another thread keeps
//! building routers (as every HTTP test does, and as once made renders hang:
//! see `pages_render_while_other_routers_are_built`). Each render must answer
//! the one status that page has for that person (under load, a page's 403
//! once landed on another page's response); one that times out (503 from
//! the deadline), fails or never answers fails the test.
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::common::{spawn_router, test_leptos_options, test_state_with, TestApp, PASSWORD};

/// Renders in flight at once.
const CONCURRENCY: usize = 16;
/// Rounds over every (route, person) pair, per configuration.
const ROUNDS: usize = 15;

/// The rows the pages show.
struct World {
    book: Uuid,
    /// A section of the book's reading schedule.
    section: Uuid,
    poll: Uuid,
    public_club: Uuid,
    private_club: Uuid,
    public_event: Uuid,
    private_event: Uuid,
    invite: String,
}

/// The people who ask, in the order of the statuses in [`pages`].
const PEOPLE: [&str; 4] = ["visitor", "member", "club admin", "site admin"];

/// Every page route with real ids (the page routes the router serves must
/// all be here; see the check in the test), and the status each of
/// [`PEOPLE`] gets: 302 sends a visitor to sign in, 403 refuses someone
/// signed in who may not, 404 hides what a visitor may not know of. The
/// member belongs to both clubs, the club admin owns them, the site admin
/// belongs to neither.
fn pages(w: &World) -> Vec<(&'static str, String, [u16; 4])> {
    const ALL: [u16; 4] = [200, 200, 200, 200];
    const SIGNED_IN: [u16; 4] = [302, 200, 200, 200];
    const ADMINS: [u16; 4] = [302, 403, 200, 200];
    const MEMBERS: [u16; 4] = [404, 200, 200, 200];
    vec![
        ("/", "/".into(), ALL),
        ("/login", "/login?next=/clubs".into(), ALL),
        ("/register", "/register".into(), ALL),
        ("/me", "/me".into(), SIGNED_IN),
        ("/clubs", "/clubs?q=readers&page=1".into(), ALL),
        ("/clubs/new", "/clubs/new".into(), SIGNED_IN),
        ("/clubs/{id}", format!("/clubs/{}", w.public_club), ALL),
        ("/clubs/{id}", format!("/clubs/{}", w.private_club), MEMBERS),
        (
            "/clubs/{id}/members",
            format!("/clubs/{}/members", w.public_club),
            SIGNED_IN,
        ),
        (
            "/clubs/{id}/edit",
            format!("/clubs/{}/edit", w.public_club),
            ADMINS,
        ),
        (
            "/clubs/{id}/events/new",
            format!("/clubs/{}/events/new", w.public_club),
            ADMINS,
        ),
        ("/events/{id}", format!("/events/{}", w.public_event), ALL),
        (
            "/events/{id}",
            format!("/events/{}", w.private_event),
            MEMBERS,
        ),
        (
            "/events/{id}/edit",
            format!("/events/{}/edit", w.public_event),
            ADMINS,
        ),
        // An invitation shows its club to anyone who has the link, and
        // offers a visitor the ways in.
        (
            "/invite/{token}",
            format!("/invite/{}", w.invite),
            [200, 200, 200, 200],
        ),
        (
            "/admin/users",
            "/admin/users?q=a".into(),
            [302, 403, 403, 200],
        ),
        (
            "/admin/system",
            "/admin/system".into(),
            [302, 403, 403, 200],
        ),
        (
            "/clubs/{id}/books",
            format!("/clubs/{}/books", w.public_club),
            ALL,
        ),
        // A public club's book: everyone's to see.
        ("/books/{id}", format!("/books/{}", w.book), ALL),
        (
            "/books/{id}/edit",
            format!("/books/{}/edit", w.book),
            ADMINS,
        ),
        // A public club's schedule is everyone's; its talk is the club's
        // people's and site staff's.
        (
            "/books/{id}/reading",
            format!("/books/{}/reading", w.book),
            ALL,
        ),
        (
            "/reading/{id}",
            format!("/reading/{}", w.section),
            SIGNED_IN,
        ),
        (
            "/events/{id}/questions",
            format!("/events/{}/questions", w.public_event),
            SIGNED_IN,
        ),
        (
            "/events/{id}/discussion",
            format!("/events/{}/discussion", w.public_event),
            SIGNED_IN,
        ),
        (
            "/clubs/{id}/hosting",
            format!("/clubs/{}/hosting", w.public_club),
            SIGNED_IN,
        ),
        (
            "/clubs/{id}/moderation",
            format!("/clubs/{}/moderation", w.public_club),
            ADMINS,
        ),
        (
            "/clubs/{id}/polls/new",
            format!("/clubs/{}/polls/new", w.public_club),
            ADMINS,
        ),
        (
            "/clubs/{id}/polls/new-date",
            format!("/clubs/{}/polls/new-date", w.public_club),
            ADMINS,
        ),
        // A public club's poll is for everyone to see (AUTHZ.md).
        ("/polls/{id}", format!("/polls/{}", w.poll), ALL),
        // A book poll: only a date poll becomes a meeting (409), and only
        // for those who organise.
        (
            "/polls/{id}/plan",
            format!("/polls/{}/plan?option={}", w.poll, w.poll),
            [302, 403, 409, 409],
        ),
        ("/notifications", "/notifications".into(), SIGNED_IN),
        // A link that is not valid: the page says so.
        ("/unsubscribe", "/unsubscribe?token=nonsense".into(), ALL),
        ("(none)", "/no/such/page".into(), [404, 404, 404, 404]),
    ]
}

async fn world(pool: &PgPool, owner: Uuid, member: Uuid) -> World {
    let club = |public: bool| async move {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Readers', $1, $2) RETURNING id",
        )
        .bind(owner)
        .bind(public)
        .fetch_one(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin'), ($1, $3, 'member')",
        )
        .bind(id)
        .bind(owner)
        .bind(member)
        .execute(pool)
        .await
        .unwrap();
        id
    };
    let (public_club, private_club) = (club(true).await, club(false).await);
    let event = |club: Uuid, public: bool| async move {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO events (club_id, title, event_date, event_time, location, is_public, max_attendees)
             VALUES ($1, 'Meet', current_date + 30, '19:00', 'Library', $2, 3) RETURNING id",
        )
        .bind(club)
        .bind(public)
        .fetch_one(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO event_items (event_id, name, category, assigned_to) VALUES ($1, 'Snacks', 'task', $2);
             ",
        )
        .bind(id)
        .bind(member)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO availability (event_id, user_id, status, arrival) VALUES ($1, $2, 'available', nextval('availability_arrival_seq'))",
        )
        .bind(id)
        .bind(member)
        .execute(pool)
        .await
        .unwrap();
        id
    };
    let (public_event, private_event) = (
        event(public_club, true).await,
        event(private_club, false).await,
    );
    let book: Uuid =
        sqlx::query_scalar("INSERT INTO books (club_id, title) VALUES ($1, 'Dune') RETURNING id")
            .bind(public_club)
            .fetch_one(pool)
            .await
            .unwrap();
    let poll: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, title, closes_at) VALUES ($1, 'Next', now() + interval '3 days') RETURNING id",
    )
    .bind(public_club)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO poll_options (poll_id, position, book_id) VALUES ($1, 1, $2)")
        .bind(poll)
        .bind(book)
        .execute(pool)
        .await
        .unwrap();
    let section: Uuid = sqlx::query_scalar(
        "INSERT INTO reading_sections (club_id, book_id, title, target_date)
         VALUES ($1, $2, 'Part one', current_date + 7) RETURNING id",
    )
    .bind(public_club)
    .bind(book)
    .fetch_one(pool)
    .await
    .unwrap();
    World {
        book,
        section,
        poll,
        public_club,
        private_club,
        public_event,
        private_event,
        invite: String::new(),
    }
}

/// Signs `email` in on `app`; the Cookie header that carries the sign-in
/// (built by hand: over https the cookies are Secure, and a cookie store
/// would not send them to this plain-http test server).
async fn sign_in(app: &TestApp, email: &str) -> String {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/api/auth/login"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "signing {email} in");
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .filter(|pair| pair.contains("bw_"))
        .map(str::to_owned)
        .collect();
    assert_eq!(cookies.len(), 2, "access and refresh cookies");
    cookies.join("; ")
}

#[sqlx::test]
async fn every_page_renders_under_concurrent_load_without_hanging(pool: PgPool) {
    // Three accounts, made through the real sign-up.
    let setup = spawn_router(
        bookwork::server::http::router(test_state_with(
            &pool,
            test_leptos_options("target/site"),
            &[],
        )),
        pool.clone(),
    )
    .await;
    for (name, email) in [
        ("Owner", "owner@example.com"),
        ("Member", "member@example.com"),
        ("Admin", "admin@example.com"),
    ] {
        crate::common::sign_up(&setup, name, email).await;
    }
    setup.stop().await;
    sqlx::query("UPDATE users SET role = 'admin' WHERE email = 'admin@example.com'")
        .execute(&pool)
        .await
        .unwrap();
    let id = |email: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let mut w = world(
        &pool,
        id("owner@example.com").await,
        id("member@example.com").await,
    )
    .await;
    let token = "stress-invite-token";
    sqlx::query(
        "INSERT INTO club_invites (club_id, token_hash, expires_at, max_uses, created_by)
         VALUES ($1, encode(sha256($2::bytea), 'hex'), now() + interval '7 days', 5, $3)",
    )
    .bind(w.private_club)
    .bind(token)
    .bind(id("owner@example.com").await)
    .execute(&pool)
    .await
    .unwrap();
    w.invite = token.to_owned();

    // Every page route the router serves is in the list.
    let served: BTreeSet<String> = bookwork::server::http::page_paths().into_iter().collect();
    let listed: BTreeSet<String> = pages(&w).iter().map(|(t, _, _)| t.to_string()).collect();
    let missing: Vec<_> = served.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "add these pages to the stress test: {missing:?}"
    );

    // Meanwhile, routers are built over and over on another thread.
    let building = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let builder = {
        let building = building.clone();
        let state = test_state_with(&pool, test_leptos_options("target/site"), &[]);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                while building.load(std::sync::atomic::Ordering::Relaxed) {
                    drop(bookwork::server::http::router(state.clone()));
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            });
        })
    };

    let mut renders = 0;
    let mut failures = Vec::new();
    for (config, extra) in [
        ("development", vec![("REQUEST_TIMEOUT", "5s")]),
        (
            "production",
            vec![
                ("REQUEST_TIMEOUT", "5s"),
                ("ENVIRONMENT", "production"),
                ("COOKIE_SECURE", "true"),
                ("PUBLIC_URL", "https://books.example.org"),
            ],
        ),
    ] {
        let app = spawn_router(
            bookwork::server::http::router(test_state_with(
                &pool,
                test_leptos_options("target/site"),
                &extra,
            )),
            pool.clone(),
        )
        .await;
        let people = [
            String::new(),
            sign_in(&app, "member@example.com").await,
            sign_in(&app, "owner@example.com").await,
            sign_in(&app, "admin@example.com").await,
        ];
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A backstop: the server's own deadline (5 s) answers first.
            .timeout(Duration::from_secs(15))
            .build()
            .unwrap();
        let slots = Arc::new(Semaphore::new(CONCURRENCY));
        let mut in_flight = tokio::task::JoinSet::new();
        for _ in 0..ROUNDS {
            for (person, cookie) in people.iter().enumerate() {
                for (_, path, statuses) in pages(&w) {
                    let (who, want) = (PEOPLE[person], statuses[person]);
                    let permit = slots.clone().acquire_owned().await.unwrap();
                    let mut request = client.get(app.url(&path)).header("accept", "text/html");
                    if !cookie.is_empty() {
                        request = request.header("cookie", cookie);
                    }
                    let label = format!("{config}, {who}, {path}");
                    in_flight.spawn(async move {
                        let outcome = match request.send().await {
                            Ok(response) => {
                                let status = response.status().as_u16();
                                // A visitor is sent to sign in, and back here after.
                                let location = response
                                    .headers()
                                    .get("location")
                                    .and_then(|l| l.to_str().ok())
                                    .map(str::to_owned);
                                let to_sign_in = location
                                    .as_deref()
                                    .is_some_and(|l| l.starts_with("/login?next="));
                                match response.text().await {
                                    Ok(_) if status == want && (want != 302 || to_sign_in) => {
                                        Ok(())
                                    }
                                    Ok(body) => Err(format!(
                                        "{status} (not {want}), to {location:?}: {body:.200}"
                                    )),
                                    Err(err) => Err(format!("{status}, body failed: {err}")),
                                }
                            }
                            Err(err) => Err(format!("no answer: {err}")),
                        };
                        drop(permit);
                        outcome.map_err(|e| format!("{label}: {e}"))
                    });
                }
            }
        }
        for outcome in in_flight.join_all().await {
            renders += 1;
            if let Err(failure) = outcome {
                failures.push(failure);
            }
        }
        app.stop().await;
    }
    building.store(false, std::sync::atomic::Ordering::Relaxed);
    builder.join().unwrap();

    assert!(renders >= 2000, "only {renders} renders");
    assert!(
        failures.is_empty(),
        "{} of {renders} renders answered the wrong status, failed or hung:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
