//! The database beneath the application's own checks: the server's login has
//! data rights only, and row-level security shows each viewer only what they
//! may see, even to a query that forgets its WHERE clause.
use std::borrow::Cow;
use std::future::Future;

use bookwork::platform::db::{begin_as, MIGRATOR};
use bookwork::server::roles;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

/// The test database, as `role`.
fn options_as(pool: &PgPool, role: &str) -> PgConnectOptions {
    (*pool.connect_options()).clone().username(role)
}

/// `sql` fails for want of privilege (SQLSTATE 42501).
async fn assert_refused(conn: &mut PgConnection, sql: &str) {
    let err = sqlx::raw_sql(sql).execute(conn).await.expect_err(sql);
    let code = err
        .as_database_error()
        .and_then(|e| e.code().map(|c| c.into_owned()));
    assert_eq!(code.as_deref(), Some("42501"), "{sql}: {err}");
}

/// What PostgreSQL refused a statement with: "SQLSTATE: message".
fn refusal(result: Result<sqlx::postgres::PgQueryResult, sqlx::Error>) -> String {
    let err = result.expect_err("the statement was refused");
    match err.as_database_error() {
        Some(db) => format!("{}: {}", db.code().unwrap_or_default(), db.message()),
        None => format!("not a database error: {err}"),
    }
}

/// The app's login with one connection, so each use is the same connection.
async fn app_pool_of_one(pool: &PgPool) -> PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options_as(pool, roles::APP))
        .await
        .unwrap()
}

async fn connect_as(pool: &PgPool, role: &str) -> PgConnection {
    PgConnection::connect_with(&options_as(pool, role))
        .await
        .unwrap()
}

#[sqlx::test]
async fn the_app_login_has_data_rights_and_nothing_else(pool: PgPool) {
    let mut app = connect_as(&pool, roles::APP).await;
    let (superuser, bypass, create_db, create_role, owner_member): (bool, bool, bool, bool, bool) =
        sqlx::query_as(
            "SELECT rolsuper, rolbypassrls, rolcreatedb, rolcreaterole,
                    pg_has_role(current_user, 'bookwork_owner', 'MEMBER')
               FROM pg_roles WHERE rolname = current_user",
        )
        .fetch_one(&mut app)
        .await
        .unwrap();
    assert!(!(superuser || bypass || create_db || create_role || owner_member));

    for refused in [
        "DROP TABLE clubs",
        "ALTER TABLE clubs ADD COLUMN secret text",
        "CREATE TABLE public.planted (x int)",
        "CREATE SCHEMA planted",
        "TRUNCATE availability",
        "SELECT rolpassword FROM pg_authid",
        "SET ROLE bookwork_owner",
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999999999999, 'planted', true, '\\x00', 0)",
        "DELETE FROM _sqlx_migrations",
        "UPDATE _sqlx_migrations SET success = false",
        "ALTER TABLE clubs DISABLE ROW LEVEL SECURITY",
        "CREATE FUNCTION public.planted() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    ] {
        assert_refused(&mut app, refused).await;
    }
    // What it is for, it may do.
    sqlx::query(
        "INSERT INTO users (name, email, password_hash) VALUES ('A', 'a@example.com', 'x')",
    )
    .execute(&mut app)
    .await
    .unwrap();
    app.close().await.unwrap();
}

struct World {
    public_club: Uuid,
    private_club: Uuid,
    other_private_club: Uuid,
    public_event: Uuid,
    members_only_event: Uuid,
    private_event: Uuid,
    other_event: Uuid,
    outsider: Uuid,
    member: Uuid,
    other_member: Uuid,
    site_admin: Uuid,
}

async fn world(pool: &PgPool) -> World {
    let user = |email: &'static str, role: &'static str| async move {
        sqlx::query_scalar::<_, Uuid>(
            "INSERT INTO users (name, email, password_hash, role) VALUES ($1, $1, 'x', $2) RETURNING id",
        )
        .bind(email)
        .bind(role)
        .fetch_one(pool)
        .await
        .unwrap()
    };
    let outsider = user("out@example.com", "member").await;
    let member = user("mem@example.com", "member").await;
    let other_member = user("other@example.com", "member").await;
    let site_admin = user("admin@example.com", "admin").await;
    let club = |public: bool, members: Vec<Uuid>| async move {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO clubs (name, owner_id, is_public) VALUES ('C', $1, $2) RETURNING id",
        )
        .bind(members[0])
        .bind(public)
        .fetch_one(pool)
        .await
        .unwrap();
        for m in members {
            sqlx::query("INSERT INTO club_members (club_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(m)
                .execute(pool)
                .await
                .unwrap();
        }
        id
    };
    let public_club = club(true, vec![other_member]).await;
    let private_club = club(false, vec![member, other_member]).await;
    let other_private_club = club(false, vec![other_member]).await;
    let event = |club: Uuid, public: bool| async move {
        sqlx::query_scalar::<_, Uuid>(
            "INSERT INTO events (club_id, title, event_date, event_time, location, is_public)
             VALUES ($1, 'E', current_date + 10, '19:00', 'Here', $2) RETURNING id",
        )
        .bind(club)
        .bind(public)
        .fetch_one(pool)
        .await
        .unwrap()
    };
    let world = World {
        public_club,
        private_club,
        other_private_club,
        public_event: event(public_club, true).await,
        members_only_event: event(public_club, false).await,
        private_event: event(private_club, true).await,
        other_event: event(other_private_club, true).await,
        outsider,
        member,
        other_member,
        site_admin,
    };
    for (event, who) in [
        (world.private_event, member),
        (world.private_event, other_member),
        (world.public_event, other_member),
        (world.other_event, other_member),
    ] {
        sqlx::query(
            "INSERT INTO availability (event_id, user_id, status) VALUES ($1, $2, 'available')",
        )
        .bind(event)
        .bind(who)
        .execute(pool)
        .await
        .unwrap();
    }
    world
}

/// What a query with no WHERE clause returns for `viewer`, as the server's login.
async fn unfiltered(app: &PgPool, viewer: Option<Uuid>, table: &str) -> Vec<Uuid> {
    let mut db = begin_as(app, viewer).await.unwrap();
    let mut ids: Vec<Uuid> = sqlx::query_scalar(&format!(
        "SELECT {} FROM {table}",
        if table == "availability" {
            "event_id"
        } else {
            "id"
        }
    ))
    .fetch_all(&mut *db)
    .await
    .unwrap();
    db.rollback().await.unwrap();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort();
    ids
}

#[sqlx::test]
async fn an_unfiltered_query_returns_only_what_the_viewer_may_see(pool: PgPool) {
    let w = world(&pool).await;
    let app = app_pool_of_one(&pool).await;

    // Clubs: public ones; private ones to their members and site staff.
    assert_eq!(unfiltered(&app, None, "clubs").await, [w.public_club]);
    assert_eq!(
        unfiltered(&app, Some(w.outsider), "clubs").await,
        [w.public_club]
    );
    assert_eq!(
        unfiltered(&app, Some(w.member), "clubs").await,
        sorted(vec![w.public_club, w.private_club])
    );
    assert_eq!(
        unfiltered(&app, Some(w.site_admin), "clubs").await,
        sorted(vec![w.public_club, w.private_club, w.other_private_club])
    );

    // Events: public events of public clubs; all of your clubs' events.
    assert_eq!(unfiltered(&app, None, "events").await, [w.public_event]);
    assert_eq!(
        unfiltered(&app, Some(w.outsider), "events").await,
        [w.public_event]
    );
    assert_eq!(
        unfiltered(&app, Some(w.member), "events").await,
        sorted(vec![w.public_event, w.private_event])
    );
    assert_eq!(
        unfiltered(&app, Some(w.site_admin), "events").await,
        sorted(vec![
            w.public_event,
            w.members_only_event,
            w.private_event,
            w.other_event
        ])
    );

    // Answers: who answered what is for the club's people (counts come from
    // a function that counts without showing rows).
    assert_eq!(
        unfiltered(&app, None, "availability").await,
        Vec::<Uuid>::new()
    );
    assert_eq!(
        unfiltered(&app, Some(w.outsider), "availability").await,
        Vec::<Uuid>::new()
    );
    assert_eq!(
        unfiltered(&app, Some(w.member), "availability").await,
        [w.private_event, w.private_event],
        "both answers at their club's event, none elsewhere"
    );
    assert_eq!(
        unfiltered(&app, Some(w.site_admin), "availability")
            .await
            .len(),
        4
    );

    // A write that forgets its WHERE clause changes only the viewer's own row.
    let mut db = begin_as(&app, Some(w.member)).await.unwrap();
    let changed = sqlx::query("UPDATE availability SET status = 'unavailable'")
        .execute(&mut *db)
        .await
        .unwrap()
        .rows_affected();
    db.commit().await.unwrap();
    assert_eq!(changed, 1);
    let statuses: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT user_id, status::text FROM availability ORDER BY status")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        statuses.iter().filter(|(_, s)| s == "unavailable").count(),
        1
    );
    assert!(statuses
        .iter()
        .any(|(who, s)| *who == w.member && s == "unavailable"));
    assert!(statuses
        .iter()
        .filter(|(who, _)| *who == w.other_member)
        .all(|(_, s)| s == "available"));

    // Nobody writes themselves into a club, or an answer at a club they are
    // not in.
    let mut db = begin_as(&app, Some(w.outsider)).await.unwrap();
    let planted =
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin')")
            .bind(w.private_club)
            .bind(w.outsider)
            .execute(&mut *db)
            .await;
    assert_eq!(
        refusal(planted),
        r#"42501: new row violates row-level security policy for table "club_members""#,
        "row security refuses the insert"
    );
    db.rollback().await.unwrap();
    let mut db = begin_as(&app, Some(w.outsider)).await.unwrap();
    let answered = sqlx::query(
        "INSERT INTO availability (event_id, user_id, status) VALUES ($1, $2, 'available')",
    )
    .bind(w.public_event)
    .bind(w.outsider)
    .execute(&mut *db)
    .await;
    assert_eq!(
        refusal(answered),
        r#"42501: new row violates row-level security policy for table "availability""#,
        "join first"
    );
    db.rollback().await.unwrap();
    app.close().await;
}

#[sqlx::test]
async fn the_readonly_login_reads_public_data_and_no_secrets(pool: PgPool) {
    let w = world(&pool).await;
    let mut reports = connect_as(&pool, roles::READONLY).await;
    let clubs: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM clubs")
        .fetch_all(&mut reports)
        .await
        .unwrap();
    assert_eq!(
        clubs,
        [w.public_club],
        "row security applies to reports too"
    );
    let names: i64 = sqlx::query_scalar("SELECT count(name) FROM users")
        .fetch_one(&mut reports)
        .await
        .unwrap();
    assert_eq!(names, 4);
    for refused in [
        "SELECT password_hash FROM users",
        "SELECT token_hash FROM refresh_tokens",
        "SELECT * FROM session_families",
        "SELECT token_hash FROM club_invites",
        "UPDATE clubs SET name = 'x'",
        "INSERT INTO users (name, email, password_hash) VALUES ('r', 'r@example.com', 'x')",
        "DELETE FROM events",
    ] {
        assert_refused(&mut reports, refused).await;
    }
    reports.close().await.unwrap();
}

#[sqlx::test]
async fn the_viewer_ends_with_its_transaction(pool: PgPool) {
    let w = world(&pool).await;
    let app = app_pool_of_one(&pool).await;
    let viewer = || async {
        sqlx::query_scalar::<_, Option<String>>("SELECT current_setting('app.user_id', true)")
            .fetch_one(&app)
            .await
            .unwrap()
            .unwrap_or_default()
    };
    let mut db = begin_as(&app, Some(w.member)).await.unwrap();
    let inside: String = sqlx::query_scalar("SELECT current_setting('app.user_id', true)")
        .fetch_one(&mut *db)
        .await
        .unwrap();
    assert_eq!(inside, w.member.to_string());
    db.commit().await.unwrap();
    assert_eq!(viewer().await, "", "gone after commit");
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM clubs")
            .fetch_one(&app)
            .await
            .unwrap(),
        1,
        "the next use is anonymous: public clubs only"
    );

    let mut db = begin_as(&app, Some(w.site_admin)).await.unwrap();
    sqlx::query("SELECT 1").execute(&mut *db).await.unwrap();
    drop(db); // rolled back, as when a request fails
    assert_eq!(viewer().await, "", "gone after a rollback");
    app.close().await;
}

/// The viewer's clubs are worked out once per transaction; a change to
/// memberships later in the same transaction is seen by the next statement.
#[sqlx::test]
async fn leaving_a_club_hides_it_from_the_rest_of_the_transaction(pool: PgPool) {
    let w = world(&pool).await;
    let app = app_pool_of_one(&pool).await;
    let mut db = begin_as(&app, Some(w.member)).await.unwrap();
    // Events, not clubs: the member owns the club, and owners see their club.
    let visible = "SELECT id FROM events ORDER BY id";
    assert_eq!(
        sqlx::query_scalar::<_, Uuid>(visible)
            .fetch_all(&mut *db)
            .await
            .unwrap(),
        sorted(vec![w.public_event, w.private_event])
    );
    sqlx::query("UPDATE club_members SET is_active = false WHERE user_id = $1 AND club_id = $2")
        .bind(w.member)
        .bind(w.private_club)
        .execute(&mut *db)
        .await
        .unwrap();
    assert_eq!(
        sqlx::query_scalar::<_, Uuid>(visible)
            .fetch_all(&mut *db)
            .await
            .unwrap(),
        [w.public_event]
    );
    db.rollback().await.unwrap();
    app.close().await;
}

/// A request cancelled while its transaction is beginning (the client hung
/// up, or the deadline passed) leaves nothing behind on the pooled
/// connection: neither an open transaction nor its viewer. sqlx on its own
/// would hand the connection on mid-transaction (transact-rs/sqlx#4393).
#[sqlx::test]
async fn a_cancelled_begin_leaves_no_transaction_or_viewer_behind(pool: PgPool) {
    let w = world(&pool).await;
    let app = app_pool_of_one(&pool).await;
    // Drop the beginning after 1, 2, 3... polls, so that some drops land
    // after BEGIN has gone out and before its reply has been read.
    for polls in 1..=40 {
        let mut begin = Box::pin(begin_as(&app, Some(w.site_admin)));
        for _ in 0..polls {
            let polled =
                std::future::poll_fn(|cx| std::task::Poll::Ready(begin.as_mut().poll(cx))).await;
            if polled.is_ready() {
                break;
            }
            tokio::task::yield_now().await;
        }
        drop(begin);
        let viewer: String =
            sqlx::query_scalar("SELECT coalesce(current_setting('app.user_id', true), '')")
                .fetch_one(&app)
                .await
                .unwrap_or_else(|err| panic!("after {polls} polls: {err}"));
        assert_eq!(viewer, "", "the viewer leaked after {polls} polls");
        // Two statements in a row share a transaction id only inside one
        // transaction.
        let xid = || sqlx::query_scalar::<_, i64>("SELECT txid_current()").fetch_one(&app);
        let (first, second) = (xid().await.unwrap(), xid().await.unwrap());
        assert_ne!(
            first, second,
            "a transaction was left open after {polls} polls"
        );
    }
    app.close().await;
}

/// An existing database whose objects belong to the one login Bookwork used
/// before (here the cluster's superuser): migrating as the owner says what
/// to do; the SQL `bookwork db roles` prints hands everything over; then the
/// owner migrates and the app login works.
#[sqlx::test(migrations = false)]
async fn an_existing_database_is_handed_to_the_owner_by_the_roles_sql(pool: PgPool) {
    let name = format!("bookwork_legacy_{}", Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&pool)
        .await
        .unwrap();
    let legacy = (*pool.connect_options()).clone().database(&name);
    let superuser = legacy.clone().username("postgres");
    let before_roles = sqlx::migrate::Migrator {
        migrations: Cow::Owned(
            MIGRATOR
                .iter()
                // Everything from the roles migration on is the owner's.
                .take_while(|m| !m.description.contains("roles and row security"))
                .cloned()
                .collect(),
        ),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    let mut admin = PgConnection::connect_with(&superuser).await.unwrap();
    before_roles.run(&mut admin).await.unwrap();

    let mut owner_url = url::Url::parse(&std::env::var("DATABASE_URL").unwrap()).unwrap();
    owner_url.set_path(&name);
    let refused = bookwork::platform::db::migrate_at(owner_url.as_str())
        .await
        .unwrap_err();
    assert!(
        refused.contains("belong to postgres") && refused.contains("bookwork db roles"),
        "{refused}"
    );

    sqlx::raw_sql(&roles::setup_sql(None))
        .execute(&mut admin)
        .await
        .unwrap();
    bookwork::platform::db::migrate_at(owner_url.as_str())
        .await
        .unwrap();
    let app = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(legacy.clone().username(roles::APP))
        .await
        .unwrap();
    let mut db = begin_as(&app, None).await.unwrap();
    let clubs: i64 = sqlx::query_scalar("SELECT count(*) FROM clubs")
        .fetch_one(&mut *db)
        .await
        .unwrap();
    assert_eq!(clubs, 0);
    db.commit().await.unwrap();
    app.close().await;
    admin.close().await.unwrap();
    sqlx::query(&format!("DROP DATABASE \"{name}\""))
        .execute(&pool)
        .await
        .unwrap();
}

/// A managed service's admin login is no superuser, only CREATEROLE and
/// CREATEDB: the roles SQL still sets up a new database, and the app works.
#[sqlx::test(migrations = false)]
async fn a_managed_services_admin_can_set_up_the_roles(pool: PgPool) {
    let tag = Uuid::new_v4().simple().to_string();
    let (dba, name) = (format!("dba_{tag}"), format!("bookwork_managed_{tag}"));
    let superuser = (*pool.connect_options()).clone().username("postgres");
    let mut root = PgConnection::connect_with(&superuser).await.unwrap();
    sqlx::query(&format!("CREATE ROLE \"{dba}\" LOGIN CREATEROLE CREATEDB"))
        .execute(&mut root)
        .await
        .unwrap();
    let as_dba = (*pool.connect_options()).clone().username(&dba);
    let mut admin = PgConnection::connect_with(&as_dba).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .unwrap();
    let mut admin = PgConnection::connect_with(&as_dba.clone().database(&name))
        .await
        .unwrap();
    sqlx::raw_sql(&roles::setup_sql(None))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();

    let mut owner_url = url::Url::parse(&std::env::var("DATABASE_URL").unwrap()).unwrap();
    owner_url.set_path(&name);
    bookwork::platform::db::migrate_at(owner_url.as_str())
        .await
        .unwrap();
    let mut app = PgConnection::connect_with(&options_as(&pool, roles::APP).database(&name))
        .await
        .unwrap();
    let clubs: i64 = sqlx::query_scalar("SELECT count(*) FROM clubs")
        .fetch_one(&mut app)
        .await
        .unwrap();
    assert_eq!(clubs, 0);
    app.close().await.unwrap();
    sqlx::query(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .execute(&mut root)
        .await
        .unwrap();
    sqlx::query(&format!("DROP ROLE \"{dba}\""))
        .execute(&mut root)
        .await
        .unwrap();
    root.close().await.unwrap();
}

/// The guide's monitoring views, fixed: each answers, for reports and for
/// the server's login, on an empty database and on one filled with demo data.
#[sqlx::test]
async fn the_monitoring_views_answer_on_an_empty_and_a_filled_database(pool: PgPool) {
    for filled in [false, true] {
        if filled {
            bookwork::server::demo::seed(
                &pool,
                bookwork::server::demo::DemoSize::new(3, 7, 6).unwrap(),
            )
            .await
            .unwrap();
        }
        for role in [roles::READONLY, roles::APP] {
            let mut db = connect_as(&pool, role).await;
            let (users, clubs, hit): (i64, i64, Option<f64>) = sqlx::query_as(
                "SELECT users, clubs, cache_hit_ratio::float8 FROM monitoring.db_health_summary",
            )
            .fetch_one(&mut db)
            .await
            .unwrap_or_else(|e| panic!("{role}: {e}"));
            let (want_users, want_clubs): (i64, i64) =
                sqlx::query_as("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM clubs)")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            assert_eq!((users, clubs), (want_users, want_clubs), "{role}");
            assert_eq!(filled, users > 0);
            assert!(hit.is_none_or(|h| (0.0..=1.0).contains(&h)), "{hit:?}");
            let sizes: Vec<(String, i64)> =
                sqlx::query_as("SELECT table_name::text, total_bytes FROM monitoring.table_sizes")
                    .fetch_all(&mut db)
                    .await
                    .unwrap();
            assert!(
                sizes.iter().any(|(t, bytes)| t == "events" && *bytes > 0),
                "{sizes:?}"
            );
            for view in ["monitoring.slow_queries", "monitoring.unused_indexes"] {
                sqlx::query(&format!("SELECT * FROM {view}"))
                    .fetch_all(&mut db)
                    .await
                    .unwrap_or_else(|e| panic!("{view} as {role}: {e}"));
            }
        }
    }
}
