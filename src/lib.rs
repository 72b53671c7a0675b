//! Bookwork: book clubs, their members, meetings, RSVPs and what we read.
//!
//! The crate builds twice: with `ssr` it is the server (axum + sqlx), with
//! `hydrate` it is the WASM bundle that makes server-rendered pages live.
//!
//! Modules are layered, lowest first; a module imports only from layers
//! below it, and no two files import each other, even indirectly. The layers
//! are listed once, in `docs/ARCHITECTURE.md` ("Layers"), and
//! `tests/app/layering.rs` reads that list and enforces it.
//!
//! Inside a feature: `pages` → `api` → `db` → `model`, never back.
#![recursion_limit = "256"]

pub mod error;

#[cfg(feature = "ssr")]
pub mod platform;

pub mod forms;
pub mod ui;

pub mod auth;

pub mod notify;

pub mod layout;
#[cfg(feature = "ssr")]
pub mod places;

pub mod clubs;

pub mod books;

pub mod reading;

pub mod events;

pub mod polls;

pub mod admin;
pub mod home;
pub mod profile;
#[cfg(feature = "ssr")]
pub mod record;

pub mod app;
// The public API for programs (/api/v1), above every feature it serves.
#[cfg(feature = "ssr")]
pub mod api;

#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM bundle: readies the reactive system; the page's
/// loader script then hands each `<leptos-island>` to its island's function
/// (the WASM exports one per `#[island]`). The rest of the page stays as the
/// server rendered it.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
