//! One transaction for everything a page reads.
//!
//! A page is rendered from several server functions (the page's own data,
//! the bell's count, a club's polls and events…), each of which used to
//! begin a transaction of its own and set the viewer again. While a page
//! renders on the server they now share one: the session check begins it
//! (as the person the access token names), every viewer-scoped read during
//! the render runs in it, and it is committed when the page's last byte has
//! been produced (`finish`). If the render is abandoned, its connection is
//! closed, which rolls it back.
//!
//! Only page loads (GET) get one. A server function called by a form or by
//! the browser (POST) keeps a transaction of its own, committed or rolled
//! back with its own answer.
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

use sqlx::postgres::PgRow;
use sqlx::PgPool;
use tokio::sync::Mutex;
use uuid::Uuid;

use super::transactions::{set_viewer_statement, OpenTransaction};
use crate::error::{AppError, AppResult};

/// The shared transaction of one page load (cheap to clone: every clone is
/// the same transaction). Begun on first use.
#[derive(Clone, Default)]
pub struct PageTransaction {
    open: Arc<Mutex<Option<Open>>>,
    /// What the page's reads have worked out already, by type and key.
    memo: Arc<std::sync::Mutex<Memo>>,
}

/// Values by (their type, a key such as a club, the viewer).
type Memo = HashMap<(TypeId, Uuid, Option<Uuid>), Box<dyn Any + Send>>;

struct Open {
    /// Whom row-level security sees in it (`None`: a visitor).
    viewer: Option<Uuid>,
    tx: OpenTransaction,
}

impl PageTransaction {
    /// Runs `work` in the page's transaction as `viewer`, beginning it if it
    /// has not begun. Work for someone other than the viewer the transaction
    /// was begun for (an unsubscribe link's owner, say) runs in it too, with
    /// the viewer switched for it and back: a page never holds a second
    /// connection while it holds one (under load that would wait on itself).
    ///
    /// A refusal (not found, sign in, forbidden: decided in Rust, after
    /// reads that succeeded) leaves the transaction as it was; any other
    /// failure may have come from the database, which has then aborted the
    /// transaction, so it is rolled back and the page's next read begins a
    /// new one.
    pub async fn run<T>(
        &self,
        pool: &PgPool,
        viewer: Option<Uuid>,
        work: impl AsyncFnOnce(&mut sqlx::PgConnection) -> AppResult<T>,
    ) -> AppResult<T> {
        self.run_with(pool, Some(viewer), work, |err| {
            matches!(
                err,
                AppError::NotFound | AppError::Unauthorized | AppError::Forbidden(_)
            )
        })
        .await
    }

    /// Runs `work`, which does not depend on who is asking (`db::in_transaction`'s),
    /// in the page's transaction, as whoever it was begun for (a visitor if
    /// it has not begun). Any failure rolls the transaction back.
    pub async fn run_for_anyone<T, E: From<sqlx::Error>>(
        &self,
        pool: &PgPool,
        work: impl AsyncFnOnce(&mut sqlx::PgConnection) -> Result<T, E>,
    ) -> Result<T, E> {
        self.run_with(pool, None, work, |_| false).await
    }

    /// `viewer`: `Some(v)` to run as `v`, `None` for whoever it is.
    /// `keeps`: whether a failure leaves the transaction usable.
    async fn run_with<T, E: From<sqlx::Error>>(
        &self,
        pool: &PgPool,
        viewer: Option<Option<Uuid>>,
        work: impl AsyncFnOnce(&mut sqlx::PgConnection) -> Result<T, E>,
        keeps: impl Fn(&E) -> bool,
    ) -> Result<T, E> {
        let mut slot = self.open.lock().await;
        if slot.is_none() {
            let begun_for = viewer.flatten();
            let (tx, _) = OpenTransaction::begin(pool, &set_viewer_statement(begun_for)).await?;
            *slot = Some(Open {
                viewer: begun_for,
                tx,
            });
        }
        let open = slot.as_mut().expect("begun above");
        let switch = viewer.filter(|v| *v != open.viewer);
        if let Some(other) = switch {
            set_viewer(&mut open.tx, other).await?;
        }
        let out = work(&mut open.tx).await;
        match &out {
            Err(err) if !keeps(err) => roll_back(slot.take()).await,
            _ if switch.is_some() => {
                let back = open.viewer;
                if let Err(err) = set_viewer(&mut open.tx, back).await {
                    roll_back(slot.take()).await;
                    return Err(err.into());
                }
            }
            _ => {}
        }
        out
    }

    /// Begins the transaction with the session check as its first
    /// statement, sent with `BEGIN` in one message (`OpenTransaction`):
    /// `check` sets the viewer itself (`app.user_id`, local to the
    /// transaction) in the statement that reads the sign-in, and `found`
    /// reads its rows: the person it names, or `None` (no valid sign-in),
    /// which rolls the transaction back, so that the caller may use the pool
    /// again (to renew the sign-in) without holding a connection.
    pub async fn begin_with<T>(
        &self,
        pool: &PgPool,
        check: &str,
        found: impl FnOnce(&[PgRow]) -> AppResult<Option<(Uuid, T)>>,
    ) -> AppResult<Option<T>> {
        let mut slot = self.open.lock().await;
        let (tx, rows) = OpenTransaction::begin(pool, check).await?;
        match found(&rows) {
            Ok(Some((viewer, value))) => {
                *slot = Some(Open {
                    viewer: Some(viewer),
                    tx,
                });
                Ok(Some(value))
            }
            nobody_or_failed => {
                tx.rollback().await?;
                nobody_or_failed.map(|_| None)
            }
        }
    }

    /// The page transaction of the page being rendered, if this runs while
    /// one renders (not in a server function called by a form or the
    /// browser, which has no page transaction).
    pub fn current() -> Option<PageTransaction> {
        // Borrowed, not cloned: this runs for every read of a page.
        super::state::request_extension::<PageTransaction>()
    }

    /// A value a read of this page worked out earlier for `key` (a club, say,
    /// as seen by `viewer`), so that several sections of one page that each
    /// authorize in their own body need not read it again.
    pub fn recall<T: Clone + 'static>(&self, key: Uuid, viewer: Option<Uuid>) -> Option<T> {
        let memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        memo.get(&(TypeId::of::<T>(), key, viewer))
            .and_then(|value| value.downcast_ref::<T>())
            .cloned()
    }

    /// Keeps `value` for [`recall`](Self::recall) for the rest of the page.
    pub fn remember<T: Clone + Send + 'static>(&self, key: Uuid, viewer: Option<Uuid>, value: T) {
        let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        memo.insert((TypeId::of::<T>(), key, viewer), Box::new(value));
    }

    /// Commits what the page did, if it did anything.
    pub async fn finish(&self) {
        let open = self.open.lock().await.take();
        if let Some(open) = open {
            if let Err(err) = open.tx.commit().await {
                tracing::warn!(error = %err, "a page's transaction did not commit");
            }
        }
    }
}

/// Ends a transaction that went wrong. If even the rollback fails, the
/// connection is closed rather than reused (`OpenTransaction`'s drop).
async fn roll_back(open: Option<Open>) {
    if let Some(open) = open {
        if let Err(err) = open.tx.rollback().await {
            tracing::warn!(error = %err, "a page's transaction did not roll back");
        }
    }
}

/// Makes `viewer` the one row-level security sees for the rest of the
/// transaction (as `begin_as` does when it begins one).
async fn set_viewer(db: &mut sqlx::PgConnection, viewer: Option<Uuid>) -> Result<(), sqlx::Error> {
    let viewer = viewer.map(|v| v.to_string()).unwrap_or_default();
    sqlx::query("SELECT set_config('app.user_id', $1, true)")
        .bind(viewer)
        .execute(db)
        .await?;
    Ok(())
}
