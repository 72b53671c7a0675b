//! New comments while a discussion is open: an island that asks the server
//! for the section's or meeting's discussion every few seconds (the same
//! server function the page reads, gated the same way) and shows the comments that came
//! after the page was rendered. Asking rather than being told keeps it
//! working across instances and behind a transaction-mode pooler, where
//! `LISTEN` cannot. Without JavaScript, a reload shows them.
use std::time::Duration;

use leptos::prelude::*;
use uuid::Uuid;

use super::api::{meeting_discussion, reading_thread};
use super::model::{CommentView, Topic};

/// How often an open discussion asks for what is new.
const EVERY: Duration = Duration::from_secs(3);

/// An island: the comments posted since the page was rendered, below those
/// it shows (`known`), for a reader the discussion is open to.
#[island]
pub fn LiveComments(topic: Topic, reveal: bool, known: Vec<Uuid>) -> impl IntoView {
    let fresh = RwSignal::new(Vec::<CommentView>::new());
    let known = StoredValue::new(known);
    // Effects run only in the browser.
    Effect::new(move |_| {
        set_interval(
            move || {
                leptos::task::spawn_local(async move {
                    // A failed ask (offline, signed out) shows nothing new;
                    // the next one tries again.
                    let now = match topic {
                        Topic::Section(id) => reading_thread(id, reveal).await.map(|t| t.comments),
                        Topic::Meeting(id) => meeting_discussion(id).await.map(|t| t.comments),
                    };
                    if let Ok(comments) = now {
                        let new: Vec<CommentView> = comments
                            .into_iter()
                            .filter(|c| {
                                !c.deleted && !c.hidden && known.with_value(|k| !k.contains(&c.id))
                            })
                            .collect();
                        if new.len() != fresh.with_untracked(Vec::len) {
                            fresh.set(new);
                        }
                    }
                });
            },
            EVERY,
        );
    });
    let here = format!("{}{}", topic.href(), if reveal { "?show=all" } else { "" });
    view! {
        <div class="live-comments" aria-live="polite" data-testid="live-comments">
            {move || {
                let new = fresh.get();
                (!new.is_empty()).then(|| {
                    let count = new.len();
                    view! {
                        <h3 class="subheading">{if count == 1 { "1 new comment".to_owned() } else { format!("{count} new comments") }}</h3>
                        <ol class="comments">
                            {new.into_iter().map(|c| view! {
                                <li class="comment">
                                    <div class="comment-meta">
                                        <strong>{c.author.clone().unwrap_or_else(|| "A former member".to_owned())}</strong>
                                        " · "<span class="muted">{c.posted.clone()}</span>
                                    </div>
                                    <div class="comment-text" inner_html=c.html></div>
                                </li>
                            }).collect_view()}
                        </ol>
                        <p><a href=here.clone()>"Reload to reply to them"</a></p>
                    }
                })
            }}
        </div>
    }
}
