//! Bookwork: book clubs, their members, meetings, RSVPs and what we read.
//!
//! The crate builds twice: with `ssr` it is the server (axum + sqlx), with
//! `hydrate` it is the WASM bundle that makes server-rendered pages live.
//!
//! Modules are layered, lowest first; a module imports only from layers
//! below it (`tests/app/layering.rs` enforces this, and that no two files
//! import each other, even indirectly):
//!
//! 1. `error`: the one error type, shared by both builds;
//! 2. `platform` (server only): configuration, state and pool, flash, security
//!    headers, tokens, time zones;
//! 3. `forms`: form building blocks (both builds);
//! 4. `auth`: accounts, sessions, "who is asking";
//! 5. `notify`: notifications (the outbox every feature writes to, the
//!    worker that mails them, the bell and the settings);
//! 6. `layout` (page chrome) and `places` (server only: places at events,
//!    which clubs, events and admin all give up when someone leaves);
//! 7. `clubs`; 8. `books` (the club bookshelf); 9. `events` (events may use
//!    clubs and books, never the reverse); 10. `polls` (book and date polls);
//! 11. `home`, `profile`, `admin`;
//! 12. `app`: the HTML shell and the route table;
//! 13. `server` (server only): router, form boundary, deadlines, start-up,
//!     shutdown, embedded database.
//!
//! Inside a feature: `pages` → `api` → `db` → `model`, never back.
#![recursion_limit = "256"]

pub mod error;

#[cfg(feature = "ssr")]
pub mod platform;

pub mod forms;

pub mod auth;

pub mod notify;

pub mod layout;
#[cfg(feature = "ssr")]
pub mod places;

pub mod clubs;

pub mod books;

pub mod events;

pub mod polls;

pub mod admin;
pub mod home;
pub mod profile;

pub mod app;

#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM bundle: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
