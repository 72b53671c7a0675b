//! A discussion's comments as a page shows them, shared by a section's
//! discussion (`pages.rs`) and a meeting's (`meeting_page.rs`): the list
//! with replies, each comment's own controls (edit, delete, report, hide),
//! the forms that post to the discussion, and the island that shows new
//! comments.
use leptos::prelude::*;
use uuid::Uuid;

use super::api::{
    DeleteComment, EditComment, HideComment, PostComment, PostMeetingComment, ReportComment,
    UnhideComment,
};
use super::live::LiveComments;
use super::model::{CommentView, Topic};
use crate::forms::{field_error, textarea_text, ActionResult, FormError, Typed};
use crate::ui::Confirm;

/// "3 comments".
pub(super) fn comments_words(n: i64) -> String {
    match n {
        0 => "No comments yet".to_owned(),
        1 => "1 comment".to_owned(),
        n => format!("{n} comments"),
    }
}

/// What a reader does to the comments already there.
#[derive(Clone, Copy)]
pub(super) struct CommentActions {
    edit: ServerAction<EditComment>,
    delete: ServerAction<DeleteComment>,
    report: ServerAction<ReportComment>,
    hide: ServerAction<HideComment>,
    unhide: ServerAction<UnhideComment>,
}

impl CommentActions {
    pub(super) fn new() -> Self {
        CommentActions {
            edit: ServerAction::new(),
            delete: ServerAction::new(),
            report: ServerAction::new(),
            hide: ServerAction::new(),
            unhide: ServerAction::new(),
        }
    }

    /// The latest refusal of any of them, shown at the top of the page.
    pub(super) fn refused(self) -> ActionResult {
        Signal::derive(move || {
            [
                self.edit.value().get(),
                self.delete.value().get(),
                self.report.value().get(),
                self.hide.value().get(),
                self.unhide.value().get(),
            ]
            .into_iter()
            .flatten()
            .find(Result::is_err)
        })
    }
}

/// Posting to a discussion: which one, through its server function.
#[derive(Clone, Copy)]
pub(super) enum Poster {
    Section(Uuid, ServerAction<PostComment>),
    Meeting(Uuid, ServerAction<PostMeetingComment>),
}

impl Poster {
    pub(super) fn topic(self) -> Topic {
        match self {
            Poster::Section(id, _) => Topic::Section(id),
            Poster::Meeting(id, _) => Topic::Meeting(id),
        }
    }

    /// What the last post answered.
    pub(super) fn result(self) -> ActionResult {
        Signal::derive(move || match self {
            Poster::Section(_, a) => a.value().get(),
            Poster::Meeting(_, a) => a.value().get(),
        })
    }
}

/// A form that posts `children` (the text and the button) to the
/// discussion: a comment of its own, or a reply to `parent`.
#[component]
pub(super) fn PostForm(
    poster: Poster,
    parent: Option<Uuid>,
    /// The form's accessible name.
    label: String,
    children: Children,
) -> impl IntoView {
    let (field, id) = poster.topic().field();
    let fields = view! {
        <input type="hidden" name=field value=id/>
        {parent.map(|p| view! { <input type="hidden" name="parent" value=p.to_string()/> })}
        {children()}
    };
    match poster {
        Poster::Section(_, action) => view! {
            <ActionForm action attr:class="stack" attr:novalidate="" attr:aria-label=label>{fields}</ActionForm>
        }
        .into_any(),
        Poster::Meeting(_, action) => view! {
            <ActionForm action attr:class="stack" attr:novalidate="" attr:aria-label=label>{fields}</ActionForm>
        }
        .into_any(),
    }
}

/// What the reader may do to others' comments.
#[derive(Clone, Copy)]
pub(super) struct Powers {
    pub(super) comment: bool,
    pub(super) report: bool,
    pub(super) moderate: bool,
}

/// A discussion's comments, replies under what they answer, with the island
/// that adds new ones. `reveal`: a section's reader asked to see it before
/// finishing it.
#[component]
pub(super) fn CommentList(
    all: Vec<CommentView>,
    club: Uuid,
    poster: Poster,
    reveal: bool,
    powers: Powers,
    actions: CommentActions,
    /// What was typed into the post forms, and into the edit forms.
    typed: (Typed, Typed),
) -> impl IntoView {
    let (typed_post, typed_edit) = typed;
    let known: Vec<Uuid> = all.iter().map(|c| c.id).collect();
    let top: Vec<CommentView> = all
        .iter()
        .filter(|c| c.parent_id.is_none())
        .cloned()
        .collect();
    let moderation = powers.moderate.then(|| view! {
        <p class="muted"><a href=format!("/clubs/{club}/moderation")>"Reported and hidden comments"</a></p>
    });
    view! {
        <section class="card" aria-labelledby="comments-heading">
            <h2 id="comments-heading">{comments_words(all.iter().filter(|c| !c.deleted).count() as i64)}</h2>
            {top.is_empty().then(|| view! { <p class="muted">"Be the first to say something."</p> })}
            <ol class="comments" data-testid="comments">
                {top.into_iter().map(|c| {
                    let replies: Vec<CommentView> = all.iter().filter(|r| r.parent_id == Some(c.id)).cloned().collect();
                    let typed = (typed_post.for_form("parent", c.id), typed_edit.clone());
                    view! { <CommentItem c replies poster powers actions typed/> }
                }).collect_view()}
            </ol>
            <LiveComments topic=poster.topic() reveal known/>
            {moderation}
        </section>
    }
}

/// The form for a new comment of its own (a failed reply comes back to its
/// own form, not this one).
#[component]
pub(super) fn NewComment(poster: Poster, typed: Typed) -> impl IntoView {
    let posted = poster.result();
    let body = typed
        .get("parent")
        .map_or_else(|| typed.or("body", String::new()), |_| String::new());
    view! {
        <section class="card" aria-labelledby="post-heading">
            <h2 id="post-heading">"Add to the discussion"</h2>
            <PostForm poster parent=None label="Add to the discussion".to_owned()>
                <FormError error=field_error(posted, "form")/>
                <div class="field">
                    <label for="comment-body">"Your comment"</label>
                    <textarea id="comment-body" name="body" rows="5" aria-describedby="comment-hint"
                        aria-invalid=move || field_error(posted, "body").get().map(|_| "true")>{textarea_text(body)}</textarea>
                    <span id="comment-hint" class="hint">"*emphasis*, **strong**, [links](https://…), > quotes, lists and `code` work; ||spoiler|| blurs a spoiler; @Name tells a member."</span>
                    {move || field_error(posted, "body").get().map(|m| view! { <span class="field-error">{m}</span> })}
                </div>
                <button type="submit">"Post"</button>
            </PostForm>
        </section>
    }
}

#[component]
fn CommentItem(
    c: CommentView,
    replies: Vec<CommentView>,
    poster: Poster,
    powers: Powers,
    actions: CommentActions,
    /// What was typed into this comment's reply form, and into the edit forms.
    typed: (Typed, Typed),
) -> impl IntoView {
    let (typed_reply, typed) = typed;
    let reply_form = (powers.comment && !c.deleted && !c.hidden).then(|| {
        let reply_id = format!("reply-{}", c.id);
        let retyped = typed_reply.get("body");
        let open = retyped.is_some();
        let label = format!("Reply to {}", c.author.as_deref().unwrap_or("a former member"));
        view! {
            <details class="reply" open=open>
                <summary>"Reply"</summary>
                <PostForm poster parent=Some(c.id) label>
                    <div class="field">
                        <label for=reply_id.clone()>"Your reply"</label>
                        <textarea id=reply_id name="body" rows="3">{textarea_text(retyped.unwrap_or_default())}</textarea>
                    </div>
                    <button type="submit">"Post the reply"</button>
                </PostForm>
            </details>
        }
    });
    view! {
        <li class="comment" id=format!("comment-{}", c.id)>
            <CommentBody c=c.clone() powers actions typed=typed.clone()/>
            {reply_form}
            {(!replies.is_empty()).then(|| view! {
                <ol class="replies">
                    {replies.into_iter().map(|r| {
                        let anchor = format!("comment-{}", r.id);
                        view! { <li class="comment" id=anchor><CommentBody c=r powers actions typed=typed.clone()/></li> }
                    }).collect_view()}
                </ol>
            })}
        </li>
    }
}

#[component]
fn CommentBody(
    c: CommentView,
    powers: Powers,
    actions: CommentActions,
    typed: Typed,
) -> impl IntoView {
    let who = c
        .author
        .clone()
        .unwrap_or_else(|| "A former member".to_owned());
    let meta = format!(
        "{}{}",
        c.posted,
        if c.edited && !c.deleted {
            " · edited"
        } else {
            ""
        }
    );
    let own = (c.mine && !c.deleted && !c.hidden).then(|| {
        let edit_id = format!("edit-{}", c.id);
        // What this comment's author typed before a failed edit, if it was
        // this comment.
        let retyped = typed.for_form("comment", c.id).get("body");
        let open = retyped.is_some();
        let text = retyped.unwrap_or_else(|| c.text.clone().unwrap_or_default());
        let (edit_comment, delete_comment) = (c.id.to_string(), c.id.to_string());
        view! {
            <div class="actions">
                <details class="edit-comment" open=open>
                    <summary class="button secondary">"Edit"</summary>
                    <ActionForm action=actions.edit attr:class="stack" attr:novalidate="">
                        <input type="hidden" name="comment" value=edit_comment/>
                        <input type="hidden" name="revision" value=c.revision.to_string()/>
                        <div class="field">
                            <label for=edit_id.clone()>"Edit your comment"</label>
                            <textarea id=edit_id name="body" rows="4">{textarea_text(text)}</textarea>
                        </div>
                        <button type="submit">"Save"</button>
                    </ActionForm>
                </details>
                <Confirm label="Delete…" question="Delete your comment?" detail="Its text goes; replies to it stay.">
                    <ActionForm action=actions.delete attr:class="inline-form">
                        <input type="hidden" name="comment" value=delete_comment/>
                        <button type="submit" class="danger">"Delete the comment"</button>
                    </ActionForm>
                </Confirm>
            </div>
        }
    });
    let id = c.id.to_string();
    let report_id = id.clone();
    let report = (powers.report && !c.mine && !c.deleted && !c.hidden).then(|| {
        let id = report_id;
        if c.reported {
            return view! { <p class="muted">"You reported this comment."</p> }.into_any();
        }
        let field = format!("report-{}", c.id);
        view! {
            <details class="report-comment">
                <summary>"Report…"</summary>
                <ActionForm action=actions.report attr:class="stack" attr:novalidate="">
                    <input type="hidden" name="comment" value=id.clone()/>
                    <div class="field">
                        <label for=field.clone()>"What is wrong with it? Only the club's admins read this."</label>
                        <textarea id=field name="reason" rows="2"></textarea>
                    </div>
                    <button type="submit" class="secondary">"Send the report"</button>
                </ActionForm>
            </details>
        }
        .into_any()
    });
    let moderate = (powers.moderate && !c.deleted).then(|| {
        let reports = (!c.reports.is_empty()).then(|| view! {
            <p class="notice" data-testid="reports">{format!("Reported: {}", c.reports.join(" · "))}</p>
        });
        let control = if c.hidden {
            view! {
                <p class="notice" data-testid="hidden-note">{format!("Hidden from the club. {}", c.hidden_note.clone().unwrap_or_default())}</p>
                <ActionForm action=actions.unhide attr:class="inline-form">
                    <input type="hidden" name="comment" value=id.clone()/>
                    <button type="submit" class="secondary">"Show it again"</button>
                </ActionForm>
            }
            .into_any()
        } else {
            let field = format!("hide-{}", c.id);
            view! {
                <details class="hide-comment">
                    <summary>"Hide…"</summary>
                    <ActionForm action=actions.hide attr:class="stack" attr:novalidate="">
                        <input type="hidden" name="comment" value=id.clone()/>
                        <div class="field">
                            <label for=field.clone()>"Why hide it? The club's admins and the site's moderators read this."</label>
                            <textarea id=field name="reason" rows="2"></textarea>
                        </div>
                        <button type="submit" class="danger">"Hide the comment"</button>
                    </ActionForm>
                </details>
            }
            .into_any()
        };
        view! { {reports} {control} }
    });
    let text = if c.deleted {
        view! { <p class="muted">"This comment was deleted."</p> }.into_any()
    } else if c.hidden && !powers.moderate {
        view! { <p class="muted" data-testid="hidden-comment">"The club's admins hid this comment."</p> }.into_any()
    } else {
        view! { <div class="comment-text" inner_html=c.html.clone()></div> }.into_any()
    };
    view! {
        <div class="comment-meta"><strong>{who}</strong>" · "<span class="muted">{meta}</span></div>
        {text}
        {own}
        {(report.is_some() || moderate.is_some()).then(|| view! { <div class="actions">{report}{moderate}</div> })}
    }
}
