//! Backups of the embedded cluster with pgBackRest (Debian's `pgbackrest`),
//! so a new user has point-in-time recovery with no set-up: full and
//! differential backups into a repository beside the cluster
//! (`<dir>/backups`), WAL archived continuously, old backups expired by a
//! retention policy, and a restore to the latest moment or to a time.
//!
//! The cluster always starts with `archive_mode=on` and an archive command
//! that does nothing until the first backup writes pgBackRest's
//! configuration: archiving then begins without a restart, and a cluster
//! nobody backs up keeps no WAL it does not need.
use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Duration;

use super::{io, EmbeddedPgError, EmbeddedPostgres};

/// The stanza (pgBackRest's name for one cluster's backups).
const STANZA: &str = "bookwork";
const PGBACKREST: &str = "pgbackrest";

/// How many full backups are kept (each with its differentials and the WAL
/// since it), and how many differentials per full one.
const KEEP_FULL: u32 = 2;
const KEEP_DIFF: u32 = 6;

/// Which kind of backup to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    /// Everything.
    Full,
    /// What changed since the last full backup (pgBackRest takes a full one
    /// when there is none yet).
    Differential,
}

impl EmbeddedPostgres {
    fn backup_config(&self) -> PathBuf {
        self.root.join("pgbackrest.conf")
    }

    /// The repository the embedded cluster's backups go to.
    pub fn backup_repository(&self) -> PathBuf {
        self.root.join("backups")
    }

    /// The `archive_command` the cluster starts with: hand each finished WAL
    /// segment to pgBackRest once backups are configured, else let it go.
    pub(super) fn archive_command(&self) -> String {
        let config = self.backup_config();
        format!(
            "test ! -f {config} || {PGBACKREST} --config={config} --stanza={STANZA} archive-push %p",
            config = config.display()
        )
    }

    /// Writes pgBackRest's configuration for this cluster (once; it is the
    /// switch that turns archiving on), makes the repository, and makes the
    /// stanza (or finds it made).
    async fn configure_backups(&self) -> Result<(), EmbeddedPgError> {
        let config = self.backup_config();
        if !config.exists() {
            self.write_backup_config()?;
        }
        self.pgbackrest(["stanza-create"]).await?;
        Ok(())
    }

    fn write_backup_config(&self) -> Result<(), EmbeddedPgError> {
        let config = self.backup_config();
        for dir in ["backups", "pgbackrest-log", "pgbackrest-lock"] {
            let dir = self.root.join(dir);
            std::fs::create_dir_all(&dir).map_err(io(format!("creating {}", dir.display())))?;
            self.give_to_owner(&dir)?;
        }
        let port = self.tcp_port.unwrap_or(5432);
        let text = format!(
            "# Written by `bookwork backup` for the embedded database.\n\
             [global]\n\
             repo1-path={repo}\n\
             repo1-retention-full={KEEP_FULL}\n\
             repo1-retention-diff={KEEP_DIFF}\n\
             log-path={log}\n\
             lock-path={lock}\n\
             log-level-console=warn\n\
             start-fast=y\n\
             compress-type=zst\n\
             \n\
             [{STANZA}]\n\
             pg1-path={data}\n\
             pg1-socket-path={socket}\n\
             pg1-port={port}\n\
             pg1-user=postgres\n",
            repo = self.backup_repository().display(),
            log = self.root.join("pgbackrest-log").display(),
            lock = self.root.join("pgbackrest-lock").display(),
            data = self.data_dir().display(),
            socket = self.socket_dir.display(),
        );
        // Written whole under another name, then moved: the archive command
        // never reads half a file.
        let partial = self.root.join("pgbackrest.conf.partial");
        std::fs::write(&partial, text).map_err(io(format!("writing {}", partial.display())))?;
        self.give_to_owner(&partial)?;
        std::fs::rename(&partial, &config).map_err(io(format!("writing {}", config.display())))
    }

    /// Runs pgBackRest on this cluster's stanza, as the cluster's owner.
    async fn pgbackrest<I, S>(&self, args: I) -> Result<String, EmbeddedPgError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let config = self.backup_config();
        let mut all = vec![
            format!("--config={}", config.display()).into(),
            format!("--stanza={STANZA}").into(),
        ];
        all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        let output = self
            .command_at(PathBuf::from(PGBACKREST))
            .stdin(std::process::Stdio::null())
            .args(&all)
            .output()
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => EmbeddedPgError::NoPgBackRest,
                _ => EmbeddedPgError::Io {
                    action: "running pgbackrest".into(),
                    source: e,
                },
            })?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(EmbeddedPgError::Command {
                command: format!(
                    "pgbackrest {}",
                    all.last().map(|a| a.to_string_lossy()).unwrap_or_default()
                ),
                status: output.status.to_string(),
                stderr: format!(
                    "{} {}",
                    String::from_utf8_lossy(&output.stderr).trim(),
                    String::from_utf8_lossy(&output.stdout).trim()
                )
                .trim()
                .to_owned(),
                log: self.root.join("pgbackrest-log"),
            })
        }
    }

    /// Takes a backup of the running cluster (configuring backups on first
    /// use) and expires those the retention policy no longer keeps; answers
    /// pgBackRest's summary of the repository.
    pub async fn backup(&self, kind: BackupKind) -> Result<String, EmbeddedPgError> {
        self.configure_backups().await?;
        let kind = match kind {
            BackupKind::Full => "--type=full",
            BackupKind::Differential => "--type=diff",
        };
        self.pgbackrest([kind, "backup"]).await?;
        self.pgbackrest(["info"]).await
    }

    /// pgBackRest's view of the repository as JSON (`info --output=json`),
    /// or `None` when backups were never configured.
    pub async fn backup_info(&self) -> Result<Option<serde_json::Value>, EmbeddedPgError> {
        if !self.backup_config().exists() {
            return Ok(None);
        }
        let text = self.pgbackrest(["--output=json", "info"]).await?;
        Ok(serde_json::from_str(&text).ok())
    }

    /// Restores the cluster from its backups: to the latest moment the
    /// archive holds, or to `to` (a time PostgreSQL reads, such as
    /// `2026-12-06 14:03:00+00`). A running cluster first archives its last
    /// WAL and stops; the restored one is started, recovers and is promoted,
    /// and is left running or stopped as it was found.
    pub async fn restore(&self, to: Option<&str>) -> Result<(), EmbeddedPgError> {
        if !self.backup_config().exists() {
            return Err(EmbeddedPgError::NoBackups);
        }
        let was_running = self.is_running().await?;
        if was_running {
            // Every commit so far must be in the archive before the cluster
            // goes: `check` switches to a new WAL segment and waits until the
            // finished one is archived.
            self.pgbackrest(["check"]).await?;
            self.stop().await?;
        }
        let mut args = vec!["--delta".to_owned()];
        if let Some(to) = to {
            args.extend([
                "--type=time".to_owned(),
                format!("--target={to}"),
                "--target-action=promote".to_owned(),
            ]);
        }
        args.push("restore".to_owned());
        self.pgbackrest(&args).await?;
        self.start().await?;
        self.wait_for_promotion().await?;
        if !was_running {
            self.stop().await?;
        }
        Ok(())
    }

    /// Waits until the restored cluster has replayed what it should and
    /// accepts writes.
    async fn wait_for_promotion(&self) -> Result<(), EmbeddedPgError> {
        let port = self.tcp_port.unwrap_or(5432).to_string();
        for _ in 0..600 {
            let asked = self
                .run(
                    "psql",
                    [
                        "-h",
                        &self.socket_dir.to_string_lossy(),
                        "-p",
                        &port,
                        "-U",
                        "postgres",
                        "-d",
                        "postgres",
                        "-Atc",
                        "SELECT pg_is_in_recovery()",
                    ],
                )
                .await;
            if let Ok(out) = asked {
                if String::from_utf8_lossy(&out.stdout).trim() == "f" {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(EmbeddedPgError::Command {
            command: "restore".into(),
            status: "still recovering after a minute".into(),
            stderr: String::new(),
            log: self.log_file(),
        })
    }
}
