//! Date polls on the page: `/clubs/{id}/polls/new-date` (propose dates),
//! the grid on `/polls/{id}` (answer yes / if need be / no; everyone's
//! answers; the best date marked), and `/polls/{id}/plan?option=…` (the
//! new-event form filled in from a date). All of it works without
//! JavaScript: answers are radio buttons in one form.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::api::{date_poll_form, meeting_form, AnswerDates, CreateDatePoll, PlanMeeting};
use super::model::{answer_field, answer_label, row_number, DateGrid, DATE_ANSWERS, MAX_DATES};
use crate::error::AppError;
use crate::events::views::{as_typed, EventFormFields};
use crate::forms::{
    field_error, remembered, success_flash, ActionResult, Field, FormError, SelectField, Typed,
};
use crate::layout::{signed_in_page_view, uuid_param};
use crate::polls::model::{shelf_choices, PollPage};

/// Rows shown before "More dates" (the rest wait in a disclosure).
const ROWS_SHOWN: usize = 4;

#[component]
pub fn NewDatePollPage() -> impl IntoView {
    let club = uuid_param("id");
    let create = ServerAction::<CreateDatePoll>::new();
    let typed = remembered::<CreateDatePoll>();
    let form = Resource::new(club, |club| async move {
        match club {
            Some(club) => date_poll_form(club).await,
            None => Err(AppError::NotFound),
        }
    });
    let result: ActionResult = Signal::derive(move || create.value().get());
    view! {
        <Title text="New date poll"/>
        {signed_in_page_view(
            move || async move {
                let typed = typed.await;
                Ok((typed, form.await?))
            },
            move |(typed, f)| {
                let typed = typed.for_form("club", f.club_id);
                let chosen_book = typed.or("book", "");
                // A post with more rows than the form offers comes back
                // with all of them, beside the message that says so.
                let row_count = typed_rows(&typed).max(MAX_DATES);
                let mut rows: Vec<AnyView> = (1..=row_count).map(|n| {
                    let key = format!("row-{n}");
                    let (date_name, time_name) = (format!("slot_date[{key}]"), format!("slot_time[{key}]"));
                    view! {
                        <div class="field-row">
                            <Field label=format!("Date {n}") name=date_name.clone() input_type="date" value=typed.or(&date_name, "") error=field_error(result, date_name.clone())/>
                            <Field label=format!("Time {n}") name=time_name.clone() input_type="time" value=typed.or(&time_name, "") error=field_error(result, time_name.clone())/>
                        </div>
                    }.into_any()
                }).collect();
                let more_rows = rows.split_off(ROWS_SHOWN);
                let more_typed = (ROWS_SHOWN + 1..=row_count)
                    .any(|n| typed.get(&format!("slot_date[row-{n}]")).is_some_and(|d| !d.is_empty()));
                view! {
                    <section class="card narrow">
                        <p><a href=format!("/clubs/{}", f.club_id)>"← " {f.club_name.clone()}</a></p>
                        <h1>"New date poll"</h1>
                        <p class="muted">"Propose a few dates; members say yes, if need be, or no to each, and you plan the meeting on the best one."</p>
                        <ActionForm action=create attr:novalidate="" attr:aria-label="New date poll">
                            <FormError error=field_error(result, "form")/>
                            <input type="hidden" name="club" value=f.club_id.to_string()/>
                            <Field label="Title" name="title" value=typed.or("title", "When shall we meet?") error=field_error(result, "title")/>
                            <Field label="Where (optional)" name="place" value=typed.or("place", "") hint="An address, or a meeting link." error=field_error(result, "place")/>
                            <SelectField label="Book (optional)" name="book" none="No book chosen"
                                choices=shelf_choices(&f.books) chosen=chosen_book error=field_error(result, "book")/>
                            <fieldset aria-describedby="slots-hint slots-error">
                                <legend>"Dates to choose between"</legend>
                                <p id="slots-hint" class="hint muted">{format!("Between 2 and {MAX_DATES}, in the club's time zone, {}. Leave the rows you do not need empty.", f.time_zone)}</p>
                                {move || field_error(result, "slots").get().map(|m| view! { <p id="slots-error" class="field-error" role="alert">{m}</p> })}
                                {rows}
                                <details open=more_typed>
                                    <summary>"More dates"</summary>
                                    {more_rows}
                                </details>
                            </fieldset>
                            <div class="field-row">
                                <Field label="Answers close on" name="date" input_type="date" value=typed.or("date", f.default_date.clone()) error=field_error(result, "date")/>
                                <Field label="At" name="time" input_type="time" value=typed.or("time", "20:00") hint=format!("In the club's time zone, {}.", f.time_zone) error=field_error(result, "time")/>
                            </div>
                            <button type="submit" aria-busy=move || create.pending().get().then_some("true")>"Open the poll"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            }
        )}
    }
}

/// The highest row number among the dates and times typed into a failed
/// post (0 when none).
fn typed_rows(typed: &Typed) -> usize {
    typed
        .0
        .keys()
        .filter_map(|k| {
            let row = k
                .strip_prefix("slot_date[")
                .or_else(|| k.strip_prefix("slot_time["))?;
            row_number(row.strip_suffix(']')?)
        })
        .max()
        .unwrap_or(0)
}

/// A date poll's page body: the dates with the viewer's answers, everyone's
/// answers, and for organisers "plan the meeting" per date.
#[component]
pub fn DatePoll(
    p: PollPage,
    grid: DateGrid,
    answer: ServerAction<AnswerDates>,
    answered: ActionResult,
    typed: Typed,
) -> impl IntoView {
    let typed = typed.for_form("poll", p.id);
    let plannable = p.can_manage && grid.event.is_none();
    let dates = grid.options.iter().enumerate().map(|(i, o)| {
        let best = grid.best == Some(i);
        let name = answer_field(o.id);
        let current = typed.or(&name, grid.mine[i].clone().unwrap_or_default());
        let radios = p.can_vote.then(|| {
            DATE_ANSWERS.iter().map(|(value, label)| {
                let checked = current == *value;
                view! {
                    <label class="choice"><input type="radio" name=name.clone() value=*value checked=checked/>" " {*label}</label>
                }
            }).collect_view()
        });
        let plan = plannable.then(|| view! {
            <a class="button secondary" href=format!("/polls/{}/plan?option={}", p.id, o.id)>"Plan the meeting on this date"</a>
        });
        view! {
            <fieldset class="date-option" class:best=best>
                <legend>{o.when.clone()}{best.then(|| view! { <span class="badge">"Best date"</span> })}</legend>
                <p class="muted">{format!("{} yes · {} if need be · {} no", o.yes, o.maybe, o.no)}</p>
                {radios}
                {plan}
            </fieldset>
        }
    }).collect_view();
    let poll_id = p.id.to_string();
    let body = if p.can_vote {
        view! {
            <ActionForm action=answer attr:aria-label="Your answers" attr:data-testid="date-answers">
                {typed.done().then(|| success_flash("Your answers are saved."))}
                <FormError error=field_error(answered, "form")/>
                <input type="hidden" name="poll" value=poll_id/>
                {dates}
                <button type="submit" aria-busy=move || answer.pending().get().then_some("true")>"Save my answers"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <div>{dates}</div> }.into_any()
    };
    let people = grid.people;
    let names_shown = grid.names_shown;
    view! {
        {grid.event.map(|e| view! {
            <p class="flash success" data-testid="planned">"This poll became a meeting: " <a href=format!("/events/{e}")>"see the meeting"</a> "."</p>
        })}
        <dl class="facts">
            {(!grid.place.is_empty()).then(|| view! { <dt>"Where"</dt><dd>{grid.place.clone()}</dd> })}
            {grid.book.clone().map(|b| view! { <dt>"Book"</dt><dd>{b}</dd> })}
        </dl>
        <section class="card" aria-labelledby="dates-heading">
            <h2 id="dates-heading">{if p.can_vote { "Which dates suit you?" } else { "The dates" }}</h2>
            <p class="muted">{format!("Proposed in the club's time zone, {}; shown in yours.", grid.time_zone)}</p>
            {body}
        </section>
        <section class="card" aria-labelledby="grid-heading">
            <h2 id="grid-heading">{if names_shown { "Everyone's answers" } else { "Answers" }}</h2>
            {(people == 0).then(|| view! { <p class="muted">"Nobody has answered yet."</p> })}
            {(!names_shown).then(|| view! { <p class="muted">"Who answered what is for the club's members to see."</p> })}
            // Focusable, so a keyboard can scroll it on a narrow screen.
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="grid-heading">
                <table class="data-table date-grid" data-testid="date-grid">
                    <caption class="visually-hidden">{if names_shown { "Who can come on each date" } else { "How many can come on each date" }}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{if names_shown { "Member" } else { "" }}</th>
                            {grid.options.iter().enumerate().map(|(i, o)| view! {
                                <th scope="col" class:best=grid.best == Some(i)>{o.when.clone()}{(grid.best == Some(i)).then(|| view! { <span class="badge">"Best"</span> })}</th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {grid.rows.iter().map(|r| view! {
                            <tr>
                                <th scope="row">{r.name.clone()}</th>
                                {r.answers.iter().enumerate().map(|(i, a)| {
                                    let a = a.clone().unwrap_or_default();
                                    view! { <td class=format!("answer answer-{a}") class:best=grid.best == Some(i)>{if a.is_empty() { "–" } else { answer_label(&a) }}</td> }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">"Yes"</th>
                            {grid.options.iter().enumerate().map(|(i, o)| view! { <td class:best=grid.best == Some(i)>{o.yes}</td> }).collect_view()}
                        </tr>
                        <tr>
                            <th scope="row">"If need be"</th>
                            {grid.options.iter().enumerate().map(|(i, o)| view! { <td class:best=grid.best == Some(i)>{o.maybe}</td> }).collect_view()}
                        </tr>
                    </tfoot>
                </table>
            </div>
            <p class="muted">"The best date has the most yes answers, then the most “if need be”; on a tie, the earlier date."</p>
        </section>
    }
}

/// `/polls/{id}/plan?option=…`: the new-event form filled in from a date;
/// saving it creates the meeting, links it to the poll and closes the poll.
#[component]
pub fn PlanMeetingPage() -> impl IntoView {
    let poll = uuid_param("id");
    let query = use_query_map();
    let ids = move || {
        let poll = poll();
        let option = query
            .read()
            .get("option")
            .and_then(|s| s.parse::<Uuid>().ok());
        poll.zip(option)
    };
    let plan = ServerAction::<PlanMeeting>::new();
    let typed = remembered::<PlanMeeting>();
    let form = Resource::new(ids, |ids| async move {
        match ids {
            Some((poll, option)) => meeting_form(poll, option).await,
            None => Err(AppError::NotFound),
        }
    });
    let result: ActionResult = Signal::derive(move || plan.value().get());
    view! {
        <Title text="Plan the meeting"/>
        {signed_in_page_view(
            move || async move {
                let typed = typed.await;
                Ok((typed, form.await?))
            },
            move |(typed, f)| {
                let fields = as_typed(f.fields.form.clone(), &typed.for_form("poll", f.poll_id));
                view! {
                    <section class="card narrow">
                        <p><a href=format!("/polls/{}", f.poll_id)>"← " {f.poll_title.clone()}</a></p>
                        <h1>"Plan the meeting"</h1>
                        <p class="muted">"Check the details and create the meeting: the poll then closes and links to it, and the club hears about the new meeting."</p>
                        <ActionForm action=plan attr:novalidate="" attr:aria-label="Plan the meeting">
                            <input type="hidden" name="poll" value=f.poll_id.to_string()/>
                            <EventFormFields f=fields shelf=f.fields.shelf.clone() hosts=f.fields.hosts.clone() result=result/>
                            <button type="submit" aria-busy=move || plan.pending().get().then_some("true")>"Create the meeting"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            }
        )}
    }
}
