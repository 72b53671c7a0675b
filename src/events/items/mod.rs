//! An event's agenda items and tasks: adding, editing, assigning and
//! ticking them off, under the event's lock, and a person's open tasks for
//! the home page. Same shape as a feature: `pages` → `api` → `db` →
//! `model`, with the event's `model`, `standing`, `lists` and `authz` from
//! the feature above; the event page shows `pages`, and the event's `model`
//! and `page_data` hold this `model`'s items and assignables.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
