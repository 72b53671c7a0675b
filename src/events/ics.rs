//! iCalendar (RFC 5545) output for one event or a personal feed.
//!
//! Times are written as UTC instants (`DTSTART:20261203T190000Z`): every
//! calendar converts those to its own zone, and no VTIMEZONE rules are
//! needed. The event's own zone travels as a comment-free `X-` property for
//! people who look.
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// How long an event is assumed to last (the schema has no end time).
pub const DEFAULT_LENGTH: chrono::Duration = chrono::Duration::hours(2);

pub struct IcsEvent {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub location: String,
    pub starts: DateTime<Utc>,
    pub time_zone: String,
    pub updated: DateTime<Utc>,
    pub cancelled: bool,
    /// Absolute link to the event page.
    pub url: String,
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
        push_line(&mut out, &format!("UID:{}@bookwork", e.id));
        push_line(&mut out, &format!("DTSTAMP:{}", stamp(now)));
        push_line(&mut out, &format!("LAST-MODIFIED:{}", stamp(e.updated)));
        push_line(&mut out, &format!("DTSTART:{}", stamp(e.starts)));
        push_line(
            &mut out,
            &format!("DTEND:{}", stamp(e.starts + DEFAULT_LENGTH)),
        );
        push_line(&mut out, &format!("SUMMARY:{}", escape(&e.title)));
        if !e.description.is_empty() {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        push_line(&mut out, &format!("LOCATION:{}", escape(&e.location)));
        push_line(&mut out, &format!("URL:{}", e.url));
        push_line(
            &mut out,
            &format!("X-BOOKWORK-TIME-ZONE:{}", escape(&e.time_zone)),
        );
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
