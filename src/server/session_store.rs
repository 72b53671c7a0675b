//! Where tower-sessions keeps web sessions (what a no-JavaScript form post
//! typed, for the page it returns to): the `tower_sessions.session` table.
//!
//! Our own store rather than `tower-sessions-sqlx-store`'s PostgresStore,
//! which sends its statements outside a transaction: behind PgBouncer in
//! transaction mode each statement's two halves could reach different
//! server connections (see `platform::db::in_transaction`). Same table, same
//! MessagePack encoding, so sessions written by either can be read by both.
use async_trait::async_trait;
use sqlx::PgPool;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::SessionStore;

use crate::platform::db::in_transaction;

#[derive(Clone, Debug)]
pub struct PgSessionStore {
    pool: PgPool,
}

impl PgSessionStore {
    pub fn new(pool: PgPool) -> Self {
        PgSessionStore { pool }
    }
}

fn backend(err: sqlx::Error) -> Error {
    Error::Backend(err.to_string())
}

fn expiry(record: &Record) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(
        record.expiry_date.unix_timestamp(),
        record.expiry_date.nanosecond(),
    )
    .unwrap_or_default()
}

async fn save_in(db: &mut sqlx::PgConnection, record: &Record) -> Result<()> {
    let data = rmp_serde::to_vec(record).map_err(|e| Error::Encode(e.to_string()))?;
    sqlx::query(
        "INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
    )
    .bind(record.id.to_string())
    .bind(data)
    .bind(expiry(record))
    .execute(db)
    .await
    .map_err(backend)?;
    Ok(())
}

/// What the store's work fails with: sqlx's errors become the store's.
struct Failed(Error);

impl From<sqlx::Error> for Failed {
    fn from(err: sqlx::Error) -> Self {
        Failed(backend(err))
    }
}

/// Runs `work` as every statement of Bookwork's runs ([`in_transaction`]).
async fn run<T>(
    pool: &PgPool,
    work: impl AsyncFnOnce(&mut sqlx::PgConnection) -> std::result::Result<T, Failed>,
) -> Result<T> {
    in_transaction(pool, work).await.map_err(|Failed(err)| err)
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        run(&self.pool, async |db| {
            // A fresh id is 128 random bits; a collision would hand someone
            // else's session over, so it is checked all the same.
            while sqlx::query_scalar::<_, bool>(
                "SELECT EXISTS (SELECT 1 FROM tower_sessions.session WHERE id = $1)",
            )
            .bind(record.id.to_string())
            .fetch_one(&mut *db)
            .await?
            {
                record.id = Id::default();
            }
            save_in(db, record).await.map_err(Failed)
        })
        .await
    }

    async fn save(&self, record: &Record) -> Result<()> {
        run(&self.pool, async |db| {
            save_in(db, record).await.map_err(Failed)
        })
        .await
    }

    async fn load(&self, session_id: &Id) -> Result<Option<Record>> {
        let data: Option<Vec<u8>> = run(&self.pool, async |db| {
            Ok(sqlx::query_scalar(
                "SELECT data FROM tower_sessions.session WHERE id = $1 AND expiry_date > now()",
            )
            .bind(session_id.to_string())
            .fetch_optional(db)
            .await?)
        })
        .await?;
        data.map(|d| rmp_serde::from_slice(&d).map_err(|e| Error::Decode(e.to_string())))
            .transpose()
    }

    async fn delete(&self, session_id: &Id) -> Result<()> {
        run(&self.pool, async |db| {
            sqlx::query("DELETE FROM tower_sessions.session WHERE id = $1")
                .bind(session_id.to_string())
                .execute(db)
                .await?;
            Ok(())
        })
        .await?;
        Ok(())
    }
}
