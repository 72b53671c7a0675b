//! Every server function, sent every kind of bad input a client can send:
//! missing fields, text where a number, id or yes/no belongs, a NUL byte, a
//! body that is not UTF-8, a body over 2 MB, a 1 MB string, a value outside
//! its set, an id that does not exist. Each call has one right answer,
//! worked out here from what the input is, never from what the server said:
//! the form boundary's 400/413/422, the decoder's 400, 401 for a signed-out
//! caller, 404 for an id that names nothing, 422 naming the field for a
//! value outside its set or too long, the function's own answer when the
//! input is fine after all. No answer may show a stack trace or SQL. The
//! table below must name every registered server function, so a new one
//! cannot be forgotten.
use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use bookwork::error::AppError;
use sqlx::PgPool;
use uuid::Uuid;

use crate::common::{sign_up, spawn_app, TestApp, PASSWORD};

/// What an argument of a server function is, and what it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arg {
    /// Text of limited length (a name, a note): any short text is taken, a
    /// megabyte is refused beside the field.
    Text,
    /// Text read as one of a set or in a format (a status, a role, a zone, a
    /// date, a number typed into a box, an address): anything else is
    /// refused beside the field.
    Choice,
    /// Text only looked for or followed, never kept (a search, where to go
    /// next): any text is taken.
    Search,
    Uuid,
    Int,
    Bool,
    /// A checkbox: ticked when sent, whatever it says.
    Tick,
    /// A [`Text`](Arg::Text) a form may leave out.
    OptText,
    /// A [`Choice`](Arg::Choice) a form may leave out (an optional list).
    OptChoice,
    /// A [`Search`](Arg::Search) a form may leave out.
    OptSearch,
}
use Arg::*;

impl Arg {
    /// Whether the function cannot be called without it (the body does not
    /// decode into its arguments).
    fn required(self) -> bool {
        matches!(self, Text | Choice | Search | Uuid | Int | Bool)
    }
}

/// Every server function and its arguments, in order.
const TABLE: &[(&str, &[(&str, Arg)])] = &[
    ("admin/users", &[("search", Search), ("page", Int)]),
    ("admin/users/role", &[("user_id", Uuid), ("role", Choice)]),
    ("admin/users/active", &[("user_id", Uuid), ("active", Bool)]),
    ("admin/system", &[]),
    ("auth/me", &[]),
    (
        "auth/register",
        &[
            ("name", Text),
            ("email", Choice),
            ("password", Text),
            ("next", OptSearch),
        ],
    ),
    (
        "auth/login",
        &[("email", Choice), ("password", Choice), ("next", OptSearch)],
    ),
    ("auth/logout", &[]),
    ("clubs/create", CLUB_FIELDS),
    ("clubs/view", &[("id", Uuid)]),
    (
        "clubs/discover",
        &[("search", Search), ("tag", Search), ("page", Int)],
    ),
    ("clubs/mine", &[]),
    ("clubs/join", &[("id", Uuid)]),
    ("clubs/leave", &[("id", Uuid)]),
    ("clubs/ask", &[("id", Uuid), ("message", Text)]),
    ("clubs/ask/withdraw", &[("id", Uuid)]),
    ("clubs/requests", &[("club", Uuid)]),
    (
        "clubs/requests/answer",
        &[("club", Uuid), ("request", Uuid), ("answer", Choice)],
    ),
    ("clubs/edit-form", &[("id", Uuid)]),
    ("clubs/update", &[("id", Uuid)]), // + CLUB_FIELDS, see `arguments`
    ("clubs/delete", &[("id", Uuid), ("confirm_name", Choice)]),
    ("clubs/members", &[("club", Uuid)]),
    (
        "clubs/members/role",
        &[("club", Uuid), ("user", Uuid), ("role", Choice)],
    ),
    ("clubs/members/remove", &[("club", Uuid), ("user", Uuid)]),
    ("clubs/members/hand-over", &[("club", Uuid), ("user", Uuid)]),
    (
        "clubs/members/books-read",
        &[("club", Uuid), ("books_read", Choice)],
    ),
    ("clubs/invites", &[("club", Uuid)]),
    (
        "clubs/invites/create",
        &[
            ("club", Uuid),
            ("days", Choice),
            ("max_uses", Choice),
            ("email", OptChoice),
        ],
    ),
    ("clubs/invites/revoke", &[("club", Uuid), ("invite", Uuid)]),
    ("clubs/reminders", &[("club", Uuid)]),
    ("books/shelf", &[("club", Uuid)]),
    ("books/edit-form", &[("book", Uuid)]),
    ("books/suggest", &[("club", Uuid)]), // + BOOK_FIELDS
    ("books/edit", &[("book", Uuid)]),    // + BOOK_FIELDS
    ("books/move", &[("book", Uuid), ("shelf", Choice)]),
    ("books/remove", &[("book", Uuid), ("confirm", OptChoice)]),
    ("polls/new-form", &[("club", Uuid)]),
    (
        "polls/create",
        &[
            ("club", Uuid),
            ("title", Text),
            ("date", Choice),
            ("time", Choice),
            ("books[]", OptChoice),
            ("results_live", Tick),
            ("nominate", Tick),
            ("cap", OptChoice),
        ],
    ),
    (
        "polls/nominate",
        &[
            ("poll", Uuid),
            ("book", OptChoice),
            ("title", OptText),
            ("authors", OptText),
        ],
    ),
    ("polls/start-voting", &[("poll", Uuid)]),
    ("polls/view", &[("id", Uuid)]),
    ("polls/of-club", &[("club", Uuid)]),
    (
        "polls/vote",
        &[("poll", Uuid), ("rank[option-x]", OptChoice)],
    ),
    ("polls/close", &[("poll", Uuid)]),
    ("polls/delete", &[("poll", Uuid), ("confirm", OptChoice)]),
    ("polls/waiting", &[]),
    ("polls/next-read", &[("poll", Uuid)]),
    ("polls/new-date-form", &[("club", Uuid)]),
    (
        "polls/create-date",
        &[
            ("club", Uuid),
            ("title", Text),
            ("place", Text),
            ("book", OptChoice),
            ("date", Choice),
            ("time", Choice),
            ("slot_date[row-1]", OptChoice),
            ("slot_time[row-1]", OptChoice),
            ("slot_date[row-2]", OptChoice),
            ("slot_time[row-2]", OptChoice),
        ],
    ),
    (
        "polls/answer",
        &[("poll", Uuid), ("answer[option-x]", OptChoice)],
    ),
    ("polls/plan-form", &[("poll", Uuid), ("option", Uuid)]),
    ("polls/plan", &[("poll", Uuid)]), // + EVENT_FIELDS
    (
        "clubs/reminders/save",
        &[
            ("club", Uuid),
            ("minutes[]", OptChoice),
            ("remind_unanswered", Tick),
        ],
    ),
    ("notifications/list", &[]),
    ("notifications/unread", &[]),
    ("notifications/read", &[("id", Int)]),
    ("notifications/read-all", &[]),
    ("notifications/preferences", &[]),
    (
        "notifications/preferences/save",
        &[("email[]", OptChoice), ("in_app[]", OptChoice)],
    ),
    ("notifications/unsubscribe/check", &[("token", Choice)]),
    ("notifications/unsubscribe", &[("token", Choice)]),
    ("invites/status", &[("token", Search)]),
    ("invites/accept", &[("token", Choice)]),
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
        &[("event", Uuid), ("status", Choice), ("note", Text)],
    ),
    ("events/items/add", &[("event", Uuid)]), // + ITEM_FIELDS
    ("events/items/edit", &[("item", Uuid)]), // + ITEM_FIELDS
    ("events/items/delete", &[("item", Uuid)]),
    ("events/items/status", &[("item", Uuid), ("status", Choice)]),
    ("events/items/volunteer", &[("item", Uuid)]),
    ("reading/plan", &[("book", Uuid)]),
    ("reading/club", &[("club", Uuid)]),
    ("reading/thread", &[("section", Uuid), ("reveal", Bool)]),
    (
        "reading/sections/add",
        &[("book", Uuid), ("title", Text), ("target_date", Choice)],
    ),
    (
        "reading/sections/edit",
        &[("section", Uuid), ("title", Text), ("target_date", Choice)],
    ),
    ("reading/sections/remove", &[("section", Uuid)]),
    (
        "reading/progress",
        &[
            ("book", Uuid),
            ("through", OptChoice),
            ("place", OptChoice),
            ("hidden", Tick),
        ],
    ),
    ("reading/finish", &[("section", Uuid)]),
    (
        "reading/comments/post",
        &[("section", Uuid), ("body", Text), ("parent", OptChoice)],
    ),
    (
        "reading/comments/edit",
        &[("comment", Uuid), ("body", Text), ("revision", Int)],
    ),
    ("reading/comments/delete", &[("comment", Uuid)]),
    ("reading/meeting-thread", &[("event", Uuid)]),
    (
        "reading/meeting-comments/post",
        &[("event", Uuid), ("body", Text), ("parent", OptChoice)],
    ),
    ("reading/questions", &[("event", Uuid)]),
    (
        "reading/questions/suggest",
        &[("event", Uuid), ("text", Text), ("section", OptChoice)],
    ),
    ("reading/questions/pick", &[("question", Uuid)]),
    ("reading/questions/unpick", &[("question", Uuid)]),
    ("reading/questions/up", &[("question", Uuid)]),
    ("reading/questions/withdraw", &[("question", Uuid)]),
    // After the edits above: hiding the fixture's comment would refuse them.
    (
        "reading/comments/report",
        &[("comment", Uuid), ("reason", Text)],
    ),
    (
        "reading/comments/hide",
        &[("comment", Uuid), ("reason", Text)],
    ),
    ("reading/comments/unhide", &[("comment", Uuid)]),
    ("reading/moderation", &[("club", Uuid)]),
    ("hosting/rotation", &[("club", Uuid)]),
    (
        "hosting/volunteer",
        &[("club", Uuid), ("volunteer", Choice)],
    ),
    ("hosting/take-out", &[("club", Uuid), ("person", Uuid)]),
    ("hosting/swap", &[("event", Uuid), ("with", Uuid)]),
    ("books/look-up", &[("club", Uuid), ("query", Text)]),
    ("books/view", &[("book", Uuid)]),
    ("events/mine", &[]),
    ("events/my-tasks", &[]),
    ("calendar/settings", &[]),
    ("calendar/time-zone", &[("time_zone", Choice)]),
    ("calendar/reset", &[]),
    ("calendar/revoke", &[]),
    ("forms/remembered", &[("form", Choice)]),
    ("community_stats", &[]),
    ("home/mine", &[]),
    ("me/profile", &[]),
    ("me/page", &[]),
    (
        "me/update",
        &[("name", Text), ("phone", Choice), ("avatar", Choice)],
    ),
    (
        "me/password",
        &[("current_password", Choice), ("new_password", Text)],
    ),
    ("me/delete", &[("password", Choice), ("understood", Tick)]),
    ("me/sessions", &[]),
    ("me/sessions/end", &[("id", Uuid)]),
    ("me/sessions/end-others", &[]),
    ("me/tokens", &[]),
    (
        "me/tokens/create",
        &[
            ("token_name", Text),
            ("scopes[]", OptChoice),
            ("days", Choice),
        ],
    ),
    ("me/tokens/revoke", &[("id", Uuid)]),
];

const CLUB_FIELDS: &[(&str, Arg)] = &[
    ("name", Text),
    ("description", Text),
    ("is_public", Tick),
    ("join_by_request", Tick),
    ("max_members", Choice),
    ("meeting_frequency", Text),
    ("location", Text),
    ("tags", Text),
    ("time_zone", OptChoice),
];
const EVENT_FIELDS: &[(&str, Arg)] = &[
    ("title", Text),
    ("description", Text),
    ("date", Choice),
    ("time", Choice),
    ("time_zone", Choice),
    ("location", Text),
    ("book", Text),
    ("book_id", OptChoice),
    ("kind", Choice),
    ("max_attendees", Choice),
    ("is_public", Tick),
    ("host", OptChoice),
];
const BOOK_FIELDS: &[(&str, Arg)] = &[
    ("title", Text),
    ("authors", Text),
    ("isbn", Choice),
    ("cover_url", Choice),
    ("pages", Choice),
    ("description", Text),
];
const ITEM_FIELDS: &[(&str, Arg)] = &[
    ("name", Text),
    ("category", Choice),
    ("assignee", Choice),
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
    /// A section of the book's schedule, and a comment in it by the admin
    /// (at revision 5: see `ran`).
    section: Uuid,
    comment: Uuid,
    /// A question for the event, suggested by the member.
    question: Uuid,
}

/// A value the function takes for an argument: real ids, sensible text,
/// choices from their sets. Bad input is then one field at a time on top of
/// this, so that the answer is about that field alone. Passwords are wrong
/// ones, so nothing here changes anyone's password.
fn good(path: &str, name: &str, arg: Arg, ids: &Ids) -> String {
    match (arg, name) {
        (Uuid, "club") => return ids.club.to_string(),
        (Uuid, "event") => return ids.event.to_string(),
        (Uuid, "item") => return ids.item.to_string(),
        (Uuid, "book") => return ids.book.to_string(),
        (Uuid, "poll") => return ids.poll.to_string(),
        (Uuid, "section") => return ids.section.to_string(),
        (Uuid, "comment") => return ids.comment.to_string(),
        (Uuid, "question") => return ids.question.to_string(),
        (Uuid, "id") if path.starts_with("polls/") => return ids.poll.to_string(),
        (Uuid, "id") if path.starts_with("events/") => return ids.event.to_string(),
        (Uuid, "id") => return ids.club.to_string(),
        (Uuid, _) => return ids.member.to_string(),
        (Int, _) => return "1".into(),
        (Bool, _) => return "false".into(),
        (Tick, _) => return "on".into(),
        _ => {}
    }
    match (path, name) {
        // A sign-up that gets through makes a new account each time; a
        // sign-in that gets through is a real one's.
        ("auth/register", "email") => format!("new-{}@example.com", Uuid::new_v4()),
        ("auth/login", "email") => "member@example.com".into(),
        ("auth/login", "password") => PASSWORD.into(),
        (_, n) if n.contains("password") => "not the right password".into(),
        ("books/move", "shelf") => "up_next".into(),
        // A book of its own each time: the same title by the same authors
        // is refused as already on the shelf (books_http.rs, book_lookup.rs).
        ("books/suggest" | "books/edit", "title" | "authors") => {
            format!("{name} {}", Uuid::new_v4())
        }
        ("events/items/status", "status") => "pending".into(),
        ("hosting/volunteer", "volunteer") => "yes".into(),
        // The fixture's event with itself (see `ran`).
        ("hosting/swap", "with") => ids.event.to_string(),
        ("reading/progress", "through") => ids.section.to_string(),
        ("reading/progress", "place") => "45%".into(),
        // A comment of its own, not a reply.
        ("reading/comments/post" | "reading/meeting-comments/post", "parent") => String::new(),
        // About the meeting as a whole (its event has no book).
        ("reading/questions/suggest", "section") => String::new(),
        (_, "target_date") => crate::common::in_days(20),
        ("clubs/requests/answer", "answer") => "approve".into(),
        ("me/tokens/create", "days") => "30".into(),
        ("me/tokens/create", "scopes[]") => "read".into(),
        ("polls/create" | "polls/create-date", "book" | "books[]") => ids.book.to_string(),
        ("polls/nominate", "book") => String::new(),
        (_, "email") => "someone@example.com".into(),
        (_, "email[]" | "in_app[]") => "reminder".into(),
        (_, "role") => "member".into(),
        (_, "confirm_name") => "Readers".into(),
        (_, "books_read") => "3".into(),
        (_, "days") => "7".into(),
        (_, "max_uses" | "max_members" | "max_attendees") => "20".into(),
        (_, "cap") => "2".into(),
        (_, "minutes[]") => "60".into(),
        (_, "rank[option-x]") => "1".into(),
        (_, "answer[option-x]") => "yes".into(),
        // Empty is "none" for these.
        (
            _,
            "isbn" | "cover_url" | "pages" | "phone" | "avatar" | "assignee" | "book_id" | "host",
        ) => String::new(),
        // Soon enough for a poll's closing date (at most a year ahead).
        (_, "date") => crate::common::in_days(30),
        (_, "slot_date[row-1]") => crate::common::in_days(40),
        (_, "slot_date[row-2]") => crate::common::in_days(41),
        (_, "time" | "slot_time[row-1]" | "slot_time[row-2]") => "19:00".into(),
        (_, "time_zone") => "Europe/London".into(),
        (_, "kind") => "social".into(),
        (_, "category") => "task".into(),
        (_, "status") => "maybe".into(),
        (_, "form") => "/api/clubs/create".into(),
        (_, "next") => "/clubs".into(),
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

/// One kind of bad input, on one field where it is about a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bad {
    /// An empty body.
    Nothing,
    /// Bytes that are not UTF-8 (ff fe 00).
    NotText,
    /// Percent-encoded bytes that are not UTF-8.
    NotTextEncoded,
    /// Bytes that are not UTF-8, posted by a browser's form (no JavaScript).
    NotTextFromBrowser,
    /// A body larger than the form boundary reads (2 MB and a byte).
    TooLarge,
    Missing(&'static str),
    /// Text where an id, a number or a yes/no belongs.
    NotParsed(&'static str),
    /// An id that names nothing.
    NoSuchId(&'static str),
    /// A NUL byte in the field.
    Control(&'static str),
    /// A NUL byte in the field, posted by a browser's form.
    ControlFromBrowser(&'static str),
    /// A megabyte of text.
    Long(&'static str),
    /// A value outside the field's set ("zzz-no-such-value").
    Unknown(&'static str),
}

impl std::fmt::Display for Bad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bad::Nothing => write!(f, "nothing at all"),
            Bad::NotText => write!(f, "bytes ff fe 00"),
            Bad::NotTextEncoded => write!(f, "percent-encoded bytes that are not UTF-8"),
            Bad::NotTextFromBrowser => write!(f, "bytes ff fe 00 from a browser form"),
            Bad::TooLarge => write!(f, "a form over 2 MB"),
            Bad::Missing(n) => write!(f, "{n} missing"),
            Bad::NotParsed(n) => write!(f, "{n} not an id, number or yes/no"),
            Bad::NoSuchId(n) => write!(f, "{n} an id that does not exist"),
            Bad::Control(n) => write!(f, "{n} with a NUL byte"),
            Bad::ControlFromBrowser(n) => write!(f, "{n} with a NUL byte, from a browser form"),
            Bad::Long(n) => write!(f, "{n} 1 MB long"),
            Bad::Unknown(n) => write!(f, "{n} an unknown value"),
        }
    }
}

enum Body {
    Form(Vec<(String, String)>),
    Raw(Vec<u8>),
}

/// The limit of `server::form_boundary` (2 MB), from its spec: a larger
/// form is refused with 413 before anything reads it.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// Every bad version of a call to `path`.
fn bad_calls(path: &str, args: &[(&'static str, Arg)], ids: &Ids) -> Vec<(Bad, Body)> {
    let form = |replace: Option<(&str, String)>, drop: Option<&str>| -> Body {
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
    // Exactly one byte over: the boundary reads the whole body before it
    // answers, so the answer never races the upload.
    let mut too_large = b"x=".to_vec();
    too_large.resize(MAX_FORM_BYTES + 1, b'a');
    let mut calls = vec![
        (Bad::Nothing, Body::Raw(Vec::new())),
        (Bad::NotText, Body::Raw(vec![0xff, 0xfe, 0x00])),
        (
            Bad::NotTextEncoded,
            Body::Raw(b"name=%FF%FE%00&id=%C3%28".to_vec()),
        ),
        (Bad::NotTextFromBrowser, Body::Raw(vec![0xff, 0xfe, 0x00])),
        (Bad::TooLarge, Body::Raw(too_large)),
    ];
    let big = "a".repeat(1024 * 1024);
    for &(name, arg) in args {
        calls.push((Bad::Missing(name), form(None, Some(name))));
        match arg {
            Uuid => {
                calls.push((
                    Bad::NotParsed(name),
                    form(Some((name, "not-a-uuid".into())), None),
                ));
                let made_up = Uuid::new_v4().to_string();
                calls.push((Bad::NoSuchId(name), form(Some((name, made_up)), None)));
            }
            Int => calls.push((
                Bad::NotParsed(name),
                form(Some((name, "twelve".into())), None),
            )),
            Bool => calls.push((
                Bad::NotParsed(name),
                form(Some((name, "perhaps".into())), None),
            )),
            Text | Choice | Search | Tick | OptText | OptChoice | OptSearch => {
                for bad in [Bad::Control(name), Bad::ControlFromBrowser(name)] {
                    calls.push((bad, form(Some((name, "a\0b".into())), None)));
                }
                calls.push((Bad::Long(name), form(Some((name, big.clone())), None)));
                let unknown = "zzz-no-such-value".to_owned();
                calls.push((Bad::Unknown(name), form(Some((name, unknown)), None)));
            }
        }
    }
    calls
}

/// Who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    /// A site admin who is also the club's owner and admin: nothing is
    /// refused to them for who they are.
    Admin,
}

/// Whom a function serves, as seen from outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Door {
    /// Anyone, signed in or not: public reads, signing in, a link that is
    /// its own proof.
    Open,
    /// Signed-in people only, refused (401) before anything is looked up.
    SignIn,
    /// Signed-in people only, but the club, event, book or poll asked about
    /// is looked up first: an id that names nothing is 404 for anyone.
    LooksUp,
}

fn door(path: &str) -> Door {
    match path {
        "auth/me"
        | "auth/register"
        | "auth/login"
        | "auth/logout"
        | "clubs/view"
        | "clubs/discover"
        | "clubs/mine"
        | "books/shelf"
        | "books/view"
        | "reading/plan"
        | "reading/club"
        | "polls/view"
        | "polls/of-club"
        | "polls/waiting"
        | "notifications/unread"
        | "notifications/unsubscribe/check"
        | "notifications/unsubscribe"
        | "invites/status"
        | "events/view"
        | "events/of-club"
        | "events/mine"
        | "events/my-tasks"
        | "forms/remembered"
        | "community_stats"
        | "home/mine" => Door::Open,
        "clubs/create"
        | "invites/accept"
        | "calendar/settings"
        | "calendar/time-zone"
        | "calendar/reset"
        | "calendar/revoke"
        | "reading/comments/edit"
        | "reading/comments/delete"
        | "reading/questions/pick"
        | "reading/questions/unpick"
        | "reading/questions/up"
        | "reading/questions/withdraw"
        | "reading/comments/report"
        | "reading/comments/hide"
        | "reading/comments/unhide" => Door::SignIn,
        p if p.starts_with("admin/") || p.starts_with("me/") || p.starts_with("notifications/") => {
            Door::SignIn
        }
        _ => Door::LooksUp,
    }
}

/// What an error says, as far as a check needs to know: every error exactly,
/// except a validation error, which is the fields it names (each field's
/// message is that field's own test's business).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said {
    Exactly(AppError),
    Fields(BTreeSet<String>),
}

impl Said {
    fn fits(&self, got: &Said) -> bool {
        match (self, got) {
            (Said::Fields(want), Said::Exactly(AppError::Validation { errors })) => {
                *want == errors.iter().map(|e| e.field.clone()).collect()
            }
            (want, got) => want == got,
        }
    }
}

/// The one right answer to a call.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    /// 200: the function did what was asked (the input was fine after all).
    Done,
    /// This status, with this error as JSON.
    Refused(u16, Said),
    /// A browser's form post goes back to its page (303 to `/`, where these
    /// calls come from) with the error in the address (`__err`).
    BackToForm(Said),
}

impl Answer {
    /// Whether `got` (as read by [`answered`]) is this answer.
    fn fits(&self, got: &Answer) -> bool {
        match (self, got) {
            (Answer::Done, Answer::Done) => true,
            (Answer::Refused(s, want), Answer::Refused(t, got)) => s == t && want.fits(got),
            (Answer::BackToForm(want), Answer::BackToForm(got)) => want.fits(got),
            _ => false,
        }
    }
}

fn refused(status: u16, err: AppError) -> Answer {
    Answer::Refused(status, Said::Exactly(err))
}

fn fields(names: &[&str]) -> Answer {
    Answer::Refused(
        422,
        Said::Fields(names.iter().map(|n| n.to_string()).collect()),
    )
}

fn conflict(message: &str) -> Answer {
    refused(409, AppError::Conflict(message.into()))
}

/// The boundary's and the decoder's words, from `form_boundary.rs` and
/// `error.rs`.
fn not_text() -> AppError {
    AppError::BadRequest(
        "The form could not be read: it was not plain text. Reload the page and try again.".into(),
    )
}
fn unreadable() -> AppError {
    AppError::BadRequest(
        "The form could not be read: something in it was missing or not in the expected \
         format. Reload the page and try again."
            .into(),
    )
}
fn too_large() -> AppError {
    AppError::BadRequest(
        "The form is too large to send (more than 2 MB). Shorten what you wrote and try again."
            .into(),
    )
}
fn control(field: &str) -> AppError {
    AppError::validation(
        field,
        "This holds an invisible control character (shown as �), which cannot be saved. \
         It often comes from copying and pasting: delete it and try again.",
    )
}

/// The answer to a call of `path` by `who` with `bad`, worked out from what
/// the input is.
fn expected(path: &str, args: &[(&'static str, Arg)], who: Who, bad: Bad) -> Answer {
    let arg = |field: &str| args.iter().find(|(n, _)| *n == field).unwrap().1;
    match bad {
        // The form boundary, before anything else.
        Bad::NotText | Bad::NotTextEncoded => refused(400, not_text()),
        Bad::NotTextFromBrowser => Answer::BackToForm(Said::Exactly(not_text())),
        Bad::TooLarge => refused(413, too_large()),
        Bad::Control(field) => refused(422, control(field)),
        Bad::ControlFromBrowser(field) => Answer::BackToForm(Said::Exactly(control(field))),
        // Then the arguments are decoded.
        Bad::Nothing if args.iter().any(|(_, a)| a.required()) => refused(400, unreadable()),
        Bad::Missing(field) if arg(field).required() => refused(400, unreadable()),
        Bad::NotParsed(_) => refused(400, unreadable()),
        // Then the function runs.
        _ => ran(path, args, who, bad),
    }
}

/// The answer of the function itself to arguments that decoded.
fn ran(path: &str, args: &[(&'static str, Arg)], who: Who, bad: Bad) -> Answer {
    let first_id = args.iter().find(|(_, a)| *a == Uuid).map(|(n, _)| *n);
    if who == Who::Anonymous {
        match (door(path), bad) {
            (Door::Open, _) => {}
            (Door::LooksUp, Bad::NoSuchId(field)) if Some(field) == first_id => {
                return refused(404, AppError::NotFound)
            }
            _ => return refused(401, AppError::Unauthorized),
        }
    }
    if matches!(bad, Bad::NoSuchId(field) if Some(field) == first_id) {
        return refused(404, AppError::NotFound);
    }
    // Refused whatever else is sent, for what the fixture's poll is (a book
    // poll, not taking nominations): these functions' fields are the
    // business of polls_http.rs and date_polls_http.rs.
    match path {
        "polls/nominate" => return conflict("This poll no longer takes nominations."),
        "polls/answer" => {
            return conflict("This poll ranks books: rank them on the ballot instead.")
        }
        "polls/plan" | "polls/plan-form" => return conflict("Only a date poll becomes a meeting."),
        // The fixture's caller is in the fixture's club: nothing to ask
        // (join_requests_http.rs tries the note itself).
        "clubs/ask" => {
            return refused(
                403,
                AppError::Forbidden("You are already in this club.".into()),
            )
        }
        // The fixture's comment is the admin's own: not theirs to report
        // (reading_http.rs reports others').
        "reading/comments/report" if !matches!(bad, Bad::NoSuchId(_)) => {
            return conflict("This is your own comment: edit or delete it instead.")
        }
        // A meeting swapped with itself (and the fixture's has no host):
        // hosting_http.rs makes swaps that work.
        "hosting/swap" if !matches!(bad, Bad::NoSuchId(_)) => {
            return conflict("Those two meetings cannot swap hosts: both must be coming meetings of this club, each with a host.")
        }
        // The fixture's book is an option of the fixture's poll: it stays
        // (books_http.rs tries removal itself).
        "books/remove" if !matches!(bad, Bad::NoSuchId(_)) => {
            return conflict(
                "This book is part of a poll, so it stays on the shelf (move it to another shelf instead).",
            )
        }
        _ => {}
    }
    if let Bad::NoSuchId(_) = bad {
        return refused(404, AppError::NotFound);
    }
    // Answers that are not "the field is refused" or "done".
    match (path, bad) {
        // A password that is not theirs is one message for the whole form
        // (it does not say whether the address or the password was wrong).
        ("auth/login", Bad::Long("password") | Bad::Unknown("password")) => {
            return fields(&["form"])
        }
        // Not a kind of notification.
        ("notifications/preferences/save", Bad::Long(_) | Bad::Unknown(_)) => {
            return fields(&["form"])
        }
        // "option-x" is no option of the poll, whatever rank it is given;
        // and a ballot without a rank is no ballot.
        ("polls/vote", _) => return fields(&["form"]),
        // Without nominations, one book is too few to vote between; with
        // them, each member's number of nominations must be given.
        ("polls/create", Bad::Missing("nominate")) => return fields(&["books"]),
        ("polls/create", Bad::Missing("cap")) => return fields(&["cap"]),
        // A token that may do nothing is no token.
        ("me/tokens/create", Bad::Missing("scopes[]")) => return fields(&["scopes"]),
        // Deleting needs the box ticked (and the table's password is wrong).
        ("me/delete", Bad::Missing("understood")) => return fields(&["password", "understood"]),
        // The fixture's comment is at revision 5 and the table's number is
        // 1: an edit from an old revision, refused once the text is fine
        // (reading_http.rs makes edits that work).
        ("reading/comments/edit", Bad::Long("body")) => return fields(&["body"]),
        ("reading/comments/edit", _) => {
            return conflict("This comment was changed in another window after you opened it. Your text is still here: reload to see the newer version first.")
        }
        // A box left unticked confirms nothing: the poll stays.
        ("polls/delete", Bad::Missing("confirm")) => return fields(&["confirm"]),
        // A proposed date and time go together; a problem with either is
        // also summed up for the group.
        ("polls/create-date", Bad::Missing(field) | Bad::Long(field) | Bad::Unknown(field))
            if field.starts_with("slot_") =>
        {
            return fields(&[field, "slots"])
        }
        // A link that is not one of ours.
        ("notifications/unsubscribe" | "notifications/unsubscribe/check", _) => {
            return refused(
                400,
                AppError::BadRequest(
                    "This unsubscribe link is not valid. Copy the whole link from the e-mail, \
                     or change your settings on your profile page."
                        .into(),
                ),
            )
        }
        // An invitation link that names no invitation.
        ("invites/accept", _) => {
            return conflict("This invitation link is not valid. Ask the club for a new one.")
        }
        // Only server functions' forms are remembered: any other name is
        // nothing.
        ("forms/remembered", Bad::Long(_) | Bad::Unknown(_)) => {
            return refused(404, AppError::NotFound)
        }
        _ => {}
    }
    // With good values the function does it, except: the password given as
    // the current one (or to delete the account) is wrong on purpose, so
    // that no call changes it.
    let mut refused_fields: BTreeSet<String> = match path {
        "me/password" => ["current_password".to_owned()].into(),
        "me/delete" => ["password".to_owned()].into(),
        _ => BTreeSet::new(),
    };
    let refuses = match bad {
        Bad::Long(field) => matches!(arg_of(args, field), Text | Choice | OptText | OptChoice),
        Bad::Unknown(field) => matches!(arg_of(args, field), Choice | OptChoice),
        _ => false,
    };
    if let (true, Bad::Long(field) | Bad::Unknown(field)) = (refuses, bad) {
        // A list's values (`minutes[]`) are refused under the list's name.
        refused_fields.insert(field.trim_end_matches("[]").to_owned());
    }
    if refused_fields.is_empty() {
        Answer::Done
    } else {
        Answer::Refused(422, Said::Fields(refused_fields))
    }
}

fn arg_of(args: &[(&'static str, Arg)], field: &str) -> Arg {
    args.iter().find(|(n, _)| *n == field).unwrap().1
}

/// What came back, read the way [`Answer`] says it.
fn answered(status: u16, location: Option<&str>, body: &str, path: &str) -> Result<Answer, String> {
    let said = Said::Exactly;
    match status {
        200 => match serde_json::from_str::<AppError>(body) {
            Ok(err) => Err(format!("200 with an error: {err:?}")),
            Err(_) => Ok(Answer::Done),
        },
        303 => {
            let location = location.ok_or("303 without a Location")?;
            let url = url::Url::parse("http://bookwork.test")
                .unwrap()
                .join(location)
                .map_err(|e| format!("303 to {location}: {e}"))?;
            let query: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
            if url.path() != "/" || query.get("__path") != Some(&format!("/api/{path}")) {
                return Err(format!("303 to {location}"));
            }
            let err = query
                .get("__err")
                .and_then(|e| base64::engine::general_purpose::URL_SAFE.decode(e).ok())
                .and_then(|json| serde_json::from_slice::<AppError>(&json).ok())
                .ok_or(format!("303 to {location}, no error in it"))?;
            Ok(Answer::BackToForm(said(err)))
        }
        _ => match serde_json::from_str::<AppError>(body) {
            Ok(err) => Ok(Answer::Refused(status, said(err))),
            Err(_) => Err(format!("{status}: {body:.300}")),
        },
    }
}

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    cookies: &str,
    path: &str,
    body: Body,
    html: bool,
) -> (u16, Option<String>, String) {
    let mut request = client
        .post(app.url(&format!("/api/{path}")))
        .header("referer", app.url("/"));
    if !cookies.is_empty() {
        request = request.header("cookie", cookies);
    }
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
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    (status, location, response.text().await.unwrap_or_default())
}

/// A client that neither keeps cookies nor follows redirects: a call that
/// signs someone in or out does not change who the next call is from.
fn no_cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs `email` in (with [`PASSWORD`]) and returns its sign-in cookies as a
/// `Cookie` header.
async fn sign_in_cookies(app: &TestApp, email: &str) -> String {
    let response = no_cookie_client()
        .post(app.url("/api/auth/login"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "signing {email} in");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok()?.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
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
async fn every_server_function_answers_bad_input_as_it_should(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    sign_up(&app, "Admin", "admin@example.com").await;
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
    let section: Uuid = sqlx::query_scalar(
        "INSERT INTO reading_sections (club_id, book_id, title, target_date)
         VALUES ($1, $2, 'Part one', current_date + 7) RETURNING id",
    )
    .bind(club)
    .bind(book)
    .fetch_one(&pool)
    .await
    .unwrap();
    let comment: Uuid = sqlx::query_scalar(
        "INSERT INTO comments (club_id, section_id, author_id, body, revision)
         VALUES ($1, $2, $3, 'Spoilers ahead', 5) RETURNING id",
    )
    .bind(club)
    .bind(section)
    .bind(admin_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let question: Uuid = sqlx::query_scalar(
        "INSERT INTO meeting_questions (club_id, event_id, author_id, text)
         VALUES ($1, $2, $3, 'Why the desert?') RETURNING id",
    )
    .bind(club)
    .bind(event)
    .bind(member)
    .fetch_one(&pool)
    .await
    .unwrap();
    let ids = Ids {
        club,
        event,
        item,
        book,
        poll,
        member,
        section,
        comment,
        question,
    };

    let anonymous = no_cookie_client();
    let admin = no_cookie_client();
    let admin_cookies = sign_in_cookies(&app, "admin@example.com").await;
    let mut failures = Vec::new();
    let mut sent = 0;
    // Signing out last, though it ends only its own call's sign-in.
    let mut order: Vec<_> = TABLE.iter().collect();
    order.sort_by_key(|(path, _)| *path == "auth/logout");
    for (path, own) in order {
        let args = arguments(path, own);
        for (who, client, cookies) in [
            (Who::Anonymous, &anonymous, ""),
            (Who::Admin, &admin, admin_cookies.as_str()),
        ] {
            for (bad, body) in bad_calls(path, &args, &ids) {
                // Megabyte fields go through the same boundary for everyone;
                // only the admin's reach every field's own check.
                if who == Who::Anonymous && matches!(bad, Bad::Long(_)) {
                    continue;
                }
                let html = matches!(bad, Bad::NotTextFromBrowser | Bad::ControlFromBrowser(_));
                let (status, location, text) = send(&app, client, cookies, path, body, html).await;
                sent += 1;
                let want = expected(path, &args, who, bad);
                let got = answered(status, location.as_deref(), &text, path);
                if !got.as_ref().is_ok_and(|got| want.fits(got)) {
                    failures.push(format!(
                        "{path} as {who:?}, {bad}: want {want:?}, got {}",
                        match got {
                            Ok(answer) => format!("{answer:?}"),
                            Err(other) => other,
                        }
                    ));
                } else if let Some(leak) = leaks(&text) {
                    failures.push(format!(
                        "{path} as {who:?}, {bad}: shows {leak:?}: {text:.300}"
                    ));
                }
            }
        }
    }
    assert!(sent > 1000, "only {sent} requests sent");
    assert!(
        failures.is_empty(),
        "{} of {sent} bad requests were not answered as they should be:\n{}",
        failures.len(),
        failures.join("\n")
    );
    app.stop().await;
}
