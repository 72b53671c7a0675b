//! Typed configuration from the environment (and `.env`), with the reference
//! guide's variable names. Any bad value stops start-up with one line that
//! names the variable.
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use leptos::prelude::LeptosOptions;

/// A value that must never be printed (passwords, signing keys).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

impl Environment {
    pub fn is_production(self) -> bool {
        self == Environment::Production
    }
}

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

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub database: DatabaseSource,
    pub max_connections: u32,
    pub min_connections: u32,
    pub conn_max_lifetime: Duration,
    pub conn_max_idle_time: Duration,
    /// The server reaches the database through a transaction-mode pooler
    /// such as PgBouncer (`DB_POOLER=transaction`; default `none`): see
    /// `platform::db::connect` for what changes.
    pub transaction_pooler: bool,
    pub listen_addr: SocketAddr,
    pub jwt_secret: Secret,
    pub jwt_issuer: String,
    pub request_timeout: Duration,
    /// Log as JSON lines (production) or human-readable text.
    pub json_logs: bool,
    /// Mark session cookies `Secure`. Only explicit plain-http development
    /// turns this off (`COOKIE_SECURE=false`); browsers accept Secure cookies
    /// from http://localhost anyway.
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<IpAddr>,
    /// Accounts one client (address) may make in an hour
    /// (`SIGN_UPS_PER_HOUR`, default 30: a crowd joining over one venue's
    /// Wi-Fi gets in, a script making hundreds does not).
    pub sign_ups_per_hour: u32,
    /// The site's address as people reach it (`PUBLIC_URL`, no trailing
    /// slash): every absolute link (mail, calendars, feeds) starts with it,
    /// never with a request's `Host` header.
    pub public_url: String,
    pub mail: MailConfig,
    /// How often each instance's worker looks for mail to send and
    /// reminders that fell due (`NOTIFY_INTERVAL`).
    pub notify_interval: Duration,
    /// Where `GET /metrics` is served (`METRICS_ADDR`, default
    /// 127.0.0.1:9464; `off`: nowhere). Never on the site's own port.
    pub metrics_addr: Option<SocketAddr>,
    /// A bearer token the scraper must send (`METRICS_TOKEN`); required in
    /// production when the metrics address is not a loopback one.
    pub metrics_token: Option<Secret>,
}

/// Where e-mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailConfig {
    /// `SMTP_URL` (`smtp://user:pass@host:587?tls=required`, `smtps://…`);
    /// without it mail is written as `.eml` files into `dir`.
    pub smtp_url: Option<Secret>,
    /// `MAIL_FROM`: the sender, e.g. `Bookwork <clubs@example.org>`.
    pub from: String,
    /// `MAIL_DIR`, default `.data/mail` under the project.
    pub dir: PathBuf,
}

/// A configuration problem: which variable, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {var} {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

fn bad(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}

/// Reads variables through a lookup function so tests need not touch the
/// process environment.
pub struct EnvSource<F: Fn(&str) -> Option<String>>(pub F);

impl<F: Fn(&str) -> Option<String>> EnvSource<F> {
    fn get(&self, var: &str) -> Option<String> {
        (self.0)(var).filter(|v| !v.trim().is_empty())
    }

    fn parse<T: FromStr>(&self, var: &'static str, what: &str) -> Result<Option<T>, ConfigError> {
        match self.get(var) {
            None => Ok(None),
            Some(raw) => raw
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| bad(var, format!("must be {what}, got {raw:?}"))),
        }
    }

    fn duration(&self, var: &'static str, default: Duration) -> Result<Duration, ConfigError> {
        match self.get(var) {
            None => Ok(default),
            Some(raw) => parse_duration(&raw).ok_or_else(|| {
                bad(
                    var,
                    format!("must be a duration like 30s, 5m or 1h, got {raw:?}"),
                )
            }),
        }
    }
}

/// "90" (seconds), "30s", "5m", "1h".
fn parse_duration(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let (digits, unit) = raw.split_at(raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len()));
    let n: u64 = digits.parse().ok()?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

/// The smallest signing key accepted in production.
pub const MIN_JWT_SECRET_LEN: usize = 32;

impl Config {
    /// Loads `.env` (if present) and then the process environment.
    pub fn from_env(leptos: &LeptosOptions, project_dir: &Path) -> Result<Self, ConfigError> {
        // A missing .env is normal; a broken one is not.
        if let Err(err) = dotenvy::dotenv() {
            if !err.not_found() {
                return Err(bad(".env", format!("could not be read: {err}")));
            }
        }
        Self::from_source(&EnvSource(|k| std::env::var(k).ok()), leptos, project_dir)
    }

    pub fn from_source<F: Fn(&str) -> Option<String>>(
        env: &EnvSource<F>,
        leptos: &LeptosOptions,
        project_dir: &Path,
    ) -> Result<Self, ConfigError> {
        let environment = match env
            .get("ENVIRONMENT")
            .as_deref()
            .map(str::to_ascii_lowercase)
        {
            None => Environment::Development,
            Some(v) if v == "development" || v == "dev" => Environment::Development,
            Some(v) if v == "production" || v == "prod" => Environment::Production,
            Some(v) => {
                return Err(bad(
                    "ENVIRONMENT",
                    format!("must be development or production, got {v:?}"),
                ))
            }
        };

        let database = database_source(env, project_dir)?;

        let max_connections = env
            .parse("DB_MAX_OPEN_CONNS", "a positive number")?
            .unwrap_or(25);
        if max_connections == 0 {
            return Err(bad("DB_MAX_OPEN_CONNS", "must be at least 1"));
        }
        let min_connections: u32 = env.parse("DB_MAX_IDLE_CONNS", "a number")?.unwrap_or(2);
        if min_connections > max_connections {
            return Err(bad(
                "DB_MAX_IDLE_CONNS",
                "must not exceed DB_MAX_OPEN_CONNS",
            ));
        }
        let sign_ups_per_hour = env
            .parse("SIGN_UPS_PER_HOUR", "a positive number")?
            .unwrap_or(30);
        if sign_ups_per_hour == 0 {
            return Err(bad("SIGN_UPS_PER_HOUR", "must be at least 1"));
        }
        let conn_max_lifetime = env.duration("DB_CONN_MAX_LIFETIME", Duration::from_secs(300))?;
        let conn_max_idle_time = env.duration("DB_CONN_MAX_IDLE_TIME", Duration::from_secs(120))?;
        let transaction_pooler = match env.get("DB_POOLER").as_deref().map(str::trim) {
            None | Some("") | Some("none") => false,
            Some("transaction") => true,
            Some(other) => {
                return Err(bad(
                    "DB_POOLER",
                    format!(
                    "must be transaction (PgBouncer in transaction mode) or none, got {other:?}"
                ),
                ))
            }
        };

        // Leptos.toml's site-addr is the default; HOST and PORT override it.
        let default_addr = leptos.site_addr;
        let host: IpAddr = match env.get("HOST") {
            None => default_addr.ip(),
            Some(h) if h == "localhost" => IpAddr::from([127, 0, 0, 1]),
            Some(h) => h.parse().map_err(|_| {
                bad(
                    "HOST",
                    format!("must be an IP address such as 127.0.0.1 or 0.0.0.0, got {h:?}"),
                )
            })?,
        };
        let port: u16 = env
            .parse("PORT", "a port number (0-65535)")?
            .unwrap_or(default_addr.port());

        let jwt_secret = match env.get("JWT_SECRET") {
            Some(s) if s.chars().count() >= MIN_JWT_SECRET_LEN => Secret::new(s),
            Some(_) if environment.is_production() => {
                return Err(bad(
                    "JWT_SECRET",
                    format!("must be at least {MIN_JWT_SECRET_LEN} characters in production"),
                ))
            }
            None if environment.is_production() => {
                return Err(bad(
                    "JWT_SECRET",
                    "must be set in production (at least 32 random characters)",
                ))
            }
            // Development without a usable key: a fresh random one per start.
            // Sign-ins then last until the next restart, which is fine locally.
            _ => Secret::new(format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            )),
        };
        let jwt_issuer = env
            .get("JWT_ISSUER")
            .unwrap_or_else(|| "bookwork".to_owned());

        let request_timeout = env.duration("REQUEST_TIMEOUT", Duration::from_secs(30))?;
        let json_logs = match env.get("LOG_FORMAT").as_deref() {
            None => environment.is_production(),
            Some("json") => true,
            Some("text") => false,
            Some(other) => {
                return Err(bad(
                    "LOG_FORMAT",
                    format!("must be json or text, got {other:?}"),
                ))
            }
        };

        let secure_cookies = match env.get("COOKIE_SECURE").as_deref() {
            None | Some("true") => true,
            Some("false") if !environment.is_production() => false,
            Some("false") => return Err(bad("COOKIE_SECURE", "cannot be false in production")),
            Some(other) => {
                return Err(bad(
                    "COOKIE_SECURE",
                    format!("must be true or false, got {other:?}"),
                ))
            }
        };
        let trusted_proxies = match env.get("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(|ip| ip.trim().parse())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    bad(
                        "TRUSTED_PROXIES",
                        format!("must be a comma-separated list of IP addresses, got {list:?}"),
                    )
                })?,
        };

        let listen_addr = SocketAddr::new(host, port);
        let public_url = public_url(env, environment, listen_addr)?;
        let smtp_url = match env.get("SMTP_URL") {
            None => None,
            Some(url) => {
                let parsed =
                    url::Url::parse(&url).map_err(|_| bad("SMTP_URL", "is not a valid URL"))?;
                if !matches!(parsed.scheme(), "smtp" | "smtps") {
                    return Err(bad("SMTP_URL", "must start with smtp:// or smtps://"));
                }
                Some(Secret::new(url))
            }
        };
        let from = env
            .get("MAIL_FROM")
            .unwrap_or_else(|| "Bookwork <bookwork@localhost>".to_owned());
        if from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(bad(
                "MAIL_FROM",
                format!("must be an address like Bookwork <clubs@example.org>, got {from:?}"),
            ));
        }
        let mail = MailConfig {
            smtp_url,
            from,
            dir: env
                .get("MAIL_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| project_dir.join(".data").join("mail")),
        };
        let notify_interval = env.duration("NOTIFY_INTERVAL", Duration::from_secs(15))?;
        if notify_interval.is_zero() {
            return Err(bad("NOTIFY_INTERVAL", "must be at least 1s"));
        }
        let metrics_addr = match env.get("METRICS_ADDR").as_deref().map(str::trim) {
            None => Some(SocketAddr::from(([127, 0, 0, 1], 9464))),
            Some("off") | Some("") => None,
            Some(addr) => Some(addr.parse::<SocketAddr>().map_err(|_| {
                bad(
                    "METRICS_ADDR",
                    format!(
                        "must be an address and port such as 127.0.0.1:9464, or off; got {addr:?}"
                    ),
                )
            })?),
        };
        let metrics_token = env
            .get("METRICS_TOKEN")
            .filter(|t| !t.trim().is_empty())
            .map(Secret::new);
        if environment.is_production()
            && metrics_token.is_none()
            && metrics_addr.is_some_and(|a| !a.ip().is_loopback())
        {
            return Err(bad(
                "METRICS_TOKEN",
                "must be set in production when METRICS_ADDR is not a loopback address (metrics are not public)",
            ));
        }

        Ok(Config {
            environment,
            database,
            max_connections,
            min_connections,
            conn_max_lifetime,
            conn_max_idle_time,
            transaction_pooler,
            listen_addr,
            jwt_secret,
            jwt_issuer,
            request_timeout,
            json_logs,
            secure_cookies,
            trusted_proxies,
            sign_ups_per_hour,
            public_url,
            mail,
            notify_interval,
            metrics_addr,
            metrics_token,
        })
    }
}

/// `PUBLIC_URL`: required in production (links in mail must point where
/// people reach the site, which the server cannot know); in development
/// `http://HOST:PORT`, with a wildcard host written as localhost.
fn public_url<F: Fn(&str) -> Option<String>>(
    env: &EnvSource<F>,
    environment: Environment,
    listen: SocketAddr,
) -> Result<String, ConfigError> {
    let Some(raw) = env.get("PUBLIC_URL") else {
        if environment.is_production() {
            return Err(bad(
                "PUBLIC_URL",
                "must be set in production: the address people use, like https://books.example.org",
            ));
        }
        let host = if listen.ip().is_unspecified() || listen.ip().is_loopback() {
            "localhost".to_owned()
        } else if listen.is_ipv6() {
            format!("[{}]", listen.ip())
        } else {
            listen.ip().to_string()
        };
        return Ok(format!("http://{host}:{}", listen.port()));
    };
    let problem = || {
        bad(
            "PUBLIC_URL",
            format!("must be an http(s) address with no path, like https://books.example.org, got {raw:?}"),
        )
    };
    let url = url::Url::parse(raw.trim()).map_err(|_| problem())?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host_str().is_none()
        || url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return Err(problem());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn database_source<F: Fn(&str) -> Option<String>>(
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let leptos = LeptosOptions::builder().output_name("bookwork").build();
        Config::from_source(
            &EnvSource(move |k| map.get(k).cloned()),
            &leptos,
            Path::new("/srv/bookwork"),
        )
    }

    #[test]
    fn defaults_to_the_embedded_database_in_development() {
        let config = load(&[]).unwrap();
        assert_eq!(config.environment, Environment::Development);
        assert_eq!(
            config.database,
            DatabaseSource::Embedded {
                dir: PathBuf::from("/srv/bookwork/.data/postgres")
            }
        );
        assert!(config.jwt_secret.expose().len() >= MIN_JWT_SECRET_LEN);
    }

    #[test]
    fn database_url_wins_over_the_embedded_default() {
        let config = load(&[("DATABASE_URL", "postgres://u:p@db.internal/bookwork")]).unwrap();
        assert_eq!(
            config.database,
            DatabaseSource::External {
                app: Secret::new("postgres://u:p@db.internal/bookwork"),
                migration: Secret::new("postgres://u:p@db.internal/bookwork"),
            },
            "small set-ups migrate with the same login"
        );
        let split = load(&[
            ("DATABASE_URL", "postgres://bookwork_app:a@db/bookwork"),
            (
                "MIGRATION_DATABASE_URL",
                "postgres://bookwork_owner:o@db/bookwork",
            ),
        ])
        .unwrap();
        let DatabaseSource::External { app, migration } = split.database else {
            panic!("expected external")
        };
        assert_eq!(app.expose(), "postgres://bookwork_app:a@db/bookwork");
        assert_eq!(
            migration.expose(),
            "postgres://bookwork_owner:o@db/bookwork"
        );
        let alone = load(&[("MIGRATION_DATABASE_URL", "postgres://o@db/bookwork")]).unwrap_err();
        assert_eq!(alone.var, "MIGRATION_DATABASE_URL");
    }

    #[test]
    fn db_parts_assemble_a_url() {
        let config = load(&[
            ("DB_HOST", "db"),
            ("DB_USER", "app"),
            ("DB_PASSWORD", "p@ss word"),
            ("DB_SSLMODE", "require"),
        ])
        .unwrap();
        let DatabaseSource::External { app: url, .. } = config.database else {
            panic!("expected external")
        };
        assert_eq!(
            url.expose(),
            "postgres://app:p%40ss%20word@db:5432/bookwork?sslmode=require"
        );
    }

    #[test]
    fn db_tls_settings_apply_to_every_url_and_never_contradict_one() {
        let ca = std::env::temp_dir().join("bookwork-config-test-ca.pem");
        std::fs::write(&ca, "not read here").unwrap();
        let ca = ca.to_str().unwrap();
        let urls = |vars: &[(&str, &str)]| match load(vars).unwrap().database {
            DatabaseSource::External { app, migration } => {
                (app.expose().to_owned(), migration.expose().to_owned())
            }
            DatabaseSource::Embedded { .. } => panic!("expected external"),
        };
        let (app, migration) = urls(&[
            ("DATABASE_URL", "postgres://a@db/bookwork"),
            (
                "MIGRATION_DATABASE_URL",
                "postgres://o@db/bookwork?sslmode=verify-full",
            ),
            ("DB_SSLMODE", "verify-full"),
            ("DB_SSLROOTCERT", ca),
        ]);
        let root = format!("sslrootcert={}", ca.replace('/', "%2F"));
        assert_eq!(
            app,
            format!("postgres://a@db/bookwork?sslmode=verify-full&{root}")
        );
        assert_eq!(
            migration,
            format!("postgres://o@db/bookwork?sslmode=verify-full&{root}")
        );
        // The URL's own settings stand when nothing else is said.
        let (app, _) = urls(&[("DATABASE_URL", "postgres://a@db/bookwork?sslmode=require")]);
        assert_eq!(app, "postgres://a@db/bookwork?sslmode=require");

        let contradiction = load(&[
            ("DATABASE_URL", "postgres://a@db/bookwork?sslmode=disable"),
            ("DB_SSLMODE", "verify-full"),
        ])
        .unwrap_err();
        assert_eq!(contradiction.var, "DB_SSLMODE");
        assert!(contradiction.to_string().contains("sslmode=disable"));
        let missing = load(&[
            ("DATABASE_URL", "postgres://a@db/bookwork"),
            ("DB_SSLROOTCERT", "/nowhere/ca.pem"),
        ])
        .unwrap_err();
        assert_eq!(missing.var, "DB_SSLROOTCERT");
        let bad_mode =
            load(&[("DATABASE_URL", "postgres://a@db/bookwork?sslmode=always")]).unwrap_err();
        assert_eq!(bad_mode.var, "DATABASE_URL");
        assert!(bad_mode.to_string().contains("verify-full"));
    }

    #[test]
    fn the_pooler_mode_is_transaction_or_none() {
        assert!(!load(&[]).unwrap().transaction_pooler);
        assert!(
            load(&[("DB_POOLER", "transaction")])
                .unwrap()
                .transaction_pooler
        );
        assert!(!load(&[("DB_POOLER", "none")]).unwrap().transaction_pooler);
        assert_eq!(
            load(&[("DB_POOLER", "session")]).unwrap_err().var,
            "DB_POOLER"
        );
    }

    #[test]
    fn short_jwt_secret_is_refused_in_production_naming_the_variable() {
        let err = load(&[("ENVIRONMENT", "production"), ("JWT_SECRET", "too-short")]).unwrap_err();
        assert_eq!(err.var, "JWT_SECRET");
        assert!(err
            .to_string()
            .starts_with("configuration error: JWT_SECRET"));
        assert!(
            !err.to_string().contains("too-short"),
            "the secret itself is never echoed"
        );
    }

    #[test]
    fn unparsable_port_names_the_variable() {
        let err = load(&[("PORT", "eighty")]).unwrap_err();
        assert_eq!(err.var, "PORT");
        assert_eq!(load(&[("PORT", "70000")]).unwrap_err().var, "PORT");
        assert_eq!(load(&[("DB_PORT", "x")]).unwrap_err().var, "DB_PORT");
    }

    #[test]
    fn other_bad_values_name_their_variables() {
        assert_eq!(
            load(&[("ENVIRONMENT", "staging")]).unwrap_err().var,
            "ENVIRONMENT"
        );
        assert_eq!(
            load(&[("DATABASE_URL", "mysql://x")]).unwrap_err().var,
            "DATABASE_URL"
        );
        assert_eq!(
            load(&[("DB_SSLMODE", "sometimes")]).unwrap_err().var,
            "DB_SSLMODE"
        );
        assert_eq!(
            load(&[("DB_MAX_OPEN_CONNS", "0")]).unwrap_err().var,
            "DB_MAX_OPEN_CONNS"
        );
        for bad_limit in ["0", "many", "-3"] {
            assert_eq!(
                load(&[("SIGN_UPS_PER_HOUR", bad_limit)]).unwrap_err().var,
                "SIGN_UPS_PER_HOUR"
            );
        }
        assert_eq!(
            load(&[("DB_CONN_MAX_LIFETIME", "soon")]).unwrap_err().var,
            "DB_CONN_MAX_LIFETIME"
        );
        assert_eq!(load(&[("HOST", "not a host")]).unwrap_err().var, "HOST");
    }

    #[test]
    fn host_and_port_override_the_leptos_site_addr() {
        let config = load(&[("HOST", "0.0.0.0"), ("PORT", "8000")]).unwrap();
        assert_eq!(config.listen_addr, "0.0.0.0:8000".parse().unwrap());
    }

    #[test]
    fn secrets_do_not_print() {
        let config = load(&[("JWT_SECRET", "0123456789abcdef0123456789abcdef-secret")]).unwrap();
        assert!(!format!("{config:?}").contains("0123456789abcdef"));
    }

    #[test]
    fn public_url_is_required_in_production_and_defaults_to_the_listen_address() {
        assert_eq!(load(&[]).unwrap().public_url, "http://localhost:3000");
        assert_eq!(
            load(&[("HOST", "192.168.1.5"), ("PORT", "8000")])
                .unwrap()
                .public_url,
            "http://192.168.1.5:8000"
        );
        let prod = [
            ("ENVIRONMENT", "production"),
            ("JWT_SECRET", "prod-test-signing-key-f4c1e2d9b8a7c6e5"),
        ];
        assert_eq!(load(&prod).unwrap_err().var, "PUBLIC_URL");
        let mut with_url = prod.to_vec();
        with_url.push(("PUBLIC_URL", "https://books.example.org/"));
        assert_eq!(
            load(&with_url).unwrap().public_url,
            "https://books.example.org"
        );
        for bad_url in [
            "books.example.org",
            "ftp://x.org",
            "https://x.org/app?x=1",
            "https://u:p@x.org",
        ] {
            assert_eq!(
                load(&[("PUBLIC_URL", bad_url)]).unwrap_err().var,
                "PUBLIC_URL",
                "{bad_url}"
            );
        }
    }

    #[test]
    fn metrics_have_their_own_address_and_are_not_public_in_production() {
        let config = load(&[]).unwrap();
        assert_eq!(config.metrics_addr, Some("127.0.0.1:9464".parse().unwrap()));
        assert_eq!(config.metrics_token, None);
        assert_eq!(load(&[("METRICS_ADDR", "off")]).unwrap().metrics_addr, None);
        assert_eq!(
            load(&[("METRICS_ADDR", "9464")]).unwrap_err().var,
            "METRICS_ADDR"
        );
        let prod = [
            ("ENVIRONMENT", "production"),
            ("JWT_SECRET", "prod-test-signing-key-f4c1e2d9b8a7c6e5"),
            ("PUBLIC_URL", "https://books.example.org"),
            ("METRICS_ADDR", "0.0.0.0:9464"),
        ];
        assert_eq!(load(&prod).unwrap_err().var, "METRICS_TOKEN");
        let mut with_token = prod.to_vec();
        with_token.push(("METRICS_TOKEN", "scrape-key-3f9a"));
        let config = load(&with_token).unwrap();
        assert_eq!(config.metrics_addr, Some("0.0.0.0:9464".parse().unwrap()));
        assert!(!format!("{config:?}").contains("scrape-key-3f9a"));
    }

    #[test]
    fn mail_settings_are_checked() {
        let config = load(&[]).unwrap();
        assert_eq!(config.mail.smtp_url, None);
        assert_eq!(config.mail.dir, PathBuf::from("/srv/bookwork/.data/mail"));
        assert_eq!(
            load(&[("SMTP_URL", "http://mail")]).unwrap_err().var,
            "SMTP_URL"
        );
        assert_eq!(
            load(&[("MAIL_FROM", "not an address")]).unwrap_err().var,
            "MAIL_FROM"
        );
        assert!(load(&[("SMTP_URL", "smtp://u:p@mail.example.org:587?tls=required")]).is_ok());
        assert!(!format!(
            "{:?}",
            load(&[("SMTP_URL", "smtp://u:Zq7-mail-pass-w3@mail")]).unwrap()
        )
        .contains("Zq7-mail-pass-w3"));
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("5 minutes"), None);
    }
}
