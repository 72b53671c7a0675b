//! The embedded default database: a private PostgreSQL cluster that Bookwork
//! starts, owns and stops when no `DATABASE_URL` is configured.
//!
//! It uses the system's PostgreSQL binaries (Debian's `postgresql` package),
//! keeps its data in a project-local directory so it survives restarts, and
//! listens only on a Unix socket in a private directory. PostgreSQL refuses to
//! run as root, so when Bookwork runs as root the cluster runs as the
//! `postgres` system user instead.
use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use nix::unistd::{Gid, Uid, User};
use tokio::process::Command;

mod backup;
mod databases;

pub use backup::BackupKind;

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedPgError {
    #[error(
        "no PostgreSQL server binaries found (looked for initdb under /usr/lib/postgresql/*/bin and in BOOKWORK_PG_BIN); install them with `apt-get install postgresql` or set DATABASE_URL"
    )]
    NoBinaries,
    #[error("running as root, but there is no `postgres` system user to run the embedded database as; install Debian's postgresql package or set DATABASE_URL")]
    NoPostgresUser,
    #[error("the embedded database directory {dir} is not reachable by the `postgres` user (a parent directory is private), and neither is the fallback {fallback}: {reason}; set BOOKWORK_DATA_DIR to a directory every user can traverse, or set DATABASE_URL")]
    Unreachable {
        dir: PathBuf,
        fallback: PathBuf,
        reason: String,
    },
    #[error("{action} failed: {source}")]
    Io {
        action: String,
        source: std::io::Error,
    },
    #[error("`{command}` failed ({status}); see {log}: {stderr}")]
    Command {
        command: String,
        status: String,
        stderr: String,
        log: PathBuf,
    },
    #[error("could not create the database {name}: {source}")]
    CreateDatabase { name: String, source: sqlx::Error },
    #[error("pgBackRest is not installed; install it with `apt-get install pgbackrest`")]
    NoPgBackRest,
    #[error("there are no backups to restore from: take one first with `bookwork backup`")]
    NoBackups,
}

fn io(action: impl Into<String>) -> impl FnOnce(std::io::Error) -> EmbeddedPgError {
    let action = action.into();
    move |source| EmbeddedPgError::Io { action, source }
}

/// The longest socket directory that still leaves room for `/.s.PGSQL.5432`
/// within the kernel's 108-byte limit for Unix socket paths.
const MAX_SOCKET_DIR_LEN: usize = 90;

#[derive(Debug, Clone)]
pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    /// Everything lives under here: `data/`, `run/` (socket), `postgres.log`.
    root: PathBuf,
    socket_dir: PathBuf,
    /// The unprivileged user the cluster runs as when we are root.
    run_as: Option<(Uid, Gid)>,
    /// Trade durability for speed (test clusters only).
    fast_unsafe: bool,
    /// Also listen on 127.0.0.1 at this port (otherwise the socket only).
    tcp_port: Option<u16>,
}

impl EmbeddedPostgres {
    /// Prepares (but does not start) a cluster kept under `dir`.
    pub fn new(dir: &Path, fast_unsafe: bool) -> Result<Self, EmbeddedPgError> {
        let bin_dir = find_bin_dir()?;
        let dir = absolute(dir)?;
        let run_as = if Uid::effective().is_root() {
            let user = User::from_name("postgres")
                .ok()
                .flatten()
                .ok_or(EmbeddedPgError::NoPostgresUser)?;
            Some((user.uid, user.gid))
        } else {
            None
        };

        let root = match run_as {
            Some((uid, gid)) => match unreachable_ancestor(&dir, uid, gid) {
                None => dir,
                Some(blocked) => {
                    // A checkout under a private home directory (mode 700):
                    // the postgres user cannot get in, so keep the cluster in
                    // a stable place it can reach, derived from the requested
                    // path so that restarts find the same data.
                    let fallback = std::env::temp_dir().join(format!(
                        "bookwork-pg-{:016x}",
                        fnv1a(dir.as_os_str().as_encoded_bytes())
                    ));
                    if let Some(also_blocked) = unreachable_ancestor(&fallback, uid, gid) {
                        return Err(EmbeddedPgError::Unreachable {
                            dir,
                            fallback,
                            reason: format!("{} is not traversable", also_blocked.display()),
                        });
                    }
                    tracing::warn!(
                        requested = %dir.display(),
                        blocked_by = %blocked.display(),
                        using = %fallback.display(),
                        "the postgres user cannot reach the data directory; using the fallback location"
                    );
                    fallback
                }
            },
            None => dir,
        };

        let mut socket_dir = root.join("run");
        if socket_dir.as_os_str().len() > MAX_SOCKET_DIR_LEN {
            socket_dir = std::env::temp_dir().join(format!(
                "bookwork-sock-{:016x}",
                fnv1a(root.as_os_str().as_encoded_bytes())
            ));
        }

        Ok(EmbeddedPostgres {
            bin_dir,
            root,
            socket_dir,
            run_as,
            fast_unsafe,
            tcp_port: None,
        })
    }

    /// Listens on 127.0.0.1:`port` as well as on the private socket (whose
    /// name then carries that port too): for what must travel over a
    /// network, such as TLS, which PostgreSQL offers on TCP only.
    pub fn listening_on(mut self, port: u16) -> Self {
        self.tcp_port = Some(port);
        self
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.root.join("postgres.log")
    }

    /// A connection URL for `database` over the private socket.
    /// The cluster's superuser's URL for `database` (for administration).
    pub fn database_url(&self, database: &str) -> String {
        self.database_url_as(database, "postgres")
    }

    /// The URL for `database` with the login `role` (no password: the
    /// cluster trusts connections on its private socket).
    pub fn database_url_as(&self, database: &str, role: &str) -> String {
        let mut url = url::Url::parse("postgres://postgres@localhost").expect("static URL");
        let _ = url.set_username(role);
        url.set_path(database);
        if let Some(port) = self.tcp_port {
            let _ = url.set_port(Some(port));
        }
        url.query_pairs_mut()
            .append_pair("host", &self.socket_dir.to_string_lossy());
        url.to_string()
    }

    /// Creates the cluster on first use and starts it. Returns `true` when
    /// this call started the server, `false` when it was already running
    /// (another Bookwork process owns it).
    pub async fn start(&self) -> Result<bool, EmbeddedPgError> {
        self.prepare_dirs()?;
        let data = self.data_dir();
        if !data.join("PG_VERSION").exists() {
            tracing::info!(dir = %data.display(), "creating the embedded PostgreSQL cluster");
            self.run(
                "initdb",
                [
                    OsStr::new("-D"),
                    data.as_os_str(),
                    OsStr::new("--auth=trust"),
                    OsStr::new("--username=postgres"),
                    OsStr::new("--encoding=UTF8"),
                    OsStr::new("--no-locale"),
                ],
            )
            .await?;
        }
        if self.is_running().await? {
            return Ok(false);
        }

        // pg_stat_statements feeds the slow-statement view (`monitoring`).
        // WAL is archived once backups are configured (`backup.rs`).
        let mut server_options = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -c unix_socket_permissions=0700 -c max_connections=200 \
             -c shared_preload_libraries=pg_stat_statements -c archive_mode=on -c archive_command='{}'",
            self.socket_dir.display(),
            self.archive_command()
        );
        if let Some(port) = self.tcp_port {
            // Later settings win over the socket-only default above.
            server_options.push_str(&format!(" -c listen_addresses=127.0.0.1 -c port={port}"));
        }
        if self.fast_unsafe {
            server_options
                .push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let log = self.log_file();
        let started = self
            .run(
                "pg_ctl",
                [
                    OsStr::new("start"),
                    OsStr::new("-w"),
                    OsStr::new("-t"),
                    OsStr::new("60"),
                    OsStr::new("-D"),
                    data.as_os_str(),
                    OsStr::new("-l"),
                    log.as_os_str(),
                    OsStr::new("-o"),
                    OsStr::new(&server_options),
                ],
            )
            .await;
        match started {
            Ok(_) => Ok(true),
            // Another process may have won a start race; that is fine.
            Err(err) => {
                if self.is_running().await? {
                    Ok(false)
                } else {
                    Err(err)
                }
            }
        }
    }

    /// Stops the cluster, letting open transactions roll back ("fast" mode).
    pub async fn stop(&self) -> Result<(), EmbeddedPgError> {
        if !self.is_running().await? {
            return Ok(());
        }
        let data = self.data_dir();
        self.run(
            "pg_ctl",
            [
                OsStr::new("stop"),
                OsStr::new("-w"),
                OsStr::new("-m"),
                OsStr::new("fast"),
                OsStr::new("-D"),
                data.as_os_str(),
            ],
        )
        .await
        .map(|_| ())
    }

    pub async fn is_running(&self) -> Result<bool, EmbeddedPgError> {
        let data = self.data_dir();
        if !data.join("PG_VERSION").exists() {
            return Ok(false);
        }
        let output = self
            .command("pg_ctl")
            .args([OsStr::new("status"), OsStr::new("-D"), data.as_os_str()])
            .output()
            .await
            .map_err(io("running pg_ctl status"))?;
        Ok(output.status.success())
    }

    fn prepare_dirs(&self) -> Result<(), EmbeddedPgError> {
        for dir in [&self.root, &self.socket_dir] {
            std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(io(format!("setting permissions on {}", dir.display())))?;
            self.give_to_owner(dir)?;
        }
        let log = self.log_file();
        if !log.exists() {
            std::fs::write(&log, b"").map_err(io(format!("creating {}", log.display())))?;
        }
        self.give_to_owner(&log)
    }

    fn give_to_owner(&self, path: &Path) -> Result<(), EmbeddedPgError> {
        if let Some((uid, gid)) = self.run_as {
            nix::unistd::chown(path, Some(uid), Some(gid)).map_err(|e| EmbeddedPgError::Io {
                action: format!("handing {} to the postgres user", path.display()),
                source: e.into(),
            })?;
        }
        Ok(())
    }

    fn command(&self, program: &str) -> Command {
        self.command_at(self.bin_dir.join(program))
    }

    /// A command run as the cluster's owner, from `/`.
    fn command_at(&self, program: PathBuf) -> Command {
        let mut cmd = Command::new(program);
        // The cluster's processes must not inherit our working directory,
        // which the postgres user may not be able to enter.
        cmd.current_dir("/").env("LC_ALL", "C").kill_on_drop(false);
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid.as_raw()).gid(gid.as_raw());
        }
        cmd
    }

    async fn run<I, S>(&self, program: &str, args: I) -> Result<Output, EmbeddedPgError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let output = self
            .command(program)
            // pg_ctl's server keeps running after pg_ctl exits; give it no
            // pipes of ours to hold open.
            .stdin(std::process::Stdio::null())
            .args(&args)
            .output()
            .await
            .map_err(io(format!("running {program}")))?;
        if output.status.success() {
            Ok(output)
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stdout = String::from_utf8_lossy(&output.stdout);
            Err(EmbeddedPgError::Command {
                command: program.to_owned(),
                status: output.status.to_string(),
                stderr: format!("{} {}", stderr.trim(), stdout.trim())
                    .trim()
                    .to_owned(),
                log: self.log_file(),
            })
        }
    }
}

/// The newest `/usr/lib/postgresql/<version>/bin` with `initdb`, or `BOOKWORK_PG_BIN`.
fn find_bin_dir() -> Result<PathBuf, EmbeddedPgError> {
    if let Some(dir) = std::env::var_os("BOOKWORK_PG_BIN") {
        let dir = PathBuf::from(dir);
        return if dir.join("initdb").exists() {
            Ok(dir)
        } else {
            Err(EmbeddedPgError::NoBinaries)
        };
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| EmbeddedPgError::NoBinaries)?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or(EmbeddedPgError::NoBinaries)
}

fn absolute(dir: &Path) -> Result<PathBuf, EmbeddedPgError> {
    if dir.is_absolute() {
        Ok(dir.to_owned())
    } else {
        Ok(std::env::current_dir()
            .map_err(io("reading the working directory"))?
            .join(dir))
    }
}

/// The first existing ancestor of `path` that `uid`/`gid` cannot traverse.
fn unreachable_ancestor(path: &Path, uid: Uid, gid: Gid) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    path.ancestors().skip(1).find_map(|dir| {
        let meta = std::fs::metadata(dir).ok()?;
        let mode = meta.mode();
        let can_traverse = if meta.uid() == uid.as_raw() {
            mode & 0o100 != 0
        } else if meta.gid() == gid.as_raw() {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        };
        (!can_traverse).then(|| dir.to_owned())
    })
}

/// A stable (across builds and platforms) hash for naming fallback directories.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_parent_directories_are_detected() {
        let base = tempfile::tempdir().unwrap();
        std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let private = base.path().join("home");
        std::fs::create_dir(&private).unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
        let nobody = (Uid::from_raw(65534), Gid::from_raw(65534));
        let target = private.join("checkout/.data/postgres");
        assert_eq!(
            unreachable_ancestor(&target, nobody.0, nobody.1),
            Some(private.clone())
        );
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o711)).unwrap();
        assert_eq!(unreachable_ancestor(&target, nobody.0, nobody.1), None);
    }

    #[test]
    fn fallback_names_are_stable() {
        // FNV-1a, 64 bits: the published test vectors ("", "a", "foobar"),
        // and a project path worked out apart (a four-line Python loop over
        // the bytes: xor, then multiply by 0x100000001b3 modulo 2^64). A
        // change of hash would move every fallback cluster.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fnv1a(b"/work/main/.data/postgres"), 0x4ed2_973c_1872_5eca);
    }
}
