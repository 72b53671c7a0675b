use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::api::{
    check_invite, club_invites, club_members, AcceptInvite, ChangeMemberRole, CreateInvite,
    HandOverClub, RemoveMember, RevokeInvite, UpdateBooksRead,
};
use super::model::{InvitePreview, InviteStatus, MemberRow};
use crate::auth::api::current_user;
use crate::auth::pages::urlencode;
use crate::clubs::api::{join_requests, AnswerJoinRequest};
use crate::clubs::authz::CLUB_ROLES;
use crate::clubs::model::JoinRequestRow;
use crate::error::AppError;
use crate::forms::{field_error, remembered, ActionResult, FormError, Typed};
use crate::layout::{page_view, uuid_param};
use crate::ui::{ActionsMenu, Avatar, Confirm, CopyField};

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
    let requests = Resource::new(id, |id| async move {
        match id {
            Some(id) => join_requests(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let answer = ServerAction::<AnswerJoinRequest>::new();
    let typed_books = remembered::<UpdateBooksRead>();
    let typed_invite = remembered::<CreateInvite>();
    let page = Resource::new(id, |id| async move {
        match id {
            Some(id) => club_members(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let errors: [ActionResult; 5] = [
        Signal::derive(move || answer.value().get()),
        Signal::derive(move || role.value().get()),
        Signal::derive(move || remove.value().get()),
        Signal::derive(move || hand_over.value().get()),
        Signal::derive(move || books.value().get()),
    ];
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let role_filter = move || query.read().get("role").unwrap_or_default();
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
                let (me, can_manage, can_hand_over) = (p.me, p.can_manage_members, p.can_hand_over);
                let (search, role_filter) = (search(), role_filter());
                let club_name = p.club_name.clone();
                let total = p.members.len();
                let shown: Vec<MemberRow> = p
                    .members
                    .iter()
                    .filter(|m| matches_filter(m, &search, &role_filter))
                    .cloned()
                    .collect();
                let count_line = if search.trim().is_empty() && role_filter.is_empty() {
                    crate::ui::counted(total as i64, "member", "members")
                } else {
                    format!("{} of {}", shown.len(), crate::ui::counted(total as i64, "member", "members"))
                };
                view! {
                    <Title text=format!("Members of {}", p.club_name)/>
                    <div class="page-heading">
                        <h1>"Members of " <a href=format!("/clubs/{club}")>{p.club_name.clone()}</a></h1>
                        {p.can_manage_invites.then(|| view! { <a class="button" href="#invites">"Invite people"</a> })}
                    </div>
                    {errors.map(|e| view! { <FormError error=field_error(e, "form")/> }).into_iter().collect_view()}
                    <FormError error=field_error(errors[4], "books_read")/>
                    {p.can_answer_requests.then(|| view! { <JoinRequests club requests answer/> })}
                    <form method="get" action=format!("/clubs/{club}/members") class="search-form" role="search">
                        <div class="search-field">
                            <label for="member-search">"Search by name"</label>
                            <input id="member-search" type="search" name="q" value=search.clone()/>
                        </div>
                        <div class="search-field narrow-field">
                            <label for="member-role">"Role"</label>
                            <select id="member-role" name="role">
                                <option value="" selected=role_filter.is_empty()>"Everyone"</option>
                                {ROLE_FILTERS.iter().map(|(value, label)| view! {
                                    <option value=*value selected=role_filter == *value>{*label}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="secondary">"Show"</button>
                    </form>
                    <p class="muted" data-testid="member-total">{count_line}</p>
                    {shown.is_empty().then(|| view! {
                        <p class="empty-state">"Nobody matches. " <a href=format!("/clubs/{club}/members")>"Show everyone"</a></p>
                    })}
                    <ul class="member-list" data-testid="members">
                        {shown.into_iter().map(|m| {
                            let user = m.user_id;
                            let mine = me == Some(m.user_id);
                            let current_role = m.role.clone();
                            let is_owner = m.is_owner;
                            let name = m.name.clone();
                            let books_value = typed_books.or("books_read", m.books_read.to_string());
                            let role_shown = if m.is_owner { "owner".to_owned() } else { m.role.clone() };
                            let facts = format!(
                                "Joined {} · {} read",
                                m.joined,
                                crate::ui::counted(i64::from(m.books_read), "book", "books")
                            );
                            let contact = [m.email.clone(), m.phone.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                            view! {
                                <li class="member-row" data-member=m.name.clone()>
                                    <Avatar name=m.name.clone() key=user.to_string()/>
                                    <div class="member-main">
                                        <p class="member-name">
                                            <strong>{m.name.clone()}</strong>
                                            {mine.then(|| view! { <span class="muted">" (you)"</span> })}
                                            <span class=format!("badge role-{role_shown}") data-testid="role">{role_shown.clone()}</span>
                                        </p>
                                        <p class="muted member-facts">{facts}</p>
                                        {(!contact.is_empty()).then(|| view! { <p class="member-contact">{contact}</p> })}
                                    </div>
                                    <div class="member-actions">
                                        {mine.then(|| view! {
                                            <ActionForm action=books attr:class="inline-form books-read-form">
                                                <input type="hidden" name="club" value=club.to_string()/>
                                                <label for="books-read">"Books read"</label>
                                                <input id="books-read" name="books_read" type="number" min="0" value=books_value.clone() class="small-input"/>
                                                <button type="submit" class="secondary">"Save"</button>
                                            </ActionForm>
                                        })}
                                        {(can_manage && !is_owner).then(|| {
                                            let role_id = format!("role-{user}");
                                            let role_label = format!("Role of {name}");
                                            let remove_question = format!("Remove {name} from {club_name}?");
                                            let remove_button = format!("Remove {name}");
                                            let owner_question = format!("Make {name} the owner of {club_name}?");
                                            let owner_button = format!("Make {name} the owner");
                                            view! {
                                                <ActionsMenu about=name.clone()>
                                                    <ActionForm action=role attr:class="menu-form">
                                                        <input type="hidden" name="club" value=club.to_string()/>
                                                        <input type="hidden" name="user" value=user.to_string()/>
                                                        <label for=role_id.clone()>{role_label}</label>
                                                        <select id=role_id name="role">
                                                            {CLUB_ROLES.iter().map(|r| view! { <option value=*r selected=*r == current_role>{*r}</option> }).collect_view()}
                                                        </select>
                                                        <button type="submit" class="secondary">"Change role"</button>
                                                    </ActionForm>
                                                    <Confirm
                                                        label="Remove from club"
                                                        question=remove_question
                                                        detail="They lose their place at meetings and their tasks go back to the club. They can join again only if invited (or if the club is public)."
                                                    >
                                                        <ActionForm action=remove attr:class="inline-form">
                                                            <input type="hidden" name="club" value=club.to_string()/>
                                                            <input type="hidden" name="user" value=user.to_string()/>
                                                            <button type="submit" class="danger">{remove_button}</button>
                                                        </ActionForm>
                                                    </Confirm>
                                                    {can_hand_over.then(|| view! {
                                                        <Confirm
                                                            label="Make owner"
                                                            question=owner_question
                                                            detail="They will run the club, and only they can hand it on again. You stay a member."
                                                        >
                                                            <ActionForm action=hand_over attr:class="inline-form">
                                                                <input type="hidden" name="club" value=club.to_string()/>
                                                                <input type="hidden" name="user" value=user.to_string()/>
                                                                <button type="submit" class="danger">{owner_button}</button>
                                                            </ActionForm>
                                                        </Confirm>
                                                    })}
                                                </ActionsMenu>
                                            }
                                        })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {p.can_manage_invites.then(|| view! { <Invites club=p.club_id invites create=create_invite revoke=revoke_invite typed=typed_invite/> })}
                }
                .into_any()
            }
        )}
    }
}

/// The requests to join waiting for the club's admins, oldest first, each
/// with the asker's note and an approve and a decline button (declining
/// asks to confirm: the asker is told and may not ask again for a while).
/// Nothing is shown when none is waiting.
#[component]
fn JoinRequests(
    club: Uuid,
    requests: Resource<Result<Vec<JoinRequestRow>, AppError>>,
    answer: ServerAction<AnswerJoinRequest>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let waiting = requests.await.unwrap_or_default();
                (!waiting.is_empty()).then(|| view! {
                    <section class="card" id="requests" aria-labelledby="requests-heading" data-testid="join-requests">
                        <h2 id="requests-heading">{format!("Requests to join ({})", waiting.len())}</h2>
                        <ul class="member-list">
                            {waiting.into_iter().map(|r| {
                                let JoinRequestRow { id, user_id, name, message, asked } = r;
                                let decline_question = format!("Decline {name}'s request?");
                                let approve_label = format!("Approve {name}");
                                let decline_label = format!("Decline {name}");
                                view! {
                                    <li class="member-row" data-request=name.clone()>
                                        <Avatar name=name.clone() key=user_id.to_string()/>
                                        <div class="member-main">
                                            <p class="member-name"><strong>{name.clone()}</strong></p>
                                            <p class="muted member-facts">{format!("Asked {asked}")}</p>
                                            {(!message.is_empty()).then(|| view! { <blockquote class="request-note">{message.clone()}</blockquote> })}
                                        </div>
                                        <div class="member-actions">
                                            <ActionForm action=answer attr:class="inline-form">
                                                <input type="hidden" name="club" value=club.to_string()/>
                                                <input type="hidden" name="request" value=id.to_string()/>
                                                <input type="hidden" name="answer" value="approve"/>
                                                <button type="submit">{approve_label}</button>
                                            </ActionForm>
                                            <Confirm
                                                label="Decline"
                                                question=decline_question
                                                detail="We'll tell them the club declined. They can ask again after 30 days."
                                            >
                                                <ActionForm action=answer attr:class="inline-form">
                                                    <input type="hidden" name="club" value=club.to_string()/>
                                                    <input type="hidden" name="request" value=id.to_string()/>
                                                    <input type="hidden" name="answer" value="decline"/>
                                                    <button type="submit" class="danger">{decline_label.clone()}</button>
                                                </ActionForm>
                                            </Confirm>
                                        </div>
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

/// How an invitation's state looks: a working link stands out in green.
fn invite_badge(state: &str) -> &'static str {
    match state {
        "active" => "success",
        "used up" => "warning",
        _ => "muted-badge",
    }
}

/// The roles the members list can be narrowed to: (value, label).
const ROLE_FILTERS: [(&str, &str); 5] = [
    ("owner", "Owner"),
    ("admin", "Admins"),
    ("moderator", "Moderators"),
    ("member", "Members"),
    ("guest", "Guests"),
];

/// Whether a member is shown for the search (any part of the name, any
/// case) and the role chosen (the owner is "owner", whatever their role).
fn matches_filter(m: &MemberRow, search: &str, role: &str) -> bool {
    let search = search.trim().to_lowercase();
    let name_matches = search.is_empty() || m.name.to_lowercase().contains(&search);
    let role_matches = match role {
        "" => true,
        "owner" => m.is_owner,
        role => !m.is_owner && m.role == role,
    };
    name_matches && role_matches
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
        <section class="card" id="invites" aria-labelledby="invites-heading">
            <h2 id="invites-heading">"Invite people"</h2>
            <p class="muted">"Make a link to share, or give an address and Bookwork e-mails it. Whoever opens it can join, until it expires or is used up."</p>
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
            {link.map(|link| view! {
                <div class="flash success" role="status">
                    <p>"Your link is ready. It is shown only now: copy it before you leave the page. If you gave an address, it is on its way there too."</p>
                    <CopyField label="Invitation link" id="invite-link" value=link/>
                </div>
            })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    invites.await.map(|list| view! {
                        {list.is_empty().then(|| view! { <p class="muted">"No links yet."</p> })}
                        <ul class="session-list" data-testid="invites">
                            {list.into_iter().map(|i| view! {
                                <li>
                                    <span>
                                        <strong>{i.sent_to.clone().unwrap_or_else(|| "Anyone with the link".to_owned())}</strong>
                                        " "<span class=format!("badge {}", invite_badge(&i.state))>{i.state.clone()}</span>
                                        <br/>
                                        <span class="muted">{format!(
                                            "{} of {} · {} {}",
                                            i.uses,
                                            crate::ui::counted(i64::from(i.max_uses), "use", "uses"),
                                            if i.state == "expired" { "expired" } else { "until" },
                                            i.expires
                                        )}</span>
                                    </span>
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
                        InviteStatus::Valid { club_name, preview, .. } => {
                            let here = urlencode(&format!("/invite/{}", token()));
                            view! {
                                <p class="eyebrow">"Invitation"</p>
                                <h1>"Join " {club_name.clone()}</h1>
                                <InviteFacts preview/>
                                {if signed_in {
                                    view! {
                                        <FormError error=field_error(accepted, "form")/>
                                        <ActionForm action=accept>
                                            <input type="hidden" name="token" value=token()/>
                                            <button type="submit">"Join the club"</button>
                                        </ActionForm>
                                    }.into_any()
                                } else {
                                    // Both ways in come back here, to join.
                                    view! {
                                        <p class="actions">
                                            <a class="button" href=format!("/register?next={here}")>"Create an account to join"</a>
                                            <a class="button secondary" href=format!("/login?next={here}")>"I have an account: sign in"</a>
                                        </p>
                                    }.into_any()
                                }}
                            }.into_any()
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

/// What an invitation says about its club: who invited you, how many are in
/// it, what it is about and when it meets next.
#[component]
fn InviteFacts(preview: InvitePreview) -> impl IntoView {
    let invited = match &preview.invited_by {
        Some(name) => format!("{name} invited you to this club."),
        None => "You have been invited to this club.".to_owned(),
    };
    view! {
        <p data-testid="invited-by">{invited}</p>
        {preview.description.clone().map(|d| view! { <p class="lead">{d}</p> })}
        <dl class="facts">
            <dt>"Members"</dt><dd>{crate::ui::counted(preview.members, "member", "members")}</dd>
            {preview.next_meeting.clone().map(|m| view! { <dt>"Next meeting"</dt><dd data-testid="invite-next-meeting">{m}</dd> })}
        </dl>
    }
}
