//! Typed configuration from the environment (and `.env`), with the reference
//! guide's variable names. Any bad value stops start-up with one line that
//! names the variable.
mod database;
mod source;

#[cfg(test)]
mod tests;
mod values;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use leptos::prelude::LeptosOptions;

pub use database::DatabaseSource;
pub use source::EnvSource;
pub use values::{ConfigError, Secret};

use database::database_source;
use values::bad;

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
    /// Requests one API token (or a program's sign-in) may make in a
    /// minute (`API_REQUESTS_PER_MINUTE`, default 300: a script syncing a
    /// club's year of meetings fits; one stuck in a loop is slowed to a
    /// walk); the next gets 429 with `Retry-After`.
    pub api_requests_per_minute: u32,
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
    /// Where books are looked up by ISBN or title (`OPEN_LIBRARY_URL`, e.g.
    /// https://openlibrary.org); `None` (unset): no look-up is offered.
    pub open_library: Option<OpenLibrary>,
}

/// Open Library's addresses: its search (`OPEN_LIBRARY_URL`) and its
/// covers (`OPEN_LIBRARY_COVERS_URL`, default https://covers.openlibrary.org;
/// covers are shown from there by the reader's browser, so https).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLibrary {
    pub url: String,
    pub covers_url: String,
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
            .unwrap_or_else(default_pool_size);
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
        let api_requests_per_minute = env
            .parse("API_REQUESTS_PER_MINUTE", "a positive number")?
            .unwrap_or(300);
        if api_requests_per_minute == 0 {
            return Err(bad("API_REQUESTS_PER_MINUTE", "must be at least 1"));
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

        let open_library = match env.get("OPEN_LIBRARY_URL").filter(|u| !u.trim().is_empty()) {
            None => None,
            Some(raw) => Some(OpenLibrary {
                url: base_url("OPEN_LIBRARY_URL", &raw, &["http", "https"])?,
                covers_url: base_url(
                    "OPEN_LIBRARY_COVERS_URL",
                    &env.get("OPEN_LIBRARY_COVERS_URL")
                        .unwrap_or_else(|| "https://covers.openlibrary.org".to_owned()),
                    &["https"],
                )?,
            }),
        };

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
            api_requests_per_minute,
            public_url,
            mail,
            notify_interval,
            metrics_addr,
            metrics_token,
            open_library,
        })
    }
}

/// An address other services are reached at: one of `schemes`, a host, no
/// query; kept without its trailing slash.
fn base_url(name: &'static str, raw: &str, schemes: &[&str]) -> Result<String, ConfigError> {
    let url = url::Url::parse(raw.trim())
        .ok()
        .filter(|u| schemes.contains(&u.scheme()) && u.host_str().is_some() && u.query().is_none());
    match url {
        Some(url) => Ok(url.as_str().trim_end_matches('/').to_owned()),
        None => Err(bad(
            name,
            format!(
                "must be an {} address like https://openlibrary.org, got {raw:?}",
                schemes.join(" or ")
            ),
        )),
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

/// The pool size when `DB_MAX_OPEN_CONNS` is unset: PostgreSQL's rule of
/// thumb of twice the cores plus a couple, for a database on this machine
/// (the embedded default). More connections than that only make the
/// database's backends take turns on the same cores: on two cores, 25
/// connections served pages 20–30 % slower than 6 and put their p99 at
/// 50–115 ms instead of 23–26 ms (docs/PERFORMANCE.md). At least 4, at most
/// the 25 it used to be; a database elsewhere wants `DB_MAX_OPEN_CONNS` set
/// for its own cores.
fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(cores * 2 + 2)
        .unwrap_or(u32::MAX)
        .clamp(4, 25)
}
