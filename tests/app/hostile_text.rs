//! Every page route × every user-controlled text it shows, filled with
//! hostile strings: the served HTML, read by a real HTML5 parser as a browser
//! would, must have exactly the shape it has with plain words (the same
//! elements with the same attributes, comments and scripts, one `<title>`),
//! and must show each text as its own characters (no `&amp;amp;`). A page or
//! a field that forgets to escape, including the document title that the
//! framework writes unescaped (see `bookwork::app::document_title`), fails
//! here; so does a new page route not listed in `routes`.
//!
//! Every text is written straight into the database (the owner's pool), so
//! what the forms refuse is tried too: data from an older version or another
//! door must not break a page either. (Addresses cannot hold markup: the
//! database refuses it.)
use std::collections::BTreeSet;

use scraper::{Html, Node};
use sqlx::PgPool;
use uuid::Uuid;

use crate::common::{sign_in, sign_up, spawn_app, TestApp};

/// Plain words: the shape every page must keep.
const PLAIN: &str = "Plain words";

/// Text that would change a page's shape if it reached the HTML unescaped:
/// out of the title, out of an attribute (both quotes), out of the
/// page's inline scripts, into a comment, out of a textarea or style, and
/// entities that must not be decoded twice. At most 42 characters, so that
/// each fits its column with its field's tag (the shortest, how often a club
/// meets, holds 50).
const HOSTILE: &[&str] = &[
    "</title><base href=//evil.example/>",
    "<meta http-equiv=refresh content=0>",
    "\"><img src=x onerror=alert(1)>",
    "'><b title='x'>",
    "</script><script>alert(1)</script>",
    "<!-- --><![CDATA[ ]]>",
    "</textarea></style><svg onload=alert(1)>",
    "Tom & Jerry's <Club> &amp; &lt;",
];

/// A field's text in a round: its tag, so that the page can be searched for
/// each field on its own, then the round's string.
fn text(tag: &str, s: &str) -> String {
    format!("{tag}: {s}")
}

/// An address: the database holds only letters, digits and `._%+-` in
/// one (`check_email_format`), so it is the same in every round.
fn email(tag: &str, _s: &str) -> String {
    format!("{tag}@example.com")
}

/// The user-controlled texts (their tags), each written by [`fill`].
const CLUB_NAME: &str = "club-name";
const CLUB_DESCRIPTION: &str = "club-description";
const CLUB_MEETS: &str = "meets";
const CLUB_LOCATION: &str = "club-location";
const CLUB_TAG: &str = "club-tag";
const OWNER_NAME: &str = "owner-name";
const MEMBER_NAME: &str = "member-name";
const MEMBER_EMAIL: &str = "member-email";
const USER_AGENT: &str = "user-agent";
const EVENT_TITLE: &str = "event-title";
const EVENT_DESCRIPTION: &str = "event-description";
const EVENT_LOCATION: &str = "event-location";
const ITEM_NAME: &str = "item-name";
const ITEM_NOTES: &str = "item-notes";
const RSVP_NOTE: &str = "rsvp-note";
const BOOK_TITLE: &str = "book-title";
const BOOK_AUTHORS: &str = "book-authors";
const BOOK_DESCRIPTION: &str = "book-description";
const BOOK_COVER: &str = "book-cover";
const POLL_TITLE: &str = "poll-title";
const DATE_POLL_TITLE: &str = "date-poll-title";
const DATE_POLL_PLACE: &str = "date-poll-place";
const SECTION_TITLE: &str = "section-title";
const QUESTION_TEXT: &str = "question-text";
/// A comment is Markdown: it keeps the page's shape like every text, but is
/// shown as Markdown reads it (`&amp;` is an ampersand), so no page lists
/// it among the texts it must show verbatim.
const COMMENT_BODY: &str = "comment-body";
/// What a visitor typed into the address: search words, `next=`.
const QUERY: &str = "query";

/// The rows the pages show.
struct World {
    owner: Uuid,
    member: Uuid,
    club: Uuid,
    event: Uuid,
    book: Uuid,
    poll: Uuid,
    date_poll: Uuid,
    date_option: Uuid,
    invite: String,
    /// A section of the book's schedule, with the owner's comment in it.
    section: Uuid,
}

/// A page route: its template (as the router names it), the address asked
/// for in a round with string `s`, the field its `<title>` shows (if any,
/// with the words around it), and the fields the page must show.
struct Route {
    template: &'static str,
    path: String,
    title: Option<(&'static str, &'static str)>,
    shows: &'static [&'static str],
}

fn routes(w: &World, s: &str) -> Vec<Route> {
    let q = |tag: &str| {
        url::form_urlencoded::byte_serialize(text(tag, s).as_bytes()).collect::<String>()
    };
    let route = |template, path: String, title, shows| Route {
        template,
        path,
        title,
        shows,
    };
    vec![
        route(
            "/",
            "/".into(),
            None,
            &[CLUB_NAME, EVENT_TITLE, ITEM_NAME, POLL_TITLE],
        ),
        route("/login", format!("/login?next=%2F{}", q(QUERY)), None, &[]),
        route("/register", "/register".into(), None, &[]),
        route("/me", "/me".into(), None, &[OWNER_NAME, USER_AGENT]),
        route("/clubs", format!("/clubs?q={}", q(QUERY)), None, &[QUERY]),
        route(
            "/clubs",
            "/clubs".into(),
            None,
            &[
                CLUB_NAME,
                CLUB_DESCRIPTION,
                CLUB_MEETS,
                CLUB_LOCATION,
                CLUB_TAG,
            ],
        ),
        route("/clubs/new", "/clubs/new".into(), None, &[]),
        route(
            "/clubs/{id}",
            format!("/clubs/{}", w.club),
            Some(("", CLUB_NAME)),
            &[
                CLUB_NAME,
                CLUB_DESCRIPTION,
                CLUB_MEETS,
                CLUB_LOCATION,
                EVENT_TITLE,
                POLL_TITLE,
                DATE_POLL_TITLE,
            ],
        ),
        route(
            "/clubs/{id}/members",
            format!("/clubs/{}/members", w.club),
            Some(("Members of ", CLUB_NAME)),
            &[CLUB_NAME, OWNER_NAME, MEMBER_NAME, MEMBER_EMAIL],
        ),
        route(
            "/clubs/{id}/edit",
            format!("/clubs/{}/edit", w.club),
            None,
            &[
                CLUB_NAME,
                CLUB_DESCRIPTION,
                CLUB_MEETS,
                CLUB_LOCATION,
                CLUB_TAG,
            ],
        ),
        route(
            "/clubs/{id}/events/new",
            format!("/clubs/{}/events/new", w.club),
            None,
            &[CLUB_NAME],
        ),
        route(
            "/events/{id}",
            format!("/events/{}", w.event),
            Some(("", EVENT_TITLE)),
            &[
                EVENT_TITLE,
                EVENT_DESCRIPTION,
                EVENT_LOCATION,
                CLUB_NAME,
                ITEM_NAME,
                ITEM_NOTES,
                RSVP_NOTE,
                MEMBER_NAME,
                BOOK_TITLE,
            ],
        ),
        route(
            "/clubs/{id}/moderation",
            format!("/clubs/{}/moderation", w.club),
            Some(("Moderation · ", CLUB_NAME)),
            &[CLUB_NAME, OWNER_NAME, SECTION_TITLE, BOOK_TITLE],
        ),
        route(
            "/clubs/{id}/hosting",
            format!("/clubs/{}/hosting", w.club),
            Some(("Hosting · ", CLUB_NAME)),
            &[CLUB_NAME, EVENT_TITLE, MEMBER_NAME],
        ),
        route(
            "/events/{id}/discussion",
            format!("/events/{}/discussion", w.event),
            Some(("Discussion · ", EVENT_TITLE)),
            &[EVENT_TITLE, CLUB_NAME, OWNER_NAME],
        ),
        route(
            "/events/{id}/questions",
            format!("/events/{}/questions", w.event),
            None,
            &[
                EVENT_TITLE,
                CLUB_NAME,
                QUESTION_TEXT,
                MEMBER_NAME,
                SECTION_TITLE,
            ],
        ),
        route(
            "/events/{id}/edit",
            format!("/events/{}/edit", w.event),
            None,
            &[EVENT_TITLE, EVENT_DESCRIPTION, EVENT_LOCATION],
        ),
        route(
            "/invite/{token}",
            format!("/invite/{}", w.invite),
            None,
            &[CLUB_NAME],
        ),
        route(
            "/admin/users",
            format!("/admin/users?q={}", q(QUERY)),
            None,
            &[QUERY],
        ),
        route(
            "/admin/users",
            "/admin/users".into(),
            None,
            &[OWNER_NAME, MEMBER_NAME, MEMBER_EMAIL],
        ),
        route("/admin/system", "/admin/system".into(), None, &[]),
        route(
            "/clubs/{id}/books",
            format!("/clubs/{}/books", w.club),
            None,
            &[
                CLUB_NAME,
                BOOK_TITLE,
                BOOK_AUTHORS,
                BOOK_DESCRIPTION,
                MEMBER_NAME,
            ],
        ),
        route(
            "/books/{id}",
            format!("/books/{}", w.book),
            None,
            &[
                CLUB_NAME,
                BOOK_TITLE,
                BOOK_AUTHORS,
                BOOK_DESCRIPTION,
                BOOK_COVER,
            ],
        ),
        route(
            "/books/{id}/reading",
            format!("/books/{}/reading", w.book),
            None,
            &[
                BOOK_TITLE,
                CLUB_NAME,
                SECTION_TITLE,
                OWNER_NAME,
                MEMBER_NAME,
            ],
        ),
        route(
            "/reading/{id}",
            format!("/reading/{}", w.section),
            None,
            &[SECTION_TITLE, BOOK_TITLE, OWNER_NAME],
        ),
        route(
            "/books/{id}/edit",
            format!("/books/{}/edit", w.book),
            None,
            &[BOOK_TITLE, BOOK_AUTHORS, BOOK_DESCRIPTION, BOOK_COVER],
        ),
        route(
            "/clubs/{id}/polls/new",
            format!("/clubs/{}/polls/new", w.club),
            None,
            &[CLUB_NAME, BOOK_TITLE],
        ),
        route(
            "/clubs/{id}/polls/new-date",
            format!("/clubs/{}/polls/new-date", w.club),
            None,
            &[CLUB_NAME, BOOK_TITLE],
        ),
        route(
            "/polls/{id}",
            format!("/polls/{}", w.poll),
            Some(("", POLL_TITLE)),
            &[POLL_TITLE, CLUB_NAME, BOOK_TITLE, BOOK_AUTHORS],
        ),
        route(
            "/polls/{id}",
            format!("/polls/{}", w.date_poll),
            Some(("", DATE_POLL_TITLE)),
            &[
                DATE_POLL_TITLE,
                DATE_POLL_PLACE,
                CLUB_NAME,
                BOOK_TITLE,
                MEMBER_NAME,
            ],
        ),
        route(
            "/polls/{id}/plan",
            format!("/polls/{}/plan?option={}", w.date_poll, w.date_option),
            None,
            &[DATE_POLL_TITLE, DATE_POLL_PLACE],
        ),
        route(
            "/notifications",
            "/notifications".into(),
            None,
            &[EVENT_TITLE, CLUB_NAME, ITEM_NAME, MEMBER_NAME],
        ),
        route(
            "/unsubscribe",
            format!("/unsubscribe?token={}", q(QUERY)),
            None,
            &[],
        ),
        route("(none)", format!("/no/such/{}", q(QUERY)), None, &[]),
    ]
}

/// Makes the rows once; [`fill`] writes each round's texts into them.
async fn world(pool: &PgPool, owner: Uuid, member: Uuid) -> World {
    let one = |sql: &'static str| sqlx::query_scalar::<_, Uuid>(sql);
    let club =
        one("INSERT INTO clubs (name, owner_id, is_public) VALUES ('x', $1, true) RETURNING id")
            .bind(owner)
            .fetch_one(pool)
            .await
            .unwrap();
    sqlx::query(
        "INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin'), ($1, $3, 'member')",
    )
    .bind(club)
    .bind(owner)
    .bind(member)
    .execute(pool)
    .await
    .unwrap();
    let book = one(
        "INSERT INTO books (club_id, title, shelf, suggested_by) VALUES ($1, 'x', 'suggested', $2) RETURNING id",
    )
    .bind(club)
    .bind(member)
    .fetch_one(pool)
    .await
    .unwrap();
    let other_book =
        one("INSERT INTO books (club_id, title) VALUES ($1, 'Another book') RETURNING id")
            .bind(club)
            .fetch_one(pool)
            .await
            .unwrap();
    let event = one(
        "INSERT INTO events (club_id, title, event_date, event_time, location, is_public, book_id, created_by, host_id)
         VALUES ($1, 'x', current_date + 30, '19:00', 'x', true, $2, $3, $4) RETURNING id",
    )
    .bind(club)
    .bind(book)
    .bind(owner)
    .bind(member)
    .fetch_one(pool)
    .await
    .unwrap();
    // The member takes turns hosting (and hosts the meeting).
    sqlx::query("INSERT INTO host_volunteers (club_id, user_id) VALUES ($1, $2)")
        .bind(club)
        .bind(member)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO event_items (event_id, name, category, assigned_to, notes) VALUES ($1, 'x', 'task', $2, 'x');
         ",
    )
    .bind(event)
    .bind(owner)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO availability (event_id, user_id, status, arrival, notes)
         VALUES ($1, $2, 'available', nextval('availability_arrival_seq'), 'x')",
    )
    .bind(event)
    .bind(member)
    .execute(pool)
    .await
    .unwrap();
    // A book poll with its results shown while open (the chart), the
    // owner's ballot in it; the owner has not voted in... none other.
    let poll = one(
        "INSERT INTO polls (club_id, title, closes_at, results_live, created_by)
         VALUES ($1, 'x', now() + interval '3 days', true, $2) RETURNING id",
    )
    .bind(club)
    .bind(owner)
    .fetch_one(pool)
    .await
    .unwrap();
    let options: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO poll_options (poll_id, position, book_id) VALUES ($1, 1, $2), ($1, 2, $3) RETURNING id",
    )
    .bind(poll)
    .bind(book)
    .bind(other_book)
    .fetch_all(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO ballots (poll_id, user_id, ranking) VALUES ($1, $2, $3)")
        .bind(poll)
        .bind(member)
        .bind(&options)
        .execute(pool)
        .await
        .unwrap();
    let date_poll = one(
        "INSERT INTO polls (club_id, kind, title, closes_at, results_live, time_zone, place, book_id, created_by)
         VALUES ($1, 'date', 'x', now() + interval '3 days', true, 'UTC', 'x', $2, $3) RETURNING id",
    )
    .bind(club)
    .bind(book)
    .bind(owner)
    .fetch_one(pool)
    .await
    .unwrap();
    let date_options: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO poll_options (poll_id, position, starts_on, starts_time)
         VALUES ($1, 1, current_date + 10, '19:00'), ($1, 2, current_date + 11, '19:00') RETURNING id",
    )
    .bind(date_poll)
    .fetch_all(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO date_answers (option_id, poll_id, user_id, answer) VALUES ($1, $2, $3, 'yes')",
    )
    .bind(date_options[0])
    .bind(date_poll)
    .bind(member)
    .execute(pool)
    .await
    .unwrap();
    let invite = "hostile-text-invite".to_owned();
    sqlx::query(
        "INSERT INTO club_invites (club_id, token_hash, expires_at, max_uses, created_by)
         VALUES ($1, encode(sha256($2::bytea), 'hex'), now() + interval '7 days', 5, $3)",
    )
    .bind(club)
    .bind(&invite)
    .bind(owner)
    .execute(pool)
    .await
    .unwrap();
    let section = one(
        "INSERT INTO reading_sections (club_id, book_id, title, target_date)
         VALUES ($1, $2, 'x', current_date + 7) RETURNING id",
    )
    .bind(club)
    .bind(book)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO reading_marks (section_id, club_id, user_id) VALUES ($1, $2, $3);")
        .bind(section)
        .bind(club)
        .bind(owner)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO meeting_questions (club_id, event_id, section_id, author_id, text) VALUES ($1, $2, $3, $4, 'x')",
    )
    .bind(club)
    .bind(event)
    .bind(section)
    .bind(member)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO comments (club_id, section_id, author_id, body) VALUES ($1, $2, $3, 'x')",
    )
    .bind(club)
    .bind(section)
    .bind(owner)
    .execute(pool)
    .await
    .unwrap();
    // The meeting's discussion has a comment of the owner's.
    sqlx::query(
        "INSERT INTO comments (club_id, event_id, author_id, body) VALUES ($1, $2, $3, 'x')",
    )
    .bind(club)
    .bind(event)
    .bind(owner)
    .execute(pool)
    .await
    .unwrap();
    // The member reported it: the moderation page shows it.
    sqlx::query(
        "INSERT INTO comment_reports (comment_id, club_id, reporter_id, reason)
         SELECT id, club_id, $2, 'x' FROM comments WHERE section_id = $1",
    )
    .bind(section)
    .bind(member)
    .execute(pool)
    .await
    .unwrap();
    World {
        owner,
        member,
        club,
        event,
        book,
        poll,
        date_poll,
        date_option: date_options[0],
        invite,
        section,
    }
}

/// Writes round `s`'s texts into every field, and the owner's notices
/// (whose words are copied from the event when they are made) anew.
async fn fill(pool: &PgPool, w: &World, s: &str) {
    let t = |tag: &str| text(tag, s);
    // Each statement takes the row's id as $1, then its texts in order.
    let updates: [(&str, Uuid, Vec<String>); 13] = [
        (
            "UPDATE clubs SET name = $2, description = $3, meeting_frequency = $4, location = $5,
                              tags = ARRAY[$6] WHERE id = $1",
            w.club,
            vec![t(CLUB_NAME), t(CLUB_DESCRIPTION), t(CLUB_MEETS), t(CLUB_LOCATION), t(CLUB_TAG)],
        ),
        ("UPDATE users SET name = $2 WHERE id = $1", w.owner, vec![t(OWNER_NAME)]),
        (
            "UPDATE users SET name = $2, email = $3 WHERE id = $1",
            w.member,
            vec![t(MEMBER_NAME), email(MEMBER_EMAIL, s)],
        ),
        (
            "UPDATE session_families SET user_agent = $2 WHERE user_id = $1",
            w.owner,
            vec![t(USER_AGENT)],
        ),
        // An event's book from the shelf is kept in `book` too, as its title.
        (
            "UPDATE events SET title = $2, description = $3, location = $4, book = $5 WHERE id = $1",
            w.event,
            vec![t(EVENT_TITLE), t(EVENT_DESCRIPTION), t(EVENT_LOCATION), t(BOOK_TITLE)],
        ),
        (
            "UPDATE event_items SET name = $2, notes = $3 WHERE event_id = $1",
            w.event,
            vec![t(ITEM_NAME), t(ITEM_NOTES)],
        ),
        ("UPDATE availability SET notes = $2 WHERE event_id = $1", w.event, vec![t(RSVP_NOTE)]),
        (
            "UPDATE books SET title = $2, authors = $3, description = $4, cover_url = $5 WHERE id = $1",
            w.book,
            vec![
                t(BOOK_TITLE),
                t(BOOK_AUTHORS),
                t(BOOK_DESCRIPTION),
                format!("https://covers.example/{}", t(BOOK_COVER)),
            ],
        ),
        ("UPDATE polls SET title = $2 WHERE id = $1", w.poll, vec![t(POLL_TITLE)]),
        (
            "UPDATE polls SET title = $2, place = $3 WHERE id = $1",
            w.date_poll,
            vec![t(DATE_POLL_TITLE), t(DATE_POLL_PLACE)],
        ),
        ("UPDATE reading_sections SET title = $2 WHERE id = $1", w.section, vec![t(SECTION_TITLE)]),
        ("UPDATE comments SET body = $2 WHERE section_id = $1", w.section, vec![t(COMMENT_BODY)]),
        ("UPDATE meeting_questions SET text = $2 WHERE event_id = $1", w.event, vec![t(QUESTION_TEXT)]),
    ];
    for (statement, id, texts) in updates {
        let mut update = sqlx::query(statement).bind(id);
        for text in texts {
            update = update.bind(text);
        }
        update.execute(pool).await.unwrap();
    }
    sqlx::query("DELETE FROM notifications")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "SELECT bookwork_private.notify('task_assigned', ARRAY[$2::uuid],
                bookwork_private.event_payload($1) || jsonb_build_object('item_name', $3::text, 'actor', $4::text))",
    )
    .bind(w.event)
    .bind(w.owner)
    .bind(t(ITEM_NAME))
    .bind(t(MEMBER_NAME))
    .execute(pool)
    .await
    .unwrap();
}

/// A page as a browser reads it.
struct Read {
    /// Every element (with its depth and its attributes' names), comment
    /// and doctype, in document order: what must not change with the text.
    shape: Vec<String>,
    /// The text of each `<title>`.
    titles: Vec<String>,
    /// The text a person can see or a browser uses, as decoded by the
    /// parser: text outside scripts and styles, and attribute values.
    words: String,
}

fn read(html: &str) -> Read {
    let doc = Html::parse_document(html);
    let mut shape = Vec::new();
    let mut titles = Vec::new();
    let mut words = String::new();
    for node in doc.tree.root().descendants() {
        let depth = node.ancestors().count();
        match node.value() {
            Node::Element(e) => {
                let mut names: Vec<&str> = e.attrs().map(|(name, _)| name).collect();
                names.sort_unstable();
                shape.push(format!("{depth} <{} {}>", e.name(), names.join(" ")));
                for (_, value) in e.attrs() {
                    words.push_str(value);
                    words.push('\n');
                }
                if e.name() == "title" {
                    titles.push(
                        node.children()
                            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                            .collect(),
                    );
                }
            }
            Node::Comment(_) => shape.push(format!("{depth} <!---->")),
            Node::Doctype(d) => shape.push(format!("{depth} <!DOCTYPE {}>", d.name())),
            Node::Text(t) => {
                let in_code = node
                    .parent()
                    .and_then(|p| {
                        p.value()
                            .as_element()
                            .map(|e| matches!(e.name(), "script" | "style"))
                    })
                    .unwrap_or(false);
                if !in_code {
                    words.push_str(t);
                    words.push('\n');
                }
            }
            _ => {}
        }
    }
    // The data for hydration arrives in as many `<script nonce>` pieces as
    // the page's data happened to resolve in: one run of them is one entry.
    // (A script that markup put there has no nonce, and stays an entry.)
    shape.dedup_by(|a, b| a == b && a.ends_with("<script nonce>"));
    Read {
        shape,
        titles,
        words,
    }
}

/// Who looks: the club's owner (also a site admin, so every page is theirs
/// to see, edit forms included) and a visitor who is not signed in.
struct Viewers {
    owner: reqwest::Client,
    visitor: reqwest::Client,
}

/// The status a page answers: the owner (a site admin) sees every page; a
/// visitor sees the public club's public pages (its polls among them) and is
/// sent to sign in (302)
/// for the rest. An address that is no page is 404 for both.
fn status_for(template: &str, who: &str) -> u16 {
    match (template, who) {
        ("(none)", _) => 404,
        (_, "owner") => 200,
        (
            "/"
            | "/login"
            | "/register"
            | "/clubs"
            | "/clubs/{id}"
            | "/clubs/{id}/books"
            | "/books/{id}"
            | "/books/{id}/reading"
            | "/events/{id}"
            | "/polls/{id}"
            | "/unsubscribe"
            | "/invite/{token}",
            _,
        ) => 200,
        _ => 302,
    }
}

/// One round: every route for both viewers, as (route, viewer, status, page).
async fn round(
    app: &TestApp,
    w: &World,
    viewers: &Viewers,
    s: &str,
) -> Vec<(usize, &'static str, u16, Read)> {
    fill(&app.pool, w, s).await;
    let mut pages = Vec::new();
    for (i, r) in routes(w, s).iter().enumerate() {
        for (who, client) in [("owner", &viewers.owner), ("visitor", &viewers.visitor)] {
            let response = client
                .get(app.url(&r.path))
                .header("accept", "text/html")
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert_eq!(
                status,
                status_for(r.template, who),
                "{who}, {} ({s:?})",
                r.path
            );
            pages.push((i, who, status, read(&body)));
        }
    }
    pages
}

/// Where two shapes first differ, with a little around it.
fn first_difference(plain: &[String], hostile: &[String]) -> String {
    let at = plain
        .iter()
        .zip(hostile)
        .position(|(a, b)| a != b)
        .unwrap_or(plain.len().min(hostile.len()));
    let around = |v: &[String]| v[at.saturating_sub(2)..(at + 3).min(v.len())].join(" | ");
    format!(
        "at element {at}: plain [{}] vs hostile [{}]",
        around(plain),
        around(hostile)
    )
}

#[sqlx::test]
async fn every_page_shows_hostile_text_as_text_and_keeps_its_shape(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    sign_up(&app, "Owner", "owner@example.com").await;
    sign_up(&app, "Member", "member@example.com").await;
    let id = |email: &'static str| {
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&pool)
    };
    let (owner, member) = (
        id("owner@example.com").await.unwrap(),
        id("member@example.com").await.unwrap(),
    );
    sqlx::query("UPDATE users SET role = 'admin' WHERE id = $1")
        .bind(owner)
        .execute(&pool)
        .await
        .unwrap();
    let w = world(&pool, owner, member).await;
    let viewers = Viewers {
        owner: sign_in(&app, "owner@example.com").await,
        visitor: crate::common::cookie_client(),
    };

    // Every page route the router serves is in the table.
    let served: BTreeSet<String> = bookwork::server::http::page_paths().into_iter().collect();
    let listed: BTreeSet<String> = routes(&w, PLAIN)
        .iter()
        .map(|r| r.template.to_owned())
        .collect();
    let missing: Vec<_> = served.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "add these pages to the table: {missing:?}"
    );

    let plain = round(&app, &w, &viewers, PLAIN).await;
    // The book poll's page draws its results chart (its bars are SVG).
    let poll_page = routes(&w, PLAIN)
        .iter()
        .position(|r| r.path == format!("/polls/{}", w.poll))
        .unwrap();
    let (_, _, _, page) = plain.iter().find(|(i, ..)| *i == poll_page).unwrap();
    assert!(
        page.shape.iter().any(|e| e.contains(" <rect ")),
        "the results chart is on the poll page"
    );
    let mut failures = Vec::new();
    for s in std::iter::once(PLAIN).chain(HOSTILE.iter().copied()) {
        let pages = if s == PLAIN {
            None
        } else {
            Some(round(&app, &w, &viewers, s).await)
        };
        let pages = pages.as_ref().unwrap_or(&plain);
        let table = routes(&w, s);
        for ((i, who, status, page), (_, _, plain_status, plain_page)) in pages.iter().zip(&plain) {
            let r = &table[*i];
            let at = format!("{who} on {} with {s:?}", r.path);
            if status != plain_status {
                failures.push(format!(
                    "{at}: status {status}, with plain words {plain_status}"
                ));
                continue;
            }
            if page.shape != plain_page.shape {
                failures.push(format!(
                    "{at}: the page's shape changed, {}",
                    first_difference(&plain_page.shape, &page.shape)
                ));
            }
            if page.titles.len() != 1 {
                failures.push(format!("{at}: {} <title> elements", page.titles.len()));
            }
            if *who != "owner" {
                continue;
            }
            if let Some((before, tag)) = r.title {
                let want = format!("{before}{} · Bookwork", text(tag, s));
                if page.titles != [want.clone()] {
                    failures.push(format!(
                        "{at}: the title reads {:?}, not {want:?}",
                        page.titles
                    ));
                }
            }
            for tag in r.shows {
                let shown = if *tag == MEMBER_EMAIL {
                    email(tag, s)
                } else {
                    text(tag, s)
                };
                if !page.words.contains(&shown) {
                    failures.push(format!("{at}: {tag} is not shown as {shown:?}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    app.stop().await;
}

/// The test above would pass on nothing if the parser saw no difference
/// where a browser does: raw markup where text belongs must change the shape.
#[test]
fn unescaped_markup_changes_the_shape() {
    let page = |title: &str| {
        read(&format!(
            "<!DOCTYPE html><html><head><title>{title}</title></head><body><p title=\"{title}\">{title}</p></body></html>"
        ))
    };
    let plain = page(PLAIN);
    for s in HOSTILE {
        let raw = page(s);
        let escaped = page(
            &s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('"', "&quot;"),
        );
        assert_eq!(escaped.shape, plain.shape, "{s}");
        assert!(escaped.words.contains(s), "{s} decodes to itself");
        assert_ne!(raw.shape, plain.shape, "{s} unescaped must show");
    }
}
