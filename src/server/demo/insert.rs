//! The rows demo data is made of, gathered in columns and sent to PostgreSQL
//! in large `UNNEST` inserts (one round trip per few thousand rows).
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::chunks;
use super::words::BOOKS;

#[derive(Default)]
pub(super) struct Batch {
    pub(super) users: Users,
    pub(super) clubs: Clubs,
    pub(super) members: Members,
    pub(super) events: Events,
    pub(super) items: Items,
    pub(super) answers: Answers,
}

#[derive(Default)]
pub(super) struct Users {
    pub(super) id: Vec<Uuid>,
    pub(super) name: Vec<String>,
    pub(super) email: Vec<String>,
    pub(super) password_hash: Vec<String>,
    pub(super) role: Vec<&'static str>,
    pub(super) created_at: Vec<DateTime<Utc>>,
}

#[derive(Default)]
pub(super) struct Clubs {
    pub(super) id: Vec<Uuid>,
    pub(super) name: Vec<String>,
    pub(super) description: Vec<String>,
    pub(super) owner_id: Vec<Uuid>,
    pub(super) is_public: Vec<bool>,
    pub(super) max_members: Vec<Option<i32>>,
    pub(super) meeting_frequency: Vec<&'static str>,
    /// The book each club is reading now (on its shelf).
    pub(super) reading_now: Vec<&'static str>,
    pub(super) location: Vec<String>,
    /// Comma-separated: UNNEST cannot take an array of arrays.
    pub(super) tags: Vec<String>,
    pub(super) time_zone: Vec<&'static str>,
    pub(super) created_at: Vec<DateTime<Utc>>,
}

#[derive(Default)]
pub(super) struct Members {
    pub(super) club_id: Vec<Uuid>,
    pub(super) user_id: Vec<Uuid>,
    pub(super) role: Vec<&'static str>,
    pub(super) joined_date: Vec<DateTime<Utc>>,
    pub(super) books_read: Vec<i32>,
}

#[derive(Default)]
pub(super) struct Events {
    pub(super) id: Vec<Uuid>,
    pub(super) club_id: Vec<Uuid>,
    pub(super) title: Vec<String>,
    pub(super) description: Vec<String>,
    pub(super) event_date: Vec<NaiveDate>,
    pub(super) event_time: Vec<NaiveTime>,
    pub(super) time_zone: Vec<&'static str>,
    pub(super) location: Vec<String>,
    pub(super) book: Vec<Option<&'static str>>,
    pub(super) kind: Vec<&'static str>,
    pub(super) max_attendees: Vec<Option<i32>>,
    pub(super) is_public: Vec<bool>,
    pub(super) created_by: Vec<Uuid>,
    pub(super) created_at: Vec<DateTime<Utc>>,
}

#[derive(Default)]
pub(super) struct Items {
    pub(super) event_id: Vec<Uuid>,
    pub(super) name: Vec<&'static str>,
    pub(super) category: Vec<&'static str>,
    pub(super) assigned_to: Vec<Option<Uuid>>,
    pub(super) status: Vec<&'static str>,
    pub(super) notes: Vec<Option<&'static str>>,
    pub(super) created_by: Vec<Uuid>,
}

/// In arrival order: the order of rows here is the order of the answers.
#[derive(Default)]
pub(super) struct Answers {
    pub(super) event_id: Vec<Uuid>,
    pub(super) user_id: Vec<Uuid>,
    pub(super) status: Vec<&'static str>,
    pub(super) notes: Vec<Option<&'static str>>,
    pub(super) waitlisted: Vec<bool>,
}

impl Batch {
    pub(super) fn rows(&self) -> usize {
        self.users.id.len()
            + self.clubs.id.len()
            + self.members.user_id.len()
            + self.events.id.len()
            + self.items.event_id.len()
            + self.answers.event_id.len()
    }

    /// Writes parents before children, so every reference resolves.
    pub(super) async fn write(&self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        self.write_users(conn).await?;
        self.write_clubs(conn).await?;
        self.write_members(conn).await?;
        self.write_events(conn).await?;
        self.write_items(conn).await?;
        self.write_answers(conn).await?;
        self.write_shelves_and_polls(conn).await
    }

    /// Each club's shelf (two read with their dates, one up next, three
    /// suggested, beside the one it is reading), a closed book poll with
    /// every voter's ballot, and an open one half the voters have answered.
    /// Random in the database: shelves and ballots need no names.
    pub(super) async fn write_shelves_and_polls(
        &self,
        conn: &mut PgConnection,
    ) -> Result<(), sqlx::Error> {
        let clubs = &self.clubs.id;
        if clubs.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO books (club_id, title, shelf, suggested_by, started_on, finished_on, shelved_at)
             SELECT c.id, t.title, s.shelf, c.owner_id,
                    CASE WHEN s.shelf = 'read' THEN current_date - (s.n * 40 + 30) END,
                    CASE WHEN s.shelf = 'read' THEN current_date - (s.n * 40) END,
                    now() - make_interval(days => s.n)
               FROM clubs c
              CROSS JOIN LATERAL (
                    SELECT x.title, row_number() OVER () AS k
                      FROM (SELECT t AS title FROM unnest($2::text[]) t
                             WHERE t NOT IN (SELECT b.title FROM books b WHERE b.club_id = c.id)
                             ORDER BY random() LIMIT 6) x) t
               JOIN (VALUES (1, 'read', 1), (2, 'read', 2), (3, 'up_next', 0),
                            (4, 'suggested', 0), (5, 'suggested', 1), (6, 'suggested', 2)) AS s(k, shelf, n)
                 ON s.k = t.k
              WHERE c.id = ANY ($1)",
        )
        .bind(clubs)
        .bind(BOOKS)
        .execute(&mut *conn)
        .await?;
        for (shelves, title, closes, created) in [
            (
                "{read,up_next}",
                "What we read this autumn",
                "-10 days",
                "-20 days",
            ),
            ("{suggested}", "What we read next", "5 days", "-2 days"),
        ] {
            sqlx::query(
                "WITH p AS (
                   INSERT INTO polls (club_id, title, created_by, created_at, closes_at)
                   SELECT c.id, $2, c.owner_id, now() + $4::interval, now() + $3::interval
                     FROM clubs c WHERE c.id = ANY ($1)
                   RETURNING id, club_id)
                 INSERT INTO poll_options (poll_id, position, book_id)
                 SELECT p.id, row_number() OVER (PARTITION BY p.id ORDER BY b.shelved_at, b.id), b.id
                   FROM p JOIN books b ON b.club_id = p.club_id AND b.shelf = ANY ($5::text[])",
            )
            .bind(clubs)
            .bind(title)
            .bind(closes)
            .bind(created)
            .bind(shelves)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query(
            "INSERT INTO ballots (poll_id, user_id, ranking, cast_at)
             SELECT p.id, m.user_id,
                    (SELECT (array_agg(o.id ORDER BY random()))[1:1 + floor(random() * 3)::int]
                       FROM poll_options o WHERE o.poll_id = p.id),
                    p.created_at + interval '1 day'
               FROM polls p
               JOIN club_members m ON m.club_id = p.club_id AND m.is_active
                                  AND m.role IN ('member', 'moderator', 'admin')
              WHERE p.club_id = ANY ($1) AND (p.closes_at < now() OR random() < 0.5)
                AND EXISTS (SELECT 1 FROM poll_options o WHERE o.poll_id = p.id)",
        )
        .bind(clubs)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    pub(super) async fn write_users(&self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let u = &self.users;
        for r in chunks(u.id.len()) {
            sqlx::query(
                "INSERT INTO users (id, name, email, password_hash, role, created_at, updated_at)
                 SELECT id, name, email, hash, role, created, created
                   FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
                     AS u(id, name, email, hash, role, created)",
            )
            .bind(&u.id[r.clone()])
            .bind(&u.name[r.clone()])
            .bind(&u.email[r.clone()])
            .bind(&u.password_hash[r.clone()])
            .bind(&u.role[r.clone()])
            .bind(&u.created_at[r.clone()])
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    pub(super) async fn write_clubs(&self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let c = &self.clubs;
        for r in chunks(c.id.len()) {
            sqlx::query(
                "WITH c AS (
                   INSERT INTO clubs (id, name, description, owner_id, is_public, max_members, meeting_frequency,
                                      location, tags, time_zone, created_at, updated_at)
                   SELECT id, name, description, owner, public, max, frequency, location,
                          string_to_array(tags, ','), zone, created, created
                     FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::bool[], $6::int4[],
                                 $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])
                       AS c(id, name, description, owner, public, max, frequency, book, location, tags, zone, created)
                   RETURNING id)
                 INSERT INTO books (club_id, title, shelf, started_on)
                 SELECT b.id, b.book, 'reading', current_date - 10
                   FROM UNNEST($1::uuid[], $8::text[]) AS b(id, book) JOIN c ON c.id = b.id",
            )
            .bind(&c.id[r.clone()])
            .bind(&c.name[r.clone()])
            .bind(&c.description[r.clone()])
            .bind(&c.owner_id[r.clone()])
            .bind(&c.is_public[r.clone()])
            .bind(&c.max_members[r.clone()])
            .bind(&c.meeting_frequency[r.clone()])
            .bind(&c.reading_now[r.clone()])
            .bind(&c.location[r.clone()])
            .bind(&c.tags[r.clone()])
            .bind(&c.time_zone[r.clone()])
            .bind(&c.created_at[r.clone()])
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    pub(super) async fn write_members(&self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let m = &self.members;
        for r in chunks(m.club_id.len()) {
            sqlx::query(
                "INSERT INTO club_members (club_id, user_id, role, joined_date, books_read)
                 SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::int4[])",
            )
            .bind(&m.club_id[r.clone()])
            .bind(&m.user_id[r.clone()])
            .bind(&m.role[r.clone()])
            .bind(&m.joined_date[r.clone()])
            .bind(&m.books_read[r.clone()])
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    pub(super) async fn write_events(&self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let e = &self.events;
        for r in chunks(e.id.len()) {
            sqlx::query(
                "INSERT INTO events (id, club_id, title, description, event_date, event_time, time_zone, location,
                                     book, type, max_attendees, is_public, created_by, created_at, updated_at)
                 SELECT id, club, title, description, day, at, zone, location, book, kind, max, public, author,
                        created, created
                   FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::time[], $7::text[],
                               $8::text[], $9::text[], $10::text[], $11::int4[], $12::bool[], $13::uuid[],
                               $14::timestamptz[])
                     AS e(id, club, title, description, day, at, zone, location, book, kind, max, public, author,
                          created)",
            )
            .bind(&e.id[r.clone()])
            .bind(&e.club_id[r.clone()])
            .bind(&e.title[r.clone()])
            .bind(&e.description[r.clone()])
            .bind(&e.event_date[r.clone()])
            .bind(&e.event_time[r.clone()])
            .bind(&e.time_zone[r.clone()])
            .bind(&e.location[r.clone()])
            .bind(&e.book[r.clone()])
            .bind(&e.kind[r.clone()])
            .bind(&e.max_attendees[r.clone()])
            .bind(&e.is_public[r.clone()])
            .bind(&e.created_by[r.clone()])
            .bind(&e.created_at[r.clone()])
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    pub(super) async fn write_items(&self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let i = &self.items;
        for r in chunks(i.event_id.len()) {
            sqlx::query(
                "INSERT INTO event_items (event_id, name, category, assigned_to, status, notes, created_by)
                 SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                                      $7::uuid[])",
            )
            .bind(&i.event_id[r.clone()])
            .bind(&i.name[r.clone()])
            .bind(&i.category[r.clone()])
            .bind(&i.assigned_to[r.clone()])
            .bind(&i.status[r.clone()])
            .bind(&i.notes[r.clone()])
            .bind(&i.created_by[r.clone()])
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    /// `arrival` is left to its default (the sequence the app uses), taken
    /// row by row in the order given: ORDER BY the position in the arrays makes
    /// that order explicit rather than an accident of the plan, so the numbers
    /// agree with the `waitlisted` flags worked out in memory.
    pub(super) async fn write_answers(&self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let a = &self.answers;
        for r in chunks(a.event_id.len()) {
            sqlx::query(
                "INSERT INTO availability (event_id, user_id, status, notes, waitlisted)
                 SELECT event, person, status, notes, waitlisted
                   FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bool[]) WITH ORDINALITY
                     AS a(event, person, status, notes, waitlisted, position)
                  ORDER BY position",
            )
            .bind(&a.event_id[r.clone()])
            .bind(&a.user_id[r.clone()])
            .bind(&a.status[r.clone()])
            .bind(&a.notes[r.clone()])
            .bind(&a.waitlisted[r.clone()])
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Making things up.
