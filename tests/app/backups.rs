//! A restore drill, with pgBackRest and the `bookwork` command as a person
//! runs them, on an embedded cluster of its own: rows written, a backup,
//! more rows, the time noted, more rows; restored to that time, the
//! database holds exactly the rows before it (counted and checksummed), and
//! Bookwork starts on it with its roles and row security.
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use bookwork::server::embedded_pg::EmbeddedPostgres;
use sqlx::PgPool;

fn bookwork(data: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_bookwork"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("BOOKWORK_DATA_DIR", data)
        .env_remove("DATABASE_URL")
        .env_remove("MIGRATION_DATABASE_URL")
        .env_remove("DB_HOST")
        .env_remove("ENVIRONMENT")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "bookwork {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// How many rows the drill table has, and a checksum of them all.
async fn rows(pool: &PgPool) -> (i64, String) {
    sqlx::query_as(
        "SELECT count(*), md5(COALESCE(string_agg(n || ':' || note, ',' ORDER BY n), '')) FROM drill",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn write(pool: &PgPool, from: i32, to: i32) {
    sqlx::query(
        "INSERT INTO drill (n, note) SELECT n, md5(n::text) FROM generate_series($1, $2) n",
    )
    .bind(from)
    .bind(to)
    .execute(pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_restore_to_a_noted_time_gives_exactly_the_rows_before_it() {
    let dir = tempfile::tempdir().unwrap();
    // The cluster runs as the unprivileged postgres user; let it in.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = dir.path().join("pg");
    let cluster = EmbeddedPostgres::new(&data, false).unwrap();
    bookwork(&data, &["db", "start"]);
    bookwork(&data, &["migrate"]);
    let url = cluster.database_url_as("bookwork", "bookwork_owner");
    let pool = PgPool::connect(&url).await.unwrap();
    sqlx::query("CREATE TABLE drill (n integer PRIMARY KEY, note text NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();

    write(&pool, 1, 100).await;
    let out = bookwork(&data, &["backup"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("full backup"),
        "the first backup is a full one: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    // pgBackRest keeps a backup's stop time to the second and restores to
    // a time from the newest backup that stopped before it: the time noted
    // must be in a later second than the backup's end, as any time a person
    // restores to is.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    write(&pool, 101, 200).await;
    let before = rows(&pool).await;
    assert_eq!(before.0, 200);
    let noted: String = sqlx::query_scalar("SELECT now()::text")
        .fetch_one(&pool)
        .await
        .unwrap();
    write(&pool, 201, 300).await;
    sqlx::query("DELETE FROM drill WHERE n <= 50")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(rows(&pool).await.0, 250);
    pool.close().await;

    bookwork(&data, &["restore", "--to", &noted]);
    assert!(
        cluster.is_running().await.unwrap(),
        "a cluster that was running is running again"
    );
    let pool = PgPool::connect(&url).await.unwrap();
    assert_eq!(
        rows(&pool).await,
        before,
        "exactly the rows committed before {noted}"
    );
    // Its roles and row security came back with it.
    let forced: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity AND NOT c.relforcerowsecurity",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(forced.is_empty(), "row security not forced on {forced:?}");
    let app: bool = sqlx::query_scalar(
        "SELECT NOT rolsuper AND NOT rolbypassrls AND rolcanlogin FROM pg_roles WHERE rolname = 'bookwork_app'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(app);
    // The restored database takes writes, and the next backup of it works.
    write(&pool, 1001, 1010).await;
    pool.close().await;
    bookwork(&data, &["backup"]);

    // Bookwork starts on it and is ready.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut server = Command::new(env!("CARGO_BIN_EXE_bookwork"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("BOOKWORK_DATA_DIR", &data)
        .env("PORT", port.to_string())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("METRICS_ADDR", "127.0.0.1:0")
        .env("MAIL_DIR", dir.path().join("mail"))
        .env_remove("DATABASE_URL")
        .env_remove("MIGRATION_DATABASE_URL")
        .env_remove("ENVIRONMENT")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut ready = None;
    for _ in 0..300 {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/readyz")).await {
            ready = Some(r.status().as_u16());
            if ready == Some(200) {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(server.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    server.wait().unwrap();
    assert_eq!(
        ready,
        Some(200),
        "Bookwork's /readyz on the restored database"
    );
    cluster.stop().await.unwrap();
}
