//! Reading together as server functions; each one asks who is asking and
//! what they may do in its own body (`db.rs`, `discussion.rs`, `authz.rs`).
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::model::Topic;
use super::model::{
    MeetingQuestions, MeetingThread, ModerationQueue, NowReading, ReadingPlan, SectionInput, Thread,
};
#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;
use crate::error::AppError;

/// A book's schedule, the viewer's progress and where the others are.
#[server(endpoint = "reading/plan")]
pub async fn get_reading_plan(book: Uuid) -> Result<ReadingPlan, AppError> {
    as_viewer(async |db, me| super::db::plan(db, book, me).await).await
}

/// What a club reads now and next, with where each schedule stands.
#[server(endpoint = "reading/club")]
pub async fn club_reading(club: Uuid) -> Result<Vec<NowReading>, AppError> {
    as_viewer(async |db, me| super::db::now_reading(db, club, me).await).await
}

/// A section's discussion; `reveal` shows it to a reader who has not
/// finished the section (they asked to see it anyway).
#[server(endpoint = "reading/thread")]
pub async fn reading_thread(section: Uuid, reveal: bool) -> Result<Thread, AppError> {
    as_viewer(async |db, me| super::discussion::thread(db, section, me, reveal).await).await
}

#[server(endpoint = "reading/sections/add")]
pub async fn add_section(
    book: Uuid,
    #[server(flatten)] input: SectionInput,
) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::add_section(db, book, me, &input).await).await?;
    crate::platform::flash::say(format!("Added “{}” to the schedule.", input.title.trim()));
    Ok(())
}

#[server(endpoint = "reading/sections/edit")]
pub async fn edit_section(
    section: Uuid,
    #[server(flatten)] input: SectionInput,
) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::edit_section(db, section, me, &input).await).await?;
    crate::platform::flash::say(format!("Saved “{}”.", input.title.trim()));
    Ok(())
}

#[server(endpoint = "reading/sections/remove")]
pub async fn remove_section(section: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::remove_section(db, section, me).await).await?;
    crate::platform::flash::say("The section is removed from the schedule.");
    Ok(())
}

/// Sets how far I have read: every section up to `through` finished (none
/// when it is empty), where I am within the book (`place`: a page or a
/// percentage, or nothing); a ticked `hidden` keeps it from the others.
#[server(endpoint = "reading/progress")]
pub async fn set_progress(
    book: Uuid,
    through: Option<String>,
    place: Option<String>,
    hidden: Option<String>,
) -> Result<(), AppError> {
    let hidden = hidden.is_some();
    as_viewer(async |db, me| {
        super::db::set_progress(db, book, me, through.as_deref(), place.as_deref(), hidden).await
    })
    .await?;
    crate::platform::flash::say("Your progress is saved.");
    Ok(())
}

/// "I've finished this section": it and every section before it.
#[server(endpoint = "reading/finish")]
pub async fn finish_section(section: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::finish(db, section, me).await).await?;
    crate::platform::flash::say("Marked as finished.");
    Ok(())
}

#[server(endpoint = "reading/comments/post")]
pub async fn post_comment(
    section: Uuid,
    body: String,
    parent: Option<String>,
) -> Result<(), AppError> {
    as_viewer(async |db, me| {
        super::discussion::post(db, Topic::Section(section), me, &body, parent.as_deref()).await
    })
    .await?;
    say_posted(parent.as_deref());
    Ok(())
}

/// A meeting's discussion.
#[server(endpoint = "reading/meeting-thread")]
pub async fn meeting_discussion(event: Uuid) -> Result<MeetingThread, AppError> {
    as_viewer(async |db, me| super::discussion::meeting_thread(db, event, me).await).await
}

/// Posts to a meeting's discussion (a reply when `parent` is given).
#[server(endpoint = "reading/meeting-comments/post")]
pub async fn post_meeting_comment(
    event: Uuid,
    body: String,
    parent: Option<String>,
) -> Result<(), AppError> {
    as_viewer(async |db, me| {
        super::discussion::post(db, Topic::Meeting(event), me, &body, parent.as_deref()).await
    })
    .await?;
    say_posted(parent.as_deref());
    Ok(())
}

#[cfg(feature = "ssr")]
fn say_posted(parent: Option<&str>) {
    crate::platform::flash::say(if parent.is_some_and(|p| !p.trim().is_empty()) {
        "Your reply is posted."
    } else {
        "Your comment is posted."
    });
}

#[server(endpoint = "reading/comments/edit")]
pub async fn edit_comment(comment: Uuid, body: String, revision: i32) -> Result<(), AppError> {
    as_viewer(async |db, me| super::discussion::edit(db, comment, me, &body, revision).await)
        .await?;
    crate::platform::flash::say("Your comment is saved.");
    Ok(())
}

#[server(endpoint = "reading/comments/delete")]
pub async fn delete_comment(comment: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::discussion::delete(db, comment, me).await).await?;
    crate::platform::flash::say("Your comment is deleted.");
    Ok(())
}

/// A meeting's discussion questions: those picked, in order, and those
/// suggested.
#[server(endpoint = "reading/questions")]
pub async fn questions_of(event: Uuid) -> Result<MeetingQuestions, AppError> {
    as_viewer(async |db, me| super::questions::questions(db, event, me).await).await
}

/// Suggests a question for a meeting, about one of its book's sections
/// (`section`, empty for the meeting as a whole).
#[server(endpoint = "reading/questions/suggest")]
pub async fn suggest_question(
    event: Uuid,
    text: String,
    section: Option<String>,
) -> Result<(), AppError> {
    as_viewer(async |db, me| {
        super::questions::suggest(db, event, me, &text, section.as_deref()).await
    })
    .await?;
    crate::platform::flash::say("Your question is suggested.");
    Ok(())
}

#[server(endpoint = "reading/questions/pick")]
pub async fn pick_question(question: Uuid) -> Result<(), AppError> {
    arrange(
        question,
        super::questions::Arrange::Pick,
        "Added to the list.",
    )
    .await
}

#[server(endpoint = "reading/questions/unpick")]
pub async fn unpick_question(question: Uuid) -> Result<(), AppError> {
    arrange(
        question,
        super::questions::Arrange::Unpick,
        "Taken off the list.",
    )
    .await
}

#[server(endpoint = "reading/questions/up")]
pub async fn move_question_up(question: Uuid) -> Result<(), AppError> {
    arrange(question, super::questions::Arrange::Up, "Moved up.").await
}

#[cfg(feature = "ssr")]
async fn arrange(
    question: Uuid,
    how: super::questions::Arrange,
    said: &'static str,
) -> Result<(), AppError> {
    as_viewer(async |db, me| super::questions::arrange(db, question, me, how).await).await?;
    crate::platform::flash::say(said);
    Ok(())
}

#[server(endpoint = "reading/questions/withdraw")]
pub async fn withdraw_question(question: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::questions::withdraw(db, question, me).await).await?;
    crate::platform::flash::say("The question is withdrawn.");
    Ok(())
}

/// Reports a comment to the club's admins, saying why.
#[server(endpoint = "reading/comments/report")]
pub async fn report_comment(comment: Uuid, reason: String) -> Result<(), AppError> {
    as_viewer(async |db, me| super::moderation::report(db, comment, me, &reason).await).await?;
    crate::platform::flash::say("Thank you: the club's admins will look at it.");
    Ok(())
}

/// Hides a comment from the club, saying why (the club's admins, site
/// moderators).
#[server(endpoint = "reading/comments/hide")]
pub async fn hide_comment(comment: Uuid, reason: String) -> Result<(), AppError> {
    as_viewer(async |db, me| super::moderation::moderate(db, comment, me, Some(&reason)).await)
        .await?;
    crate::platform::flash::say("The comment is hidden.");
    Ok(())
}

/// Shows a hidden comment again.
#[server(endpoint = "reading/comments/unhide")]
pub async fn unhide_comment(comment: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::moderation::moderate(db, comment, me, None).await).await?;
    crate::platform::flash::say("The comment shows again.");
    Ok(())
}

/// What was reported in a club's discussions, and what was hidden.
#[server(endpoint = "reading/moderation")]
pub async fn club_moderation(club: Uuid) -> Result<ModerationQueue, AppError> {
    as_viewer(async |db, me| super::moderation::queue(db, club, me).await).await
}
