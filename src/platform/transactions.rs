//! Beginning transactions: as a viewer for row-level security, safely
//! against cancellation, and behind a transaction-mode pooler.
use std::future::Future;

use sqlx::pool::PoolConnection;
use sqlx::postgres::PgRow;
use sqlx::{Executor, PgConnection, PgPool, Postgres};

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
    begin_on_own_task(
        pool,
        begin_statement(&format!("; {}", set_viewer_statement(viewer))),
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

/// A transaction whose first statement travels in the same message as its
/// `BEGIN`, and whose answer comes back with it: one round trip where
/// sqlx's `Transaction` takes two (it reads `BEGIN`'s reply before anything
/// else may be sent). Used where every request pays for it: the session
/// check that opens a page's transaction or a form's write.
///
/// Safe against cancellation the other way round from [`begin_on_own_task`]:
/// it counts as open from before `BEGIN` is sent until `COMMIT` or
/// `ROLLBACK` has been answered, and if it is dropped while open (the
/// caller was cancelled) the connection is closed rather than handed back
/// to the pool, so nobody else's statements can ever run in it.
pub struct OpenTransaction {
    conn: PoolConnection<Postgres>,
    open: bool,
}

impl OpenTransaction {
    /// Begins a transaction with `first` as its first statement, and
    /// returns `first`'s rows. `first` is sent as text over the simple
    /// protocol, so it takes no parameters: whatever it names must be
    /// written into it safely by the caller (UUIDs, booleans).
    ///
    /// The future borrows nothing: it is awaited inside server functions,
    /// whose futures must be `Send` for every lifetime, which the compiler
    /// cannot prove for a borrow held across an `.await` in code reached
    /// through an async closure (rust-lang/rust#110338).
    pub fn begin(
        pool: &PgPool,
        first: &str,
    ) -> impl Future<Output = Result<(Self, Vec<PgRow>), sqlx::Error>> + Send + 'static {
        let pool = pool.clone();
        let statement = begin_statement(&format!("; {first}"));
        async move {
            let conn = {
                let _waiting = super::metrics::WaitingForConnection::start();
                pool.acquire().await?
            };
            let mut tx = OpenTransaction { conn, open: true };
            // A `&str` with no arguments goes as a simple-protocol Query,
            // which may hold several statements.
            let rows = tx.conn.fetch_all(statement.as_str()).await?;
            Ok((tx, rows))
        }
    }

    /// [`begin`](Self::begin), with `before` run and committed ahead of it
    /// in the same message: `before`'s work stands whatever becomes of the
    /// transaction (the API counts a request there, so a refused request
    /// is counted too). Returns `before`'s rows and `first`'s.
    pub fn begin_after(
        pool: &PgPool,
        before: &str,
        first: &str,
    ) -> impl Future<Output = Result<(Self, Vec<PgRow>, Vec<PgRow>), sqlx::Error>> + Send + 'static
    {
        use futures_util::TryStreamExt;
        let pool = pool.clone();
        // `before` in a transaction of its own, committed, then the one
        // returned. (Without its own BEGIN, `before` would run in the
        // message's implicit transaction, which COMMIT ends with a warning.)
        let statement = format!(
            "BEGIN; {before}; COMMIT; {}",
            begin_statement(&format!("; {first}"))
        );
        async move {
            let conn = {
                let _waiting = super::metrics::WaitingForConnection::start();
                pool.acquire().await?
            };
            let mut tx = OpenTransaction { conn, open: true };
            // Each statement's rows, closed by its completion.
            let mut answers: Vec<Vec<PgRow>> = vec![Vec::new()];
            {
                let mut results = tx.conn.fetch_many(statement.as_str());
                while let Some(result) = results.try_next().await? {
                    match result {
                        sqlx::Either::Left(_) => answers.push(Vec::new()),
                        sqlx::Either::Right(row) => {
                            if let Some(rows) = answers.last_mut() {
                                rows.push(row);
                            }
                        }
                    }
                }
            }
            // The last statement's rows come before the empty list its
            // completion opened.
            answers.pop();
            let first_rows = answers.pop().unwrap_or_default();
            // `before`'s rows follow the first BEGIN's (none).
            let before_rows = answers.into_iter().nth(1).unwrap_or_default();
            Ok((tx, before_rows, first_rows))
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.end("COMMIT").await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.end("ROLLBACK").await
    }

    async fn end(mut self, how: &str) -> Result<(), sqlx::Error> {
        self.conn.execute(how).await?;
        // Answered: the connection is idle again and may go back.
        self.open = false;
        Ok(())
    }
}

impl std::ops::Deref for OpenTransaction {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for OpenTransaction {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.conn
    }
}

impl Drop for OpenTransaction {
    fn drop(&mut self) {
        if self.open {
            // Cancelled, or a failed COMMIT/ROLLBACK: the server rolls back
            // whatever was open when the connection closes.
            self.conn.close_on_drop();
        }
    }
}

/// `OpenTransaction::begin`'s first statement that makes `viewer` the one
/// row-level security sees (`None`: a visitor), as [`begin_as`] does.
pub fn set_viewer_statement(viewer: Option<uuid::Uuid>) -> String {
    // A Uuid formats as 36 hex digits and hyphens: nothing to escape.
    let viewer = viewer.map(|v| v.to_string()).unwrap_or_default();
    format!("SELECT set_config('app.user_id', '{viewer}', true)")
}
