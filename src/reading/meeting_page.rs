//! `/events/{id}/discussion`: a meeting's discussion. The club's people
//! talk about the meeting and the book as a whole, so nothing here waits
//! for a reader's progress; the page says so, and `||…||` marks a spoiler
//! inline. The comments, their controls and the live island are those of a
//! section's discussion (`comment_list.rs`). Everything works without
//! JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{meeting_discussion, EditComment, PostMeetingComment};
use super::comment_list::{CommentActions, CommentList, NewComment, Poster, Powers};
use super::model::MeetingThread;
use crate::error::AppError;
use crate::forms::{field_error, remembered, FormError, Typed};
use crate::layout::{page_view, uuid_param};

#[component]
pub fn MeetingDiscussionPage() -> impl IntoView {
    let id = uuid_param("id");
    let post = ServerAction::<PostMeetingComment>::new();
    let actions = CommentActions::new();
    let typed_post = remembered::<PostMeetingComment>();
    let typed_edit = remembered::<EditComment>();
    let thread = Resource::new(id, |id| async move {
        match id {
            Some(id) => meeting_discussion(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        {page_view(
            move || async move {
                let typed = (typed_post.await, typed_edit.await);
                Ok((typed, thread.await?))
            },
            move |(typed, t)| view! { <MeetingDiscussion t post actions typed/> }.into_any(),
        )}
    }
}

#[component]
fn MeetingDiscussion(
    t: MeetingThread,
    post: ServerAction<PostMeetingComment>,
    actions: CommentActions,
    typed: (Typed, Typed),
) -> impl IntoView {
    let (typed_post, typed_edit) = typed;
    let refused = actions.refused();
    let poster = Poster::Meeting(t.event_id, post);
    let powers = Powers {
        comment: t.can_comment,
        report: t.can_report,
        moderate: t.can_moderate,
    };
    let about = match &t.book {
        Some(book) => format!("{} · {}", t.starts, book),
        None => t.starts.clone(),
    };
    let form = t
        .can_comment
        .then(|| view! { <NewComment poster typed=typed_post.clone()/> });
    view! {
        <Title text=format!("Discussion · {}", t.event_title)/>
        <p><a href=format!("/events/{}", t.event_id)>"← " {t.event_title.clone()}</a></p>
        <h1>"Talking about “" {t.event_title.clone()} "”"</h1>
        <p class="muted">{about}</p>
        <p class="notice" data-testid="meeting-spoilers">
            "Everyone in " {t.club_name.clone()} " reads this, wherever they are in the book. "
            "Wrap anything that gives the story away in ||double bars||, and talk about a section in "
            <a href=format!("/clubs/{}/books", t.club_id)>"its own discussion"</a>
            ", which waits for readers who have not reached it."
        </p>
        <FormError error=field_error(refused, "form")/>
        <FormError error=field_error(refused, "reason")/>
        <CommentList all=t.comments club=t.club_id poster reveal=false powers actions
            typed=(typed_post, typed_edit)/>
        {form}
    }
}
