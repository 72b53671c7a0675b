//! The event page's agenda and tasks: the list, each item's status, edit and
//! remove forms, and the form that adds one.
use leptos::prelude::*;
use uuid::Uuid;

use super::api::{AddItem, EditItem, RemoveItem, SetItemStatus, VolunteerForItem};
use super::model::{Assignable, ItemView, ITEM_CATEGORIES, ITEM_STATUSES};
use crate::events::model::{label, EventPage};
use crate::forms::{field_error, textarea_text, ActionResult, FormError, Typed};
use crate::ui::Confirm;

pub(in crate::events) fn options(
    values: &'static [&'static str],
    selected: String,
) -> impl IntoView {
    values
        .iter()
        .map(|v| {
            let is = selected == *v;
            view! { <option value=*v selected=is>{label(v).to_owned()}</option> }
        })
        .collect_view()
}

/// The item form's fields (add and edit share them).
#[component]
fn ItemFields(
    assignable: Vec<Assignable>,
    item: Option<ItemView>,
    result: ActionResult,
    prefix: String,
    /// What was typed into this form before a failed no-JavaScript post.
    typed: Typed,
) -> impl IntoView {
    let name = typed.or(
        "name",
        item.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
    );
    let category = typed.or(
        "category",
        item.as_ref()
            .map(|i| i.category.clone())
            .unwrap_or_else(|| "task".into()),
    );
    let notes = typed.or(
        "notes",
        item.as_ref().map(|i| i.notes.clone()).unwrap_or_default(),
    );
    let assignee = match typed.get("assignee") {
        Some(typed) => typed.parse::<Uuid>().ok(),
        None => item.as_ref().and_then(|i| i.assignee_id),
    };
    let name_id = format!("{prefix}-name");
    let cat_id = format!("{prefix}-category");
    let who_id = format!("{prefix}-assignee");
    let notes_id = format!("{prefix}-notes");
    view! {
        <div class="field">
            <label for=name_id.clone()>"Item"</label>
            <input id=name_id name="name" value=name aria-invalid=move || field_error(result, "name").get().map(|_| "true")/>
            {move || field_error(result, "name").get().map(|m| view! { <span class="field-error">{m}</span> })}
        </div>
        <div class="field">
            <label for=cat_id.clone()>"Kind"</label>
            <select id=cat_id name="category" aria-invalid=move || field_error(result, "category").get().map(|_| "true")>{options(&ITEM_CATEGORIES, category)}</select>
            {move || field_error(result, "category").get().map(|m| view! { <span class="field-error">{m}</span> })}
        </div>
        <div class="field">
            <label for=who_id.clone()>"Assigned to"</label>
            <select id=who_id name="assignee" aria-invalid=move || field_error(result, "assignee").get().map(|_| "true")>
                <option value="">"Nobody"</option>
                {assignable.iter().map(|m| {
                    let is = assignee == Some(m.id);
                    view! { <option value=m.id.to_string() selected=is>{m.name.clone()}</option> }
                }).collect_view()}
            </select>
            {move || field_error(result, "assignee").get().map(|m| view! { <span class="field-error">{m}</span> })}
        </div>
        <div class="field">
            <label for=notes_id.clone()>"Notes"</label>
            <textarea id=notes_id name="notes" rows="2">{textarea_text(notes)}</textarea>
            {move || field_error(result, "notes").get().map(|m| view! { <span class="field-error">{m}</span> })}
        </div>
    }
}

/// The event page's forms for items, made by the page.
#[derive(Clone, Copy)]
pub struct ItemActions {
    pub add: ServerAction<AddItem>,
    pub edit: ServerAction<EditItem>,
    pub remove: ServerAction<RemoveItem>,
    pub status: ServerAction<SetItemStatus>,
    pub volunteer: ServerAction<VolunteerForItem>,
}

/// What was typed into the item forms before a failed post.
#[derive(Clone, Default)]
pub struct ItemForms {
    pub add: Typed,
    pub edit: Typed,
}

#[component]
pub fn ItemsSection(e: EventPage, actions: ItemActions, typed: ItemForms) -> impl IntoView {
    let added: ActionResult = Signal::derive(move || actions.add.value().get());
    let edited: ActionResult = Signal::derive(move || actions.edit.value().get());
    let removed: ActionResult = Signal::derive(move || actions.remove.value().get());
    let status: ActionResult = Signal::derive(move || actions.status.value().get());
    let volunteered: ActionResult = Signal::derive(move || actions.volunteer.value().get());
    let event_id = e.id.to_string();
    let items = e.items.clone();
    let assignable = e.assignable.clone();
    let (can_manage, can_delete) = (e.can_manage_items, e.can_delete_items);
    view! {
        <section class="card" aria-labelledby="items-heading">
            <h2 id="items-heading">"Agenda and tasks"</h2>
            <FormError error=field_error(status, "form")/>
            <FormError error=field_error(volunteered, "form")/>
            <FormError error=field_error(removed, "form")/>
            <FormError error=field_error(edited, "form")/>
            {if items.is_empty() {
                view! { <p class="muted">"No items yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="items" data-testid="items">
                        {items.into_iter().map(|i| {
                            let item_id = i.id.to_string();
                            let delete_name = i.name.clone();
                            let (status_id, edit_id, delete_id) = (item_id.clone(), item_id.clone(), item_id.clone());
                            let select_id = format!("status-{item_id}");
                            let prefix = format!("edit-{item_id}");
                            let assignable = assignable.clone();
                            let status_now = i.status.clone();
                            let editing = i.clone();
                            let typed_edit = typed.edit.for_form("item", i.id);
                            // A failed no-JavaScript edit comes back open, with its errors.
                            let reopen = !typed_edit.0.is_empty();
                            view! {
                                <li class="item" data-testid="item">
                                    <div class="item-main">
                                        <p class="item-line">
                                            <span class="badge">{label(&i.category).to_owned()}</span>
                                            <strong>{i.name.clone()}</strong>
                                        </p>
                                        <p class="item-facts muted">
                                            <span data-testid="item-assignee">{i.assignee.clone().unwrap_or_else(|| "unassigned".into())}</span>
                                            " · "<span class="status" data-testid="item-status">{label(&i.status).to_owned()}</span>
                                        </p>
                                        {(!i.notes.is_empty()).then(|| view! { <p class="item-notes pre-wrap">{i.notes.clone()}</p> })}
                                    </div>
                                    <div class="item-actions">
                                        {i.can_volunteer.then(|| {
                                            let id = i.id.to_string();
                                            let label = format!("I'll bring “{}”", i.name);
                                            view! {
                                                <ActionForm action=actions.volunteer attr:class="inline-form">
                                                    <input type="hidden" name="item" value=id/>
                                                    <button type="submit" class="secondary" aria-label=label>"I'll bring it"</button>
                                                </ActionForm>
                                            }
                                        })}
                                        {i.can_update_status.then(move || view! {
                                            <ActionForm action=actions.status attr:class="inline-form">
                                                <input type="hidden" name="item" value=status_id/>
                                                <label class="visually-hidden" for=select_id.clone()>"Status"</label>
                                                <select id=select_id name="status">{options(&ITEM_STATUSES, status_now)}</select>
                                                <button type="submit" class="secondary">"Update"</button>
                                            </ActionForm>
                                        })}
                                        // Site moderators may delete but not edit: the
                                        // confirmation stands on its own for them.
                                        {(can_delete && !can_manage).then(|| {
                                            let delete_name = delete_name.clone();
                                            let delete_id = delete_id.clone();
                                            view! {
                                                <Confirm label="Delete" question=format!("Delete “{}” from the agenda?", delete_name)>
                                                    <ActionForm action=actions.remove attr:class="inline-form">
                                                        <input type="hidden" name="item" value=delete_id/>
                                                        <button type="submit" class="danger">{format!("Delete “{}”", delete_name)}</button>
                                                    </ActionForm>
                                                </Confirm>
                                            }
                                        })}
                                    </div>
                                    // Editing and deleting an item share one
                                    // disclosure, so a row stays one line until opened.
                                    {can_manage.then(move || view! {
                                        <details class="item-edit" open=reopen>
                                            <summary>"Edit"<span class="visually-hidden">{format!(" “{}”", editing.name)}</span></summary>
                                            <ActionForm action=actions.edit attr:novalidate="" attr:aria-label="Edit item">
                                                <input type="hidden" name="item" value=edit_id/>
                                                <ItemFields assignable=assignable item=Some(editing.clone()) result=edited prefix=prefix typed=typed_edit/>
                                                <button type="submit">"Save item"</button>
                                            </ActionForm>
                                            {can_delete.then(|| view! {
                                                <Confirm label="Delete this item" question=format!("Delete “{}” from the agenda?", delete_name)>
                                                    <ActionForm action=actions.remove attr:class="inline-form">
                                                        <input type="hidden" name="item" value=delete_id/>
                                                        <button type="submit" class="danger">{format!("Delete “{}”", delete_name)}</button>
                                                    </ActionForm>
                                                </Confirm>
                                            })}
                                        </details>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_manage.then(|| view! {
                <h3>"Add an item"</h3>
                <ActionForm action=actions.add attr:novalidate="" attr:aria-label="Add item">
                    <input type="hidden" name="event" value=event_id/>
                    <FormError error=field_error(added, "form")/>
                    <ItemFields assignable=e.assignable.clone() item=None result=added prefix="new-item".to_owned() typed=typed.add.for_form("event", e.id)/>
                    <button type="submit" aria-busy=move || actions.add.pending().get().then_some("true")>"Add item"</button>
                </ActionForm>
            })}
        </section>
    }
}
