//! What the user administration pages show. Compiled on both sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const USERS_PER_PAGE: i64 = 20;
pub const SITE_ROLES: [&str; 4] = ["admin", "moderator", "member", "guest"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserRow {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    pub is_active: bool,
    pub last_login: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<AdminUserRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// What `/admin/system` shows: this instance, its pool and the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemReport {
    pub version: String,
    /// The commit the binary was built from ("unknown" outside a git checkout).
    pub commit: String,
    /// "release" or "debug".
    pub profile: String,
    /// Host name and process id of the instance that answered.
    pub instance: String,
    /// When this process started, UTC.
    pub started: String,
    pub uptime: String,
    pub pool: PoolUsage,
    /// The database as this instance sees it, or why it could not be asked.
    pub database: Result<DatabaseStatus, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolUsage {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
    /// Requests waiting for a connection right now.
    pub waiting: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatabaseStatus {
    /// A `SELECT 1` round trip on a pooled connection, in milliseconds.
    pub latency_ms: f64,
    pub server_version: String,
    pub size: String,
    pub connections: i64,
    pub active: i64,
    pub idle_in_transaction: i64,
    pub longest_transaction: String,
    /// Share of block reads served from PostgreSQL's cache (none before any read).
    pub cache_hit_ratio: Option<f64>,
    pub deadlocks: i64,
    pub users: i64,
    pub active_users: i64,
    pub clubs: i64,
    pub events: i64,
    pub upcoming_events: i64,
    pub rsvps: i64,
    /// Whether pg_stat_statements is installed, so "slowest" means something.
    pub statements_tracked: bool,
    pub slowest: Vec<SlowStatement>,
    pub tables: Vec<TableSize>,
    pub clean_up: CleanUpRun,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlowStatement {
    /// The normalised statement text, shortened for the page.
    pub query: String,
    pub calls: i64,
    pub mean_ms: f64,
    pub max_ms: f64,
    pub total_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSize {
    pub name: String,
    pub total: String,
    pub indexes: String,
    pub estimated_rows: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanUpRun {
    /// When the last run started and finished, UTC (none: never).
    pub started: Option<String>,
    pub finished: Option<String>,
    pub rows_removed: i64,
    pub ran_by: String,
}
