//! The `bookwork` command's one-off subcommands, run as a person would.
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use bookwork::server::embedded_pg::EmbeddedPostgres;

fn bookwork(data_dir: &Path, work_dir: &Path, args: &[&str]) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_bookwork"))
        .args(args)
        .current_dir(work_dir)
        .env("BOOKWORK_DATA_DIR", data_dir)
        .env("BOOKWORK_ADMIN_PASSWORD", "a passphrase nobody guesses")
        .env_remove("DATABASE_URL")
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

/// `bookwork create-admin`, as the README says to run it, leaves no database
/// running behind it; a database that was already running stays running.
#[tokio::test]
async fn one_off_commands_stop_the_embedded_database_only_if_they_started_it() {
    let dir = tempfile::tempdir().unwrap();
    // The cluster may run as the unprivileged postgres user; let it in.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = dir.path().join("pg");
    let cluster = EmbeddedPostgres::new(&data, false).unwrap();

    let out = bookwork(&data, dir.path(), &["create-admin", "first@example.com"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("created site admin"));
    assert!(
        !cluster.is_running().await.unwrap(),
        "the command stopped the database it started"
    );

    bookwork(
        &data,
        dir.path(),
        &["db", "start", "--dir", data.to_str().unwrap()],
    );
    assert!(cluster.is_running().await.unwrap());
    let out = bookwork(&data, dir.path(), &["create-admin", "first@example.com"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("is now a site admin"));
    bookwork(&data, dir.path(), &["migrate"]);
    assert!(
        cluster.is_running().await.unwrap(),
        "a database someone else started is theirs to stop"
    );
    cluster.stop().await.unwrap();
}
