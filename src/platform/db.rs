//! The connection pool and migrations.
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use super::config::Config;
use super::page_transaction::PageTransaction;
use super::transactions::behind_transaction_pooler;
pub use super::transactions::{begin, begin_as};

/// Every migration in `migrations/`, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub async fn connect(url: &str, config: &Config) -> Result<PgPool, sqlx::Error> {
    let mut options = PgConnectOptions::from_str(url)?.application_name("bookwork");
    if config.transaction_pooler {
        // Behind a transaction-mode pooler (PgBouncer before 1.21 cannot
        // follow prepared statements) a client's next transaction may run
        // on another server connection, so nothing may outlive one:
        // - no statement cache: a cached statement would be missing there;
        // - every transaction starts with DEALLOCATE ALL (see `begin_as`):
        //   with the cache off sqlx still names its statements per client
        //   (sqlx_s_1, sqlx_s_2, …) and never closes them, so a name left
        //   on a server connection by another client would collide;
        // - no `extra_float_digits` start-up parameter, which PgBouncer
        //   refuses unless told to ignore it;
        // and every statement runs inside a transaction (`in_transaction`).
        // Advisory locks and SET are transaction-scoped throughout anyway.
        options = options.statement_cache_capacity(0).extra_float_digits(None);
        super::transactions::mark_behind_transaction_pooler();
    } else {
        // Plan each statement once per connection, not on every execution.
        // PostgreSQL re-plans a prepared statement for its parameters until
        // it trusts the generic plan, and with the row-security policies
        // inlined into nearly every query it kept re-planning: planning cost
        // more than running (0.7 ms against 0.4 ms for the home page's club
        // list), and forcing the generic plan served 30-60 % more pages.
        // Every query on a page path looks rows up by key, so the one plan
        // suits every parameter (docs/PERFORMANCE.md has the plans). A
        // pooler refuses start-up options; there nothing is kept anyway.
        options = options.options([("plan_cache_mode", "force_generic_plan")]);
    }
    pool_options(config).connect_with(options).await
}

/// The pool settings the server runs with (tests build their servers' pools
/// from these too, so a wait for a connection behaves as in production).
pub fn pool_options(config: &Config) -> PgPoolOptions {
    // sqlx checks each connection (a Sync round trip) as it is lent out and
    // again as it comes back. Checking only connections that sat idle was
    // tried (docs/PERFORMANCE.md): no measurable gain, and after a short
    // database restart a connection that died within the idle threshold was
    // lent out and failed its request.
    PgPoolOptions::new()
        .max_connections(config.max_connections)
        .min_connections(config.min_connections)
        .max_lifetime(config.conn_max_lifetime)
        .idle_timeout(config.conn_max_idle_time)
        // Fail fast when the database is down (or every connection is busy),
        // so /readyz and requests answer promptly instead of queueing.
        .acquire_timeout(Duration::from_secs(5))
}

/// Why a connection could not be made, in one line. When TLS is what
/// failed, it says so and names the settings that decide it, since sqlx's
/// own words ("invalid peer certificate: NotValidForName") do not.
pub fn connect_failure(err: &sqlx::Error) -> String {
    let text = err.to_string();
    let settings = "sslmode= in the URL or DB_SSLMODE; the CA from sslrootcert= or DB_SSLROOTCERT";
    if text.contains("does not support TLS") {
        format!(
            "the database server does not offer TLS, but the connection requires it ({settings}): {text}"
        )
    } else if text.contains("certificate") || matches!(err, sqlx::Error::Tls(_)) {
        format!(
            "TLS to the database failed: its certificate was not accepted (verify-full checks that the CA signed it and that it names the host connected to; {settings}): {text}"
        )
    } else {
        text
    }
}

/// Applies pending migrations. sqlx holds a PostgreSQL advisory lock while it
/// does, so two instances starting together apply each migration once.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// Applies pending migrations over a connection of their own to `url` (the
/// owner's login, `MIGRATION_DATABASE_URL`), closed afterwards.
pub async fn migrate_at(url: &str) -> Result<(), String> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| e.to_string())?
        .application_name("bookwork-migrate");
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
        .map_err(|e| format!("cannot connect: {}", connect_failure(&e)))?;
    let result = match may_migrate(&pool).await {
        Err(refusal) => Err(refusal),
        Ok(()) => migrate(&pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(sqlx::Error::Database(db)) => {
                // Our migrations explain themselves (a message and a hint).
                let hint = db
                    .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                    .and_then(|pg| pg.hint())
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                format!("{}{hint}", db.message())
            }
            other => other.to_string(),
        }),
    };
    pool.close().await;
    result
}

/// Refuses, with what to do, when this login may not run migrations here
/// because an earlier login (Bookwork before it had roles) owns the tables.
async fn may_migrate(pool: &PgPool) -> Result<(), String> {
    let owner: Option<(String, bool)> = sqlx::query_as(
        "SELECT pg_get_userbyid(relowner)::text, pg_has_role(current_user, relowner, 'MEMBER')
           FROM pg_class WHERE relname = '_sqlx_migrations' AND relnamespace = 'public'::regnamespace",
    )
    .fetch_optional(pool)
    .await
    .map_err(|e| e.to_string())?;
    match owner {
        Some((owner, false)) => Err(format!(
            "Bookwork's tables belong to {owner}, so this login cannot migrate them (run the SQL \
             `bookwork db roles` prints as an administrator: it hands them to bookwork_owner)"
        )),
        _ => Ok(()),
    }
}

/// Says so in the log when the server's login can see past row-level
/// security (a superuser, `BYPASSRLS`, or a member of the owner role): the
/// database then no longer backs up the application's own checks.
pub async fn warn_unless_least_privilege(pool: &PgPool) {
    let row = in_transaction(pool, async |db| {
        sqlx::query_as::<_, (String, bool, bool, bool)>(
            "SELECT current_user::text, rolsuper, rolbypassrls,
                    pg_has_role(current_user, 'bookwork_owner', 'MEMBER')
               FROM pg_roles WHERE rolname = current_user",
        )
        .fetch_one(db)
        .await
    })
    .await;
    match row {
        Ok((user, superuser, bypass, owner)) if superuser || bypass || owner => tracing::warn!(
            login = user,
            "the server's database login can see past row-level security; connect as bookwork_app (see `bookwork db roles`)"
        ),
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "could not check the server's database privileges"),
    }
}

/// Checks that a write aimed at one row by its key changed that row.
///
/// Row-level security does not refuse an UPDATE or DELETE of a row the
/// viewer may not change: it filters the row out, and the statement succeeds
/// having changed nothing. The feature's authorization table has already
/// allowed the change, so nothing changed means the row went away meanwhile
/// or a policy no longer matches it; either way the change was not made, and
/// the answer must not say it was. It is answered as for a row that is not
/// there (`NotFound`).
pub fn changed_one_row(done: sqlx::postgres::PgQueryResult) -> crate::error::AppResult<()> {
    if done.rows_affected() == 0 {
        return Err(crate::error::AppError::NotFound);
    }
    Ok(())
}

/// Runs `work`, statements that need no transaction for their own sake (a
/// lone SELECT, say), on a pooled connection, and behind a transaction-mode
/// pooler in a transaction of its own, committed when it succeeds.
///
/// Every statement Bookwork sends goes through here or through [`begin`] /
/// [`begin_as`], so that it runs unchanged behind PgBouncer in transaction
/// pooling mode (1.18, Debian's): sqlx sends a statement with parameters as
/// Parse … Sync, then Bind/Execute … Sync, and outside a transaction the
/// pooler may hand the two halves to different server connections (the
/// second then fails with "prepared statement … does not exist", or worse,
/// binds another client's unnamed statement). Inside BEGIN … COMMIT the
/// whole exchange stays on one server connection. Talking to PostgreSQL
/// directly the transaction would only cost two round trips.
pub async fn in_transaction<T, E: From<sqlx::Error>>(
    pool: &PgPool,
    work: impl AsyncFnOnce(&mut sqlx::PgConnection) -> Result<T, E>,
) -> Result<T, E> {
    // While a page renders, its reads share the page's transaction
    // (`page_transaction`): no second connection while it holds one.
    if let Some(page) = PageTransaction::current() {
        return page.run_for_anyone(pool, work).await;
    }
    if !behind_transaction_pooler() {
        let mut conn = {
            let _waiting = super::metrics::WaitingForConnection::start();
            pool.acquire().await?
        };
        return work(&mut conn).await;
    }
    let mut tx = begin(pool).await?;
    let out = work(&mut tx).await?;
    tx.commit().await?;
    Ok(out)
}
