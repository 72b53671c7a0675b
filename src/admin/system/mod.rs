//! `/admin/system`: the instance, its pool and the database through the
//! `monitoring` views, for site admins.
#[cfg(feature = "ssr")]
pub(super) mod db;
pub mod pages;
