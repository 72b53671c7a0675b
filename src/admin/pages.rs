use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{list_users, SetUserActive, SetUserRole};
use super::model::SITE_ROLES;
use crate::auth::pages::urlencode;
use crate::forms::{field_error, ActionResult, FormError};
use crate::layout::signed_in_page_view;

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    view! {
        <Title text="Users"/>
        <UserAdmin/>
    }
}

/// The list of people, for site admins: anyone else (signed in) gets the
/// refusal page with its 403, as `/admin/system` does; a visitor is sent to
/// sign in first.
#[component]
fn UserAdmin() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let set_role = ServerAction::<SetUserRole>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let users = Resource::new(move || (search(), page()), |(q, p)| list_users(q, p));
    let role_result: ActionResult = Signal::derive(move || set_role.value().get());
    let active_result: ActionResult = Signal::derive(move || set_active.value().get());
    let page_href = move |p: i64| format!("/admin/users?q={}&page={p}", urlencode(&search()));

    signed_in_page_view(
        move || async move { users.await },
        move |list| {
            let pages = list.pages;
            let current = list.page;
            view! {
                        <h1>"Users"</h1>
                        <form method="get" action="/admin/users" class="search-form" role="search">
                            <label for="user-search">"Search by name or email"</label>
                            <input id="user-search" type="search" name="q" value=search()/>
                            <button type="submit">"Search"</button>
                        </form>
                        <FormError error=field_error(role_result, "form")/>
                        <FormError error=field_error(role_result, "role")/>
                        <FormError error=field_error(active_result, "form")/>
                        <p class="muted">{format!("{} people", crate::ui::grouped(list.total))}</p>
                        <div class="table-wrap" tabindex="0" role="region" aria-label="People">
                            <table class="data-table">
                                <thead>
                                    <tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Site role"</th><th scope="col">"Status"</th><th scope="col">"Last sign-in"</th></tr>
                                </thead>
                                <tbody>
                                    {list.users.into_iter().map(|u| {
                                        let id = u.id.to_string();
                                        let role = u.role.clone();
                                        let role_field = format!("role-{id}");
                                        let role_label = format!("Site role of {}", u.name);
                                        let id_for_role = id.clone();
                                        view! {
                                            <tr data-email=u.email.clone()>
                                                <td>{u.name.clone()}</td>
                                                <td>{u.email.clone()}</td>
                                                <td>
                                                    <ActionForm action=set_role attr:class="inline-form">
                                                        <input type="hidden" name="user_id" value=id_for_role/>
                                                        <label class="visually-hidden" for=role_field.clone()>{role_label}</label>
                                                        <select id=role_field name="role">
                                                            {SITE_ROLES.iter().map(|r| view! { <option value=*r selected=*r == role>{*r}</option> }).collect_view()}
                                                        </select>
                                                        <button type="submit" class="secondary">"Change role"</button>
                                                    </ActionForm>
                                                </td>
                                                <td>
                                                    <ActionForm action=set_active attr:class="inline-form">
                                                        <input type="hidden" name="user_id" value=id/>
                                                        <input type="hidden" name="active" value=(!u.is_active).to_string()/>
                                                        {if u.is_active { "Active " } else { "Deactivated " }}
                                                        <button type="submit" class="secondary">{if u.is_active { "Deactivate" } else { "Reactivate" }}</button>
                                                    </ActionForm>
                                                </td>
                                                <td>{u.last_login.clone().unwrap_or_else(|| "never".into())}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <nav class="pager" aria-label="Pages">
                            {(current > 1).then(|| view! { <a href=page_href(current - 1)>"Previous"</a> })}
                            <span>{format!("Page {current} of {pages}")}</span>
                            {(current < pages).then(|| view! { <a href=page_href(current + 1)>"Next"</a> })}
                        </nav>
                    }
                    .into_any()
        },
    )
}
