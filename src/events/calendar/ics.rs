//! iCalendar (RFC 5545) output for one event or a personal feed.
//!
//! Times are written as UTC instants (`DTSTART:20261203T190000Z`): every
//! calendar converts those to its own zone, and no VTIMEZONE rules are
//! needed. The event's own zone travels as a comment-free `X-` property for
//! people who look. Shelf dates (a club started or finished a book) are
//! whole days (`DTSTART;VALUE=DATE:20261203`).
use chrono::{DateTime, NaiveDate, Utc};

/// How long an event is assumed to last (the schema has no end time).
pub const DEFAULT_LENGTH: chrono::Duration = chrono::Duration::hours(2);

/// A calendar entry: a meeting, a poll's close, a day on the shelf.
pub struct IcsEvent {
    /// Unique and stable for this entry (without the `@bookwork`).
    pub uid: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub when: When,
    /// The zone the entry was set in, when it has one.
    pub time_zone: Option<String>,
    pub updated: DateTime<Utc>,
    pub cancelled: bool,
    /// Absolute link to its page.
    pub url: String,
}

pub enum When {
    /// From an instant, for a while.
    At {
        starts: DateTime<Utc>,
        length: chrono::Duration,
    },
    /// A whole day.
    Day(NaiveDate),
}

impl When {
    /// A meeting: from its start, [`DEFAULT_LENGTH`] long.
    pub fn meeting(starts: DateTime<Utc>) -> Self {
        When::At {
            starts,
            length: DEFAULT_LENGTH,
        }
    }
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (never inside a UTF-8 character), each
/// continuation starting with a space, lines ending in CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A VCALENDAR holding `events`, named `name`.
pub fn calendar(name: &str, events: &[IcsEvent], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Bookwork//Bookwork calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}@bookwork", e.uid));
        push_line(&mut out, &format!("DTSTAMP:{}", stamp(now)));
        push_line(&mut out, &format!("LAST-MODIFIED:{}", stamp(e.updated)));
        match e.when {
            When::At { starts, length } => {
                push_line(&mut out, &format!("DTSTART:{}", stamp(starts)));
                push_line(&mut out, &format!("DTEND:{}", stamp(starts + length)));
            }
            When::Day(day) => {
                let next = day.succ_opt().unwrap_or(day);
                push_line(
                    &mut out,
                    &format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")),
                );
                push_line(
                    &mut out,
                    &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
                );
            }
        }
        push_line(&mut out, &format!("SUMMARY:{}", escape(&e.title)));
        if !e.description.is_empty() {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.location.is_empty() {
            push_line(&mut out, &format!("LOCATION:{}", escape(&e.location)));
        }
        push_line(&mut out, &format!("URL:{}", e.url));
        if let Some(zone) = &e.time_zone {
            push_line(&mut out, &format!("X-BOOKWORK-TIME-ZONE:{}", escape(zone)));
        }
        push_line(
            &mut out,
            if e.cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            },
        );
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn long_lines_are_folded_on_character_boundaries() {
        let mut out = String::new();
        let title = format!("SUMMARY:{}", "é".repeat(80));
        push_line(&mut out, &title);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), title);
    }
}
