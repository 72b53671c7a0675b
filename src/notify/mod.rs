//! Notifications: meeting reminders, "you got a place", new, changed and
//! cancelled meetings, tasks, and invitations by e-mail; in the app (the bell,
//! `/notifications`) and by e-mail, as each member chooses per kind.
//!
//! The `notifications` table is the outbox: features write a row in the same
//! transaction as the change it reports (`outbox`), and the worker in every
//! server instance claims due e-mail with `FOR UPDATE SKIP LOCKED`, renders
//! it in the reader's time zone (`render`) and sends it (`mail`).
//!
//! Files import one way: `pages` → `api` → `db` → `render` → `model`;
//! `worker` → `mail` → `unsubscribe`, `render`.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod model;
#[cfg(feature = "ssr")]
pub mod one_click;
#[cfg(feature = "ssr")]
pub mod outbox;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "ssr")]
pub mod unsubscribe;
#[cfg(feature = "ssr")]
pub mod worker;
