use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::api::{
    check_invite, club_invites, club_members, AcceptInvite, ChangeMemberRole, CreateInvite,
    HandOverClub, RemoveMember, RevokeInvite, UpdateBooksRead,
};
use super::model::InviteStatus;
use crate::auth::api::current_user;
use crate::auth::pages::urlencode;
use crate::clubs::authz::CLUB_ROLES;
use crate::error::AppError;
use crate::forms::{field_error, remembered, ActionResult, FormError, Typed};
use crate::layout::{page_view, uuid_param};

#[component]
pub fn MembersPage() -> impl IntoView {
    let id = uuid_param("id");
    let role = ServerAction::<ChangeMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let hand_over = ServerAction::<HandOverClub>::new();
    let books = ServerAction::<UpdateBooksRead>::new();
    let create_invite = ServerAction::<CreateInvite>::new();
    let revoke_invite = ServerAction::<RevokeInvite>::new();
    // Every resource is created here, at the top, and only read inside the
    // Suspense: a resource created while a Suspense resolves can leave a
    // server-rendered page waiting for ever (leptos-rs/leptos#4866). Asking a
    // plain member's invitations is refused by the server and never shown.
    let invites = Resource::new(id, |id| async move {
        match id {
            Some(id) => club_invites(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let typed_books = remembered::<UpdateBooksRead>();
    let typed_invite = remembered::<CreateInvite>();
    let page = Resource::new(id, |id| async move {
        match id {
            Some(id) => club_members(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let errors: [ActionResult; 4] = [
        Signal::derive(move || role.value().get()),
        Signal::derive(move || remove.value().get()),
        Signal::derive(move || hand_over.value().get()),
        Signal::derive(move || books.value().get()),
    ];
    view! {
        {page_view(
            move || async move {
                let (typed_books, typed_invite) = (typed_books.await, typed_invite.await);
                Ok(((typed_books, typed_invite), page.await?))
            },
            move |((typed_books, typed_invite), p)| {
                let club = p.club_id;
                let typed_books = typed_books.for_form("club", club);
                let typed_invite = typed_invite.for_form("club", club);
                let show_contacts = p.members.iter().any(|m| m.email.is_some());
                let (me, can_manage, can_hand_over) = (p.me, p.can_manage_members, p.can_hand_over);
                view! {
                    <Title text=format!("Members of {}", p.club_name)/>
                    <h1>"Members of " <a href=format!("/clubs/{club}")>{p.club_name.clone()}</a></h1>
                    {errors.map(|e| view! { <FormError error=field_error(e, "form")/> }).into_iter().collect_view()}
                    <FormError error=field_error(errors[3], "books_read")/>
                    <div class="table-wrap">
                        <table class="data-table" data-testid="members">
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Joined"</th><th scope="col">"Books read"</th>
                                {show_contacts.then(|| view! { <th scope="col">"Contact"</th> })}
                                {p.can_manage_members.then(|| view! { <th scope="col">"Manage"</th> })}
                            </tr></thead>
                            <tbody>
                                {p.members.clone().into_iter().map(|m| {
                                    let user = m.user_id;
                                    let mine = me == Some(m.user_id);
                                    let current_role = m.role.clone();
                                    let role_label = format!("Role of {}", m.name);
                                    let is_owner = m.is_owner;
                                    let books_value = typed_books.or("books_read", m.books_read.to_string());
                                    view! {
                                        <tr data-member=m.name.clone()>
                                            <td>{m.name.clone()}</td>
                                            <td data-testid="role">{if m.is_owner { "owner".to_owned() } else { m.role.clone() }}</td>
                                            <td>{m.joined.clone()}</td>
                                            <td>
                                                {if mine {
                                                    view! {
                                                        <ActionForm action=books attr:class="inline-form">
                                                            <input type="hidden" name="club" value=club.to_string()/>
                                                            <label class="visually-hidden" for="books-read">"Books read"</label>
                                                            <input id="books-read" name="books_read" type="number" min="0" value=books_value.clone() class="small-input"/>
                                                            <button type="submit" class="secondary">"Save"</button>
                                                        </ActionForm>
                                                    }.into_any()
                                                } else {
                                                    view! { <span>{m.books_read}</span> }.into_any()
                                                }}
                                            </td>
                                            {show_contacts.then(|| view! { <td>{m.email.clone()}" "{m.phone.clone()}</td> })}
                                            {can_manage.then(|| (!is_owner).then(|| {
                                                let role_id = format!("role-{user}");
                                                view! {
                                                    <td>
                                                        <ActionForm action=role attr:class="inline-form">
                                                            <input type="hidden" name="club" value=club.to_string()/>
                                                            <input type="hidden" name="user" value=user.to_string()/>
                                                            <label class="visually-hidden" for=role_id.clone()>{role_label}</label>
                                                            <select id=role_id name="role">
                                                                {CLUB_ROLES.iter().map(|r| view! { <option value=*r selected=*r == current_role>{*r}</option> }).collect_view()}
                                                            </select>
                                                            <button type="submit" class="secondary">"Change role"</button>
                                                        </ActionForm>
                                                        <ActionForm action=remove attr:class="inline-form">
                                                            <input type="hidden" name="club" value=club.to_string()/>
                                                            <input type="hidden" name="user" value=user.to_string()/>
                                                            <button type="submit" class="secondary">"Remove"</button>
                                                        </ActionForm>
                                                        {can_hand_over.then(|| view! {
                                                            <ActionForm action=hand_over attr:class="inline-form">
                                                                <input type="hidden" name="club" value=club.to_string()/>
                                                                <input type="hidden" name="user" value=user.to_string()/>
                                                                <button type="submit" class="secondary">"Make owner"</button>
                                                            </ActionForm>
                                                        })}
                                                    </td>
                                                }
                                            }))}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {p.can_manage_invites.then(|| view! { <Invites club=p.club_id invites create=create_invite revoke=revoke_invite typed=typed_invite/> })}
                }
                .into_any()
            }
        )}
    }
}

#[component]
fn Invites(
    club: Uuid,
    invites: Resource<Result<Vec<super::model::InviteRow>, AppError>>,
    create: ServerAction<CreateInvite>,
    revoke: ServerAction<RevokeInvite>,
    /// What was typed before a failed post, or the link the last one made.
    typed: Typed,
) -> impl IntoView {
    let created: ActionResult = Signal::derive(move || create.value().get().map(|r| r.map(|_| ())));
    let link = typed.done_with::<String>();
    view! {
        <section class="card" aria-labelledby="invites-heading">
            <h2 id="invites-heading">"Invitation links"</h2>
            <ActionForm action=create attr:class="search-form" attr:novalidate="">
                <input type="hidden" name="club" value=club.to_string()/>
                <label for="invite-days">"Valid for (days)"</label>
                <input id="invite-days" name="days" type="number" min="1" max="90" value=typed.or("days", "7") class="small-input"/>
                <label for="invite-uses">"Uses"</label>
                <input id="invite-uses" name="max_uses" type="number" min="1" max="1000" value=typed.or("max_uses", "1") class="small-input"/>
                <label for="invite-email">"E-mail it to (optional)"</label>
                <input id="invite-email" name="email" type="email" autocomplete="off" value=typed.or("email", "")/>
                <button type="submit">"Create link"</button>
            </ActionForm>
            <FormError error=field_error(created, "days")/>
            <FormError error=field_error(created, "max_uses")/>
            <FormError error=field_error(created, "email")/>
            {link.map(|path| view! {
                <p class="flash success" role="status">"Share this link (shown once; if you gave an address, it is being e-mailed too): " <code data-testid="invite-link">{path}</code></p>
            })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    invites.await.map(|list| view! {
                        <ul class="session-list">
                            {list.into_iter().map(|i| view! {
                                <li>
                                    <span>{format!("{} · {} of {} uses · until {}", i.state, i.uses, i.max_uses, i.expires)}</span>
                                    {(i.state == "active").then(|| view! {
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="club" value=club.to_string()/>
                                            <input type="hidden" name="invite" value=i.id.to_string()/>
                                            <button type="submit" class="secondary">"Revoke"</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let accept = ServerAction::<AcceptInvite>::new();
    let state = Resource::new(token, |t| async move {
        (current_user().await, check_invite(t).await)
    });
    let accepted: ActionResult = Signal::derive(move || accept.value().get());
    view! {
        <Title text="Invitation"/>
        <section class="card narrow">
            <Suspense fallback=|| view! { <p class="muted">"Checking the invitation…"</p> }>
                {move || Suspend::new(async move {
                    let (user, status) = state.await;
                    let signed_in = matches!(user, Ok(Some(_)));
                    match status.unwrap_or(InviteStatus::Unknown) {
                        InviteStatus::Valid { club_name, .. } if signed_in => view! {
                            <h1>"Join " {club_name}</h1>
                            <p>"You have been invited to this club."</p>
                            <FormError error=field_error(accepted, "form")/>
                            <ActionForm action=accept>
                                <input type="hidden" name="token" value=token()/>
                                <button type="submit">"Join the club"</button>
                            </ActionForm>
                        }.into_any(),
                        InviteStatus::Valid { .. } => {
                            let next = format!("/invite/{}", token());
                            view! { <Redirect path=format!("/login?next={}", urlencode(&next))/> }.into_any()
                        }
                        InviteStatus::AlreadyMember { club_id, club_name } => view! {
                            <h1>"You're already in " {club_name}</h1>
                            <p><a href=format!("/clubs/{club_id}")>"Go to the club"</a></p>
                        }.into_any(),
                        InviteStatus::Expired => view! { <h1>"This invitation has expired"</h1><p>"Ask the club for a new link."</p> }.into_any(),
                        InviteStatus::UsedUp => view! { <h1>"This invitation has been used up"</h1><p>"Ask the club for a new link."</p> }.into_any(),
                        InviteStatus::Revoked => view! { <h1>"This invitation was withdrawn"</h1><p>"Ask the club for a new link."</p> }.into_any(),
                        InviteStatus::Unknown => view! { <h1>"This invitation link is not valid"</h1><p>"Check the link, or ask the club for a new one."</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
