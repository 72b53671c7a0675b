//! `bookwork doctor` against a production-like set-up — a PostgreSQL that
//! speaks TLS with a certificate from a throw-away CA, Bookwork's roles and
//! migrations, a recorded backup — where every item passes, and against
//! each misconfiguration it looks for, one at a time: that item's line (and
//! only the lines that follow from it) fails, and the exit status is 1.
use std::time::Duration;

use sqlx::{Connection, PgConnection};

use crate::db_tls::TlsCluster;

/// The checklist of docs/OPERATIONS.md, in the order it prints.
const ITEMS: [&str; 14] = [
    "configuration",
    "environment",
    "public URL",
    "JWT secret",
    "cookies",
    "mail",
    "metrics",
    "database TLS",
    "database login",
    "row security",
    "migrations",
    "backups",
    "autovacuum",
    "pg_stat_statements",
];

/// What `bookwork doctor` printed, and whether it exited 0.
struct Report {
    passed: bool,
    out: String,
}

impl Report {
    /// Items by the word their line starts with.
    fn items(&self, verdict: &str) -> Vec<String> {
        self.out
            .lines()
            .filter_map(|line| line.strip_prefix(&format!("{verdict}  ")))
            .map(|rest| rest.split(':').next().unwrap().to_owned())
            .collect()
    }
}

async fn doctor(env: &[(&str, String)]) -> Report {
    doctor_with(&[], env).await
}

async fn doctor_with(args: &[&str], env: &[(&str, String)]) -> Report {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_bookwork"));
    cmd.arg("doctor")
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = tokio::time::timeout(Duration::from_secs(60), cmd.output())
        .await
        .expect("bookwork doctor must finish")
        .unwrap();
    Report {
        passed: out.status.success(),
        out: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// `base` with `changes` applied ("" unsets a variable).
fn with(
    base: &[(&'static str, String)],
    changes: &[(&'static str, String)],
) -> Vec<(&'static str, String)> {
    let mut env: Vec<_> = base
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .cloned()
        .collect();
    env.extend(changes.iter().filter(|(_, v)| !v.is_empty()).cloned());
    env
}

/// Runs statements one at a time (ALTER SYSTEM may not share a transaction).
async fn run_sql(admin: &mut PgConnection, statements: &[&str]) {
    for statement in statements {
        sqlx::raw_sql(statement)
            .execute(&mut *admin)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

/// Waits until a new connection sees `autovacuum` = `value` (a reload
/// reaches new backends once the postmaster has read the file).
async fn until_autovacuum_is(url: &str, value: &str) {
    for _ in 0..500 {
        let mut conn = PgConnection::connect(url).await.unwrap();
        let now: String = sqlx::query_scalar("SELECT current_setting('autovacuum')")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        if now == value {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("autovacuum did not become {value} within 10 s of the reload");
}

struct Case {
    what: &'static str,
    /// The item that must fail, and those that fail because of it.
    failing: &'static [&'static str],
    env: Vec<(&'static str, String)>,
    break_it: &'static [&'static str],
    repair: &'static [&'static str],
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_passes_a_sound_set_up_and_names_each_misconfiguration() {
    let tls = TlsCluster::start("bookwork-doctor").await;
    let (dir, cluster, port, ca) = (&tls.dir, &tls.cluster, tls.port, &tls.ca);
    let admin_url = cluster.database_url("bookwork");
    let mut admin = PgConnection::connect(&admin_url).await.unwrap();
    tls.turn_tls_on(&mut admin).await;

    let verified = |role: &str| {
        format!(
            "postgres://{role}@localhost:{port}/bookwork?sslmode=verify-full&sslrootcert={}",
            ca.display()
        )
    };
    bookwork::platform::db::migrate_at(&verified("bookwork_owner"))
        .await
        .unwrap();
    run_sql(
        &mut admin,
        &[
            "SELECT monitoring.record_backup('full', '20261206-021500F')",
            "CREATE ROLE doctor_bypass LOGIN BYPASSRLS IN ROLE bookwork_app",
        ],
    )
    .await;

    let sound: Vec<(&'static str, String)> = vec![
        ("ENVIRONMENT", "production".into()),
        ("PUBLIC_URL", "https://books.example.org".into()),
        (
            "JWT_SECRET",
            format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            ),
        ),
        (
            "SMTP_URL",
            "smtp://bookwork@mail.example.org:587?tls=required".into(),
        ),
        ("METRICS_ADDR", "127.0.0.1:9464".into()),
        ("MAIL_DIR", dir.path().join("mail").display().to_string()),
        ("DATABASE_URL", verified("bookwork_app")),
        ("MIGRATION_DATABASE_URL", verified("bookwork_owner")),
    ];
    let report = doctor(&sound).await;
    assert!(report.passed, "a sound set-up must pass:\n{}", report.out);
    assert_eq!(report.items("PASS"), ITEMS, "{}", report.out);
    assert!(report.items("FAIL").is_empty(), "{}", report.out);

    // The same settings from the server's environment file, as systemd
    // reads it (values quoted where a shell would need it).
    let env_file = dir.path().join("bookwork.env");
    let lines: Vec<String> = sound.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    std::fs::write(&env_file, lines.join("\n")).unwrap();
    let report = doctor_with(&["--env-file", env_file.to_str().unwrap()], &[]).await;
    assert!(report.passed, "from --env-file:\n{}", report.out);

    // A Unix socket needs no TLS: the connection never leaves the machine.
    let socket = with(
        &sound,
        &[
            (
                "DATABASE_URL",
                cluster.database_url_as("bookwork", "bookwork_app"),
            ),
            (
                "MIGRATION_DATABASE_URL",
                cluster.database_url_as("bookwork", "bookwork_owner"),
            ),
        ],
    );
    let report = doctor(&socket).await;
    assert!(report.passed, "Unix sockets must pass:\n{}", report.out);

    let tcp =
        |role: &str, query: &str| format!("postgres://{role}@localhost:{port}/bookwork{query}");
    let cases = [
        Case {
            what: "not production",
            failing: &["environment"],
            env: with(&sound, &[("ENVIRONMENT", "development".into())]),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "a plain-http public address",
            failing: &["public URL"],
            env: with(&sound, &[("PUBLIC_URL", "http://books.example.org".into())]),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "a short JWT secret (production refuses to start)",
            failing: &["configuration", "JWT secret"],
            env: with(&sound, &[("JWT_SECRET", "too-short".into())]),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "the example file's placeholder as the JWT secret",
            failing: &["JWT secret"],
            env: with(
                &sound,
                &[(
                    "JWT_SECRET",
                    "REPLACE-REPLACE-REPLACE-REPLACE-REPLACE".into(),
                )],
            ),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "cookies over plain HTTP",
            failing: &["configuration", "cookies"],
            env: with(&sound, &[("COOKIE_SECURE", "false".into())]),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "no SMTP server",
            failing: &["mail"],
            env: with(&sound, &[("SMTP_URL", String::new())]),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "metrics open to the network without a token",
            failing: &["configuration", "metrics"],
            env: with(&sound, &[("METRICS_ADDR", "0.0.0.0:9464".into())]),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "metrics open to the network with a short token",
            failing: &["metrics"],
            env: with(
                &sound,
                &[
                    ("METRICS_ADDR", "0.0.0.0:9464".into()),
                    ("METRICS_TOKEN", "too-short-a-token".into()),
                ],
            ),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "TLS without checking the certificate",
            failing: &["database TLS"],
            env: with(
                &sound,
                &[("DATABASE_URL", tcp("bookwork_app", "?sslmode=require"))],
            ),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "migrations over TCP without TLS",
            failing: &["database TLS"],
            env: with(
                &sound,
                &[(
                    "MIGRATION_DATABASE_URL",
                    tcp("bookwork_owner", "?sslmode=disable"),
                )],
            ),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "the server logging in as the owner",
            failing: &["database login"],
            env: with(&sound, &[("DATABASE_URL", verified("bookwork_owner"))]),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "the server logging in as a superuser",
            failing: &["database login"],
            env: with(&sound, &[("DATABASE_URL", verified("postgres"))]),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "the server's login bypassing row security",
            failing: &["database login"],
            env: with(&sound, &[("DATABASE_URL", verified("doctor_bypass"))]),
            break_it: &[],
            repair: &[],
        },
        Case {
            what: "row security not forced on a table",
            failing: &["row security"],
            env: sound.clone(),
            break_it: &["ALTER TABLE public.clubs NO FORCE ROW LEVEL SECURITY"],
            repair: &["ALTER TABLE public.clubs FORCE ROW LEVEL SECURITY"],
        },
        Case {
            what: "a migration not applied",
            failing: &["migrations"],
            env: sound.clone(),
            break_it: &["UPDATE public._sqlx_migrations SET version = -version
                          WHERE version = (SELECT max(version) FROM public._sqlx_migrations)"],
            repair: &["UPDATE public._sqlx_migrations SET version = -version
                        WHERE version = (SELECT min(version) FROM public._sqlx_migrations)"],
        },
        Case {
            what: "a migration that failed part-way",
            failing: &["migrations"],
            env: sound.clone(),
            break_it: &["UPDATE public._sqlx_migrations SET success = false
                          WHERE version = (SELECT max(version) FROM public._sqlx_migrations)"],
            repair: &["UPDATE public._sqlx_migrations SET success = true"],
        },
        Case {
            what: "the last backup 30 hours old",
            failing: &["backups"],
            env: sound.clone(),
            break_it: &["UPDATE monitoring.backups SET finished_at = now() - interval '30 hours'"],
            repair: &["UPDATE monitoring.backups SET finished_at = now()"],
        },
        Case {
            what: "no backup ever",
            failing: &["backups"],
            env: sound.clone(),
            break_it: &["DELETE FROM monitoring.backups"],
            repair: &["SELECT monitoring.record_backup('full')"],
        },
        Case {
            what: "pg_stat_statements not installed",
            failing: &["pg_stat_statements"],
            env: sound.clone(),
            break_it: &["DROP EXTENSION pg_stat_statements"],
            repair: &["CREATE EXTENSION pg_stat_statements SCHEMA extensions"],
        },
    ];
    for case in &cases {
        run_sql(&mut admin, case.break_it).await;
        let report = doctor(&case.env).await;
        run_sql(&mut admin, case.repair).await;
        assert!(
            !report.passed,
            "{}: the exit status must say so:\n{}",
            case.what, report.out
        );
        let mut failing = report.items("FAIL");
        failing.sort();
        let mut expected: Vec<String> = case.failing.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(failing, expected, "{}:\n{}", case.what, report.out);
        assert!(
            report.out.contains("fix: "),
            "{}: a failure names its fix:\n{}",
            case.what,
            report.out
        );
    }

    // Auto-vacuum off, through the server's configuration file.
    run_sql(
        &mut admin,
        &[
            "ALTER SYSTEM SET autovacuum = off",
            "SELECT pg_reload_conf()",
        ],
    )
    .await;
    until_autovacuum_is(&admin_url, "off").await;
    let report = doctor(&sound).await;
    assert!(!report.passed, "{}", report.out);
    assert_eq!(report.items("FAIL"), ["autovacuum"], "{}", report.out);
    run_sql(
        &mut admin,
        &["ALTER SYSTEM RESET autovacuum", "SELECT pg_reload_conf()"],
    )
    .await;
    until_autovacuum_is(&admin_url, "on").await;

    // Everything repaired: all pass again (the repairs above were real).
    let report = doctor(&sound).await;
    assert!(report.passed, "after the repairs:\n{}", report.out);

    admin.close().await.unwrap();
    cluster.stop().await.unwrap();
}
