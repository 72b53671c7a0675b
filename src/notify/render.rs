//! What a notice says, in words: one function for the bell, the list and the
//! e-mail, so they never disagree. Times arrive already written in the
//! reader's zone (PostgreSQL knows the zones; see `db::LOCAL_TIME`).
use serde::Deserialize;
use uuid::Uuid;

use super::model::Kind;

/// What the outbox row recorded about the change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Payload {
    pub event_id: Option<Uuid>,
    pub event_title: String,
    pub club_id: Option<Uuid>,
    pub club_name: String,
    pub location: String,
    pub book: String,
    pub previous_location: Option<String>,
    pub minutes_before: Option<i32>,
    /// The reader's answer, for a reminder: available, waitlisted, maybe.
    pub answer: Option<String>,
    /// The reader's open tasks for the meeting, for a reminder.
    pub tasks: Vec<String>,
    pub item_name: String,
    /// Who made the change (assigned the task, sent the invitation).
    pub actor: String,
    /// An invitation's link (a path), until it has been sent.
    pub invite_path: Option<String>,
    pub invite_expires: String,
    pub poll_id: Option<Uuid>,
    pub poll_title: String,
    /// "book" (rank the books) or "date" (say which dates suit you).
    pub poll_kind: String,
    /// What someone asking to join wrote to the club's admins.
    pub message: String,
    /// The answer to a request to join: "approved" or "declined".
    pub decision: String,
    /// The meeting's host's name, if it has one.
    pub host: String,
    /// For a reminder: the reader hosts the meeting.
    pub hosting: bool,
    /// A section of a reading schedule, and its book (never what a comment
    /// says: a notice reaches readers who have not finished the section).
    pub section_id: Option<Uuid>,
    pub section_title: String,
    pub book_id: Option<Uuid>,
    pub book_title: String,
    pub comment_id: Option<Uuid>,
    /// A section's target date, as the club's calendar says it.
    pub target_date: String,
}

/// A stored notice, with its times written for one reader.
pub struct Notice<'a> {
    pub kind: Kind,
    pub payload: &'a Payload,
    /// When the meeting starts, in the reader's zone, with the zone's name.
    pub starts: Option<&'a str>,
    /// When it started before it moved.
    pub previous_starts: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    /// Paragraphs of the body.
    pub lines: Vec<String>,
    /// Where it points, a path on this site.
    pub path: String,
}

fn lead_time(minutes: i32) -> String {
    let plural = |n: i32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if minutes % 1440 == 0 {
        match minutes / 1440 {
            1 => "tomorrow".to_owned(),
            days => format!("in {}", plural(days, "day")),
        }
    } else if minutes % 60 == 0 {
        format!("in {}", plural(minutes / 60, "hour"))
    } else {
        format!("in {}", plural(minutes, "minute"))
    }
}

fn poll_path(p: &Payload) -> String {
    p.poll_id
        .map(|id| format!("/polls/{id}"))
        .unwrap_or_else(|| "/notifications".to_owned())
}

/// A section's discussion, or else a meeting's, at the comment.
fn discussion_path(p: &Payload) -> String {
    let page = match (p.section_id, p.event_id) {
        (Some(section), _) => format!("/reading/{section}"),
        (None, Some(event)) => format!("/events/{event}/discussion"),
        (None, None) => return "/notifications".to_owned(),
    };
    match p.comment_id {
        Some(comment) => format!("{page}#comment-{comment}"),
        None => page,
    }
}

/// Which discussion a notice about a comment is about, for its subject
/// and for its first line: a section of a book, or a meeting.
fn discussion_names(p: &Payload) -> (String, String) {
    if p.section_id.is_some() {
        (
            p.section_title.clone(),
            format!(
                "the discussion of \u{201c}{}\u{201d} ({}, {})",
                p.section_title, p.book_title, p.club_name
            ),
        )
    } else {
        (
            p.event_title.clone(),
            format!(
                "the discussion of the meeting \u{201c}{}\u{201d} ({})",
                p.event_title, p.club_name
            ),
        )
    }
}

fn club_path(p: &Payload, rest: &str) -> String {
    p.club_id
        .map(|id| format!("/clubs/{id}{rest}"))
        .unwrap_or_else(|| "/notifications".to_owned())
}

pub fn render(notice: &Notice<'_>) -> Rendered {
    let p = notice.payload;
    let starts = notice.starts.unwrap_or("(time to be confirmed)");
    let event_path = p
        .event_id
        .map(|id| format!("/events/{id}"))
        .unwrap_or_else(|| "/notifications".to_owned());
    let place = |location: &str| {
        if location.trim().is_empty() {
            "Place to be confirmed.".to_owned()
        } else {
            format!("Where: {location}")
        }
    };
    match notice.kind {
        Kind::Reminder => {
            let when = p.minutes_before.map(lead_time).unwrap_or_default();
            let mut lines = vec![
                format!("{} meets {when}: {} on {starts}.", p.club_name, p.event_title),
                place(&p.location),
            ];
            if !p.book.trim().is_empty() {
                lines.push(format!("Book: {}", p.book));
            }
            lines.push(match p.answer.as_deref() {
                Some("available") => "You said you're going.".to_owned(),
                Some("waitlisted") => "You're on the waitlist; we'll tell you if a place comes free.".to_owned(),
                Some("maybe") => "You said maybe. Let the others know if you're coming.".to_owned(),
                _ => "You haven't answered yet. Let the others know if you're coming.".to_owned(),
            });
            if p.hosting {
                lines.push("You're hosting this one.".to_owned());
            } else if !p.host.trim().is_empty() {
                lines.push(format!("{} is hosting.", p.host));
            }
            if !p.tasks.is_empty() {
                lines.push(format!("Your tasks: {}.", p.tasks.join("; ")));
            }
            Rendered {
                subject: format!("Reminder: {} {when}", p.event_title),
                lines,
                path: event_path,
            }
        }
        Kind::WaitlistPromoted => Rendered {
            subject: format!("You have a place at {}", p.event_title),
            lines: vec![
                format!(
                    "A place came free at {} ({}) on {starts}, and it is yours: you're going.",
                    p.event_title, p.club_name
                ),
                place(&p.location),
                "If you can't come after all, change your answer so the next person gets the place.".to_owned(),
            ],
            path: event_path,
        },
        Kind::EventNew => Rendered {
            subject: format!("New meeting: {}, {starts}", p.event_title),
            lines: vec![
                format!("{} planned {} for {starts}.", p.club_name, p.event_title),
                place(&p.location),
                "Let the others know whether you're coming.".to_owned(),
            ],
            path: event_path,
        },
        Kind::EventChanged => {
            let mut lines = vec![format!("{} ({}) has changed.", p.event_title, p.club_name)];
            match notice.previous_starts {
                Some(before) if before != starts => {
                    lines.push(format!("When: {starts} (was {before})"))
                }
                _ => lines.push(format!("When: {starts}")),
            }
            match p.previous_location.as_deref() {
                Some(before) if before != p.location => {
                    lines.push(format!("Where: {} (was {before})", p.location))
                }
                _ => lines.push(place(&p.location)),
            }
            Rendered {
                subject: format!("Changed: {}, now {starts}", p.event_title),
                lines,
                path: event_path,
            }
        }
        Kind::EventCancelled => Rendered {
            subject: format!("Cancelled: {}, {starts}", p.event_title),
            lines: vec![format!(
                "{} has cancelled {} on {starts}.",
                p.club_name, p.event_title
            )],
            path: event_path,
        },
        Kind::Hosting => Rendered {
            subject: format!("You're hosting {}, {starts}", p.event_title),
            lines: vec![
                format!(
                    "You're the host of {} ({}) on {starts}.",
                    p.event_title, p.club_name
                ),
                place(&p.location),
                "If you can't host it, swap with another meeting's host on the club's hosting page."
                    .to_owned(),
            ],
            path: event_path,
        },
        Kind::CommentReply => {
            let (short, long) = discussion_names(p);
            Rendered {
                subject: format!("{} replied to you: {short}", p.actor),
                lines: vec![
                    format!("{} replied to your comment in {long}.", p.actor),
                    "Open the discussion to read it.".to_owned(),
                ],
                path: discussion_path(p),
            }
        }
        Kind::Mention => {
            let (short, long) = discussion_names(p);
            let mut lines = vec![format!("{} mentioned you in {long}.", p.actor)];
            if p.section_id.is_some() {
                lines.push("If you have not finished that section yet, its discussion stays hidden until you have, so nothing is spoiled.".to_owned());
            }
            Rendered {
                subject: format!("{} mentioned you: {short}", p.actor),
                lines,
                path: discussion_path(p),
            }
        }
        Kind::ReadingTarget => Rendered {
            subject: format!("Tomorrow: {} ({})", p.section_title, p.book_title),
            lines: vec![
                format!(
                    "{} aims to have read \u{201c}{}\u{201d} of {} by tomorrow, {}.",
                    p.club_name, p.section_title, p.book_title, p.target_date
                ),
                "No rush: the discussion waits for you. Mark the section finished when you get there.".to_owned(),
            ],
            path: p
                .book_id
                .map(|b| format!("/books/{b}/reading"))
                .unwrap_or_else(|| "/notifications".to_owned()),
        },
        Kind::TaskAssigned => Rendered {
            subject: format!("Task for you: {}", p.item_name),
            lines: vec![
                format!(
                    "{} asked you to take care of \u{201c}{}\u{201d} for {} ({}) on {starts}.",
                    if p.actor.is_empty() { "An organiser" } else { &p.actor },
                    p.item_name,
                    p.event_title,
                    p.club_name
                ),
                "You can mark it in progress or done on the meeting's page.".to_owned(),
            ],
            path: event_path,
        },
        Kind::PollOpened => Rendered {
            subject: format!("New poll in {}: {}", p.club_name, p.poll_title),
            lines: vec![
                format!(
                    "{} opened a poll, \u{201c}{}\u{201d}. {}; it closes {starts}.",
                    p.club_name,
                    p.poll_title,
                    if p.poll_kind == "date" {
                        "Say which dates suit you"
                    } else {
                        "Rank the books you would like to read"
                    }
                ),
            ],
            path: poll_path(p),
        },
        Kind::PollClosing => Rendered {
            subject: format!("Closing soon: {} ({})", p.poll_title, p.club_name),
            lines: vec![format!(
                "The poll \u{201c}{}\u{201d} in {} closes {starts}, and you have not answered yet.",
                p.poll_title, p.club_name
            )],
            path: poll_path(p),
        },
        Kind::JoinRequested => {
            let mut lines = vec![format!("{} asks to join {}.", p.actor, p.club_name)];
            if !p.message.trim().is_empty() {
                lines.push(format!("They wrote: \u{201c}{}\u{201d}", p.message.trim()));
            }
            lines.push("Approve or decline the request on the club's members page.".to_owned());
            Rendered {
                subject: format!("{} asks to join {}", p.actor, p.club_name),
                lines,
                path: club_path(p, "/members#requests"),
            }
        }
        Kind::JoinAnswered if p.decision == "approved" => Rendered {
            subject: format!("You're in: welcome to {}", p.club_name),
            lines: vec![
                format!("{} accepted your request to join.", p.club_name),
                "Its meetings, polls and bookshelf are open to you now.".to_owned(),
            ],
            path: club_path(p, ""),
        },
        Kind::JoinAnswered => Rendered {
            subject: format!("{} declined your request to join", p.club_name),
            lines: vec![format!(
                "The admins of {} declined your request to join. There are other clubs to discover on Bookwork.",
                p.club_name
            )],
            path: "/clubs".to_owned(),
        },
        Kind::Invitation => Rendered {
            subject: format!("{} invites you to {} on Bookwork", p.actor, p.club_name),
            lines: vec![
                format!(
                    "{} invites you to join {}, a book club on Bookwork.",
                    p.actor, p.club_name
                ),
                format!(
                    "Open the link below to join{}.",
                    if p.invite_expires.is_empty() {
                        String::new()
                    } else {
                        format!(" (it works until {})", p.invite_expires)
                    }
                ),
            ],
            path: p.invite_path.clone().unwrap_or_else(|| "/".to_owned()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload() -> Payload {
        Payload {
            event_id: Some(Uuid::nil()),
            event_title: "Middlemarch, part 2".into(),
            club_name: "Riverside Readers".into(),
            location: "The library".into(),
            book: "Middlemarch".into(),
            ..Payload::default()
        }
    }

    #[test]
    fn a_request_to_join_and_its_answers_say_who_what_and_where_to_go() {
        let club = Uuid::from_u128(7);
        let p = Payload {
            club_id: Some(club),
            club_name: "Riverside Readers".into(),
            actor: "Ann Lee".into(),
            message: "I read a lot of Trollope.".into(),
            ..Payload::default()
        };
        let notice = |kind, payload| {
            render(&Notice {
                kind,
                payload,
                starts: None,
                previous_starts: None,
            })
        };
        let asked = notice(Kind::JoinRequested, &p);
        assert_eq!(asked.subject, "Ann Lee asks to join Riverside Readers");
        assert!(asked
            .lines
            .join(" ")
            .contains("\u{201c}I read a lot of Trollope.\u{201d}"));
        assert_eq!(asked.path, format!("/clubs/{club}/members#requests"));

        let approved = Payload {
            decision: "approved".into(),
            ..p.clone()
        };
        let r = notice(Kind::JoinAnswered, &approved);
        assert_eq!(r.subject, "You're in: welcome to Riverside Readers");
        assert_eq!(r.path, format!("/clubs/{club}"));

        let declined = Payload {
            decision: "declined".into(),
            ..p.clone()
        };
        let r = notice(Kind::JoinAnswered, &declined);
        assert_eq!(r.subject, "Riverside Readers declined your request to join");
        assert_eq!(r.path, "/clubs");
    }

    #[test]
    fn a_reminder_names_the_host_and_tells_the_host() {
        let mut p = payload();
        p.minutes_before = Some(1440);
        p.host = "Ann Lee".into();
        let reminder = |p: &Payload| {
            render(&Notice {
                kind: Kind::Reminder,
                payload: p,
                starts: Some("Thu 3 Dec 2026, 19:00 (Europe/London)"),
                previous_starts: None,
            })
            .lines
        };
        assert!(reminder(&p).contains(&"Ann Lee is hosting.".to_owned()));
        p.hosting = true;
        let lines = reminder(&p);
        assert!(lines.contains(&"You're hosting this one.".to_owned()));
        assert!(!lines.iter().any(|l| l.contains("Ann Lee")), "{lines:?}");
        let told = render(&Notice {
            kind: Kind::Hosting,
            payload: &p,
            starts: Some("Thu 3 Dec 2026, 19:00 (Europe/London)"),
            previous_starts: None,
        });
        assert_eq!(
            told.subject,
            "You're hosting Middlemarch, part 2, Thu 3 Dec 2026, 19:00 (Europe/London)"
        );
    }

    #[test]
    fn a_reminder_says_when_where_what_and_your_tasks() {
        let mut p = payload();
        p.minutes_before = Some(1440);
        p.answer = Some("available".into());
        p.tasks = vec!["Bring tea".into()];
        let r = render(&Notice {
            kind: Kind::Reminder,
            payload: &p,
            starts: Some("Thu 3 Dec 2026, 19:00 (Europe/London)"),
            previous_starts: None,
        });
        assert_eq!(r.subject, "Reminder: Middlemarch, part 2 tomorrow");
        let body = r.lines.join("\n");
        for expected in [
            "Thu 3 Dec 2026, 19:00 (Europe/London)",
            "Where: The library",
            "Book: Middlemarch",
            "You said you're going.",
            "Your tasks: Bring tea.",
        ] {
            assert!(body.contains(expected), "{expected} missing from {body}");
        }
        assert_eq!(r.path, format!("/events/{}", Uuid::nil()));
    }

    #[test]
    fn a_change_says_what_it_was() {
        let mut p = payload();
        p.previous_location = Some("The pub".into());
        let r = render(&Notice {
            kind: Kind::EventChanged,
            payload: &p,
            starts: Some("Fri 4 Dec 2026, 18:00 (UTC)"),
            previous_starts: Some("Thu 3 Dec 2026, 19:00 (UTC)"),
        });
        assert!(r.lines.contains(
            &"When: Fri 4 Dec 2026, 18:00 (UTC) (was Thu 3 Dec 2026, 19:00 (UTC))".to_owned()
        ));
        assert!(r
            .lines
            .contains(&"Where: The library (was The pub)".to_owned()));
    }

    #[test]
    fn a_reply_names_the_discussion_it_was_in_a_section_or_a_meeting() {
        let comment = Uuid::from_u128(9);
        let at_meeting = Payload {
            actor: "Ann Lee".into(),
            comment_id: Some(comment),
            ..payload()
        };
        let in_section = Payload {
            section_id: Some(Uuid::from_u128(3)),
            section_title: "Book one".into(),
            book_title: "Middlemarch".into(),
            ..at_meeting.clone()
        };
        let reply = |payload| {
            render(&Notice {
                kind: Kind::CommentReply,
                payload,
                starts: None,
                previous_starts: None,
            })
        };
        let r = reply(&at_meeting);
        assert_eq!(r.subject, "Ann Lee replied to you: Middlemarch, part 2");
        assert_eq!(
            r.lines[0],
            "Ann Lee replied to your comment in the discussion of the meeting \u{201c}Middlemarch, part 2\u{201d} (Riverside Readers)."
        );
        assert_eq!(
            r.path,
            format!("/events/{}/discussion#comment-{comment}", Uuid::nil())
        );
        let r = reply(&in_section);
        assert_eq!(r.subject, "Ann Lee replied to you: Book one");
        assert_eq!(
            r.path,
            format!("/reading/{}#comment-{comment}", Uuid::from_u128(3))
        );
    }

    #[test]
    fn lead_times_read_naturally() {
        assert_eq!(lead_time(1440), "tomorrow");
        assert_eq!(lead_time(2880), "in 2 days");
        assert_eq!(lead_time(120), "in 2 hours");
        assert_eq!(lead_time(60), "in 1 hour");
        assert_eq!(lead_time(90), "in 90 minutes");
    }
}
