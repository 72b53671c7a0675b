//! The schema against a real PostgreSQL: migrations, and the reference
//! guide's defects (DESIGN.md §4) staying fixed.
use bookwork::platform::db::MIGRATOR;
use sqlx::{Connection, PgPool, Row};
use uuid::Uuid;

async fn user(pool: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar("INSERT INTO users (name, email, password_hash) VALUES ('Reader', $1, 'not-a-real-hash') RETURNING id")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn club(pool: &PgPool, owner: Uuid) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Readers', $1, true) RETURNING id",
    )
    .bind(owner)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// An event `days` from today (negative: in the past), inserted as old data would be.
async fn event(pool: &PgPool, club: Uuid, days: i32) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location)
         VALUES ($1, 'Book talk', current_date + $2, '19:30', 'Library') RETURNING id",
    )
    .bind(club)
    .bind(days)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A refresh token that expired an hour ago.
async fn expired_token(pool: &PgPool, user: Uuid, hash: &str) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO refresh_tokens (user_id, token_hash, created_at, expires_at)
         VALUES ($1, $2, now() - interval '8 days', now() - interval '1 hour') RETURNING id",
    )
    .bind(user)
    .bind(hash)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = false)]
async fn migrations_apply_to_an_empty_database_and_are_a_no_op_the_second_time(pool: PgPool) {
    MIGRATOR
        .run(&pool)
        .await
        .expect("first run applies everything");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
          WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    // The guide's seven tables, plus the API's personal access tokens, idempotency keys and request counts, sign-in sessions, rate-limit records,
    // invitations and requests to join, calendar feeds, notifications with their settings and
    // planned reminders, the clubs' bookshelves, polls and their answers, reading schedules with
    // readers' marks, privacy and discussions, and
    // when the periodic clean-up last ran.
    assert_eq!(
        tables,
        [
            "api_idempotency_keys",
            "api_request_counts",
            "api_tokens",
            "auth_attempts",
            "availability",
            "ballots",
            "books",
            "calendar_feeds",
            "club_invites",
            "club_members",
            "clubs",
            "comment_reports",
            "comments",
            "date_answers",
            "event_items",
            "event_reminders",
            "events",
            "host_volunteers",
            "join_requests",
            "maintenance_runs",
            "meeting_questions",
            "notification_preferences",
            "notifications",
            "poll_options",
            "polls",
            "reading_marks",
            "reading_places",
            "reading_privacy",
            "reading_sections",
            "refresh_tokens",
            "session_families",
            "users"
        ]
    );
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(applied as usize, MIGRATOR.iter().count());

    let schema_before = schema_fingerprint(&pool).await;
    MIGRATOR.run(&pool).await.expect("second run succeeds");
    let applied_again: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(applied_again, applied);
    assert_eq!(schema_fingerprint(&pool).await, schema_before);
}

async fn schema_fingerprint(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT table_name || '.' || column_name || ':' || data_type
           FROM information_schema.columns WHERE table_schema = 'public'
         UNION ALL
         SELECT indexname || ':' || indexdef FROM pg_indexes WHERE schemaname = 'public'
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn every_timestamp_has_a_time_zone(pool: PgPool) {
    let naive: Vec<String> = sqlx::query_scalar(
        "SELECT table_name || '.' || column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND data_type = 'timestamp without time zone'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(naive.is_empty(), "timestamp without time zone: {naive:?}");
}

#[sqlx::test]
async fn no_check_constraint_depends_on_the_clock(pool: PgPool) {
    let clocked: Vec<String> = sqlx::query_scalar(
        "SELECT conname::text FROM pg_constraint
          WHERE contype = 'c' AND connamespace = 'public'::regnamespace
            AND pg_get_constraintdef(oid) ~* '(current_date|current_timestamp|now\\(\\)|localtimestamp)'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(clocked.is_empty(), "CHECKs against the clock: {clocked:?}");
}

#[sqlx::test]
async fn no_index_duplicates_another(pool: PgPool) {
    // Two indexes on the same table with the same key columns (and predicate)
    // are pure write overhead, as with the guide's idx_users_email_unique.
    let duplicates: Vec<String> = sqlx::query_scalar(
        "SELECT a.indexrelid::regclass::text || ' = ' || b.indexrelid::regclass::text
           FROM pg_index a JOIN pg_index b
             ON a.indrelid = b.indrelid AND a.indexrelid < b.indexrelid
            AND a.indkey::text = b.indkey::text
            AND coalesce(pg_get_expr(a.indpred, a.indrelid), '') = coalesce(pg_get_expr(b.indpred, b.indrelid), '')
          WHERE a.indrelid::regclass::text IN
                ('users', 'clubs', 'club_members', 'events', 'event_items', 'availability', 'refresh_tokens')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(duplicates.is_empty(), "duplicate indexes: {duplicates:?}");
}

/// What PostgreSQL refused a statement with: its SQLSTATE, if it was one of
/// the two asked about here (23514 check_violation, 23505 unique_violation),
/// and the constraint it names.
fn refusal(result: Result<sqlx::postgres::PgQueryResult, sqlx::Error>) -> (&'static str, String) {
    let err = result.expect_err("the statement was refused");
    let db = err
        .as_database_error()
        .unwrap_or_else(|| panic!("not a database error: {err}"));
    let code = match db.code().as_deref() {
        Some("23514") => "23514",
        Some("23505") => "23505",
        other => panic!("refused with SQLSTATE {other:?}: {db}"),
    };
    (code, db.constraint().unwrap_or_default().to_owned())
}

#[sqlx::test]
async fn value_sets_are_enforced(pool: PgPool) {
    let owner = user(&pool, "owner@example.com").await;
    let bad_role = sqlx::query("UPDATE users SET role = 'superuser' WHERE id = $1")
        .bind(owner)
        .execute(&pool)
        .await;
    assert_eq!(refusal(bad_role), ("23514", "users_role_check".into()));
    let club = club(&pool, owner).await;
    let event = event(&pool, club, 3).await;
    let bad_type = sqlx::query("UPDATE events SET type = 'party' WHERE id = $1")
        .bind(event)
        .execute(&pool)
        .await;
    assert_eq!(refusal(bad_type), ("23514", "events_type_check".into()));
    let bad_rsvp = sqlx::query(
        "INSERT INTO availability (event_id, user_id, status) VALUES ($1, $2, 'perhaps')",
    )
    .bind(event)
    .bind(owner)
    .execute(&pool)
    .await;
    assert_eq!(
        refusal(bad_rsvp),
        ("23514", "availability_status_check".into())
    );
    let duplicate_email = sqlx::query(
        "INSERT INTO users (name, email, password_hash) VALUES ('x', 'owner@example.com', 'x')",
    )
    .execute(&pool)
    .await;
    assert_eq!(
        refusal(duplicate_email),
        ("23505", "users_email_key".into())
    );
}

#[sqlx::test]
async fn an_event_whose_date_has_passed_can_still_be_edited(pool: PgPool) {
    let owner = user(&pool, "owner@example.com").await;
    let club = club(&pool, owner).await;
    let past = event(&pool, club, -30).await;

    sqlx::query("UPDATE events SET title = 'Book talk (minutes added)' WHERE id = $1")
        .bind(past)
        .execute(&pool)
        .await
        .expect("a past event stays editable");
    let row =
        sqlx::query("SELECT title, updated_at > created_at AS touched FROM events WHERE id = $1")
            .bind(past)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(row.get::<String, _>("title"), "Book talk (minutes added)");
    assert!(row.get::<bool, _>("touched"), "the updated_at trigger ran");
}

#[sqlx::test]
async fn an_expired_refresh_token_can_still_be_revoked(pool: PgPool) {
    let reader = user(&pool, "reader@example.com").await;
    let token = expired_token(&pool, reader, "hash-1").await;
    sqlx::query("UPDATE refresh_tokens SET is_revoked = true WHERE id = $1")
        .bind(token)
        .execute(&pool)
        .await
        .expect("revoking an expired token works");
    // And "sign out everywhere" over a mix of live and expired tokens.
    sqlx::query(
        "INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, 'hash-2', now() + interval '7 days')",
    )
    .bind(reader)
    .execute(&pool)
    .await
    .unwrap();
    let revoked = sqlx::query("UPDATE refresh_tokens SET is_revoked = true WHERE user_id = $1")
        .bind(reader)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(revoked.rows_affected(), 2);
    // A token can still not expire before it was created.
    let impossible = sqlx::query(
        "INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, 'hash-3', now() - interval '1 second')",
    )
    .bind(reader)
    .execute(&pool)
    .await;
    assert_eq!(
        refusal(impossible),
        ("23514", "check_expires_after_created".into())
    );
}

#[sqlx::test]
async fn cleanup_removes_only_dead_refresh_tokens(pool: PgPool) {
    let reader = user(&pool, "reader@example.com").await;
    expired_token(&pool, reader, "expired").await;
    sqlx::query("INSERT INTO refresh_tokens (user_id, token_hash, expires_at, is_revoked) VALUES ($1, 'revoked', now() + interval '1 day', true)")
        .bind(reader)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, 'live', now() + interval '1 day')")
        .bind(reader)
        .execute(&pool)
        .await
        .unwrap();
    let deleted: i32 = sqlx::query_scalar("SELECT cleanup_expired_tokens()")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(deleted, 2);
    let left: Vec<String> = sqlx::query_scalar("SELECT token_hash::text FROM refresh_tokens")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(left, ["live"]);
}

/// The URL of the database behind `pool`, on the server DATABASE_URL names.
fn url_of(pool: &PgPool) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL is set for database tests");
    let mut url = url::Url::parse(&base).unwrap();
    url.set_path(
        pool.connect_options()
            .get_database()
            .expect("test databases are named"),
    );
    url.to_string()
}

#[sqlx::test]
async fn a_dump_with_past_events_and_expired_tokens_restores_into_an_empty_database(pool: PgPool) {
    let owner = user(&pool, "owner@example.com").await;
    let club = club(&pool, owner).await;
    event(&pool, club, -400).await;
    event(&pool, club, -1).await;
    event(&pool, club, 10).await;
    expired_token(&pool, owner, "old-token").await;

    let source = url_of(&pool);
    // A name of its own: the test database's name is already at PostgreSQL's 63-byte limit.
    let target_name = format!("bookwork_restore_{}", Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE \"{target_name}\""))
        .execute(&pool)
        .await
        .unwrap();
    let mut target = url::Url::parse(&source).unwrap();
    target.set_path(&target_name);

    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("bookwork.dump");
    let backup = std::process::Command::new("bash")
        .arg("scripts/backup.sh")
        .arg(&dump)
        .env("DATABASE_URL", &source)
        .output()
        .unwrap();
    assert!(
        backup.status.success(),
        "backup failed: {}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let restore = std::process::Command::new("bash")
        .arg("scripts/restore.sh")
        .arg(&dump)
        .env("DATABASE_URL", target.as_str())
        .output()
        .unwrap();
    assert!(
        restore.status.success(),
        "restore failed: {}",
        String::from_utf8_lossy(&restore.stderr)
    );

    // One plain connection, not a pool: sqlx 0.8's Pool::close() can finish
    // while a just-used connection is still on its way back to the pool, and
    // that connection then stays open (idle) until the pool is dropped, so
    // DROP DATABASE below found "1 other session using the database".
    let mut restored = sqlx::PgConnection::connect(target.as_str()).await.unwrap();
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&mut restored)
        .await
        .unwrap();
    let tokens: i64 = sqlx::query_scalar("SELECT count(*) FROM refresh_tokens")
        .fetch_one(&mut restored)
        .await
        .unwrap();
    assert_eq!((events, tokens), (3, 1));
    // Owners, grants and row security came back with the data.
    let owners: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT pg_get_userbyid(relowner)::text FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r'",
    )
    .fetch_all(&mut restored)
    .await
    .unwrap();
    assert_eq!(owners, ["bookwork_owner"]);
    let (app_may_write, forced, policies): (bool, bool, i64) = sqlx::query_as(
        "SELECT has_table_privilege('bookwork_app', 'availability', 'INSERT, UPDATE, DELETE'),
                (SELECT relforcerowsecurity FROM pg_class WHERE oid = 'public.availability'::regclass),
                (SELECT count(*) FROM pg_policies WHERE schemaname = 'public')",
    )
    .fetch_one(&mut restored)
    .await
    .unwrap();
    assert!(
        app_may_write && forced,
        "grants and forced row security restored"
    );
    let source_policies: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_policies WHERE schemaname = 'public'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(policies, source_policies);
    // The restored database is a working Bookwork database: migrations see it as current.
    MIGRATOR
        .run(&mut restored)
        .await
        .expect("restored schema is up to date");
    restored.close().await.unwrap();
    sqlx::query(&format!("DROP DATABASE \"{target_name}\""))
        .execute(&pool)
        .await
        .unwrap();
}

#[sqlx::test(migrations = false)]
async fn two_instances_migrating_at_once_apply_each_migration_once(pool: PgPool) {
    let other = PgPool::connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let (first, second) = tokio::join!(MIGRATOR.run(&pool), MIGRATOR.run(&other));
    first.expect("first instance migrates");
    second.expect("second instance migrates");
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(applied as usize, MIGRATOR.iter().count());
    other.close().await;
}

#[sqlx::test]
async fn an_events_instant_follows_its_date_time_and_zone(pool: PgPool) {
    let owner = user(&pool, "owner@example.com").await;
    let club = club(&pool, owner).await;
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, time_zone, location)
         VALUES ($1, 'Meet', '2099-07-01', '19:00', 'Europe/London', 'Here') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    let instant = |pool: PgPool| async move {
        sqlx::query_scalar::<_, String>(
            "SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM events WHERE id = $1",
        )
        .bind(event)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    assert_eq!(
        instant(pool.clone()).await,
        "2099-07-01 18:00",
        "London in summer"
    );
    sqlx::query("UPDATE events SET time_zone = 'America/New_York' WHERE id = $1")
        .bind(event)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(instant(pool.clone()).await, "2099-07-01 23:00");
    sqlx::query("UPDATE events SET event_date = '2099-12-01', starts_at = now() WHERE id = $1")
        .bind(event)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        instant(pool.clone()).await,
        "2099-12-02 00:00",
        "a write cannot set the instant apart from the wall-clock time"
    );

    // Time-zone rules can change under stored rows (a tzdata update, seen
    // here as a row whose instant no longer matches): the hourly job moves it.
    let mut tx = pool.begin().await.unwrap();
    for statement in [
        "ALTER TABLE events DISABLE TRIGGER events_starts_at",
        "UPDATE events SET starts_at = starts_at + interval '1 hour'",
        "ALTER TABLE events ENABLE TRIGGER events_starts_at",
    ] {
        sqlx::query(statement).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(instant(pool.clone()).await, "2099-12-02 01:00");
    assert_eq!(
        bookwork::server::maintenance::refresh_event_instants(&pool)
            .await
            .unwrap(),
        1
    );
    assert_eq!(instant(pool.clone()).await, "2099-12-02 00:00");
}

/// Every zone a form offers is one PostgreSQL accepts (`platform::zones`
/// checks a zone by asking it), so no choice in the list can be refused.
#[sqlx::test]
async fn every_zone_offered_is_one_postgresql_knows(pool: PgPool) {
    let offered: Vec<String> = bookwork::forms::ZONE_NAMES
        .lines()
        .filter(|z| !z.is_empty())
        .map(str::to_owned)
        .collect();
    assert!(offered.len() > 300, "the list was read");
    let unknown: Vec<String> = sqlx::query_scalar(
        "SELECT z FROM unnest($1::text[]) z WHERE NOT EXISTS (SELECT 1 FROM pg_timezone_names n WHERE n.name = z)",
    )
    .bind(&offered)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        unknown.is_empty(),
        "zones offered that PostgreSQL does not know: {unknown:?}"
    );
}
