//! Beginning transactions: as a viewer for row-level security, safely
//! against cancellation, and behind a transaction-mode pooler.
use sqlx::PgPool;

/// Set once this process talks to the database through a transaction-mode
/// pooler: each transaction then begins by dropping whatever prepared
/// statements the server connection it landed on still holds, and lone
/// statements get a transaction of their own (`db::in_transaction`).
static BEHIND_TRANSACTION_POOLER: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

pub(super) fn behind_transaction_pooler() -> bool {
    BEHIND_TRANSACTION_POOLER.load(std::sync::atomic::Ordering::Relaxed)
}

/// The statement that begins a transaction (with `then` run in it).
fn begin_statement(then: &str) -> String {
    let deallocate = if behind_transaction_pooler() {
        "; DEALLOCATE ALL"
    } else {
        ""
    };
    format!("BEGIN{deallocate}{then}")
}

/// Called by `db::connect` when the configuration says a transaction-mode
/// pooler is in front of the database.
pub(super) fn mark_behind_transaction_pooler() {
    BEHIND_TRANSACTION_POOLER.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// A transaction in which PostgreSQL's row-level security sees `viewer`
/// (`None`: an anonymous visitor). The viewer is set with `is_local = true`
/// in the statement that begins the transaction (one round trip), so it ends
/// with it: never seen by the next user of the pooled connection, and safe
/// behind a transaction-mode pooler.
pub async fn begin_as(
    pool: &PgPool,
    viewer: Option<uuid::Uuid>,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
    // A Uuid formats as 36 hex digits and hyphens: nothing to escape.
    let viewer = viewer.map(|v| v.to_string()).unwrap_or_default();
    begin_on_own_task(
        pool,
        begin_statement(&format!(
            "; SELECT set_config('app.user_id', '{viewer}', true)"
        )),
    )
    .await
}

/// A plain transaction, begun as safely as [`begin_as`]'s.
pub async fn begin(
    pool: &PgPool,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
    begin_on_own_task(pool, begin_statement("")).await
}

/// Begins a transaction so that cancelling the caller (a client that hangs
/// up, the request deadline) can never leave a pooled connection inside it.
/// sqlx 0.8 counts a transaction as begun only once BEGIN's reply is read,
/// so a future dropped in between hands the connection back to the pool
/// mid-transaction, and the next borrower's statements run in it, holding
/// its locks and seeing the last viewer's `app.user_id`
/// (transact-rs/sqlx#4393). On a task of its own the BEGIN always finishes;
/// if nobody waits for it any more, the transaction is dropped there, which
/// rolls it back before the connection is reused.
async fn begin_on_own_task(
    pool: &PgPool,
    statement: String,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
    let pool = pool.clone();
    tokio::spawn(async move {
        let _waiting = super::metrics::WaitingForConnection::start();
        pool.begin_with(statement).await
    })
    .await
    .map_err(|err| sqlx::Error::Protocol(format!("beginning a transaction failed: {err}")))?
}
