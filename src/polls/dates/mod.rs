//! Date polls: which evening suits most, and planning the meeting on the
//! chosen date (`planning::plan` calls `events::db::create_event` so that
//! planning and creating are one transaction). `pages` → the polls `api` →
//! `db`, `planning` → `model`.
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod planning;
