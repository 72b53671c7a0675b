//! What a club and a reader take with them: the club's record (books read
//! with their dates, reading schedules, meetings with who came, book polls
//! round by round and date polls' answers, discussion questions) as a zip
//! of JSON and CSV files for the club's admins (`/clubs/{id}/record.zip`),
//! and everything a reader wrote in discussions and questions
//! (`/me/writing.json`). Server only: both are downloads, not pages.
//!
//! Files import one way: `downloads` (the HTTP handlers) → `db` (reads,
//! as the viewer) → `authz`; `downloads` → `archive` (zip and CSV).
pub mod archive;
pub mod authz;
pub mod db;
pub mod downloads;
