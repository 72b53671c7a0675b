//! One transaction for everything a page reads.
//!
//! A page is rendered from several server functions (the page's own data,
//! the bell's count, a club's polls and events…), each of which used to
//! begin a transaction of its own and set the viewer again. While a page
//! renders on the server they now share one: the session check begins it
//! (as the person the access token names), every viewer-scoped read during
//! the render runs in it, and it is committed when the page's last byte has
//! been produced (`finish`), or rolled back if the render is abandoned.
//!
//! Only page loads (GET) get one. A server function called by a form or by
//! the browser (POST) keeps a transaction of its own, committed or rolled
//! back with its own answer.
use std::sync::Arc;

use sqlx::{PgPool, Postgres, Transaction};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// The shared transaction of one page load (cheap to clone: every clone is
/// the same transaction). Begun on first use.
#[derive(Clone, Default)]
pub struct PageTransaction(Arc<Mutex<Option<Open>>>);

struct Open {
    /// Whom row-level security sees in it (`None`: a visitor).
    viewer: Option<Uuid>,
    tx: Transaction<'static, Postgres>,
}

impl PageTransaction {
    /// Runs `work` in the page's transaction as `viewer`, beginning it if it
    /// has not begun. A transaction begun for someone else (which a page
    /// load never asks for) is not shared: `work` then gets one of its own.
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
        let mut slot = self.0.lock().await;
        if slot.as_ref().is_some_and(|open| open.viewer != viewer) {
            drop(slot);
            let mut tx = super::db::begin_as(pool, viewer).await?;
            let out = work(&mut tx).await?;
            tx.commit().await?;
            return Ok(out);
        }
        if slot.is_none() {
            let tx = super::db::begin_as(pool, viewer).await?;
            *slot = Some(Open { viewer, tx });
        }
        let open = slot.as_mut().expect("begun above");
        let out = work(&mut open.tx).await;
        if let Err(err) = &out {
            if !matches!(
                err,
                AppError::NotFound | AppError::Unauthorized | AppError::Forbidden(_)
            ) {
                // Dropped: rolled back before the connection is reused.
                *slot = None;
            }
        }
        out
    }

    /// Forgets the transaction, rolling it back (the session it was begun
    /// for turned out not to be valid).
    pub async fn abandon(&self) {
        self.0.lock().await.take();
    }

    /// Commits what the page did, if it did anything.
    pub async fn finish(&self) {
        let open = self.0.lock().await.take();
        if let Some(open) = open {
            if let Err(err) = open.tx.commit().await {
                tracing::warn!(error = %err, "a page's transaction did not commit");
            }
        }
    }
}
