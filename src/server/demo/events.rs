//! The demo's meetings: each club's events, their agenda items and tasks,
//! and the members' answers with the waitlist they make.
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use rand::seq::SliceRandom;
use rand::Rng;
use uuid::Uuid;

use super::insert::Batch;
use super::words::{
    rsvp_notes, BOOKS, DISCUSSIONS, EVENT_KINDS, ITEMS, MEETINGS, OTHERS, PLANNING, SOCIALS,
    TASK_NOTES, VENUES,
};
use super::{Generator, Member, MAX_ANSWERS_PER_EVENT};

/// What an event inherits from its club.
pub(super) struct EventPlan {
    pub(super) club: Uuid,
    pub(super) zone: &'static str,
    pub(super) city: Option<&'static str>,
    pub(super) owner: Uuid,
    pub(super) club_public: bool,
    pub(super) past: bool,
}

impl Generator {
    /// One event with its items and answers, as rows in `batch`.
    pub(super) fn event(&mut self, plan: &EventPlan, members: &[Member], batch: &mut Batch) {
        let id = Uuid::new_v4();
        // Two days' margin either side of today keeps "past" and "upcoming"
        // true in every club's time zone.
        let date = if plan.past {
            self.today - Duration::days(self.rng.gen_range(2..=180))
        } else {
            self.today + Duration::days(self.rng.gen_range(2..=90))
        };
        let kind = self.pick(EVENT_KINDS);
        let book = match kind {
            "discussion" => Some(self.pick(BOOKS)),
            "planning" | "meeting" if self.rng.gen_bool(0.5) => Some(self.pick(BOOKS)),
            _ => None,
        };
        let max_attendees = self.max_attendees(members.len());
        let created_at = self.event_created_at(date);
        let (title, description) = self.event_words(kind, book);
        let time = self.event_time(kind);
        let location = self.event_location(plan.city);
        let e = &mut batch.events;
        e.id.push(id);
        e.club_id.push(plan.club);
        e.title.push(title);
        e.description.push(description);
        e.event_date.push(date);
        e.event_time.push(time);
        e.time_zone.push(plan.zone);
        e.location.push(location);
        e.book.push(book);
        e.kind.push(kind);
        e.max_attendees.push(max_attendees);
        e.is_public.push(plan.club_public && self.rng.gen_bool(0.6));
        e.created_by.push(plan.owner);
        e.created_at.push(created_at);
        self.counts.events += 1;
        self.items(id, plan, members, batch);
        self.answers(id, max_attendees, members, batch);
    }

    /// Most events have a limit of a room's size. Some are limited to about a
    /// third of the club, so that they fill and a default-sized run shows
    /// waitlists too.
    fn max_attendees(&mut self, members: usize) -> Option<i32> {
        match self.rng.gen_range(0..10) {
            0..=3 => None,
            4..=7 => Some(self.rng.gen_range(4..=12)),
            _ => Some((members / 3).max(2) as i32),
        }
    }

    /// A week to a month before the event, and not in the future.
    fn event_created_at(&mut self, date: NaiveDate) -> DateTime<Utc> {
        let noon = date.and_time(NaiveTime::MIN).and_utc() + Duration::hours(12);
        (noon - Duration::days(self.rng.gen_range(7..=30))).min(self.now)
    }

    fn event_time(&mut self, kind: &str) -> NaiveTime {
        let (hour, minute) = if kind == "social" && self.rng.gen_bool(0.3) {
            (self.rng.gen_range(11..=14), 0)
        } else {
            (self.rng.gen_range(18..=19), self.pick(&[0, 15, 30, 45]))
        };
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
    }

    fn event_words(&mut self, kind: &str, book: Option<&str>) -> (String, String) {
        let book = book.unwrap_or("this one");
        let (title, description) = match kind {
            "discussion" => self.pick(DISCUSSIONS),
            "meeting" => self.pick(MEETINGS),
            "social" => self.pick(SOCIALS),
            "planning" => self.pick(PLANNING),
            _ => self.pick(OTHERS),
        };
        (
            title.replace("{book}", book),
            description.replace("{book}", book),
        )
    }

    /// A venue in the club's city, or a meeting link for online clubs and
    /// some hybrid evenings.
    fn event_location(&mut self, city: Option<&str>) -> String {
        match city {
            Some(city) if self.rng.gen_bool(0.85) => format!("{}, {city}", self.pick(VENUES)),
            _ => {
                let room: String = (0..3)
                    .map(|_| {
                        (0..4)
                            .map(|_| char::from(self.rng.gen_range(b'a'..=b'z')))
                            .collect::<String>()
                    })
                    .collect::<Vec<_>>()
                    .join("-");
                format!("https://meet.example.com/{room}")
            }
        }
    }

    /// Two to four agenda entries, tasks and notes; past events' are mostly done.
    fn items(&mut self, event: Uuid, plan: &EventPlan, members: &[Member], batch: &mut Batch) {
        let count = self.rng.gen_range(2..=4);
        for _ in 0..count {
            let (category, names) = self.pick(ITEMS);
            let name = self.pick(names);
            let assigned_to = (category != "note" && self.rng.gen_bool(0.6))
                .then(|| members[self.rng.gen_range(0..members.len())].user);
            let status = if plan.past {
                self.weighted(&[("completed", 80), ("cancelled", 10), ("pending", 10)])
            } else {
                self.weighted(&[("pending", 55), ("in_progress", 30), ("completed", 15)])
            };
            let notes =
                (category == "task" && self.rng.gen_bool(0.4)).then(|| self.pick(TASK_NOTES));
            let i = &mut batch.items;
            i.event_id.push(event);
            i.name.push(name);
            i.category.push(category);
            i.assigned_to.push(assigned_to);
            i.status.push(status);
            i.notes.push(notes);
            i.created_by.push(plan.owner);
        }
        self.counts.items += count;
    }

    /// Answers from half to nine tenths of the members, in a random order of
    /// arrival. As in the app, once `max_attendees` people are available the
    /// later "available" answers wait on the list.
    fn answers(
        &mut self,
        event: Uuid,
        max_attendees: Option<i32>,
        members: &[Member],
        batch: &mut Batch,
    ) {
        let n = members.len();
        let count = self
            .rng
            .gen_range(n / 2..=n * 9 / 10)
            .min(MAX_ANSWERS_PER_EVENT);
        // choose_multiple does not promise a random order; the shuffle is
        // the order in which people answered.
        let mut answering: Vec<Member> = members
            .choose_multiple(&mut self.rng, count)
            .copied()
            .collect();
        answering.shuffle(&mut self.rng);
        let mut confirmed = 0;
        for member in answering {
            let status = self.weighted(&[("available", 60), ("maybe", 20), ("unavailable", 20)]);
            let waitlisted =
                status == "available" && max_attendees.is_some_and(|max| confirmed >= max);
            if status == "available" && !waitlisted {
                confirmed += 1;
            }
            let notes = self
                .rng
                .gen_bool(0.15)
                .then(|| self.pick(rsvp_notes(status)));
            let a = &mut batch.answers;
            a.event_id.push(event);
            a.user_id.push(member.user);
            a.status.push(status);
            a.notes.push(notes);
            a.waitlisted.push(waitlisted);
            self.counts.rsvps += 1;
            self.counts.waitlisted += u64::from(waitlisted);
        }
    }
}
