//! An event's agenda items and tasks: adding, editing, assigning and
//! ticking them off, under the event's lock. The event page shows them
//! (`pages`); the event's `api` calls `db` here.
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
