//! `/books/{id}/reading`: a book's schedule (sections with target dates),
//! my progress and where the club's readers are; for the club's organisers
//! the forms that set the schedule. `/reading/{id}`: a section's
//! discussion, shown to a reader once they have finished the section (or
//! ask to see it anyway). Everything works without JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::api::{
    club_reading, get_reading_plan, reading_thread, AddSection, EditComment, EditSection,
    FinishSection, PostComment, RemoveSection, SetProgress,
};
use super::comment_list::{
    comments_words, CommentActions, CommentList, NewComment, Poster, Powers,
};
use super::model::{ReadingPlan, SectionView, Thread};
use crate::error::AppError;
use crate::forms::{field_error, remembered, ActionResult, Field, FormError, Typed};
use crate::layout::{page_view, uuid_param};
use crate::ui::Confirm;

/// How a section's date reads in the schedule, kindly when it has passed.
fn target_words(s: &SectionView) -> String {
    if s.done {
        format!("Finished · target {}", s.target_label)
    } else if s.behind {
        format!(
            "Target was {} · no rush, the discussion waits for you",
            s.target_label
        )
    } else {
        format!("Read by {}", s.target_label)
    }
}

/// The club page's reading section: the book being read (and the next),
/// with the schedule's next target. Its resource is made when the club page
/// is, beside the club's own.
#[component]
pub fn ClubReadingSection(club: Signal<Option<Uuid>>) -> impl IntoView {
    let reading = Resource::new(
        move || club.get(),
        |club| async move {
            match club {
                Some(club) => club_reading(club).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                reading.await.ok().filter(|books| !books.is_empty()).map(|books| view! {
                    <section class="card" aria-labelledby="reading-heading" data-testid="club-reading">
                        <h2 id="reading-heading">"Reading together"</h2>
                        <ul class="event-list">
                            {books.into_iter().map(|b| {
                                let when = if b.shelf == "reading" { "Reading now" } else { "Up next" };
                                let next = match (b.next, b.sections) {
                                    (Some((title, date)), _) => format!("{title} by {date}"),
                                    (None, 0) => "no schedule yet".to_owned(),
                                    (None, _) => "every target date has passed".to_owned(),
                                };
                                view! {
                                    <li class="event-row">
                                        <span>{format!("{when}: ")}<a href=format!("/books/{}/reading", b.book_id)>{b.title}</a></span>
                                        <span class="muted">{next}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The book page's schedule: each section with its target, ticked when
/// the viewer finished it, and the way to the whole plan. Nothing when the
/// book has no schedule (or the viewer may not see it).
#[component]
pub fn BookScheduleSection(book: Signal<Option<Uuid>>) -> impl IntoView {
    let plan = Resource::new(
        move || book.get(),
        |book| async move {
            match book {
                Some(book) => get_reading_plan(book).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                plan.await.ok().filter(|p| !p.sections.is_empty()).map(|p| view! {
                    <section class="card" aria-labelledby="book-schedule-heading" data-testid="book-schedule">
                        <h2 id="book-schedule-heading">"Reading schedule"</h2>
                        <ol class="schedule">
                            {p.sections.iter().map(|s| view! {
                                <li class=if s.done { "schedule-section done" } else { "schedule-section" }>
                                    <div>
                                        <strong>{s.title.clone()}</strong>
                                        {s.done.then(|| view! { <span class="badge">"✓ finished"</span> })}
                                        <div class="muted">{target_words(s)}</div>
                                    </div>
                                </li>
                            }).collect_view()}
                        </ol>
                        <p><a href=format!("/books/{}/reading", p.book_id)>"Progress and discussion"</a></p>
                    </section>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn ReadingPlanPage() -> impl IntoView {
    let id = uuid_param("id");
    let actions = PlanActions {
        add: ServerAction::<AddSection>::new(),
        edit: ServerAction::<EditSection>::new(),
        remove: ServerAction::<RemoveSection>::new(),
        progress: ServerAction::<SetProgress>::new(),
    };
    let typed_add = remembered::<AddSection>();
    let plan = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_reading_plan(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        {page_view(
            move || async move { Ok((typed_add.await, plan.await?)) },
            move |(typed, p)| view! { <Plan p actions typed/> }.into_any(),
        )}
    }
}

#[derive(Clone, Copy)]
struct PlanActions {
    add: ServerAction<AddSection>,
    edit: ServerAction<EditSection>,
    remove: ServerAction<RemoveSection>,
    progress: ServerAction<SetProgress>,
}

#[component]
fn Plan(p: ReadingPlan, actions: PlanActions, typed: Typed) -> impl IntoView {
    let title = format!("Reading {} · {}", p.book_title, p.club_name);
    let added: ActionResult = Signal::derive(move || actions.add.value().get());
    let changed: ActionResult = Signal::derive(move || {
        actions
            .edit
            .value()
            .get()
            .filter(Result::is_err)
            .or_else(|| actions.remove.value().get().filter(Result::is_err))
    });
    let progressed: ActionResult = Signal::derive(move || actions.progress.value().get());
    let sections = p.sections.clone();
    let schedule = if sections.is_empty() {
        view! {
            <p class="muted">
                {if p.can_set_schedule {
                    "No schedule yet. Split the book into sections below, each with a date to have read it by."
                } else {
                    "No schedule yet: the club's organisers set one."
                }}
            </p>
        }
        .into_any()
    } else {
        let can_discuss = p.can_discuss;
        let can_set = p.can_set_schedule;
        view! {
            <ol class="schedule" data-testid="schedule">
                {sections.into_iter().map(|s| view! { <SectionRow s can_discuss can_set actions/> }).collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <Title text=title/>
        <p>
            <a href=format!("/books/{}", p.book_id)>"← " {p.book_title.clone()}</a>
            " · "
            <a href=format!("/clubs/{}", p.club_id)>{p.club_name.clone()}</a>
        </p>
        <h1>"Reading " <cite>{p.book_title.clone()}</cite></h1>
        <FormError error=field_error(changed, "form")/>
        <section class="card" aria-labelledby="schedule-heading">
            <h2 id="schedule-heading">"Schedule"</h2>
            {schedule}
        </section>
        {p.can_track.then(|| view! { <Progress p=p.clone() action=actions.progress result=progressed/> })}
        {(!p.readers.is_empty() || p.hidden_readers > 0).then(|| view! { <Readers p=p.clone()/> })}
        {p.can_set_schedule.then(|| view! {
            <section class="card" aria-labelledby="add-section-heading">
                <h2 id="add-section-heading">"Add a section"</h2>
                <ActionForm action=actions.add attr:novalidate="" attr:aria-label="Add a section">
                    <input type="hidden" name="book" value=p.book_id.to_string()/>
                    <FormError error=field_error(added, "form")/>
                    <Field label="Section" name="title" value=typed.or("title", String::new())
                        hint="Chapters, pages or a part: “Chapters 1–9”, “Pages 1–120”, “Part one”." error=field_error(added, "title")/>
                    <Field label="Read by" name="target_date" input_type="date" value=typed.or("target_date", String::new())
                        error=field_error(added, "target_date")/>
                    <button type="submit">"Add the section"</button>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
fn SectionRow(
    s: SectionView,
    can_discuss: bool,
    can_set: bool,
    actions: PlanActions,
) -> impl IntoView {
    let words = target_words(&s);
    let class = if s.done {
        "schedule-section done"
    } else if s.behind {
        "schedule-section behind"
    } else {
        "schedule-section"
    };
    let finished = match s.finished_by {
        0 => None,
        1 => Some("1 reader has finished it".to_owned()),
        n => Some(format!("{n} readers have finished it")),
    };
    let discussion = can_discuss.then(|| {
        view! {
            <a href=format!("/reading/{}", s.id)>
                "Discussion"<span class="visually-hidden">{format!(" of {}", s.title)}</span>
                {format!(" ({})", comments_words(s.comments).to_lowercase())}
            </a>
        }
    });
    let organise = can_set.then(|| {
        let (id, title, date) = (s.id.to_string(), s.title.clone(), s.target_date.clone());
        let (title_id, date_id) = (format!("section-title-{}", s.id), format!("section-date-{}", s.id));
        let question = format!("Remove “{}” from the schedule?", s.title);
        let remove_id = id.clone();
        view! {
            <details class="edit-section">
                <summary class="button secondary">"Edit"<span class="visually-hidden">{format!(" {}", s.title)}</span></summary>
                <ActionForm action=actions.edit attr:class="stack" attr:novalidate="">
                    <input type="hidden" name="section" value=id/>
                    <div class="field">
                        <label for=title_id.clone()>"Section"</label>
                        <input id=title_id name="title" value=title/>
                    </div>
                    <div class="field">
                        <label for=date_id.clone()>"Read by"</label>
                        <input id=date_id type="date" name="target_date" value=date/>
                    </div>
                    <button type="submit">"Save the section"</button>
                </ActionForm>
            </details>
            <Confirm label="Remove…" question=question detail="Readers' marks for it go too. A section with comments stays.">
                <ActionForm action=actions.remove attr:class="inline-form">
                    <input type="hidden" name="section" value=remove_id/>
                    <button type="submit" class="danger">"Remove the section"</button>
                </ActionForm>
            </Confirm>
        }
    });
    view! {
        <li class=class data-section=s.title.clone()>
            <div>
                <strong>{s.title.clone()}</strong>
                {s.done.then(|| view! { <span class="badge">"✓ finished"</span> })}
                <div class="muted">{words}</div>
                {finished.map(|f| view! { <div class="muted">{f}</div> })}
            </div>
            <div class="actions">{discussion}{organise}</div>
        </li>
    }
}

#[component]
fn Progress(
    p: ReadingPlan,
    action: ServerAction<SetProgress>,
    result: ActionResult,
) -> impl IntoView {
    let last_done = p
        .sections
        .iter()
        .take_while(|s| s.done)
        .last()
        .map(|s| s.id);
    let options = p
        .sections
        .iter()
        .map(|s| {
            let selected = Some(s.id) == last_done;
            view! { <option value=s.id.to_string() selected=selected>{s.title.clone()}</option> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="progress-heading">
            <h2 id="progress-heading">"My progress"</h2>
            {if p.sections.is_empty() {
                view! { <p class="muted">"Once there is a schedule, you can mark how far you have read."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=action attr:class="stack">
                        <input type="hidden" name="book" value=p.book_id.to_string()/>
                        <FormError error=field_error(result, "form")/>
                        <div class="field">
                            <label for="progress-through">"I have finished up to and including"</label>
                            <select id="progress-through" name="through"
                                aria-invalid=move || field_error(result, "through").get().map(|_| "true")>
                                <option value="" selected=last_done.is_none()>"Nothing yet"</option>
                                {options}
                            </select>
                            {move || field_error(result, "through").get().map(|m| view! { <span class="field-error">{m}</span> })}
                        </div>
                        <Field label="Where I am (optional)" name="place" value=p.my_place.clone()
                            hint="A page, like 140, or how far through, like 45%." error=field_error(result, "place")/>
                        <div class="field checkbox">
                            <label><input type="checkbox" name="hidden" value="yes" checked=p.hidden/>" Keep my progress to myself (the club sees only that someone does)"</label>
                        </div>
                        <button type="submit">"Save my progress"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Readers(p: ReadingPlan) -> impl IntoView {
    let total = p.sections.len();
    let hidden = match p.hidden_readers {
        0 => None,
        1 => Some("1 reader keeps their progress to themself.".to_owned()),
        n => Some(format!("{n} readers keep their progress to themselves.")),
    };
    view! {
        <section class="card" aria-labelledby="readers-heading">
            <h2 id="readers-heading">"Where everyone is"</h2>
            <p class="muted">"Everyone reads at their own pace."</p>
            <ul class="readers" data-testid="readers">
                {p.readers.into_iter().map(|r| {
                    let where_ = match (&r.reached, total) {
                        (None, _) => "not started yet".to_owned(),
                        (Some(last), total) => format!("finished {} of {total}, up to “{last}”", r.finished),
                    };
                    let where_ = match (&r.place, r.reached.is_some()) {
                        (Some(place), true) => format!("{where_} · now at {place}"),
                        (Some(place), false) => format!("at {place}"),
                        (None, _) => where_,
                    };
                    view! { <li><strong>{r.name}</strong>" — "{where_}</li> }
                }).collect_view()}
            </ul>
            {hidden.map(|h| view! { <p class="muted">{h}</p> })}
        </section>
    }
}

#[component]
pub fn ThreadPage() -> impl IntoView {
    let id = uuid_param("id");
    let query = leptos_router::hooks::use_query_map();
    let reveal = move || query.read().get("show").as_deref() == Some("all");
    let actions = ThreadActions {
        post: ServerAction::<PostComment>::new(),
        finish: ServerAction::<FinishSection>::new(),
        comments: CommentActions::new(),
    };
    let typed_post = remembered::<PostComment>();
    let typed_edit = remembered::<EditComment>();
    let thread = Resource::new(
        move || (id(), reveal()),
        |(id, reveal)| async move {
            match id {
                Some(id) => reading_thread(id, reveal).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        {page_view(
            move || async move {
                let typed = (typed_post.await, typed_edit.await);
                Ok((typed, thread.await?))
            },
            move |(typed, t)| view! { <Discussion t actions typed/> }.into_any(),
        )}
    }
}

#[derive(Clone, Copy)]
struct ThreadActions {
    post: ServerAction<PostComment>,
    finish: ServerAction<FinishSection>,
    comments: CommentActions,
}

#[component]
fn Discussion(t: Thread, actions: ThreadActions, typed: (Typed, Typed)) -> impl IntoView {
    let (typed_post, typed_edit) = typed;
    let title = format!("{} · {}", t.section.title, t.book_title);
    let refused = actions.comments.refused();
    let changed: ActionResult = Signal::derive(move || {
        refused
            .get()
            .or_else(|| actions.finish.value().get().filter(Result::is_err))
    });
    let section = t.section.id;
    let poster = Poster::Section(section, actions.post);
    let finish = (t.can_track && !t.section.done).then(|| {
        view! {
            <ActionForm action=actions.finish attr:class="inline-form">
                <input type="hidden" name="section" value=section.to_string()/>
                <button type="submit">"I've finished this section"</button>
            </ActionForm>
        }
    });
    let gate = if t.open {
        t.revealed.then(|| view! {
            <p class="notice" data-testid="revealed">
                "You asked to see this discussion before finishing the section: it may spoil what comes. "
                <a href=format!("/reading/{section}")>"Hide it again"</a>
            </p>
        }.into_any())
    } else {
        let waiting = match t.waiting {
            0 => "Nothing is waiting here yet.".to_owned(),
            1 => "1 comment is waiting for you.".to_owned(),
            n => format!("{n} comments are waiting for you."),
        };
        Some(view! {
            <section class="card spoiler-gate" aria-labelledby="waiting-heading">
                <h2 id="waiting-heading" data-testid="waiting">{waiting}</h2>
                <p>"This discussion is about “" {t.section.title.clone()} "”. It stays hidden until you have finished that section, so nothing is spoiled."</p>
                <div class="actions">
                    {finish}
                    {(t.waiting > 0).then(|| view! { <a class="button secondary" href=format!("/reading/{section}?show=all")>"Show anyway"</a> })}
                </div>
            </section>
        }.into_any())
    };
    let powers = Powers {
        comment: t.can_comment,
        report: t.can_report,
        moderate: t.can_moderate,
    };
    let thread = t.open.then(|| {
        view! {
            <CommentList all=t.comments.clone() club=t.club_id poster reveal=t.revealed powers
                actions=actions.comments typed=(typed_post.clone(), typed_edit)/>
        }
    });
    let form = (t.open && t.can_comment).then(|| view! { <NewComment poster typed=typed_post/> });
    let done_note = (t.open && !t.revealed && t.section.done)
        .then(|| view! { <p class="muted">"✓ You have finished this section."</p> });
    view! {
        <Title text=title/>
        <p>
            <a href=format!("/books/{}/reading", t.book_id)>"← The schedule for " {t.book_title.clone()}</a>
        </p>
        <h1>{t.section.title.clone()}</h1>
        <p class="muted">{target_words(&t.section)}</p>
        {done_note}
        <FormError error=field_error(changed, "form")/>
        <FormError error=field_error(changed, "reason")/>
        {gate}
        {(t.open && t.revealed).then(|| view! {
            <ActionForm action=actions.finish attr:class="inline-form">
                <input type="hidden" name="section" value=section.to_string()/>
                <button type="submit" class="secondary">"I've finished this section"</button>
            </ActionForm>
        })}
        {thread}
        {form}
    }
}
