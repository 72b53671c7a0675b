//! `bookwork doctor`: the production checklist (docs/OPERATIONS.md) checked
//! against this configuration and the database it points at, one line per
//! item with the fix when it fails. It changes nothing — no migrations, no
//! roles — so it can run before a deployment and gate it on its exit status.
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

use crate::platform::config::{Config, EnvSource, MIN_JWT_SECRET_LEN};
use crate::server::run;

/// A backup older than this fails the check: the timers take one nightly,
/// and a day plus the time a large backup takes is the most an operator
/// should have to restore past.
pub const MAX_BACKUP_AGE_HOURS: i64 = 26;

/// One item of the checklist and how it came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub item: &'static str,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass(String),
    Fail { problem: String, fix: String },
}

impl Finding {
    fn pass(item: &'static str, why: impl Into<String>) -> Self {
        Finding {
            item,
            outcome: Outcome::Pass(why.into()),
        }
    }

    fn fail(item: &'static str, problem: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding {
            item,
            outcome: Outcome::Fail {
                problem: problem.into(),
                fix: fix.into(),
            },
        }
    }

    pub fn passed(&self) -> bool {
        matches!(self.outcome, Outcome::Pass(_))
    }

    /// `PASS  item: why` or `FAIL  item: problem — fix: …`, one line.
    pub fn line(&self) -> String {
        match &self.outcome {
            Outcome::Pass(why) => format!("PASS  {}: {why}", self.item),
            Outcome::Fail { problem, fix } => {
                format!("FAIL  {}: {problem} — fix: {fix}", self.item)
            }
        }
    }
}

/// Examines the configuration `lookup` gives (the process environment and
/// `.env` for the command) and the database it names.
pub async fn examine<F: Fn(&str) -> Option<String>>(
    lookup: F,
    leptos: &leptos::prelude::LeptosOptions,
    project_dir: &std::path::Path,
) -> Vec<Finding> {
    let get = |var: &str| lookup(var).filter(|v| !v.trim().is_empty());
    let mut findings = Vec::new();

    // As the server would load it; a refusal is the first finding. The
    // checks below read it loaded as development so that one bad production
    // setting does not hide the rest (development accepts what production
    // refuses, and each of those has its own line).
    let as_given = Config::from_source(&EnvSource(&lookup), leptos, project_dir);
    findings.push(match &as_given {
        Ok(_) => Finding::pass("configuration", "the server accepts every setting"),
        Err(err) => Finding::fail(
            "configuration",
            format!("{} {}", err.var, err.problem),
            format!("correct {} (see the README's Configuration)", err.var),
        ),
    });
    let config = match as_given {
        Ok(config) => config,
        Err(_) => {
            let lenient = EnvSource(|var: &str| match var {
                "ENVIRONMENT" => Some("development".to_owned()),
                _ => lookup(var),
            });
            match Config::from_source(&lenient, leptos, project_dir) {
                Ok(config) => config,
                Err(err) => {
                    findings.push(Finding::fail(
                        "database",
                        format!("not examined: {} {}", err.var, err.problem),
                        format!("correct {} first", err.var),
                    ));
                    return findings;
                }
            }
        }
    };

    findings.extend(settings(&get, &config));
    findings.extend(database(&config).await);
    findings
}

/// The items a configuration decides on its own.
fn settings(get: &impl Fn(&str) -> Option<String>, config: &Config) -> Vec<Finding> {
    let mut findings = Vec::new();
    let environment = get("ENVIRONMENT").unwrap_or_else(|| "development (unset)".to_owned());
    findings.push(
        if matches!(
            environment.to_ascii_lowercase().as_str(),
            "production" | "prod"
        ) {
            Finding::pass("environment", "production")
        } else {
            Finding::fail(
                "environment",
                format!("ENVIRONMENT is {environment}"),
                "set ENVIRONMENT=production (production refuses unsafe settings at start-up)",
            )
        },
    );

    findings.push(match get("PUBLIC_URL") {
        Some(url) if url.trim().starts_with("https://") => {
            Finding::pass("public URL", format!("{} (https)", url.trim()))
        }
        Some(url) => Finding::fail(
            "public URL",
            format!("PUBLIC_URL is {url}, not https"),
            "serve the site over HTTPS (deploy/nginx/bookwork.conf) and set PUBLIC_URL=https://…",
        ),
        None => Finding::fail(
            "public URL",
            "PUBLIC_URL is not set",
            "set PUBLIC_URL to the https:// address people use",
        ),
    });

    let generate = "generate one with `openssl rand -base64 48` and set JWT_SECRET";
    findings.push(match get("JWT_SECRET") {
        None => Finding::fail("JWT secret", "JWT_SECRET is not set", generate),
        Some(secret) if secret.chars().count() < MIN_JWT_SECRET_LEN => Finding::fail(
            "JWT secret",
            format!(
                "JWT_SECRET has {} characters, fewer than {MIN_JWT_SECRET_LEN}",
                secret.chars().count()
            ),
            generate,
        ),
        Some(secret) if looks_like_a_placeholder(&secret) => Finding::fail(
            "JWT secret",
            "JWT_SECRET looks like a placeholder, not a random key",
            generate,
        ),
        Some(secret) => Finding::pass(
            "JWT secret",
            format!("set, {} characters", secret.chars().count()),
        ),
    });

    findings.push(if config.secure_cookies {
        Finding::pass("cookies", "sent over HTTPS only (Secure)")
    } else {
        Finding::fail(
            "cookies",
            "COOKIE_SECURE=false sends sign-in cookies over plain HTTP",
            "remove COOKIE_SECURE (it defaults to true)",
        )
    });

    findings.push(match &config.mail.smtp_url {
        Some(_) => Finding::pass("mail", "sent through SMTP_URL"),
        None => Finding::fail(
            "mail",
            format!(
                "SMTP_URL is not set: e-mails are only written to {}",
                config.mail.dir.display()
            ),
            "set SMTP_URL=smtp://user:password@host:587?tls=required",
        ),
    });

    findings.push(match (config.metrics_addr, &config.metrics_token) {
        (None, _) => Finding::pass("metrics", "not served (METRICS_ADDR=off)"),
        (Some(addr), _) if addr.ip().is_loopback() => {
            Finding::pass("metrics", format!("on {addr}, this machine only"))
        }
        (Some(addr), Some(token)) if token.expose().chars().count() >= MIN_JWT_SECRET_LEN => {
            Finding::pass("metrics", format!("on {addr}, behind METRICS_TOKEN"))
        }
        (Some(addr), Some(_)) => Finding::fail(
            "metrics",
            format!("on {addr} with a METRICS_TOKEN shorter than {MIN_JWT_SECRET_LEN} characters"),
            "generate a longer token with `openssl rand -base64 48`",
        ),
        (Some(addr), None) => Finding::fail(
            "metrics",
            format!("on {addr} for anyone who can reach it"),
            "set METRICS_TOKEN (and the scraper's bearer token), or METRICS_ADDR=127.0.0.1:9464",
        ),
    });
    findings
}

/// `REPLACE`, "change this", `xxxx…`: what an example file leaves behind.
fn looks_like_a_placeholder(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    let distinct = secret
        .chars()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    ["replace", "change", "secret", "example"]
        .iter()
        .any(|word| lower.contains(word))
        || distinct < 8
}

/// The items the database answers: asked over the server's own login, and
/// over the owner's for what only it may read.
async fn database(config: &Config) -> Vec<Finding> {
    let (urls, started_here) = match run::database_urls(config).await {
        Ok(found) => found,
        Err(err) => {
            return vec![Finding::fail(
                "database",
                format!("not reachable: {err}"),
                "start the database, or correct DATABASE_URL",
            )]
        }
    };
    let mut findings = vec![transport(&urls.app, &urls.migration)];
    match (connect(&urls.app).await, connect(&urls.migration).await) {
        (Ok(mut app), Ok(mut owner)) => {
            findings.push(login(&mut app).await);
            findings.push(row_security(&mut app).await);
            findings.push(migrations(&mut owner).await);
            findings.push(backups(&mut owner).await);
            findings.push(autovacuum(&mut owner).await);
            findings.push(statement_statistics(&mut owner).await);
            let _ = app.close().await;
            let _ = owner.close().await;
        }
        (app, owner) => {
            for (var, result) in [("DATABASE_URL", app), ("MIGRATION_DATABASE_URL", owner)] {
                if let Err(err) = result {
                    findings.push(Finding::fail(
                        "database",
                        format!("cannot sign in with {var}: {err}"),
                        format!("correct {var}, or start the database"),
                    ));
                }
            }
        }
    }
    if let Some(cluster) = started_here {
        let _ = cluster.stop().await;
    }
    findings
}

async fn connect(url: &str) -> Result<PgConnection, String> {
    let options: PgConnectOptions = url.parse().map_err(|e: sqlx::Error| e.to_string())?;
    let options = options.application_name("bookwork-doctor");
    tokio::time::timeout(Duration::from_secs(10), options.connect())
        .await
        .map_err(|_| "no answer within 10 s".to_owned())?
        .map_err(|e| e.to_string())
}

/// TLS with the certificate and host name checked, for the server's login
/// and the owner's, unless the connection never leaves the machine (a Unix
/// socket). Loopback TCP is held to the same rule: on a shared host any
/// local process can listen on a port the database has not taken.
fn transport(app_url: &str, migration_url: &str) -> Finding {
    const ITEM: &str = "database TLS";
    let app = judge_transport(app_url);
    let migration = judge_transport(migration_url);
    match (app, migration) {
        (Ok(app), Ok(migration)) if app == migration => Finding::pass(ITEM, app),
        (Ok(app), Ok(migration)) => {
            Finding::pass(ITEM, format!("server: {app}; migrations: {migration}"))
        }
        (Err(problem), _) => Finding::fail(
            ITEM,
            format!("DATABASE_URL: {problem}"),
            "set DB_SSLMODE=verify-full and DB_SSLROOTCERT to the database's CA certificate, or use a Unix socket",
        ),
        (_, Err(problem)) => Finding::fail(
            ITEM,
            format!("MIGRATION_DATABASE_URL: {problem}"),
            "set DB_SSLMODE=verify-full and DB_SSLROOTCERT to the database's CA certificate, or use a Unix socket",
        ),
    }
}

fn judge_transport(database_url: &str) -> Result<String, String> {
    let url = url::Url::parse(database_url).map_err(|_| "not a URL".to_owned())?;
    let param = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    let host = param("host").unwrap_or_else(|| url.host_str().unwrap_or("").to_owned());
    let sslmode = param("sslmode").unwrap_or_else(|| "prefer (the default)".to_owned());
    if host.is_empty() || host.starts_with('/') {
        Ok("a Unix socket: the connection does not leave this machine".to_owned())
    } else if sslmode == "verify-full" {
        Ok(format!(
            "verify-full to {host}: encrypted, certificate and host name checked"
        ))
    } else {
        Err(format!(
            "sslmode is {sslmode} to {host}: the server's certificate is not checked"
        ))
    }
}

/// The server's login must be subject to row security: not a superuser,
/// without BYPASSRLS, owning nothing (an owner bypasses unforced policies
/// and may change them).
async fn login(app: &mut PgConnection) -> Finding {
    const ITEM: &str = "database login";
    let answer: Result<(String, bool, bool, i64), _> = sqlx::query_as(
        "SELECT current_user::text, r.rolsuper, r.rolbypassrls,
                (SELECT count(*) FROM pg_catalog.pg_class c
                   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                    AND n.nspname NOT LIKE 'pg_toast%'
                    AND pg_catalog.pg_has_role(current_user, c.relowner, 'USAGE'))
           FROM pg_catalog.pg_roles r WHERE r.rolname = current_user",
    )
    .fetch_one(&mut *app)
    .await;
    let fix = "let the server log in as bookwork_app (`bookwork db roles` makes it)";
    match answer {
        Err(err) => Finding::fail(ITEM, format!("could not ask: {err}"), fix),
        Ok((user, true, _, _)) => Finding::fail(ITEM, format!("{user} is a superuser"), fix),
        Ok((user, _, true, _)) => Finding::fail(
            ITEM,
            format!("{user} has BYPASSRLS: row security does not apply to it"),
            format!("ALTER ROLE {user} NOBYPASSRLS, or {fix}"),
        ),
        Ok((user, _, _, owned)) if owned > 0 => Finding::fail(
            ITEM,
            format!("{user} owns (or acts as the owner of) {owned} tables, views or sequences"),
            fix,
        ),
        Ok((user, ..)) => Finding::pass(
            ITEM,
            format!("{user}: not a superuser, no BYPASSRLS, owns nothing"),
        ),
    }
}

/// Every table with policies must force them, or its owner reads past them.
async fn row_security(app: &mut PgConnection) -> Finding {
    const ITEM: &str = "row security";
    let answer: Result<(i64, Vec<String>), _> = sqlx::query_as(
        "SELECT count(*),
                COALESCE(array_agg(n.nspname || '.' || c.relname ORDER BY n.nspname, c.relname)
                           FILTER (WHERE NOT (c.relrowsecurity AND c.relforcerowsecurity)), '{}')
           FROM pg_catalog.pg_class c
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p')
            AND EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid)",
    )
    .fetch_one(&mut *app)
    .await;
    match answer {
        Err(err) => Finding::fail(
            ITEM,
            format!("could not ask: {err}"),
            "rerun as bookwork_app",
        ),
        Ok((0, _)) => Finding::fail(
            ITEM,
            "no table has policies: this is not Bookwork's schema",
            "run `bookwork migrate` against this database",
        ),
        Ok((tables, unforced)) if unforced.is_empty() => Finding::pass(
            ITEM,
            format!("enabled and forced on all {tables} tables with policies"),
        ),
        Ok((_, unforced)) => Finding::fail(
            ITEM,
            format!("not forced on {}", unforced.join(", ")),
            format!(
                "ALTER TABLE {} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY",
                unforced[0]
            ),
        ),
    }
}

/// The database's migrations are exactly this binary's.
async fn migrations(owner: &mut PgConnection) -> Finding {
    const ITEM: &str = "migrations";
    let applied: Result<Vec<(i64, bool, Vec<u8>)>, _> =
        sqlx::query_as("SELECT version, success, checksum FROM public._sqlx_migrations")
            .fetch_all(&mut *owner)
            .await;
    let Ok(applied) = applied else {
        return Finding::fail(
            ITEM,
            "none applied",
            "run `bookwork migrate` with MIGRATION_DATABASE_URL",
        );
    };
    let known = &crate::platform::db::MIGRATOR.migrations;
    let failed: Vec<i64> = applied.iter().filter(|m| !m.1).map(|m| m.0).collect();
    let changed: Vec<i64> = applied
        .iter()
        .filter(|(version, _, checksum)| {
            known
                .iter()
                .any(|m| m.version == *version && m.checksum.as_ref() != checksum.as_slice())
        })
        .map(|m| m.0)
        .collect();
    let pending: Vec<i64> = known
        .iter()
        .filter(|m| !applied.iter().any(|a| a.0 == m.version))
        .map(|m| m.version)
        .collect();
    let unknown = applied
        .iter()
        .filter(|a| !known.iter().any(|m| m.version == a.0))
        .count();
    if !failed.is_empty() {
        Finding::fail(
            ITEM,
            format!("{failed:?} failed part-way"),
            "restore from a backup taken before it, then migrate again",
        )
    } else if !changed.is_empty() {
        Finding::fail(
            ITEM,
            format!("{changed:?} differ from the ones this binary carries"),
            "deploy the release that applied them",
        )
    } else if !pending.is_empty() {
        Finding::fail(
            ITEM,
            format!(
                "{} not applied (the first is {})",
                pending.len(),
                pending[0]
            ),
            "run `bookwork migrate` with MIGRATION_DATABASE_URL",
        )
    } else if unknown > 0 {
        Finding::fail(
            ITEM,
            format!("the database has {unknown} migrations newer than this binary"),
            "deploy the newer release",
        )
    } else {
        Finding::pass(ITEM, format!("all {} applied", known.len()))
    }
}

async fn backups(owner: &mut PgConnection) -> Finding {
    const ITEM: &str = "backups";
    let last: Result<Option<(String, f64)>, _> = sqlx::query_as(
        "SELECT kind, extract(epoch FROM now() - finished_at)::float8
           FROM monitoring.backups ORDER BY finished_at DESC LIMIT 1",
    )
    .fetch_optional(&mut *owner)
    .await;
    let fix = "set up the backup timers (docs/OPERATIONS.md), or run `bookwork backup`";
    match last {
        Err(err) => Finding::fail(ITEM, format!("could not ask: {err}"), fix),
        Ok(None) => Finding::fail(ITEM, "no backup has been recorded", fix),
        Ok(Some((kind, seconds))) => {
            let hours = seconds / 3600.0;
            if hours < MAX_BACKUP_AGE_HOURS as f64 {
                Finding::pass(ITEM, format!("the last ({kind}) finished {hours:.1} h ago"))
            } else {
                Finding::fail(
                    ITEM,
                    format!(
                        "the last ({kind}) finished {hours:.0} h ago, over {MAX_BACKUP_AGE_HOURS} h"
                    ),
                    format!(
                        "find why the backups stopped (journalctl -u 'bookwork-backup@*'); {fix}"
                    ),
                )
            }
        }
    }
}

async fn autovacuum(owner: &mut PgConnection) -> Finding {
    const ITEM: &str = "autovacuum";
    let setting: Result<(String, String), _> =
        sqlx::query_as("SELECT current_setting('autovacuum'), current_setting('track_counts')")
            .fetch_one(&mut *owner)
            .await;
    match setting {
        Ok((on, counts)) if on == "on" && counts == "on" => Finding::pass(ITEM, "on"),
        Ok((on, counts)) => Finding::fail(
            ITEM,
            format!("autovacuum is {on}, track_counts is {counts}"),
            "set autovacuum = on and track_counts = on in postgresql.conf (deploy/postgresql/)",
        ),
        Err(err) => Finding::fail(ITEM, format!("could not ask: {err}"), "rerun"),
    }
}

/// `pg_stat_statements` installed in the database and loaded by the server
/// (/admin/system and the slow-query view read it).
async fn statement_statistics(owner: &mut PgConnection) -> Finding {
    const ITEM: &str = "pg_stat_statements";
    let home: Result<Option<String>, _> = sqlx::query_scalar(
        "SELECT n.nspname::text FROM pg_catalog.pg_extension e
           JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
          WHERE e.extname = 'pg_stat_statements'",
    )
    .fetch_optional(&mut *owner)
    .await;
    let load =
        "add pg_stat_statements to shared_preload_libraries (deploy/postgresql/) and restart";
    match home {
        Err(err) => Finding::fail(ITEM, format!("could not ask: {err}"), "rerun"),
        Ok(None) => Finding::fail(
            ITEM,
            "not installed in this database",
            "run `bookwork db roles --apply ADMIN_URL` (it creates the extension)",
        ),
        Ok(Some(schema)) => {
            let probe = format!(
                "SELECT count(*) FROM \"{}\".pg_stat_statements",
                schema.replace('"', "\"\"")
            );
            match sqlx::query_scalar::<_, i64>(&probe)
                .fetch_one(&mut *owner)
                .await
            {
                Ok(_) => Finding::pass(ITEM, "installed and loaded"),
                Err(err) if err.to_string().contains("shared_preload_libraries") => {
                    Finding::fail(ITEM, "installed but not loaded", load)
                }
                Err(err) => Finding::fail(ITEM, format!("could not read it: {err}"), load),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_needs_verify_full_and_a_socket_needs_nothing() {
        let socket =
            "postgres://bookwork_app@localhost/bookwork?host=/var/run/postgresql&port=6432";
        assert!(judge_transport(socket).is_ok());
        let remote = "postgres://bookwork_app@db.example.org/bookwork";
        assert!(judge_transport(&format!("{remote}?sslmode=verify-full")).is_ok());
        for weak in [
            "",
            "?sslmode=require",
            "?sslmode=verify-ca",
            "?sslmode=disable",
        ] {
            assert!(
                judge_transport(&format!("{remote}{weak}")).is_err(),
                "{weak}"
            );
        }
        // Loopback TCP is TCP: another local process may hold the port.
        assert!(judge_transport("postgres://u@127.0.0.1:5432/bookwork?sslmode=require").is_err());
    }

    #[test]
    fn placeholders_and_repetition_are_not_secrets() {
        assert!(looks_like_a_placeholder(
            "REPLACE-REPLACE-REPLACE-REPLACE-RE"
        ));
        assert!(looks_like_a_placeholder(
            "please-change-this-before-going-live"
        ));
        assert!(looks_like_a_placeholder(&"a".repeat(40)));
        assert!(!looks_like_a_placeholder(
            "q8Vd2+Lr0sWm9Tz4Xc7Hn1Jb5Kf3Pg6Ya0Ue2Ri8"
        ));
    }
}
