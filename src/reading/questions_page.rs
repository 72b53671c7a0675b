//! `/events/{id}/questions`: a meeting's discussion questions — the list
//! the organisers picked, in order (what the page prints), the questions
//! members suggested, and the form to suggest one. A question about a
//! section the reader has not finished says so instead of what it asks.
//! Everything works without JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{
    questions_of, MoveQuestionUp, PickQuestion, SuggestQuestion, UnpickQuestion, WithdrawQuestion,
};
use super::model::{MeetingQuestions, QuestionView};
use crate::error::AppError;
use crate::forms::{field_error, remembered, textarea_text, ActionResult, FormError, Typed};
use crate::layout::{page_view, uuid_param};
use crate::ui::Confirm;

#[derive(Clone, Copy)]
struct QuestionActions {
    suggest: ServerAction<SuggestQuestion>,
    pick: ServerAction<PickQuestion>,
    unpick: ServerAction<UnpickQuestion>,
    up: ServerAction<MoveQuestionUp>,
    withdraw: ServerAction<WithdrawQuestion>,
}

#[component]
pub fn QuestionsPage() -> impl IntoView {
    let id = uuid_param("id");
    let actions = QuestionActions {
        suggest: ServerAction::<SuggestQuestion>::new(),
        pick: ServerAction::<PickQuestion>::new(),
        unpick: ServerAction::<UnpickQuestion>::new(),
        up: ServerAction::<MoveQuestionUp>::new(),
        withdraw: ServerAction::<WithdrawQuestion>::new(),
    };
    let typed = remembered::<SuggestQuestion>();
    let questions = Resource::new(id, |id| async move {
        match id {
            Some(id) => questions_of(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        {page_view(
            move || async move { Ok((typed.await, questions.await?)) },
            move |(typed, q)| view! { <Questions q actions typed/> }.into_any(),
        )}
    }
}

#[component]
fn Questions(q: MeetingQuestions, actions: QuestionActions, typed: Typed) -> impl IntoView {
    let title = format!("Questions · {}", q.event_title);
    let suggested: ActionResult = Signal::derive(move || actions.suggest.value().get());
    let changed: ActionResult = Signal::derive(move || {
        [
            actions.pick.value().get(),
            actions.unpick.value().get(),
            actions.up.value().get(),
            actions.withdraw.value().get(),
        ]
        .into_iter()
        .flatten()
        .find(Result::is_err)
    });
    let arrange = q.can_arrange;
    let picked = if q.picked.is_empty() {
        view! { <p class="muted">"No questions picked yet."</p> }.into_any()
    } else {
        view! {
            <ol class="questions" data-testid="picked-questions">
                {q.picked.into_iter().map(|x| view! { <Question q=x arrange actions/> }).collect_view()}
            </ol>
        }
        .into_any()
    };
    let sections = q.sections.clone();
    view! {
        <Title text=title/>
        <p class="no-print"><a href=format!("/events/{}", q.event_id)>"← " {q.event_title.clone()}</a></p>
        <h1>"Questions for " {q.event_title.clone()}</h1>
        <p class="muted">{format!("{} · {}", q.when, q.club_name)}</p>
        <FormError error=field_error(changed, "form")/>
        <section class="card" aria-labelledby="picked-heading">
            <h2 id="picked-heading">"Our questions"</h2>
            {picked}
            <p class="muted no-print">"This list prints on its own: print the page to bring it to the meeting."</p>
        </section>
        <section class="card no-print" aria-labelledby="suggested-heading">
            <h2 id="suggested-heading">"Suggested"</h2>
            {if q.suggested.is_empty() {
                view! { <p class="muted">"No suggestions waiting."</p> }.into_any()
            } else {
                view! {
                    <ul class="questions" data-testid="suggested-questions">
                        {q.suggested.into_iter().map(|x| view! { <Question q=x arrange actions/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {q.can_suggest.then(|| {
            let text = typed.or("text", String::new());
            let chosen = typed.get("section").unwrap_or_default();
            view! {
                <section class="card no-print" aria-labelledby="suggest-heading">
                    <h2 id="suggest-heading">"Suggest a question"</h2>
                    <ActionForm action=actions.suggest attr:class="stack" attr:novalidate="" attr:aria-label="Suggest a question">
                        <input type="hidden" name="event" value=q.event_id.to_string()/>
                        <FormError error=field_error(suggested, "form")/>
                        <div class="field">
                            <label for="question-text">"Your question"</label>
                            <textarea id="question-text" name="text" rows="3"
                                aria-invalid=move || field_error(suggested, "text").get().map(|_| "true")>{textarea_text(text)}</textarea>
                            {move || field_error(suggested, "text").get().map(|m| view! { <span class="field-error">{m}</span> })}
                        </div>
                        {(!sections.is_empty()).then(|| view! {
                            <div class="field">
                                <label for="question-section">"It is about"</label>
                                <select id="question-section" name="section" aria-describedby="question-section-hint"
                                    aria-invalid=move || field_error(suggested, "section").get().map(|_| "true")>
                                    <option value="" selected=chosen.is_empty()>"The book as a whole (no spoilers)"</option>
                                    {sections.iter().map(|(id, title)| {
                                        let value = id.to_string();
                                        let selected = chosen == value;
                                        view! { <option value=value selected=selected>{title.clone()}</option> }
                                    }).collect_view()}
                                </select>
                                <span id="question-section-hint" class="hint">"A question about a section is hidden from readers who have not finished it."</span>
                                {move || field_error(suggested, "section").get().map(|m| view! { <span class="field-error">{m}</span> })}
                            </div>
                        })}
                        <button type="submit">"Suggest the question"</button>
                    </ActionForm>
                </section>
            }
        })}
    }
}

#[component]
fn Question(q: QuestionView, arrange: bool, actions: QuestionActions) -> impl IntoView {
    let id = q.id.to_string();
    let about = q.section.clone().map(|s| format!("About “{s}”"));
    let body = match q.text.clone() {
        Some(text) => view! { <p class="question-text">{text}</p> }.into_any(),
        None => view! {
            <p class="muted question-hidden">
                {format!("A question about “{}”, hidden until you have finished it.", q.section.clone().unwrap_or_default())}
            </p>
        }
        .into_any(),
    };
    let byline = [about, q.author.clone().map(|a| format!("suggested by {a}"))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let what = q.text.clone().unwrap_or_else(|| "this question".to_owned());
    let controls = {
        let (pick, unpick, up, withdraw) = (id.clone(), id.clone(), id.clone(), id);
        let (w1, w2, w3, w4) = (what.clone(), what.clone(), what.clone(), what);
        let picked = q.position.is_some();
        let first = q.position == Some(1);
        view! {
            <div class="actions no-print">
                {(arrange && !picked).then(|| view! {
                    <ActionForm action=actions.pick attr:class="inline-form">
                        <input type="hidden" name="question" value=pick/>
                        <button type="submit" class="secondary">"Add to our questions"<span class="visually-hidden">{format!(": {w1}")}</span></button>
                    </ActionForm>
                })}
                {(arrange && picked && !first).then(|| view! {
                    <ActionForm action=actions.up attr:class="inline-form">
                        <input type="hidden" name="question" value=up/>
                        <button type="submit" class="secondary">"Move up"<span class="visually-hidden">{format!(": {w2}")}</span></button>
                    </ActionForm>
                })}
                {(arrange && picked).then(|| view! {
                    <ActionForm action=actions.unpick attr:class="inline-form">
                        <input type="hidden" name="question" value=unpick/>
                        <button type="submit" class="secondary">"Take off the list"<span class="visually-hidden">{format!(": {w3}")}</span></button>
                    </ActionForm>
                })}
                {((q.mine && !picked) || arrange).then(|| {
                    let (label, verb) = if q.mine { ("Withdraw…", "Withdraw") } else { ("Remove…", "Remove") };
                    view! {
                        <Confirm label=label question=format!("{verb} “{w4}”?") detail="It goes from the suggestions and the list.">
                            <ActionForm action=actions.withdraw attr:class="inline-form">
                                <input type="hidden" name="question" value=withdraw/>
                                <button type="submit" class="danger">{format!("{verb} the question")}</button>
                            </ActionForm>
                        </Confirm>
                    }
                })}
            </div>
        }
    };
    view! {
        <li class="question">
            {body}
            {(!byline.is_empty()).then(|| view! { <div class="muted question-by">{byline}</div> })}
            {controls}
        </li>
    }
}
