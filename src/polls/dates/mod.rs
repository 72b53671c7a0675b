//! Date polls: which evening suits most, and planning the meeting on the
//! chosen date (`db::plan` calls `events::db::create_event` so that planning
//! and creating are one transaction). `pages` → the polls `api` → `db` → `model`.
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
