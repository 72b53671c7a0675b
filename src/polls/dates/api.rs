//! Date polls as server functions: the new date poll form and creating one,
//! answering the dates, and the plan-the-meeting form and planning it. Each
//! asks who is asking and what they may do in its own body (`db.rs`,
//! `planning.rs`, the polls' `authz.rs`).
use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{DatePollInput, PlanForm};
#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;
use crate::error::AppError;
use crate::polls::model::NewPollForm;

#[server(endpoint = "polls/new-date-form")]
pub async fn date_poll_form(club: Uuid) -> Result<NewPollForm, AppError> {
    as_viewer(async |db, me| super::db::new_form(db, club, me).await).await
}

/// Opens a date poll over the dates typed in rows `slot_date[row-N]` and
/// `slot_time[row-N]` (empty rows are skipped); answers with its page.
#[server(endpoint = "polls/create-date")]
pub async fn create_date_poll(
    club: Uuid,
    #[server(flatten)] poll: DatePollInput,
) -> Result<(), AppError> {
    let id = as_viewer(async |db, me| super::db::create(db, club, me, &poll).await).await?;
    crate::platform::flash::say("The date poll is open. Members can say which dates suit them.");
    leptos_axum::redirect(&format!("/polls/{id}"));
    Ok(())
}

/// Saves the viewer's answers to a date poll: `answer[option-<id>]` = yes,
/// maybe or no.
#[server(endpoint = "polls/answer")]
pub async fn answer_dates(
    poll: Uuid,
    answer: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    let answer = answer.unwrap_or_default();
    as_viewer(async |db, me| super::db::answer(db, poll, me, &answer).await).await
}

#[server(endpoint = "polls/plan-form")]
pub async fn meeting_form(poll: Uuid, option: Uuid) -> Result<PlanForm, AppError> {
    as_viewer(async |db, me| super::planning::plan_form(db, poll, option, me).await).await
}

/// "Plan the meeting": creates the event from the form, links it to the poll
/// and closes the poll; answers with the event's page.
#[server(endpoint = "polls/plan")]
pub async fn plan_meeting(
    poll: Uuid,
    #[server(flatten)] form: crate::events::model::EventInput,
) -> Result<(), AppError> {
    let event = as_viewer(async |db, me| super::planning::plan(db, poll, me, &form).await).await?;
    crate::platform::flash::say("The meeting is planned and the date poll is closed.");
    leptos_axum::redirect(&format!("/events/{event}"));
    Ok(())
}
