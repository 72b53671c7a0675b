//! Reading together over real HTTP: its authorization table one request per
//! cell (checked by the rows afterwards), spoilers (a comment's text reaches
//! exactly the readers who finished its section, or asked to see it), text
//! that tries to be markup, and the races the issue names.
use crate::common::cast::{cast, club, table_failures, Cast, Who, Who::*};
use crate::common::{call, invalid_message, page_text, sign_up, spawn_app, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

/// A book on `club`'s "reading" shelf.
async fn book(pool: &PgPool, club: Uuid) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO books (club_id, title, shelf) VALUES ($1, 'Middlemarch', 'reading') RETURNING id",
    )
    .bind(club)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A section of `book`'s schedule, `days` from today.
async fn section(pool: &PgPool, book: Uuid, title: &str, days: i32) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO reading_sections (club_id, book_id, title, target_date)
         SELECT club_id, id, $2, current_date + $3 FROM books WHERE id = $1 RETURNING id",
    )
    .bind(book)
    .bind(title)
    .bind(days)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A comment by `author` in `section`, answering `parent` if given.
async fn comment(
    pool: &PgPool,
    section: Uuid,
    author: Uuid,
    body: &str,
    parent: Option<Uuid>,
) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO comments (club_id, section_id, author_id, body, parent_id)
         SELECT club_id, id, $2, $3, $4 FROM reading_sections WHERE id = $1 RETURNING id",
    )
    .bind(section)
    .bind(author)
    .bind(body)
    .bind(parent)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn count(pool: &PgPool, sql: &str, id: Uuid) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Expected answer per actor, transcribed from the "Reading together"
/// table of docs/AUTHZ.md (not from `src/reading/authz.rs`): 200 allowed,
/// 404 hidden, 403 refused, 401 must sign in.
fn expected(action: &str, public: bool) -> [u16; 10] {
    //                             Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let mut row: [u16; 10] = match action {
        // "see a public club's reading schedule": Y for everyone.
        "view schedule" => [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        // "set the schedule": CMod, CAdm, Owner, SAdm.
        "set schedule" => [401, 403, 403, 403, 403, 200, 200, 200, 403, 200],
        // "mark my progress": login, join first, the club's people, – for site staff.
        "track progress" => [401, 403, 403, 200, 200, 200, 200, 200, 403, 403],
        // "read a section's discussion": the club's people and site staff.
        "read discussion" => [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
        // "comment and reply": the club's people.
        "comment" => [401, 403, 403, 200, 200, 200, 200, 200, 403, 403],
        // "read a meeting's discussion": the club's people and site staff.
        "read meeting discussion" => [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
        // "comment and reply in a meeting's discussion": the club's people.
        "comment on meeting" => [401, 403, 403, 200, 200, 200, 200, 200, 403, 403],
        // "read a meeting's discussion questions": as the discussion.
        "read questions" => [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
        // "suggest a question": the club's people.
        "suggest question" => [401, 403, 403, 200, 200, 200, 200, 200, 403, 403],
        // "pick, order and remove a meeting's questions": login, 404 (they
        // are the club's), CMod, CAdm, Owner, SAdm.
        "arrange questions" => [401, 404, 404, 403, 403, 200, 200, 200, 403, 200],
        // "report a comment": the club's people; the comments are theirs,
        // to anyone else they do not exist.
        "report comment" => [401, 404, 404, 200, 200, 200, 200, 200, 403, 403],
        // "hide a comment": CAdm, Owner, SMod, SAdm; 404 for outsiders.
        "moderate" => [401, 404, 404, 403, 403, 403, 200, 200, 200, 200],
        _ => unreachable!("{action}"),
    };
    // "see a private club's schedule": 404 for Anon, SGuest and Out; a
    // signed-out visitor asked to pick is sent to sign in first whatever
    // the club (nothing is looked up for them).
    if !public {
        row[..3].copy_from_slice(&[404, 404, 404]);
        if matches!(action, "arrange questions" | "report comment" | "moderate") {
            row[0] = 401;
        }
    }
    row
}

const ACTIONS: [&str; 12] = [
    "view schedule",
    "set schedule",
    "track progress",
    "read discussion",
    "comment",
    "read meeting discussion",
    "comment on meeting",
    "read questions",
    "suggest question",
    "arrange questions",
    "report comment",
    "moderate",
];

/// A meeting of `club` (public when the club is) and a question for it.
async fn meeting_with_question(
    pool: &PgPool,
    club: Uuid,
    public: bool,
    author: Uuid,
) -> (Uuid, Uuid) {
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location, is_public)
         VALUES ($1, 'Book night', current_date + 14, '19:00', 'Library', $2) RETURNING id",
    )
    .bind(club)
    .bind(public)
    .fetch_one(pool)
    .await
    .unwrap();
    let question: Uuid = sqlx::query_scalar(
        "INSERT INTO meeting_questions (club_id, event_id, author_id, text)
         VALUES ($1, $2, $3, 'Is Dorothea wise to marry?') RETURNING id",
    )
    .bind(club)
    .bind(event)
    .bind(author)
    .fetch_one(pool)
    .await
    .unwrap();
    (event, question)
}

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
    let book = book(pool, club).await;
    let first = section(pool, book, "Book one: Miss Brooke", 7).await;
    // Someone finished it and said so: only those allowed read it.
    let said = comment(
        pool,
        first,
        cast.ids[&Owner],
        "Dorothea marries Casaubon!",
        None,
    )
    .await;
    sqlx::query("INSERT INTO reading_marks (section_id, club_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(first)
        .bind(club)
        .bind(cast.ids.get(&who).copied().unwrap_or(cast.ids[&Owner]))
        .execute(pool)
        .await
        .unwrap();
    let (event, question) = meeting_with_question(pool, club, public, cast.ids[&Owner]).await;
    // The meeting's discussion, which waits for nobody's progress.
    let at_meeting: Uuid = sqlx::query_scalar(
        "INSERT INTO comments (club_id, event_id, author_id, body)
         VALUES ($1, $2, $3, 'Who brings the cake to Lowick?') RETURNING id",
    )
    .bind(club)
    .bind(event)
    .bind(cast.ids[&Owner])
    .fetch_one(pool)
    .await
    .unwrap();
    // Someone else's comment (a site moderator's, no actor's own) to
    // report and hide.
    let theirs = comment(
        pool,
        first,
        cast.ids[&SMod],
        "Casaubon dies in book five.",
        None,
    )
    .await;
    let (book_s, first_s) = (book.to_string(), first.to_string());
    let (path, form): (&str, Vec<(&str, String)>) = match action {
        "view schedule" => ("/api/reading/plan", vec![("book", book_s)]),
        "set schedule" => (
            "/api/reading/sections/add",
            vec![
                ("book", book_s),
                ("title", "Book two: Old and Young".into()),
                ("target_date", "2030-01-31".into()),
            ],
        ),
        "track progress" => (
            "/api/reading/progress",
            vec![("book", book_s), ("through", String::new())],
        ),
        "read discussion" => (
            "/api/reading/thread",
            vec![("section", first_s), ("reveal", "false".into())],
        ),
        "comment" => (
            "/api/reading/comments/post",
            vec![
                ("section", first_s),
                ("body", "Poor Lydgate.".into()),
                ("parent", said.to_string()),
            ],
        ),
        "read meeting discussion" => (
            "/api/reading/meeting-thread",
            vec![("event", event.to_string())],
        ),
        "comment on meeting" => (
            "/api/reading/meeting-comments/post",
            vec![
                ("event", event.to_string()),
                ("body", "I will.".into()),
                ("parent", at_meeting.to_string()),
            ],
        ),
        "read questions" => ("/api/reading/questions", vec![("event", event.to_string())]),
        "suggest question" => (
            "/api/reading/questions/suggest",
            vec![
                ("event", event.to_string()),
                ("text", "Who is the hero?".into()),
            ],
        ),
        "arrange questions" => (
            "/api/reading/questions/pick",
            vec![("question", question.to_string())],
        ),
        "report comment" => (
            "/api/reading/comments/report",
            vec![
                ("comment", theirs.to_string()),
                ("reason", "Spoils book five".into()),
            ],
        ),
        "moderate" => (
            "/api/reading/comments/hide",
            vec![
                ("comment", theirs.to_string()),
                ("reason", "Spoils book five".into()),
            ],
        ),
        _ => unreachable!(),
    };
    let (status, body) = crate::common::send_form(app, &cast.clients[&who], path, &form).await;
    let allowed = status == 200;
    let text = body.to_string();
    let effect_ok = match action {
        "view schedule" => text.contains("Miss Brooke") == allowed,
        "set schedule" => {
            count(
                pool,
                "SELECT count(*) FROM reading_sections WHERE book_id = $1",
                book,
            )
            .await
                == 1 + i64::from(allowed)
        }
        // Clearing my progress takes away the mark put there above.
        "track progress" => {
            let marks = count(
                pool,
                "SELECT count(*) FROM reading_marks WHERE section_id = $1",
                first,
            )
            .await;
            marks == i64::from(!allowed)
        }
        "read discussion" => text.contains("Casaubon") == allowed,
        "comment" => {
            count(
                pool,
                "SELECT count(*) FROM comments WHERE section_id = $1 AND parent_id IS NOT NULL",
                first,
            )
            .await
                == i64::from(allowed)
        }
        "read meeting discussion" => text.contains("cake to Lowick") == allowed,
        "comment on meeting" => {
            count(
                pool,
                "SELECT count(*) FROM comments WHERE event_id = $1 AND parent_id IS NOT NULL",
                event,
            )
            .await
                == i64::from(allowed)
        }
        "read questions" => text.contains("Dorothea wise") == allowed,
        "suggest question" => {
            count(
                pool,
                "SELECT count(*) FROM meeting_questions WHERE event_id = $1 AND text = 'Who is the hero?'",
                event,
            )
            .await
                == i64::from(allowed)
        }
        "arrange questions" => {
            count(
                pool,
                "SELECT count(*) FROM meeting_questions WHERE id = $1 AND position = 1",
                question,
            )
            .await
                == i64::from(allowed)
        }
        "report comment" => {
            count(
                pool,
                "SELECT count(*) FROM comment_reports WHERE comment_id = $1",
                theirs,
            )
            .await
                == i64::from(allowed)
        }
        "moderate" => {
            count(
                pool,
                "SELECT count(*) FROM comments WHERE id = $1 AND hidden_at IS NOT NULL",
                theirs,
            )
            .await
                == i64::from(allowed)
        }
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
async fn every_cell_of_the_reading_authorization_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let wrong = std::sync::Mutex::new(Vec::new());
    let failures = table_failures(
        &ACTIONS,
        "club's reading",
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

/// A club reading a book in three sections, a comment and a reply in each
/// (every text unique), and four readers who finished none, one, two and
/// all three sections.
struct Reading {
    book: Uuid,
    sections: [Uuid; 3],
    /// Per section: the texts said in it.
    said: [[String; 2]; 3],
    /// Readers by how many sections they finished.
    readers: Vec<reqwest::Client>,
}

async fn reading(app: &TestApp, pool: &PgPool) -> Reading {
    let mut readers = Vec::new();
    let mut ids = Vec::new();
    for n in 0..4 {
        let email = format!("reader{n}@example.com");
        readers.push(sign_up(app, &format!("Reader {n}"), &email).await);
        ids.push(
            sqlx::query_scalar::<_, Uuid>("SELECT id FROM users WHERE email = $1")
                .bind(&email)
                .fetch_one(pool)
                .await
                .unwrap(),
        );
    }
    let club: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Readers', $1, false) RETURNING id",
    )
    .bind(ids[3])
    .fetch_one(pool)
    .await
    .unwrap();
    for (n, id) in ids.iter().enumerate() {
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(club)
            .bind(id)
            .bind(if n == 3 { "admin" } else { "member" })
            .execute(pool)
            .await
            .unwrap();
    }
    let book = book(pool, club).await;
    // Dates out of the order they were added in: the schedule's order is
    // the dates'.
    let sections = [
        section(pool, book, "Part one", 3).await,
        section(pool, book, "Part two", 10).await,
        section(pool, book, "Part three", 17).await,
    ];
    let mut said: [[String; 2]; 3] = Default::default();
    for (i, s) in sections.iter().enumerate() {
        let first = format!("secret-{i}-comment");
        let reply = format!("secret-{i}-reply quoting > {first}");
        let author = ids[3];
        let c = comment(pool, *s, author, &first, None).await;
        comment(pool, *s, ids[2], &reply, Some(c)).await;
        said[i] = [first, format!("secret-{i}-reply")];
    }
    for (n, id) in ids.iter().enumerate() {
        for s in &sections[..n.min(3)] {
            sqlx::query(
                "INSERT INTO reading_marks (section_id, club_id, user_id) VALUES ($1, $2, $3)",
            )
            .bind(s)
            .bind(club)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
        }
    }
    Reading {
        book,
        sections,
        said,
        readers,
    }
}

#[sqlx::test]
async fn a_comment_reaches_exactly_the_readers_who_finished_its_section(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let r = reading(&app, &pool).await;
    let mut wrong = Vec::new();
    for (finished, client) in r.readers.iter().enumerate() {
        // Every answer this reader's pages are made of, for each section.
        for (i, section) in r.sections.iter().enumerate() {
            let should = i < finished;
            let id = section.to_string();
            let html = page_text(&app, client, &format!("/reading/{id}")).await;
            let (status, json) = call(
                &app,
                client,
                "/api/reading/thread",
                &[("section", &id), ("reveal", "false")],
            )
            .await;
            assert_eq!(status, 200, "{json}");
            for text in &r.said[i] {
                for (what, body) in [("page", &html), ("thread JSON", &json.to_string())] {
                    if body.contains(text.as_str()) != should {
                        wrong.push(format!(
                            "reader who finished {finished}, section {i}, {what}: “{text}” {}",
                            if should { "missing" } else { "leaked" }
                        ));
                    }
                }
            }
            if !should {
                // Told what waits, and offered to see it anyway.
                assert!(
                    html.contains("2 comments are waiting for you."),
                    "{html:.3000}"
                );
                assert!(html.contains(&format!("/reading/{id}?show=all")));
                // And shown when asked.
                let asked = page_text(&app, client, &format!("/reading/{id}?show=all")).await;
                assert!(
                    r.said[i].iter().all(|t| asked.contains(t.as_str())),
                    "asked to see section {i} anyway"
                );
            }
        }
        // The schedule's pages carry no comment's text to anyone.
        let book = r.book.to_string();
        let plan = page_text(&app, client, &format!("/books/{book}/reading")).await;
        let (_, plan_json) = call(&app, client, "/api/reading/plan", &[("book", &book)]).await;
        for text in r.said.iter().flatten() {
            if plan.contains(text.as_str()) || plan_json.to_string().contains(text.as_str()) {
                wrong.push(format!("the schedule shows “{text}” to reader {finished}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    app.stop().await;
}

#[sqlx::test]
async fn finishing_a_section_opens_its_discussion_and_everything_before(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let r = reading(&app, &pool).await;
    let slow = &r.readers[0];
    let second = r.sections[1].to_string();
    let (status, _) = call(&app, slow, "/api/reading/finish", &[("section", &second)]).await;
    assert_eq!(status, 200);
    for (i, section) in r.sections.iter().enumerate() {
        let html = page_text(&app, slow, &format!("/reading/{section}")).await;
        assert_eq!(html.contains(r.said[i][0].as_str()), i < 2, "section {i}");
    }
    // The book's page shows the schedule, ticked as far as they have read.
    let book_page = page_text(&app, slow, &format!("/books/{}", r.book)).await;
    assert_eq!(
        book_page.matches("✓ finished").count(),
        2,
        "{book_page:.4000}"
    );
    assert!(book_page.contains("Part three"));
    // Setting progress back closes it again; hiding it leaves them off the
    // list the others see.
    let book = r.book.to_string();
    let first = r.sections[0].to_string();
    let (status, _) = call(
        &app,
        slow,
        "/api/reading/progress",
        &[("book", &book), ("through", &first), ("hidden", "yes")],
    )
    .await;
    assert_eq!(status, 200);
    let html = page_text(&app, slow, &format!("/reading/{second}")).await;
    assert!(!html.contains(r.said[1][0].as_str()));
    let other = page_text(&app, &r.readers[3], &format!("/books/{book}/reading")).await;
    assert!(!other.contains("Reader 0"), "a hidden reader is not named");
    assert!(other.contains("1 reader keeps their progress to themself."));
    assert!(other.contains("Reader 1"));
    // A section of another book is no place to have read up to.
    let (status, body) = call(
        &app,
        slow,
        "/api/reading/progress",
        &[("book", &book), ("through", &Uuid::new_v4().to_string())],
    )
    .await;
    assert_eq!(status, 422);
    assert!(!invalid_message(&body, "through").is_empty(), "{body}");
    app.stop().await;
}

#[sqlx::test]
async fn comments_that_try_to_be_markup_come_out_inert(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let r = reading(&app, &pool).await;
    let reader = &r.readers[3];
    let section = r.sections[0].to_string();
    let hostile = [
        "<script>alert('s')</script>",
        "[click](javascript:alert('j'))",
        "[click](JAVASCRIPT:alert('J'))",
        "<img src=x onerror=alert('i')>",
        "<a href=\"javascript:alert('a')\" onclick=\"alert('c')\">x</a>",
        "![pixel](https://tracker.example/p.gif)",
        "**unclosed [link](http://example.org <b>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg onload=alert('v')>",
    ];
    for text in hostile {
        let (status, body) = call(
            &app,
            reader,
            "/api/reading/comments/post",
            &[("section", &section), ("body", text)],
        )
        .await;
        assert_eq!(status, 200, "{text}: {body}");
    }
    let html = page_text(&app, reader, &format!("/reading/{section}")).await;
    // The discussion's markup, tag by tag: no element a comment may not
    // make, no handler, no address that runs or loads anything.
    let start = html
        .find("data-testid=\"comments\"")
        .unwrap_or_else(|| panic!("the comments: {html}"));
    let end = start + html[start..].find("</section>").unwrap();
    let tags: Vec<String> = html[start..end]
        .split('<')
        .skip(1)
        .filter_map(|t| t.split_once('>').map(|(tag, _)| tag.to_lowercase()))
        .collect();
    for tag in &tags {
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or_default();
        assert!(
            !["script", "img", "iframe", "svg", "b", "style", "object", "embed"].contains(&name),
            "<{tag}> in the discussion"
        );
        assert!(
            !tag.split_whitespace()
                .any(|attribute| attribute.starts_with("on")),
            "<{tag}>: a handler"
        );
        assert!(
            !tag.contains("javascript:") && !tag.contains("tracker.example"),
            "<{tag}>"
        );
    }
    // Typed markup is shown as the text it is.
    assert!(html.contains("&lt;script&gt;alert('s')&lt;/script&gt;"));
    // What is kept is what was typed (the author edits it as typed).
    let kept: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM comments WHERE section_id = $1 AND body LIKE '<script>%'",
    )
    .bind(r.sections[0])
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(kept, vec!["<script>alert('s')</script>".to_owned()]);
    // Too long, or empty: said beside the field, nothing stored.
    let before = count(
        &pool,
        "SELECT count(*) FROM comments WHERE section_id = $1",
        r.sections[0],
    )
    .await;
    for text in ["x".repeat(10_001), "   ".to_owned()] {
        let (status, body) = call(
            &app,
            reader,
            "/api/reading/comments/post",
            &[("section", &section), ("body", &text)],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(!invalid_message(&body, "body").is_empty());
    }
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM comments WHERE section_id = $1",
            r.sections[0]
        )
        .await,
        before
    );
    app.stop().await;
}

#[sqlx::test]
async fn only_its_author_changes_a_comment_and_an_edit_says_so(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let r = reading(&app, &pool).await;
    let said: Uuid = sqlx::query_scalar("SELECT id FROM comments WHERE body = 'secret-0-comment'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let id = said.to_string();
    // Reader 3 wrote it; reader 2 (who finished the section) may not change it.
    for path in ["/api/reading/comments/edit", "/api/reading/comments/delete"] {
        let (status, _) = call(
            &app,
            &r.readers[2],
            path,
            &[("comment", &id), ("body", "mine now"), ("revision", "0")],
        )
        .await;
        assert_eq!(status, 403, "{path}");
    }
    let stored: (String, bool) =
        sqlx::query_as("SELECT body, edited_at IS NOT NULL FROM comments WHERE id = $1")
            .bind(said)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, ("secret-0-comment".to_owned(), false));
    let (status, _) = call(
        &app,
        &r.readers[3],
        "/api/reading/comments/edit",
        &[
            ("comment", &id),
            ("body", "secret-0-*better*"),
            ("revision", "0"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let html = page_text(&app, &r.readers[3], &format!("/reading/{}", r.sections[0])).await;
    assert!(html.contains("secret-0-<em>better</em>"));
    assert!(html.contains("· edited"));
    // Deleted: the text goes, the reply to it stays.
    let (status, _) = call(
        &app,
        &r.readers[3],
        "/api/reading/comments/delete",
        &[("comment", &id)],
    )
    .await;
    assert_eq!(status, 200);
    let html = page_text(&app, &r.readers[3], &format!("/reading/{}", r.sections[0])).await;
    assert!(
        !html.contains("secret-0-<em>better</em>"),
        "the text is gone"
    );
    assert!(html.contains("This comment was deleted."));
    assert!(html.contains("secret-0-reply"), "the reply stays");
    app.stop().await;
}

#[sqlx::test]
async fn of_two_edits_from_the_same_text_one_is_kept_and_the_other_refused(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let r = reading(&app, &pool).await;
    let said: Uuid = sqlx::query_scalar("SELECT id FROM comments WHERE body = 'secret-1-comment'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let id = said.to_string();
    let author = &r.readers[3];
    let edit = |text: &'static str| {
        let id = id.clone();
        let app = &app;
        async move {
            call(
                app,
                author,
                "/api/reading/comments/edit",
                &[("comment", &id), ("body", text), ("revision", "0")],
            )
            .await
        }
    };
    let ((a, _), (b, _)) = tokio::join!(edit("first window"), edit("second window"));
    let mut statuses = [a, b];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let (body, revision): (String, i32) =
        sqlx::query_as("SELECT body, revision FROM comments WHERE id = $1")
            .bind(said)
            .fetch_one(&pool)
            .await
            .unwrap();
    let winner = if a == 200 {
        "first window"
    } else {
        "second window"
    };
    assert_eq!((body.as_str(), revision), (winner, 1));
    app.stop().await;
}

#[sqlx::test]
async fn a_comment_and_its_section_s_removal_at_once_never_leave_half(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let r = reading(&app, &pool).await;
    let admin = &r.readers[3];
    for round in 0..6 {
        let fresh = section(&pool, r.book, &format!("Epilogue {round}"), 30 + round).await;
        let id = fresh.to_string();
        let (post_form, remove_form) = (
            [("section", id.as_str()), ("body", "The end!")],
            [("section", id.as_str())],
        );
        let post = call(&app, admin, "/api/reading/comments/post", &post_form);
        let remove = call(&app, admin, "/api/reading/sections/remove", &remove_form);
        let ((posted, body), (removed, _)) = tokio::join!(post, remove);
        let sections = count(
            &pool,
            "SELECT count(*) FROM reading_sections WHERE id = $1",
            fresh,
        )
        .await;
        let comments = count(
            &pool,
            "SELECT count(*) FROM comments WHERE section_id = $1",
            fresh,
        )
        .await;
        match (posted, removed) {
            // The comment first: the section stays for its discussion.
            (200, 409) => assert_eq!((sections, comments), (1, 1), "round {round}"),
            // The removal first: the comment is refused, said plainly when
            // it had already found the section (else the section is gone).
            (409, 200) => {
                assert_eq!((sections, comments), (0, 0), "round {round}");
                assert!(body.to_string().contains("removed"), "{body}");
            }
            (404, 200) => assert_eq!((sections, comments), (0, 0), "round {round}"),
            other => panic!("round {round}: {other:?}"),
        }
    }
    app.stop().await;
}

#[sqlx::test]
async fn a_readers_calendar_feed_has_their_clubs_target_days(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let r = reading(&app, &pool).await;
    let feed = |client: &reqwest::Client| {
        let (app, client) = (&app, client.clone());
        async move {
            let (status, link) = call(app, &client, "/api/calendar/reset", &[]).await;
            assert_eq!(status, 200);
            let link = link.as_str().unwrap().to_owned();
            let path = link.split_once("://").unwrap().1.split_once('/').unwrap().1;
            let body = app.get(&format!("/{path}")).await.text().await.unwrap();
            // Unfolded (RFC 5545 folds long lines).
            body.replace("\r\n ", "")
        }
    };
    let days: Vec<String> = sqlx::query_scalar(
        "SELECT to_char(target_date, 'YYYYMMDD') FROM reading_sections ORDER BY target_date",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mine = feed(&r.readers[0]).await;
    for (title, day) in ["Part one", "Part two", "Part three"].iter().zip(&days) {
        let summary = format!("SUMMARY:Read “{title}” of Middlemarch (Readers)");
        assert!(mine.contains(&summary), "{summary} in\n{mine}");
        assert!(mine.contains(&format!("DTSTART;VALUE=DATE:{day}")), "{day}");
    }
    // A section moved to another day moves in the feed.
    sqlx::query(
        "UPDATE reading_sections SET target_date = DATE '2031-02-03' WHERE title = 'Part one'",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert!(feed(&r.readers[0])
        .await
        .contains("DTSTART;VALUE=DATE:20310203"));
    // Someone outside the (private) club sees none of it.
    let outsider = sign_up(&app, "Olive Outside", "olive@example.com").await;
    assert!(!feed(&outsider).await.contains("Middlemarch"));
    app.stop().await;
}

#[sqlx::test]
async fn a_question_about_a_section_waits_like_its_comments(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let r = reading(&app, &pool).await;
    let club: Uuid = sqlx::query_scalar("SELECT club_id FROM books WHERE id = $1")
        .bind(r.book)
        .fetch_one(&pool)
        .await
        .unwrap();
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location, book_id)
         VALUES ($1, 'Book night', current_date + 14, '19:00', 'Library', $2) RETURNING id",
    )
    .bind(club)
    .bind(r.book)
    .fetch_one(&pool)
    .await
    .unwrap();
    let id = event.to_string();
    // The admin (reader 3) asks one about part two, and one about the book.
    let second = r.sections[1].to_string();
    for (text, section) in [
        ("secret-question about part two", second.as_str()),
        ("Whose side are you on?", ""),
    ] {
        let (status, body) = call(
            &app,
            &r.readers[3],
            "/api/reading/questions/suggest",
            &[("event", id.as_str()), ("text", text), ("section", section)],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    // A section of another book is refused beside the field.
    let (status, body) = call(
        &app,
        &r.readers[3],
        "/api/reading/questions/suggest",
        &[
            ("event", id.as_str()),
            ("text", "x"),
            ("section", &Uuid::new_v4().to_string()),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(!invalid_message(&body, "section").is_empty());
    for (finished, client) in r.readers.iter().enumerate() {
        let html = page_text(&app, client, &format!("/events/{id}/questions")).await;
        let (_, json) = call(&app, client, "/api/reading/questions", &[("event", &id)]).await;
        let should = finished >= 2;
        for (what, body) in [("page", html.clone()), ("JSON", json.to_string())] {
            assert_eq!(
                body.contains("secret-question"),
                should,
                "reader {finished}, {what}"
            );
            assert!(
                body.contains("Whose side are you on?"),
                "reader {finished}, {what}"
            );
        }
        if !should {
            assert!(
                html.contains("A question about “Part two”, hidden until you have finished it.")
            );
        }
    }
    // The section with a question stays in the schedule.
    let (status, body) = call(
        &app,
        &r.readers[3],
        "/api/reading/sections/remove",
        &[("section", &second)],
    )
    .await;
    assert_eq!(status, 409, "{body}");
    app.stop().await;
}

#[sqlx::test]
async fn two_organisers_picking_at_once_give_each_question_its_own_place(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let (event, _) = meeting_with_question(&pool, club, true, cast.ids[&Mem]).await;
    for round in 0..5 {
        let mut questions = Vec::new();
        for n in 0..2 {
            questions.push(
                sqlx::query_scalar::<_, Uuid>(
                    "INSERT INTO meeting_questions (club_id, event_id, author_id, text)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(club)
                .bind(event)
                .bind(cast.ids[&Mem])
                .bind(format!("Round {round}, question {n}"))
                .fetch_one(&pool)
                .await
                .unwrap()
                .to_string(),
            );
        }
        let pick = |who: Who, question: &str| {
            let form = [("question", question.to_owned())];
            let (app, client) = (&app, &cast.clients[&who]);
            async move {
                crate::common::send_form(app, client, "/api/reading/questions/pick", &form)
                    .await
                    .0
            }
        };
        let (a, b) = tokio::join!(pick(CAdm, &questions[0]), pick(Owner, &questions[1]));
        assert_eq!((a, b), (200, 200), "round {round}");
    }
    let positions: Vec<i32> = sqlx::query_scalar(
        "SELECT position FROM meeting_questions WHERE event_id = $1 AND position IS NOT NULL ORDER BY position",
    )
    .bind(event)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(positions, (1..=10).collect::<Vec<i32>>());
    // Moved up, taken off: the list closes up behind it.
    let second: Uuid =
        sqlx::query_scalar("SELECT id FROM meeting_questions WHERE event_id = $1 AND position = 2")
            .bind(event)
            .fetch_one(&pool)
            .await
            .unwrap();
    let admin = &cast.clients[&CAdm];
    let id = second.to_string();
    assert_eq!(
        call(
            &app,
            admin,
            "/api/reading/questions/up",
            &[("question", &id)]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        count(
            &pool,
            "SELECT position::bigint FROM meeting_questions WHERE id = $1",
            second
        )
        .await,
        1
    );
    assert_eq!(
        call(
            &app,
            admin,
            "/api/reading/questions/unpick",
            &[("question", &id)]
        )
        .await
        .0,
        200
    );
    let positions: Vec<i32> = sqlx::query_scalar(
        "SELECT position FROM meeting_questions WHERE event_id = $1 AND position IS NOT NULL ORDER BY position",
    )
    .bind(event)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(positions, (1..=9).collect::<Vec<i32>>());
    // A member withdraws their own suggestion, not another's, and not once picked.
    let mine: Uuid = sqlx::query_scalar("SELECT id FROM meeting_questions WHERE event_id = $1 AND position IS NULL AND author_id = $2 LIMIT 1")
        .bind(event)
        .bind(cast.ids[&Mem])
        .fetch_one(&pool)
        .await
        .unwrap();
    let picked: Uuid =
        sqlx::query_scalar("SELECT id FROM meeting_questions WHERE event_id = $1 AND position = 1")
            .bind(event)
            .fetch_one(&pool)
            .await
            .unwrap();
    let member = &cast.clients[&Mem];
    assert_eq!(
        call(
            &app,
            member,
            "/api/reading/questions/withdraw",
            &[("question", &picked.to_string())]
        )
        .await
        .0,
        409
    );
    assert_eq!(
        call(
            &app,
            &cast.clients[&CGuest],
            "/api/reading/questions/withdraw",
            &[("question", &mine.to_string())]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        call(
            &app,
            member,
            "/api/reading/questions/withdraw",
            &[("question", &mine.to_string())]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM meeting_questions WHERE id = $1",
            mine
        )
        .await,
        0
    );
    app.stop().await;
}

#[sqlx::test]
async fn a_hidden_comment_is_read_only_by_those_who_moderate(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let book = book(&pool, club).await;
    let first = section(&pool, book, "Book one: Miss Brooke", 7).await;
    let said = comment(&pool, first, cast.ids[&Mem], "The butler did it.", None).await;
    comment(&pool, first, cast.ids[&CMod], "Quiet!", Some(said)).await;
    // Everyone has finished the section: only moderation hides anything.
    for who in [CGuest, Mem, CMod, CAdm, Owner] {
        sqlx::query("INSERT INTO reading_marks (section_id, club_id, user_id) VALUES ($1, $2, $3)")
            .bind(first)
            .bind(club)
            .bind(cast.ids[&who])
            .execute(&pool)
            .await
            .unwrap();
    }
    let post = |who: Who, path: &'static str, form: Vec<(&'static str, String)>| {
        let (app, client) = (&app, &cast.clients[&who]);
        async move { crate::common::send_form(app, client, path, &form).await }
    };
    let comment_form =
        |reason: &str| vec![("comment", said.to_string()), ("reason", reason.to_owned())];
    // The author may not report their own; a guest reports it.
    let (status, _) = post(Mem, "/api/reading/comments/report", comment_form("Mine")).await;
    assert_eq!(status, 409);
    let (status, body) = post(
        CGuest,
        "/api/reading/comments/report",
        comment_form("Spoiler in the wrong place"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // The report's reason reaches those who moderate, not the others.
    let sees = |who: Who, show_all: bool| {
        let (app, client) = (&app, &cast.clients[&who]);
        let path = format!(
            "/reading/{first}{}",
            if show_all { "?show=all" } else { "" }
        );
        async move {
            let (_, json) = crate::common::send_form(
                app,
                client,
                "/api/reading/thread",
                &[
                    ("section", first.to_string()),
                    ("reveal", show_all.to_string()),
                ],
            )
            .await;
            format!("{json}\n{}", page_text(app, client, &path).await)
        }
    };
    for who in [CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm] {
        let seen = sees(who, true).await;
        let moderates = matches!(who, CAdm | Owner | SMod | SAdm);
        assert_eq!(
            seen.contains("Spoiler in the wrong place"),
            moderates,
            "{who:?}"
        );
        assert!(seen.contains("The butler did it."), "{who:?}");
    }
    // An empty reason is refused and nothing is hidden; then CAdm hides it.
    let (status, _) = post(CAdm, "/api/reading/comments/hide", comment_form("  ")).await;
    assert_eq!(status, 422);
    let (status, _) = post(CMod, "/api/reading/comments/hide", comment_form("No")).await;
    assert_eq!(status, 403);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM comments WHERE id = $1 AND hidden_at IS NOT NULL",
            said
        )
        .await,
        0
    );
    let (status, body) = post(
        CAdm,
        "/api/reading/comments/hide",
        comment_form("Spoils book two"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM comment_reports WHERE comment_id = $1 AND resolved_at IS NOT NULL", said).await,
        1,
        "hiding settles its reports"
    );
    for who in [CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm] {
        for show_all in [false, true] {
            let seen = sees(who, show_all).await;
            let moderates = matches!(who, CAdm | Owner | SMod | SAdm);
            // Site staff have finished nothing: they read it when they ask.
            let open = show_all || !matches!(who, SMod | SAdm);
            let case = format!("{who:?}, show all: {show_all}");
            assert_eq!(
                seen.contains("The butler did it."),
                moderates && open,
                "{case}"
            );
            assert_eq!(
                seen.contains("Spoils book two"),
                moderates && open,
                "{case}"
            );
            // The reply stays for everyone.
            assert_eq!(seen.contains("Quiet!"), open, "{case}");
            if open && !moderates {
                assert!(
                    seen.contains("The club's admins hid this comment."),
                    "{who:?}"
                );
            }
        }
    }
    // Its author cannot edit it. The moderation page lists it for the
    // admins, not for members.
    let (status, _) = post(
        Mem,
        "/api/reading/comments/edit",
        vec![
            ("comment", said.to_string()),
            ("body", "The gardener did it.".into()),
            ("revision", "0".into()),
        ],
    )
    .await;
    assert_eq!(status, 409);
    let (status, queue) = post(
        Owner,
        "/api/reading/moderation",
        vec![("club", club.to_string())],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(queue["hidden"][0]["excerpt"], "The butler did it.");
    assert_eq!(queue["hidden"][0]["hidden_note"], "CAdm: Spoils book two");
    let (status, queue) = post(
        Mem,
        "/api/reading/moderation",
        vec![("club", club.to_string())],
    )
    .await;
    assert_eq!(status, 403, "{queue}");
    // A site moderator shows it again; everyone reads it.
    let (status, _) = post(
        SMod,
        "/api/reading/comments/unhide",
        vec![("comment", said.to_string())],
    )
    .await;
    assert_eq!(status, 200);
    assert!(sees(CGuest, false).await.contains("The butler did it."));
    // Its author is removed from the club: the comment stays, under their
    // name.
    let (status, _) = post(
        Owner,
        "/api/clubs/members/remove",
        vec![
            ("club", club.to_string()),
            ("user", cast.ids[&Mem].to_string()),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (_, thread) = post(
        CGuest,
        "/api/reading/thread",
        vec![("section", first.to_string()), ("reveal", "false".into())],
    )
    .await;
    let kept = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == said.to_string())
        .cloned()
        .unwrap();
    assert_eq!(kept["author"], "Mem");
    assert!(kept["html"]
        .as_str()
        .unwrap()
        .contains("The butler did it."));
    app.stop().await;
}

#[sqlx::test]
async fn notices_about_comments_say_who_and_where_never_what(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let book = book(&pool, club).await;
    let first = section(&pool, book, "Book one: Miss Brooke", 1).await;
    // Owner and Mem have finished the section; CGuest and CMod have not.
    for who in [Owner, Mem] {
        sqlx::query("INSERT INTO reading_marks (section_id, club_id, user_id) VALUES ($1, $2, $3)")
            .bind(first)
            .bind(club)
            .bind(cast.ids[&who])
            .execute(&pool)
            .await
            .unwrap();
    }
    // CMod wants no mentions at all.
    sqlx::query("INSERT INTO notification_preferences (user_id, kind, email, in_app) VALUES ($1, 'mention', false, false)")
        .bind(cast.ids[&CMod])
        .execute(&pool)
        .await
        .unwrap();
    let post = |who: Who, body: &str, parent: Option<Uuid>| {
        let form = vec![
            ("section", first.to_string()),
            ("body", body.to_owned()),
            ("parent", parent.map(|p| p.to_string()).unwrap_or_default()),
        ];
        let (app, client) = (&app, &cast.clients[&who]);
        async move {
            let (status, body) =
                crate::common::send_form(app, client, "/api/reading/comments/post", &form).await;
            assert_eq!(status, 200, "{body}");
        }
    };
    post(Owner, "Dorothea marries SECRET-ONE.", None).await;
    let said: Uuid = sqlx::query_scalar("SELECT id FROM comments WHERE body LIKE '%SECRET-ONE%'")
        .fetch_one(&pool)
        .await
        .unwrap();
    post(
        Mem,
        "> Dorothea marries SECRET-ONE.\n\nAnd SECRET-TWO dies, @cguest and @CMod and @Owner.",
        Some(said),
    )
    .await;
    let kinds: Vec<(Uuid, String, String)> = sqlx::query_as(
        "SELECT user_id, kind::text, payload::text FROM notifications ORDER BY user_id, kind",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut got: Vec<(Uuid, String)> = kinds.iter().map(|k| (k.0, k.1.clone())).collect();
    got.sort();
    // Owner is answered (once, not also mentioned); CGuest is mentioned;
    // CMod turned mentions off; Mem wrote it.
    let mut want = vec![
        (cast.ids[&Owner], "comment_reply".to_owned()),
        (cast.ids[&CGuest], "mention".to_owned()),
    ];
    want.sort();
    assert_eq!(got, want);
    for (_, _, payload) in &kinds {
        assert!(!payload.contains("SECRET"), "{payload}");
    }
    // In the bell and by e-mail: who and where, not what.
    let (_, list) = call(&app, &cast.clients[&CGuest], "/api/notifications/list", &[]).await;
    let shown = list.to_string();
    assert!(shown.contains("Mem mentioned you"), "{shown}");
    assert!(!shown.contains("SECRET"), "{shown}");
    // A target tomorrow: the readers who have not finished it are told
    // (once), in words that name the section and no comment.
    sqlx::query(
        "UPDATE reading_sections s SET target_date = (now() AT TIME ZONE c.time_zone)::date + 1
           FROM clubs c WHERE c.id = s.club_id AND s.id = $1",
    )
    .bind(first)
    .execute(&pool)
    .await
    .unwrap();
    let smtp = crate::common::smtp::SmtpServer::start().await;
    let worker = super::behaviours_notices::worker(&pool, &smtp);
    worker.run_once().await.unwrap();
    worker.run_once().await.unwrap();
    let mut targeted: Vec<Uuid> = sqlx::query_scalar(
        "SELECT user_id FROM notifications WHERE kind = 'reading_target' ORDER BY user_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    targeted.sort();
    let mut behind = vec![cast.ids[&CGuest], cast.ids[&CMod], cast.ids[&CAdm]];
    behind.sort();
    assert_eq!(
        targeted, behind,
        "once each, to those who have not finished it"
    );
    let mail = smtp.received();
    assert!(!mail.is_empty());
    for m in &mail {
        let text = crate::common::smtp::plain_text(&m.data);
        let subject = crate::common::smtp::decoded_header(&m.data, "Subject").unwrap_or_default();
        assert!(
            !text.contains("SECRET") && !subject.contains("SECRET"),
            "{subject}\n{text}"
        );
    }
    let to_guest: Vec<String> = mail
        .iter()
        .filter(|m| m.recipients == ["cguest@example.com"])
        .map(|m| crate::common::smtp::plain_text(&m.data))
        .collect();
    assert!(
        to_guest.iter().any(|t| t.contains("aims to have read")),
        "{to_guest:?}"
    );
    app.stop().await;
}

#[sqlx::test]
async fn a_reader_says_where_they_are_by_page_or_percentage(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let r = reading(&app, &pool).await;
    sqlx::query("UPDATE books SET pages = 300 WHERE id = $1")
        .bind(r.book)
        .execute(&pool)
        .await
        .unwrap();
    let book = r.book.to_string();
    let first = r.sections[0].to_string();
    let progress = |who: usize, through: &str, place: &str| {
        let form = [
            ("book", book.clone()),
            ("through", through.to_owned()),
            ("place", place.to_owned()),
        ];
        let (app, client) = (&app, &r.readers[who]);
        async move { crate::common::send_form(app, client, "/api/reading/progress", &form).await }
    };
    let places = || async {
        sqlx::query_as::<_, (Option<i32>, Option<i16>)>(
            "SELECT page, percent FROM reading_places WHERE book_id = $1 ORDER BY page NULLS LAST",
        )
        .bind(r.book)
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    assert_eq!(progress(0, &first, "p. 140").await.0, 200);
    assert_eq!(progress(1, "", "45%").await.0, 200);
    assert_eq!(places().await, [(Some(140), None), (None, Some(45))]);
    let seen = page_text(&app, &r.readers[3], &format!("/books/{book}/reading")).await;
    assert!(
        seen.contains("finished 1 of 3, up to “Part one” · now at page 140"),
        "{seen:.6000}"
    );
    assert!(seen.contains("at 45%"), "{seen:.6000}");
    // Past the last page, or no place at all: refused, nothing changed
    // (the section either).
    for bad in ["301", "half", "120%"] {
        let (status, body) = progress(0, "", bad).await;
        assert_eq!(status, 422, "{bad}");
        assert!(!invalid_message(&body, "place").is_empty(), "{body}");
    }
    assert_eq!(places().await, [(Some(140), None), (None, Some(45))]);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM reading_marks WHERE section_id = $1",
            r.sections[0]
        )
        .await,
        3,
        "readers 0, 2 and 3 have finished it"
    );
    // Left empty, the place is cleared; the form shows what was saved.
    assert_eq!(progress(1, "", "").await.0, 200);
    assert_eq!(places().await, [(Some(140), None)]);
    let mine = page_text(&app, &r.readers[0], &format!("/books/{book}/reading")).await;
    assert!(
        mine.contains(r#"name="place""#) && mine.contains(r#"value="140""#),
        "{mine:.6000}"
    );
    app.stop().await;
}
