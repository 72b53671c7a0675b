//! `/clubs/{id}/moderation`: for the club's admins and the site's
//! moderators, the comments reported and not dealt with (hide one with a
//! reason, or keep it) and the comments hidden, with who hid them and why
//! (show one again). What a comment says is shown here whatever the
//! moderator has read: the page warns of spoilers. Works without
//! JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{club_moderation, HideComment, UnhideComment};
use super::model::{ModeratedComment, ModerationQueue};
use crate::error::AppError;
use crate::forms::{field_error, ActionResult, FormError};
use crate::layout::{page_view, uuid_param};

#[derive(Clone, Copy)]
struct ModerationActions {
    hide: ServerAction<HideComment>,
    unhide: ServerAction<UnhideComment>,
}

#[component]
pub fn ModerationPage() -> impl IntoView {
    let id = uuid_param("id");
    let actions = ModerationActions {
        hide: ServerAction::<HideComment>::new(),
        unhide: ServerAction::<UnhideComment>::new(),
    };
    let queue = Resource::new(id, |id| async move {
        match id {
            Some(id) => club_moderation(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        {page_view(
            move || async move { queue.await },
            move |q| view! { <Moderation q actions/> }.into_any(),
        )}
    }
}

#[component]
fn Moderation(q: ModerationQueue, actions: ModerationActions) -> impl IntoView {
    let title = format!("Moderation · {}", q.club_name);
    let changed: ActionResult = Signal::derive(move || {
        [actions.hide.value().get(), actions.unhide.value().get()]
            .into_iter()
            .flatten()
            .find(Result::is_err)
    });
    let reported = if q.reported.is_empty() {
        view! { <p class="muted">"Nothing is waiting: no comment has been reported."</p> }
            .into_any()
    } else {
        view! {
            <ul class="comments" data-testid="reported-comments">
                {q.reported.into_iter().map(|c| view! { <Moderated c actions/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let hidden = if q.hidden.is_empty() {
        view! { <p class="muted">"No comment is hidden."</p> }.into_any()
    } else {
        view! {
            <ul class="comments" data-testid="hidden-comments">
                {q.hidden.into_iter().map(|c| view! { <Moderated c actions/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <Title text=title/>
        <p><a href=format!("/clubs/{}", q.club_id)>"← " {q.club_name.clone()}</a></p>
        <h1>"Moderation"</h1>
        <p class="muted">"What members reported in the club's discussions, and what was hidden. The comments are shown whole here, so they may spoil the book."</p>
        <FormError error=field_error(changed, "form")/>
        <FormError error=field_error(changed, "reason")/>
        <section class="card" aria-labelledby="reported-heading">
            <h2 id="reported-heading">"Reported"</h2>
            {reported}
        </section>
        <section class="card" aria-labelledby="hidden-heading">
            <h2 id="hidden-heading">"Hidden"</h2>
            {hidden}
        </section>
    }
}

#[component]
fn Moderated(c: ModeratedComment, actions: ModerationActions) -> impl IntoView {
    let id = c.id.to_string();
    let field = format!("hide-{}", c.id);
    let control = if c.hidden_note.is_some() {
        view! {
            <ActionForm action=actions.unhide attr:class="inline-form">
                <input type="hidden" name="comment" value=id/>
                <button type="submit" class="secondary">"Show it again"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action=actions.hide attr:class="stack" attr:novalidate="">
                <input type="hidden" name="comment" value=id/>
                <div class="field">
                    <label for=field.clone()>"Why hide it?"</label>
                    <textarea id=field name="reason" rows="2"></textarea>
                </div>
                <button type="submit" class="danger">"Hide the comment"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <li class="comment">
            <div class="comment-meta">
                <strong>{c.author.clone().unwrap_or_else(|| "A former member".to_owned())}</strong>
                " · "<span class="muted">{c.posted.clone()}</span>
                " · "<a href=format!("{}?show=all#comment-{}", c.topic.href(), c.id)>{c.topic_title.clone()}</a>
            </div>
            <p class="pre-wrap">{c.excerpt.clone()}</p>
            {(!c.reports.is_empty()).then(|| view! { <p class="notice">{format!("Reported: {}", c.reports.join(" · "))}</p> })}
            {c.hidden_note.clone().map(|note| view! { <p class="notice">{format!("Hidden. {note}")}</p> })}
            {control}
        </li>
    }
}
