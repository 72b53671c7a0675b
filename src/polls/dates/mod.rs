//! Date polls: which evening suits most, and planning the meeting on the
//! chosen date (`planning::plan` calls `events::db::create_event` so that
//! planning and creating are one transaction). Same shape as a feature:
//! `pages` → `api` → `db`, `planning` → `model`, with the poll's `model`,
//! `access` and `authz` from the feature above.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod planning;
