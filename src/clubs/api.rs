// Server functions take one argument per form field, so a form with many
// fields means many arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::authz::Actor;
use crate::error::AppError;
use crate::forms::optional_text as optional;

pub const CLUBS_PER_PAGE: i64 = 12;
pub const MAX_TAGS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubSummary {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub is_public: bool,
    pub member_count: i64,
    pub max_members: Option<i32>,
    pub meeting_frequency: Option<String>,
    pub current_book: Option<String>,
    pub location: Option<String>,
    pub tags: Vec<String>,
}

impl ClubSummary {
    pub fn is_full(&self) -> bool {
        self.max_members
            .is_some_and(|max| self.member_count >= i64::from(max))
    }
}

/// A club as one viewer sees it, with what that viewer may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubView {
    pub club: ClubSummary,
    pub viewer: Actor,
    pub can_join: bool,
    pub can_leave: bool,
    pub can_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubList {
    pub clubs: Vec<ClubSummary>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// A new club's fields as typed, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClub {
    pub name: String,
    pub description: Option<String>,
    pub is_public: bool,
    pub max_members: Option<i32>,
    pub meeting_frequency: Option<String>,
    pub current_book: Option<String>,
    pub location: Option<String>,
    pub tags: Vec<String>,
}

pub fn validate_new_club(
    name: &str,
    description: &str,
    is_public: bool,
    max_members: &str,
    meeting_frequency: &str,
    current_book: &str,
    location: &str,
    tags: &str,
) -> Result<NewClub, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", "Give the club a name."));
    }
    if name.chars().count() > 255 {
        return Err(AppError::validation("name", "Use at most 255 characters."));
    }
    let max_members = match max_members.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(n) if (1..=100_000).contains(&n) => Some(n),
            Ok(_) => {
                return Err(AppError::validation(
                    "max_members",
                    "The member limit must be at least 1 (or leave it empty for no limit).",
                ))
            }
            Err(_) => {
                return Err(AppError::validation(
                    "max_members",
                    "Enter a whole number, or leave it empty for no limit.",
                ))
            }
        },
    };
    let tags: Vec<String> = tags
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .fold(Vec::new(), |mut seen, t| {
            if !seen.contains(&t) {
                seen.push(t);
            }
            seen
        });
    if tags.len() > MAX_TAGS {
        return Err(AppError::validation(
            "tags",
            format!("Use at most {MAX_TAGS} tags."),
        ));
    }
    if tags.iter().any(|t| t.chars().count() > 30) {
        return Err(AppError::validation(
            "tags",
            "Keep each tag to 30 characters.",
        ));
    }
    Ok(NewClub {
        name: name.to_owned(),
        description: optional(description, "description", 5000)?,
        is_public,
        max_members,
        meeting_frequency: optional(meeting_frequency, "meeting_frequency", 50)?,
        current_book: optional(current_book, "current_book", 255)?,
        location: optional(location, "location", 255)?,
        tags,
    })
}

#[server(endpoint = "clubs/create")]
pub async fn create_club(
    name: String,
    description: String,
    is_public: Option<String>,
    max_members: String,
    meeting_frequency: String,
    current_book: String,
    location: String,
    tags: String,
    time_zone: Option<String>,
) -> Result<(), AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::require_user().await?;
            if me.user.role == "guest" {
                return Err(AppError::Forbidden("Guests cannot create clubs.".into()));
            }
            let club = validate_new_club(
                &name,
                &description,
                is_public.is_some(),
                &max_members,
                &meeting_frequency,
                &current_book,
                &location,
                &tags,
            )?;
            let state = crate::server::state::app_state()?;
            let zone = super::db::checked_zone(&state.pool, time_zone.as_deref()).await?;
            let id = super::db::create_club(&state.pool, me.user.id, &club, zone).await?;
            leptos_axum::redirect(&format!("/clubs/{id}"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "clubs/view")]
pub async fn get_club(id: Uuid) -> Result<ClubView, AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::auth().await?.0;
            let state = crate::server::state::app_state()?;
            super::db::club_view(&state.pool, id, me.as_ref().map(|m| &m.user)).await
        }
        .await,
    )
}

#[server(endpoint = "clubs/discover")]
pub async fn discover_clubs(search: String, tag: String, page: i64) -> Result<ClubList, AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::auth().await?.0;
            let state = crate::server::state::app_state()?;
            super::db::discover(
                &state.pool,
                me.as_ref().map(|m| &m.user),
                search.trim(),
                tag.trim(),
                page.max(1),
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "clubs/mine")]
pub async fn my_clubs() -> Result<Vec<ClubSummary>, AppError> {
    crate::server::respond(
        async {
            let Some(me) = crate::auth::server::auth().await?.0 else {
                return Ok(Vec::new());
            };
            let state = crate::server::state::app_state()?;
            super::db::my_clubs(&state.pool, me.user.id).await
        }
        .await,
    )
}

#[server(endpoint = "clubs/join")]
pub async fn join_club(id: Uuid) -> Result<(), AppError> {
    crate::server::respond(
        async {
            // Not require_user(): a hidden club must be a 404 even to visitors.
            let me = crate::auth::server::auth().await?.0;
            let state = crate::server::state::app_state()?;
            super::db::join(&state.pool, id, me.as_ref().map(|m| &m.user)).await
        }
        .await,
    )
}

#[server(endpoint = "clubs/leave")]
pub async fn leave_club(id: Uuid) -> Result<(), AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::auth().await?.0;
            let state = crate::server::state::app_state()?;
            super::db::leave(&state.pool, id, me.as_ref().map(|m| &m.user)).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_club_input_is_checked() {
        let ok = validate_new_club(
            "Readers",
            "",
            true,
            "12",
            "Monthly",
            "",
            "",
            "Sci-Fi, classics, sci-fi",
        )
        .unwrap();
        assert_eq!(ok.max_members, Some(12));
        assert_eq!(ok.tags, ["sci-fi", "classics"]);
        let field = |r: Result<NewClub, AppError>| match r.unwrap_err() {
            AppError::Validation { field, .. } => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(validate_new_club(" ", "", true, "", "", "", "", "")),
            "name"
        );
        assert_eq!(
            field(validate_new_club("R", "", true, "0", "", "", "", "")),
            "max_members"
        );
        assert_eq!(
            field(validate_new_club("R", "", true, "-3", "", "", "", "")),
            "max_members"
        );
        assert_eq!(
            field(validate_new_club("R", "", true, "many", "", "", "", "")),
            "max_members"
        );
        let many: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert_eq!(
            field(validate_new_club(
                "R",
                "",
                true,
                "",
                "",
                "",
                "",
                &many.join(",")
            )),
            "tags"
        );
    }
}

/// A club's editable fields, for the edit form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubFields {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub is_public: bool,
    pub max_members: String,
    pub meeting_frequency: String,
    pub current_book: String,
    pub location: String,
    pub tags: String,
    pub time_zone: String,
}

#[server(endpoint = "clubs/edit-form")]
pub async fn editable_club(id: Uuid) -> Result<ClubFields, AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::auth().await?.0;
            let state = crate::server::state::app_state()?;
            super::db::club_form(&state.pool, id, me.as_ref().map(|m| &m.user)).await
        }
        .await,
    )
}

#[server(endpoint = "clubs/update")]
pub async fn update_club(
    id: Uuid,
    name: String,
    description: String,
    is_public: Option<String>,
    max_members: String,
    meeting_frequency: String,
    current_book: String,
    location: String,
    tags: String,
    time_zone: Option<String>,
) -> Result<(), AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::auth().await?.0;
            let state = crate::server::state::app_state()?;
            let club = validate_new_club(
                &name,
                &description,
                is_public.is_some(),
                &max_members,
                &meeting_frequency,
                &current_book,
                &location,
                &tags,
            );
            super::db::update_club(
                &state.pool,
                id,
                me.as_ref().map(|m| &m.user),
                club,
                time_zone.as_deref(),
            )
            .await?;
            leptos_axum::redirect(&format!("/clubs/{id}"));
            Ok(())
        }
        .await,
    )
}

/// Deletes a club with its events, their items and RSVPs. The owner (or a
/// site admin) confirms by typing the club's name.
#[server(endpoint = "clubs/delete")]
pub async fn delete_club(id: Uuid, confirm_name: String) -> Result<(), AppError> {
    crate::server::respond(
        async {
            let me = crate::auth::server::auth().await?.0;
            let state = crate::server::state::app_state()?;
            super::db::delete_club(
                &state.pool,
                id,
                me.as_ref().map(|m| &m.user),
                confirm_name.trim(),
            )
            .await?;
            leptos_axum::redirect("/clubs");
            Ok(())
        }
        .await,
    )
}
