//! The `bookwork` command: the server, and the small tools that operate it.
use std::path::PathBuf;
use std::process::ExitCode;

use bookwork::platform::config;
use bookwork::server::{demo, run, telemetry};

/// mimalloc rather than glibc's malloc: rendering a page makes many small,
/// short-lived allocations on several threads, where glibc's arenas spent a
/// tenth of the request (malloc, free and consolidation in a profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage:
  bookwork [serve]                      run the web server (default)
  bookwork migrate                      apply database migrations and exit
  bookwork create-admin EMAIL [NAME]    make EMAIL a site admin (creating the account with
                                        BOOKWORK_ADMIN_PASSWORD, or a printed random password)
  bookwork db start [--dir D] [--fast]  start the embedded PostgreSQL and print its URL
  bookwork db stop [--dir D]            stop the embedded PostgreSQL
  bookwork db url [--dir D] [--as ROLE] print the embedded database's URL (as bookwork_owner,
                                        or ROLE: bookwork_app, bookwork_readonly, postgres)
  bookwork db roles [--apply ADMIN_URL] print the SQL that makes Bookwork's database roles on
                                        your own PostgreSQL (with new passwords), or run it
                                        there as the administrator ADMIN_URL
  bookwork backup [--full] [--dir D]    back up the embedded database with pgBackRest (a
                                        differential backup, or --full; the first is full)
                                        into D/backups, archiving its WAL from then on
  bookwork restore [--to TIME] [--dir D]
                                        restore the embedded database from its backups, to
                                        the latest moment or to TIME ('2026-12-06 14:03:00+00');
                                        stop Bookwork first
  bookwork doctor [--env-file F]        check this configuration (the environment, then F or
                                        ./.env) and its database against the production
                                        checklist (docs/OPERATIONS.md): a line per item, exit
                                        status 1 when any fails
  bookwork demo-data [--clubs N] [--members-per-club M] [--events-per-club E]
                                        add made-up clubs, members, events and RSVPs
                                        (default 6, 12, 8) and print accounts to try

The embedded database lives in BOOKWORK_DATA_DIR (default ./.data/postgres).
--fast turns off fsync: for throw-away test clusters only. One-off commands
(migrate, create-admin, demo-data) use MIGRATION_DATABASE_URL (the owner).";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        [] | ["serve"] => run::serve().await,
        ["migrate"] => migrate().await,
        ["create-admin", email] => create_admin_command(email, "Site admin").await,
        ["create-admin", email, name] => create_admin_command(email, name).await,
        ["db", action, rest @ ..] => db_command(action, rest).await,
        ["backup", rest @ ..] => backup_command(rest).await,
        ["restore", rest @ ..] => restore_command(rest).await,
        ["doctor"] => doctor_command(None).await,
        ["doctor", "--env-file", file] => doctor_command(Some(file)).await,
        ["demo-data", rest @ ..] => demo_data_command(rest).await,
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bookwork: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The configured database, brought up to date, for a one-off command.
struct Database {
    pool: sqlx::PgPool,
    /// The embedded cluster, when this command started it (and so stops it).
    started_here: Option<bookwork::server::embedded_pg::EmbeddedPostgres>,
}

impl Database {
    /// Connects to the configured database (starting the embedded one if
    /// that is what is configured and it is not running) and migrates it.
    async fn open() -> Result<Self, String> {
        let options = bookwork::server::leptos_config::load()?;
        let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
        let config = config::Config::from_env(&options, &cwd).map_err(|e| e.to_string())?;
        telemetry::init(config.json_logs);
        // Migrations, demo data and the first admin are the owner's work.
        let (urls, started_here) = run::database_urls(&config).await?;
        let database = Database {
            pool: connect_and_migrate(&urls.migration, &config).await?,
            started_here,
        };
        Ok(database)
    }

    /// Closes the pool and stops the embedded cluster if this command
    /// started it; one that was already running is left running.
    async fn close(self) {
        self.pool.close().await;
        if let Some(cluster) = self.started_here {
            if let Err(err) = cluster.stop().await {
                eprintln!("bookwork: could not stop the embedded database: {err}");
            }
        }
    }
}

async fn connect_and_migrate(url: &str, config: &config::Config) -> Result<sqlx::PgPool, String> {
    let pool = bookwork::platform::db::connect(url, config)
        .await
        .map_err(|e| format!("database error: {e}"))?;
    bookwork::platform::db::migrate(&pool)
        .await
        .map_err(|e| format!("database error: {e}"))?;
    Ok(pool)
}

/// Runs `command` against the database, then closes it (see [`Database::close`]),
/// whether the command worked or not.
async fn with_database<T>(
    command: impl AsyncFnOnce(&sqlx::PgPool) -> Result<T, String>,
) -> Result<T, String> {
    let database = Database::open().await?;
    let result = command(&database.pool).await;
    database.close().await;
    result
}

async fn migrate() -> Result<(), String> {
    with_database(async |_| Ok(())).await?;
    println!("migrations are up to date");
    Ok(())
}

async fn create_admin_command(email: &str, name: &str) -> Result<(), String> {
    use bookwork::auth::server::{create_admin, CreatedAdmin};
    let password = std::env::var("BOOKWORK_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    let outcome = with_database(async |pool| {
        create_admin(pool, name, email, password)
            .await
            .map_err(|e| e.to_string())
    })
    .await?;
    match outcome {
        CreatedAdmin::Promoted => println!("{email} is now a site admin"),
        CreatedAdmin::Created { generated_password: None } => println!("created site admin {email}"),
        CreatedAdmin::Created { generated_password: Some(password) } => println!(
            "created site admin {email} with this one-time password (change it after signing in):\n{password}"
        ),
    }
    Ok(())
}

async fn db_command(action: &str, rest: &[&str]) -> Result<(), String> {
    use bookwork::server::embedded_pg::EmbeddedPostgres;
    use bookwork::server::roles;
    let mut dir = std::env::var("BOOKWORK_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(".data/postgres"));
    let (mut fast, mut role, mut admin_url) = (false, roles::OWNER.to_owned(), None);
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--dir" => dir = PathBuf::from(rest.next().ok_or("--dir needs a directory")?),
            "--fast" => fast = true,
            "--as" => role = rest.next().ok_or("--as needs a role")?.to_string(),
            "--apply" => {
                admin_url = Some(rest.next().ok_or("--apply needs the administrator's URL")?)
            }
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    telemetry::init(false);
    match action {
        "start" => {
            let (embedded, _) = run::start_embedded(&dir, fast).await?;
            println!(
                "{}",
                embedded.database_url_as(run::EMBEDDED_DATABASE, &role)
            );
            Ok(())
        }
        "stop" => {
            let embedded = EmbeddedPostgres::new(&dir, fast).map_err(|e| e.to_string())?;
            embedded.stop().await.map_err(|e| e.to_string())
        }
        "url" => {
            let embedded = EmbeddedPostgres::new(&dir, fast).map_err(|e| e.to_string())?;
            println!(
                "{}",
                embedded.database_url_as(run::EMBEDDED_DATABASE, &role)
            );
            Ok(())
        }
        "roles" => roles_command(admin_url.copied()).await,
        other => Err(format!("unknown db action {other}\n{USAGE}")),
    }
}

/// The embedded database's directory: BOOKWORK_DATA_DIR, or `--dir` among
/// `rest`, or `./.data/postgres`; and the options left over.
fn embedded_dir<'a>(rest: &[&'a str]) -> Result<(PathBuf, Vec<&'a str>), String> {
    let mut dir = std::env::var("BOOKWORK_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(".data/postgres"));
    let mut others = Vec::new();
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--dir" => dir = PathBuf::from(rest.next().ok_or("--dir needs a directory")?),
            other => others.push(other),
        }
    }
    Ok((dir, others))
}

/// Backups are of the embedded database; a server of one's own is backed up
/// with pgBackRest directly.
fn refuse_external_database() -> Result<(), String> {
    if std::env::var("DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        return Err("DATABASE_URL is set: `bookwork backup` and `restore` work on the embedded database; back up your own PostgreSQL with pgBackRest as docs/OPERATIONS.md describes".into());
    }
    Ok(())
}

/// `bookwork backup`: starts the embedded database if it is not running
/// (and stops it again after), takes a backup and prints the repository's
/// summary.
async fn backup_command(rest: &[&str]) -> Result<(), String> {
    use bookwork::server::embedded_pg::BackupKind;
    refuse_external_database()?;
    let (dir, options) = embedded_dir(rest)?;
    let kind = match options.as_slice() {
        [] => BackupKind::Differential,
        ["--full"] => BackupKind::Full,
        _ => return Err(format!("unknown option\n{USAGE}")),
    };
    telemetry::init(false);
    let (embedded, started) = run::start_embedded(&dir, false).await?;
    let result = embedded.backup(kind).await;
    if result.is_ok() {
        record_backup(&embedded).await;
    }
    if started {
        if let Err(err) = embedded.stop().await {
            eprintln!("bookwork: could not stop the embedded database: {err}");
        }
    }
    let summary = result.map_err(|e| format!("backup failed: {e}"))?;
    println!("{}", summary.trim());
    Ok(())
}

/// Tells the database (for its monitoring: `bookwork_backup_last_success_…`)
/// about the backup just taken, with pgBackRest's label and type for it. A
/// database not yet migrated has nowhere to keep it: that is said, not
/// failed on (the backup itself is good).
async fn record_backup(embedded: &bookwork::server::embedded_pg::EmbeddedPostgres) {
    let newest = match embedded.backup_info().await {
        Ok(Some(info)) => info[0]["backup"]
            .as_array()
            .and_then(|b| b.last())
            .map(|b| {
                (
                    b["type"].as_str().map(str::to_owned),
                    b["label"].as_str().map(str::to_owned),
                )
            }),
        _ => None,
    };
    let (kind, label) = newest.unwrap_or((None, None));
    let kind = kind.unwrap_or_else(|| "full".to_owned());
    let url = embedded.database_url_as(run::EMBEDDED_DATABASE, bookwork::server::roles::OWNER);
    let recorded = async {
        let pool = sqlx::PgPool::connect(&url).await?;
        let done = sqlx::query("SELECT monitoring.record_backup($1, $2)")
            .bind(&kind)
            .bind(&label)
            .execute(&pool)
            .await;
        pool.close().await;
        done.map(|_| ())
    };
    if let Err(err) = recorded.await {
        eprintln!("bookwork: the backup is taken, but the database could not record it for monitoring ({err}); run `bookwork migrate` first");
    }
}

/// `bookwork restore`: refuses while a Bookwork server is connected (its
/// pages would fail mid-way), then restores.
async fn restore_command(rest: &[&str]) -> Result<(), String> {
    use bookwork::server::embedded_pg::EmbeddedPostgres;
    refuse_external_database()?;
    let (dir, options) = embedded_dir(rest)?;
    let to = match options.as_slice() {
        [] => None,
        ["--to", time] => Some(*time),
        _ => return Err(format!("unknown option\n{USAGE}")),
    };
    telemetry::init(false);
    let embedded = EmbeddedPostgres::new(&dir, false).map_err(|e| e.to_string())?;
    if embedded.is_running().await.map_err(|e| e.to_string())? {
        let pool = sqlx::PgPool::connect(&embedded.database_url("postgres"))
            .await
            .map_err(|e| format!("database error: {e}"))?;
        let serving: i64 =
            sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE usename = $1")
                .bind(bookwork::server::roles::APP)
                .fetch_one(&pool)
                .await
                .map_err(|e| format!("database error: {e}"))?;
        pool.close().await;
        if serving > 0 {
            return Err(
                "Bookwork is using this database: stop it (Ctrl-C in its terminal), then restore"
                    .into(),
            );
        }
    }
    embedded
        .restore(to)
        .await
        .map_err(|e| format!("restore failed: {e}"))?;
    match to {
        Some(time) => println!("restored the embedded database to {time}"),
        None => println!("restored the embedded database to the latest moment in its archive"),
    }
    Ok(())
}

/// `bookwork db roles`: the SQL an administrator runs once on their own
/// PostgreSQL, with new passwords, and the URLs to configure afterwards.
async fn roles_command(admin_url: Option<&str>) -> Result<(), String> {
    use bookwork::server::roles::{self, Passwords};
    let passwords = Passwords::random();
    let template = admin_url.unwrap_or("postgres://HOST/bookwork");
    let urls = format!(
        "DATABASE_URL={}\nMIGRATION_DATABASE_URL={}",
        roles::url_as(template, roles::APP, Some(&passwords.app)),
        roles::url_as(template, roles::OWNER, Some(&passwords.owner)),
    );
    match admin_url {
        None => {
            println!("{}", roles::setup_sql(Some(&passwords)));
            println!(
                "-- Run the SQL above once, connected to the Bookwork database as an administrator\n\
                 -- (psql \"$ADMIN_URL\" -f roles.sql), or let `bookwork db roles --apply ADMIN_URL` do it.\n\
                 -- Then configure Bookwork with (HOST and the database name as yours):\n-- {}\n\
                 -- and, for reports, {} with password {}",
                urls.replace('\n', "\n-- "),
                roles::READONLY,
                passwords.readonly
            );
        }
        Some(admin_url) => {
            roles::apply(admin_url, Some(&passwords))
                .await
                .map_err(|e| format!("database error: {e}"))?;
            println!(
                "Bookwork's roles are ready. Configure Bookwork with:\n{urls}\n\
                 Reports may log in as {} with password {}",
                roles::READONLY,
                passwords.readonly
            );
        }
    }
    Ok(())
}

async fn demo_data_command(args: &[&str]) -> Result<(), String> {
    // Check the flags before touching (or starting) a database.
    let size = demo::DemoSize::from_args(args).map_err(|e| format!("{e}\n{USAGE}"))?;
    let started = std::time::Instant::now();
    let report =
        with_database(async |pool| demo::seed(pool, size).await.map_err(|e| e.to_string())).await?;
    print_demo_report(&report, size, started.elapsed());
    Ok(())
}

fn print_demo_report(report: &demo::DemoReport, size: demo::DemoSize, took: std::time::Duration) {
    let c = &report.counts;
    println!(
        "Added demo data in {:.1}s (emails end in +{}@{}):",
        took.as_secs_f64(),
        report.tag,
        demo::EMAIL_DOMAIN
    );
    println!(
        "  {} clubs, {} people, {} memberships, {} events, {} event items, {} RSVPs ({} on a waitlist)",
        c.clubs, c.users, c.memberships, c.events, c.items, c.rsvps, c.waitlisted
    );
    if report.accounts.is_empty() {
        return;
    }
    println!("\nSign in as any of these (random passwords, shown only this once):");
    let name_width = report
        .accounts
        .iter()
        .map(|a| a.name.chars().count())
        .max()
        .unwrap_or(0);
    let email_width = report
        .accounts
        .iter()
        .map(|a| a.email.len())
        .max()
        .unwrap_or(0);
    let mut club = "";
    for account in &report.accounts {
        if account.club != club {
            club = &account.club;
            println!("  {club}");
        }
        println!(
            "    {:<6}  {:<name_width$}  {:<email_width$}  {}",
            account.standing, account.name, account.email, account.password
        );
    }
    let printed = size.clubs().min(demo::PRINTED_CLUBS);
    println!(
        "\nThe other demo accounts{} have no usable password: they fill member lists and RSVPs.",
        if size.clubs() > printed {
            format!(
                " (including the owners of clubs {} to {})",
                printed + 1,
                size.clubs()
            )
        } else {
            String::new()
        }
    );
    if let Some(first) = report.accounts.first() {
        println!(
            "To try the site admin pages: bookwork create-admin {}",
            first.email
        );
    }
}

/// Prints the checklist and fails when any item does; set-up problems (no
/// Leptos.toml, an unreadable file) are errors like any command's.
/// `env_file` is the server's environment file (systemd's
/// `EnvironmentFile`); without it, the `.env` the server itself would read.
async fn doctor_command(env_file: Option<&str>) -> Result<(), String> {
    let options = bookwork::server::leptos_config::load()?;
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    match env_file {
        Some(file) => {
            dotenvy::from_path(file).map_err(|err| format!("{file} could not be read: {err}"))?
        }
        None => {
            if let Err(err) = dotenvy::dotenv() {
                if !err.not_found() {
                    return Err(format!(".env could not be read: {err}"));
                }
            }
        }
    }
    let findings =
        bookwork::server::doctor::examine(|var| std::env::var(var).ok(), &options, &cwd).await;
    for finding in &findings {
        println!("{}", finding.line());
    }
    let failed = findings.iter().filter(|f| !f.passed()).count();
    if failed == 0 {
        println!("all {} checks passed", findings.len());
        Ok(())
    } else {
        Err(format!("{failed} of {} checks failed", findings.len()))
    }
}
