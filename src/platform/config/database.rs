//! Where the database is and how connections to it use TLS: `DATABASE_URL`
//! (or the guide's `DB_*` parts), `MIGRATION_DATABASE_URL`, `DB_SSLMODE`,
//! `DB_SSLROOTCERT`, or the embedded default.
use std::path::{Path, PathBuf};

use super::source::EnvSource;
use super::values::{bad, ConfigError, Secret};

/// Where the database comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseSource {
    External {
        /// The server's login (`DATABASE_URL`, or one assembled from the
        /// `DB_*` variables): `bookwork_app`, subject to row security.
        app: Secret,
        /// The login migrations run as (`MIGRATION_DATABASE_URL`, else the
        /// same as `app`): `bookwork_owner`.
        migration: Secret,
    },
    /// No database configured: run a private cluster under this directory.
    Embedded { dir: PathBuf },
}

pub(super) fn database_source<F: Fn(&str) -> Option<String>>(
    env: &EnvSource<F>,
    project_dir: &Path,
) -> Result<DatabaseSource, ConfigError> {
    let tls = DbTls::from_env(env)?;
    let app = match app_database_url(env)? {
        Some(url) => Some(tls.apply("DATABASE_URL", url)?),
        None => None,
    };
    let migration = match env.get("MIGRATION_DATABASE_URL") {
        Some(url) => Some(tls.apply(
            "MIGRATION_DATABASE_URL",
            checked_url("MIGRATION_DATABASE_URL", url)?,
        )?),
        None => None,
    };
    match (app, migration) {
        (Some(app), migration) => Ok(DatabaseSource::External {
            migration: Secret::new(migration.unwrap_or_else(|| app.clone())),
            app: Secret::new(app),
        }),
        (None, Some(_)) => Err(bad(
            "MIGRATION_DATABASE_URL",
            "needs DATABASE_URL (or DB_*) too: it is only the login migrations run as",
        )),
        (None, None) => {
            let dir = env
                .get("BOOKWORK_DATA_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| project_dir.join(".data").join("postgres"));
            Ok(DatabaseSource::Embedded { dir })
        }
    }
}

/// PostgreSQL's `sslmode` values, weakest first.
const SSL_MODES: [&str; 6] = [
    "disable",
    "allow",
    "prefer",
    "require",
    "verify-ca",
    "verify-full",
];

/// `DB_SSLMODE` and `DB_SSLROOTCERT`: how every connection to an external
/// database uses TLS, as if written into each URL (`sslmode=`,
/// `sslrootcert=`). A URL that already says otherwise is refused rather than
/// silently overridden: one place decides.
struct DbTls {
    mode: Option<String>,
    root_cert: Option<String>,
}

impl DbTls {
    fn from_env<F: Fn(&str) -> Option<String>>(env: &EnvSource<F>) -> Result<Self, ConfigError> {
        let mode = env.get("DB_SSLMODE");
        if let Some(mode) = &mode {
            check_ssl_mode("DB_SSLMODE", mode)?;
        }
        let root_cert = env.get("DB_SSLROOTCERT");
        if let Some(path) = &root_cert {
            check_root_cert("DB_SSLROOTCERT", path)?;
        }
        Ok(DbTls { mode, root_cert })
    }

    fn apply(&self, var: &'static str, url: String) -> Result<String, ConfigError> {
        let mut parsed = url::Url::parse(&url).map_err(|_| bad(var, "is not a valid URL"))?;
        let in_url = |key: &str| {
            parsed
                .query_pairs()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned())
        };
        let (url_mode, url_root) = (in_url("sslmode"), in_url("sslrootcert"));
        if let Some(mode) = &url_mode {
            check_ssl_mode(var, mode)?;
        }
        if let Some(path) = &url_root {
            check_root_cert(var, path)?;
        }
        for (setting, ours, theirs, key) in [
            ("DB_SSLMODE", &self.mode, &url_mode, "sslmode"),
            ("DB_SSLROOTCERT", &self.root_cert, &url_root, "sslrootcert"),
        ] {
            match (ours, theirs) {
                (Some(ours), Some(theirs)) if ours != theirs => {
                    return Err(bad(
                        setting,
                        format!("is {ours:?} but {var} has {key}={theirs}; set it in one place"),
                    ))
                }
                (Some(ours), None) => {
                    parsed.query_pairs_mut().append_pair(key, ours);
                }
                _ => {}
            }
        }
        Ok(parsed.to_string())
    }
}

fn check_ssl_mode(var: &'static str, mode: &str) -> Result<(), ConfigError> {
    if SSL_MODES.contains(&mode) {
        return Ok(());
    }
    Err(bad(
        var,
        format!("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full; got {mode:?}"),
    ))
}

fn check_root_cert(var: &'static str, path: &str) -> Result<(), ConfigError> {
    if Path::new(path).is_file() {
        return Ok(());
    }
    Err(bad(
        var,
        format!("names a CA certificate file that does not exist: {path}"),
    ))
}

fn checked_url(var: &'static str, url: String) -> Result<String, ConfigError> {
    let parsed = url::Url::parse(&url).map_err(|_| bad(var, "is not a valid URL"))?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        return Err(bad(var, "must start with postgres://"));
    }
    Ok(url)
}

/// `DATABASE_URL`, or one assembled from the guide's `DB_*` variables.
fn app_database_url<F: Fn(&str) -> Option<String>>(
    env: &EnvSource<F>,
) -> Result<Option<String>, ConfigError> {
    if let Some(url) = env.get("DATABASE_URL") {
        return checked_url("DATABASE_URL", url).map(Some);
    }
    const PARTS: [&str; 6] = [
        "DB_HOST",
        "DB_PORT",
        "DB_USER",
        "DB_PASSWORD",
        "DB_NAME",
        "DB_SSLMODE",
    ];
    if PARTS.iter().any(|v| env.get(v).is_some()) {
        let host = env.get("DB_HOST").unwrap_or_else(|| "localhost".to_owned());
        let port: u16 = env.parse("DB_PORT", "a port number")?.unwrap_or(5432);
        let user = env.get("DB_USER").unwrap_or_else(|| "postgres".to_owned());
        let name = env.get("DB_NAME").unwrap_or_else(|| "bookwork".to_owned());
        // DB_SSLMODE itself is added (and checked) by `DbTls`.
        let sslmode = env.get("DB_SSLMODE").unwrap_or_else(|| "prefer".to_owned());
        let mut url = url::Url::parse("postgres://localhost").expect("static URL");
        url.set_host(Some(&host))
            .map_err(|_| bad("DB_HOST", format!("is not a valid host name: {host:?}")))?;
        url.set_port(Some(port)).expect("postgres URLs take ports");
        url.set_username(&user)
            .map_err(|_| bad("DB_USER", "is not valid in a URL"))?;
        if let Some(password) = env.get("DB_PASSWORD") {
            url.set_password(Some(&password))
                .map_err(|_| bad("DB_PASSWORD", "is not valid in a URL"))?;
        }
        url.set_path(&name);
        url.query_pairs_mut().append_pair("sslmode", &sslmode);
        return Ok(Some(url.to_string()));
    }
    Ok(None)
}
