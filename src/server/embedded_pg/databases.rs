//! The databases inside the embedded cluster: creating one, with Bookwork's
//! roles owning it. Apart from `mod.rs`, which finds, starts and stops the
//! cluster itself, because this part talks SQL to the running server rather
//! than running PostgreSQL's programs.
use super::{EmbeddedPgError, EmbeddedPostgres};

impl EmbeddedPostgres {
    /// Creates `name` unless it exists (safe when two processes race), with
    /// Bookwork's roles (`server::roles`) owning it. The owner may also
    /// create databases here, as tests do for each of theirs.
    pub async fn ensure_database(&self, name: &str) -> Result<(), EmbeddedPgError> {
        use sqlx::Connection;
        self.create_database(name).await?;
        let err = |source| EmbeddedPgError::CreateDatabase {
            name: name.to_owned(),
            source,
        };
        crate::server::roles::apply(&self.database_url(name), None)
            .await
            .map_err(err)?;
        let mut conn = sqlx::PgConnection::connect(&self.database_url(name))
            .await
            .map_err(err)?;
        sqlx::query(&format!(
            "ALTER ROLE {} CREATEDB",
            crate::server::roles::OWNER
        ))
        .execute(&mut conn)
        .await
        .map_err(err)?;
        conn.close().await.ok();
        Ok(())
    }

    async fn create_database(&self, name: &str) -> Result<(), EmbeddedPgError> {
        use sqlx::Connection;
        let err = |source| EmbeddedPgError::CreateDatabase {
            name: name.to_owned(),
            source,
        };
        let mut conn = sqlx::PgConnection::connect(&self.database_url("postgres"))
            .await
            .map_err(err)?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(name)
                .fetch_one(&mut conn)
                .await
                .map_err(err)?;
        if !exists {
            let sql = format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""));
            if let Err(e) = sqlx::query(&sql).execute(&mut conn).await {
                let duplicate = e
                    .as_database_error()
                    .and_then(|d| d.code())
                    .is_some_and(|code| code == "42P04");
                if !duplicate {
                    return Err(err(e));
                }
            }
        }
        conn.close().await.ok();
        Ok(())
    }
}
