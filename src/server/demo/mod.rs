//! `bookwork demo-data`: fills the database with made-up but plausible clubs,
//! members, events, agenda items and RSVPs, for trying the app and for
//! benchmarks.
//!
//! Rows are generated in memory a club at a time and written a few thousand at
//! a time with one `INSERT ... SELECT FROM UNNEST(...)` per table, all in one
//! transaction: a big run takes seconds rather than minutes, and a failed run
//! leaves nothing behind.
//!
//! Passwords. No demo account has a known password. The accounts the report
//! prints (each club's owner and one plain member, for the first
//! [`PRINTED_CLUBS`] clubs) get a random password, hashed with argon2 like any
//! other. Hashing every account would take minutes at benchmark sizes
//! (argon2 is slow on purpose), so every other account stores a unique marker
//! that is not a PHC hash string: `verify_password` rejects it before hashing
//! anything, so those accounts cannot sign in. They exist to fill member lists,
//! RSVPs and assignments; `bookwork create-admin EMAIL` can still promote one.
//! All emails carry the run's tag (`ada.lovelace+k3x9q2@demo.bookwork.test`),
//! so seeding twice never collides and one run's accounts are easy to find.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::distributions::Alphanumeric;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sqlx::PgPool;
use uuid::Uuid;

mod events;
mod insert;
mod people;
mod words;
use events::EventPlan;
use insert::Batch;
use words::{BOOKS, CLUB_KINDS, CLUB_WORDS, FREQUENCIES, GENRES, PLACES, WELCOMES};

pub const MAX_CLUBS: u32 = 10_000;
pub const MAX_MEMBERS_PER_CLUB: u32 = 500;
pub const MAX_EVENTS_PER_CLUB: u32 = 1_000;
/// Clubs whose owner and one member get a real password and are printed: a
/// handful to sign in with, and a bounded number of slow argon2 hashes.
pub const PRINTED_CLUBS: u32 = 10;
/// At most this many members answer one event: a 500-member club does not
/// get 400 answers per meeting, and it keeps the largest sizes tractable.
pub const MAX_ANSWERS_PER_EVENT: usize = 50;
/// Rows generated before they are written.
const BATCH_ROWS: usize = 20_000;
/// Rows per INSERT: big enough that round trips do not matter, small enough
/// that no statement runs long (sqlx logs those over a second as slow).
const ROWS_PER_STATEMENT: usize = 5_000;
/// Every demo account's email is at this (reserved, undeliverable) domain.
pub const EMAIL_DOMAIN: &str = "demo.bookwork.test";
/// Starts the stored value of accounts that have no password.
pub const NO_PASSWORD_PREFIX: &str = "!demo-no-password!";

/// How much to create. Only valid sizes can be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSize {
    clubs: u32,
    members_per_club: u32,
    events_per_club: u32,
}

impl Default for DemoSize {
    fn default() -> Self {
        DemoSize {
            clubs: 6,
            members_per_club: 12,
            events_per_club: 8,
        }
    }
}

impl DemoSize {
    /// `members_per_club` counts the owner.
    pub fn new(clubs: u32, members_per_club: u32, events_per_club: u32) -> Result<Self, String> {
        in_range("--clubs", clubs, MAX_CLUBS)?;
        in_range("--members-per-club", members_per_club, MAX_MEMBERS_PER_CLUB)?;
        in_range("--events-per-club", events_per_club, MAX_EVENTS_PER_CLUB)?;
        Ok(DemoSize {
            clubs,
            members_per_club,
            events_per_club,
        })
    }

    /// Reads `[--clubs N] [--members-per-club M] [--events-per-club E]`;
    /// what is not given keeps its default.
    pub fn from_args(args: &[&str]) -> Result<Self, String> {
        let mut size = DemoSize::default();
        let mut args = args.iter();
        while let Some(&flag) = args.next() {
            let (slot, max) = match flag {
                "--clubs" => (&mut size.clubs, MAX_CLUBS),
                "--members-per-club" => (&mut size.members_per_club, MAX_MEMBERS_PER_CLUB),
                "--events-per-club" => (&mut size.events_per_club, MAX_EVENTS_PER_CLUB),
                other => return Err(format!("unknown option {other}")),
            };
            let value = args
                .next()
                .ok_or_else(|| format!("{flag} needs a number (1 to {max})"))?;
            *slot = value.parse().map_err(|_| {
                format!("{flag} must be a whole number from 1 to {max}, got {value:?}")
            })?;
        }
        DemoSize::new(size.clubs, size.members_per_club, size.events_per_club)
    }

    pub fn clubs(&self) -> u32 {
        self.clubs
    }

    pub fn members_per_club(&self) -> u32 {
        self.members_per_club
    }

    pub fn events_per_club(&self) -> u32 {
        self.events_per_club
    }
}

fn in_range(flag: &str, value: u32, max: u32) -> Result<(), String> {
    if (1..=max).contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{flag} must be a whole number from 1 to {max}, got {value}"
        ))
    }
}

/// An account the report prints, with its one-time password.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub name: String,
    pub email: String,
    pub password: String,
    pub club: String,
    /// "owner" or "member".
    pub standing: &'static str,
}

/// How many rows of each kind were created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoCounts {
    pub users: u64,
    pub clubs: u64,
    pub memberships: u64,
    pub events: u64,
    pub items: u64,
    pub rsvps: u64,
    /// RSVPs of "available" on the waitlist of a full event.
    pub waitlisted: u64,
}

#[derive(Debug, Clone)]
pub struct DemoReport {
    /// In every email of the run: `name+TAG@demo.bookwork.test`.
    pub tag: String,
    pub accounts: Vec<DemoAccount>,
    pub counts: DemoCounts,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("could not hash a demo password")]
    Hashing,
}

/// Creates `size` worth of demo data in one transaction.
pub async fn seed(pool: &PgPool, size: DemoSize) -> Result<DemoReport, DemoError> {
    let mut generator = Generator::new(size);
    let mut batch = Batch::default();
    let mut tx = crate::platform::db::begin(pool).await?;
    for index in 0..size.clubs {
        generator.club(index, &mut batch).await?;
        if batch.rows() >= BATCH_ROWS {
            batch.write(&mut tx).await?;
            batch = Batch::default();
        }
    }
    batch.write(&mut tx).await?;
    tx.commit().await?;
    // Fresh statistics, so the planner (and a benchmark) sees the new sizes at
    // once rather than after autovacuum's next look. Not worth failing over.
    for table in [
        "users",
        "clubs",
        "club_members",
        "events",
        "event_items",
        "availability",
        "books",
        "polls",
        "poll_options",
        "ballots",
    ] {
        if let Err(e) = sqlx::query(&format!("ANALYZE {table}")).execute(pool).await {
            tracing::warn!(error = %e, table, "could not analyze a demo table");
        }
    }
    Ok(DemoReport {
        tag: generator.tag,
        accounts: generator.accounts,
        counts: generator.counts,
    })
}

// ---------------------------------------------------------------------------
// The rows, column by column, as UNNEST wants them.

/// One member of the club being generated.
#[derive(Clone, Copy)]
struct Member {
    user: Uuid,
    is_guest: bool,
    /// When the person signed up for Bookwork.
    created_at: DateTime<Utc>,
}

struct Generator {
    /// Seeded from the OS: also makes the printed passwords, so it must be a
    /// cryptographic generator (StdRng is ChaCha), and it is `Send`, unlike
    /// `thread_rng()`, so it can live across the hashing awaits.
    rng: StdRng,
    size: DemoSize,
    tag: String,
    now: DateTime<Utc>,
    today: NaiveDate,
    /// How many people already have each email's local part, to number repeats.
    locals: HashMap<String, u32>,
    club_names: HashSet<String>,
    /// The previous club's members by slot: a few of them join the next club
    /// too, as people in several clubs do.
    previous: Vec<Member>,
    accounts: Vec<DemoAccount>,
    counts: DemoCounts,
}

impl Generator {
    fn new(size: DemoSize) -> Self {
        let mut rng = StdRng::from_entropy();
        let tag = (0..6)
            .map(|_| char::from(rng.sample(Alphanumeric)).to_ascii_lowercase())
            .collect();
        let now = Utc::now();
        Generator {
            rng,
            size,
            tag,
            now,
            today: now.date_naive(),
            locals: HashMap::new(),
            club_names: HashSet::new(),
            previous: Vec::new(),
            accounts: Vec::new(),
            counts: DemoCounts::default(),
        }
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.gen_range(0..items.len())]
    }

    /// A moment `min..=max` days before now.
    fn days_ago(&mut self, min: i64, max: i64) -> DateTime<Utc> {
        self.now
            - Duration::days(self.rng.gen_range(min..=max))
            - Duration::minutes(self.rng.gen_range(0..1440))
    }

    /// A moment between `start` and a week ago (or `start`, when that is later).
    fn between(&mut self, start: DateTime<Utc>) -> DateTime<Utc> {
        let span = (self.now - Duration::days(7) - start).num_minutes().max(0);
        start + Duration::minutes(self.rng.gen_range(0..=span))
    }

    /// One club with its members and events, added to `batch`.
    async fn club(&mut self, index: u32, batch: &mut Batch) -> Result<(), DemoError> {
        let printed = index < PRINTED_CLUBS;
        let created_at = self.days_ago(200, 1100);
        let club_id = Uuid::new_v4();
        let (zone, city) = self.place();
        let club_name = self.club_name(city);
        let members = self
            .members(club_id, &club_name, created_at, printed, batch)
            .await?;
        let owner = members[0].user;
        let club_public = self.club_row(club_id, club_name, zone, city, created_at, owner, batch);
        let events = self.size.events_per_club as usize;
        let past = events / 2;
        for n in 0..events {
            let event = EventPlan {
                club: club_id,
                zone,
                city,
                owner,
                club_public,
                past: n < past,
            };
            self.event(&event, &members, batch);
        }
        self.previous = members;
        self.counts.clubs += 1;
        Ok(())
    }

    /// The club's own row; returns whether the club is public.
    #[allow(clippy::too_many_arguments)]
    fn club_row(
        &mut self,
        id: Uuid,
        name: String,
        zone: &'static str,
        city: Option<&'static str>,
        created_at: DateTime<Utc>,
        owner: Uuid,
        batch: &mut Batch,
    ) -> bool {
        let members = self.size.members_per_club as i32;
        let tag_count = self.rng.gen_range(1..=4);
        let mut tags: Vec<&str> = GENRES
            .choose_multiple(&mut self.rng, tag_count)
            .map(|g| g.0)
            .collect();
        tags.sort_unstable();
        let is_public = self.rng.gen_bool(0.8);
        let (frequency, how_often) = self.pick(FREQUENCIES);
        let description = self.club_description(&tags, how_often, city);
        let c = &mut batch.clubs;
        c.id.push(id);
        c.name.push(name);
        c.description.push(description);
        c.owner_id.push(owner);
        c.is_public.push(is_public);
        // Half have a limit, never below the members they already have; some
        // are exactly full.
        c.max_members.push(
            self.rng
                .gen_bool(0.5)
                .then(|| self.rng.gen_range(members..=members * 2)),
        );
        c.meeting_frequency.push(frequency);
        c.reading_now.push(self.pick(BOOKS));
        c.location.push(city.unwrap_or("Online").to_owned());
        c.tags.push(tags.join(","));
        c.time_zone.push(zone);
        c.created_at.push(created_at);
        is_public
    }

    /// Clubs share names in real life too, but telling them apart in lists
    /// helps: a repeated name gets the club's city, then a number.
    fn club_name(&mut self, city: Option<&str>) -> String {
        let name = format!("{} {}", self.pick(CLUB_WORDS), self.pick(CLUB_KINDS));
        let candidates = [
            name.clone(),
            format!("{name}, {}", city.unwrap_or("Online")),
        ];
        let name = candidates
            .into_iter()
            .find(|n| !self.club_names.contains(n))
            .unwrap_or_else(|| format!("{name} {}", self.club_names.len() + 1));
        self.club_names.insert(name.clone());
        name
    }

    /// A time zone and, unless the club meets online, a city in it.
    fn place(&mut self) -> (&'static str, Option<&'static str>) {
        let (zone, cities) = self.pick(PLACES);
        let city = (!self.rng.gen_bool(0.15)).then(|| self.pick(cities));
        (zone, city)
    }

    fn club_description(&mut self, tags: &[&str], how_often: &str, city: Option<&str>) -> String {
        let reads: Vec<&str> = tags
            .iter()
            .filter_map(|t| GENRES.iter().find(|g| g.0 == *t).map(|g| g.1))
            .collect();
        let reads = match reads.as_slice() {
            [only] => (*only).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => "whatever we fancy".to_owned(),
        };
        let place = match city {
            Some(city) => format!("in {city}"),
            None => "online".to_owned(),
        };
        let welcome = self.pick(WELCOMES);
        format!("We read {reads}, and meet {how_often} {place}. {welcome}")
    }

    /// One of `choices`, each as likely as its weight.
    fn weighted(&mut self, choices: &[(&'static str, u32)]) -> &'static str {
        let total: u32 = choices.iter().map(|c| c.1).sum();
        let mut roll = self.rng.gen_range(0..total);
        for &(choice, weight) in choices {
            if roll < weight {
                return choice;
            }
            roll -= weight;
        }
        choices[0].0
    }
}

/// Index ranges of at most ROWS_PER_STATEMENT covering `0..len`.
fn chunks(len: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..len)
        .step_by(ROWS_PER_STATEMENT)
        .map(move |start| start..(start + ROWS_PER_STATEMENT).min(len))
}

// ---------------------------------------------------------------------------
// Word lists.
