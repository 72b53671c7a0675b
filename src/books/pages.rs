//! `/clubs/{id}/books`: the club's shelf and reading history, the form to
//! suggest a book, for the club's moderators and admins the controls to move
//! books, and links to edit or remove a book for whoever may (members: their
//! own suggestions); `/books/{id}/edit`, which edits the book and, with a
//! box to tick, removes it. Everything works without JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::api::{
    book_form, book_view, club_shelf, look_up_book, EditBook, MoveBook, RemoveBook, SuggestBook,
};
use super::model::{
    shelf_label, BookInput, BookPage, BookView, EditableBook, FoundBook, Lookup, CONFIRMED, SHELVES,
};
use crate::error::AppError;
use crate::forms::{
    field_error, remembered, success_flash, textarea_text, ActionResult, Field, FormError, Typed,
};
use crate::layout::{page_view, signed_in_page_view, uuid_param};

#[component]
pub fn ShelfPage() -> impl IntoView {
    let id = uuid_param("id");
    let suggest = ServerAction::<SuggestBook>::new();
    let move_book = ServerAction::<MoveBook>::new();
    let typed = remembered::<SuggestBook>();
    let shelf = Resource::new(id, |id| async move {
        match id {
            Some(id) => club_shelf(id).await,
            None => Err(AppError::NotFound),
        }
    });
    // A look-up asked for with the shelf's GET form (`?lookup=`): read with
    // the page, so it works without JavaScript (and gives up quickly).
    let query = leptos_router::hooks::use_query_map();
    let asked = move || query.read().get("lookup").filter(|q| !q.trim().is_empty());
    let looked_up = Resource::new(
        move || (id(), asked()),
        |(id, asked)| async move {
            match (id, asked) {
                (Some(id), Some(q)) => Some(look_up_book(id, q.clone()).await.map(|l| (q, l))),
                _ => None,
            }
        },
    );
    let suggested: ActionResult = Signal::derive(move || suggest.value().get());
    let changed: ActionResult =
        Signal::derive(move || move_book.value().get().filter(Result::is_err));
    view! {
        {page_view(
            move || async move {
                let (typed, looked_up) = (typed.await, looked_up.await);
                Ok(((typed, looked_up), shelf.await?))
            },
            move |((typed, looked_up), s)| {
                let club_link = format!("/clubs/{}", s.club_id);
                let title = format!("Bookshelf · {}", s.club_name);
                let can_move = s.can_move;
                let sections = SHELVES.iter().map(|(shelf, label)| {
                    let books: Vec<BookView> = s.books.iter().filter(|b| b.shelf == *shelf).cloned().collect();
                    let heading_id = format!("shelf-{shelf}");
                    let labelled_by = heading_id.clone();
                    view! {
                        <section class="card" aria-labelledby=labelled_by data-testid=format!("shelf-{shelf}")>
                            <h2 id=heading_id>{*label}</h2>
                            {books.is_empty().then(|| view! { <p class="muted">"Nothing here yet."</p> })}
                            <ul class="book-list">
                                {books.into_iter().map(|b| view! { <BookItem b can_move move_book/> }).collect_view()}
                            </ul>
                        </section>
                    }
                }).collect_view();
                view! {
                    <Title text=title/>
                    <p><a href=club_link>"← " {s.club_name.clone()}</a></p>
                    <h1>"Bookshelf"</h1>
                    <FormError error=field_error(changed, "form")/>
                    {sections}
                    {s.can_look_up.then(|| view! { <LookUp club=s.club_id looked_up suggest/> })}
                    {s.can_suggest.then(|| view! { <SuggestForm club=s.club_id suggest result=suggested typed/> })}
                }.into_any()
            }
        )}
    }
}

#[component]
fn BookItem(b: BookView, can_move: bool, move_book: ServerAction<MoveBook>) -> impl IntoView {
    let select_id = format!("move-{}", b.id);
    let dates = match (&b.started_on, &b.finished_on) {
        (Some(start), Some(end)) => Some(format!("Read {start} – {end}")),
        (Some(start), None) => Some(format!("Started {start}")),
        (None, Some(end)) => Some(format!("Finished {end}")),
        _ => None,
    };
    let details = [
        (!b.authors.is_empty()).then(|| b.authors.clone()),
        b.pages.map(|p| format!("{p} pages")),
        b.isbn13.as_ref().map(|i| format!("ISBN {i}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let move_id = b.id.to_string();
    let (edit_href, remove_href) = (
        format!("/books/{}/edit", b.id),
        format!("/books/{}/edit#remove", b.id),
    );
    let (shelf_for, edit_what, remove_what) = (
        format!("Shelf for {}", b.title),
        format!(" {}", b.title),
        format!(" {}", b.title),
    );
    let moving = can_move.then(|| {
        let current = b.shelf.clone();
        view! {
            <ActionForm action=move_book attr:class="inline-form">
                <input type="hidden" name="book" value=move_id/>
                <label for=select_id.clone() class="visually-hidden">{shelf_for}</label>
                <select id=select_id name="shelf">
                    {SHELVES.iter().map(|(s, label)| view! { <option value=*s selected=*s == current>{*label}</option> }).collect_view()}
                </select>
                <button type="submit" class="secondary">"Move"</button>
            </ActionForm>
        }
    });
    let editing = b.can_edit.then(
        || view! { <a href=edit_href>"Edit"<span class="visually-hidden">{edit_what}</span></a> },
    );
    // Removing asks for a confirmation on the book's page.
    let removal = b.can_remove.then(|| {
        view! { <a href=remove_href>"Remove…"<span class="visually-hidden">{remove_what}</span></a> }
    });
    let actions = (can_move || b.can_edit || b.can_remove)
        .then(|| view! { <div class="actions">{moving}{editing}{removal}</div> });
    let meetings = (!b.meetings.is_empty()).then(|| view! {
        <div class="muted">"Discussed at "
            {b.meetings.into_iter().map(|(id, title, date)| view! { <a href=format!("/events/{id}")>{format!("{title} ({date})")}</a>" " }).collect_view()}
        </div>
    });
    view! {
        <li class="book">
            {b.cover_url.map(|src| view! { <img class="cover" src=src alt="" width="48" height="72" loading="lazy"/> })}
            <div>
                <strong><a href=format!("/books/{}", b.id)>{b.title}</a></strong>
                {(!details.is_empty()).then(|| view! { <div class="muted">{details}</div> })}
                {(!b.description.is_empty()).then(|| view! { <p>{b.description}</p> })}
                {dates.map(|d| view! { <div class="muted">{d}</div> })}
                {meetings}
                {b.suggested_by.map(|who| view! { <div class="muted">"Suggested by " {who}</div> })}
            </div>
            {actions}
        </li>
    }
}

/// Title, authors, ISBN, cover, pages and description: the suggest and edit
/// forms' fields.
#[component]
fn BookFields(f: BookInput, result: ActionResult) -> impl IntoView {
    view! {
        <Field label="Title" name="title" value=f.title error=field_error(result, "title")/>
        <Field label="Author(s) (optional)" name="authors" value=f.authors error=field_error(result, "authors")/>
        <Field label="ISBN (optional)" name="isbn" value=f.isbn hint="ISBN-10 or ISBN-13; hyphens and spaces are fine." error=field_error(result, "isbn")/>
        <Field label="Cover image URL (optional)" name="cover_url" input_type="url" value=f.cover_url hint="An https:// address." error=field_error(result, "cover_url")/>
        <Field label="Pages (optional)" name="pages" input_type="number" value=f.pages error=field_error(result, "pages")/>
        <div class="field">
            <label for="field-description">"Short description (optional)"</label>
            <textarea id="field-description" name="description" rows="3"
                aria-invalid=move || field_error(result, "description").get().map(|_| "true")>{textarea_text(f.description)}</textarea>
            {move || field_error(result, "description").get().map(|m| view! { <span class="field-error">{m}</span> })}
        </div>
    }
}

fn as_typed(f: BookInput, typed: &Typed) -> BookInput {
    BookInput {
        title: typed.or("title", f.title),
        authors: typed.or("authors", f.authors),
        isbn: typed.or("isbn", f.isbn),
        cover_url: typed.or("cover_url", f.cover_url),
        pages: typed.or("pages", f.pages),
        description: typed.or("description", f.description),
    }
}

/// Finding a book in Open Library to suggest: a GET form (so it works
/// without JavaScript and can be bookmarked), and what it found, each with
/// a button that suggests it as found.
#[component]
fn LookUp(
    club: Uuid,
    looked_up: Option<Result<(String, Lookup), AppError>>,
    suggest: ServerAction<SuggestBook>,
) -> impl IntoView {
    let asked = looked_up
        .as_ref()
        .and_then(|l| l.as_ref().ok())
        .map(|(q, _)| q.clone())
        .unwrap_or_default();
    let (problem, found) = match looked_up {
        None => (None, None),
        Some(Err(err)) => (
            Some(
                err.field_message("query")
                    .unwrap_or_else(|| err.to_string()),
            ),
            None,
        ),
        Some(Ok((_, Lookup::Off))) => (Some("Looking books up is not available.".to_owned()), None),
        Some(Ok((_, Lookup::Failed(why)))) => (Some(why), None),
        Some(Ok((_, Lookup::Found(books)))) => (None, Some(books)),
    };
    view! {
        <section class="card" id="look-up" aria-labelledby="look-up-heading">
            <h2 id="look-up-heading">"Find a book to suggest"</h2>
            <form method="get" action=format!("/clubs/{club}/books#look-up") class="search-form" role="search">
                <div class="search-field">
                    <label for="lookup">"ISBN or title"</label>
                    <input id="lookup" type="search" name="lookup" value=asked.clone() maxlength="200"
                        aria-describedby="lookup-hint"/>
                    <span class="hint muted" id="lookup-hint">"Looked up in Open Library: title, authors, cover and pages, ready to suggest."</span>
                </div>
                <button type="submit">"Look up"</button>
            </form>
            {problem.map(|p| view! { <p class="flash error" role="alert" data-testid="lookup-problem">{p}</p> })}
            {found.map(|books| {
                let none = books.is_empty();
                view! {
                    {none.then(|| view! { <p class="muted" data-testid="lookup-none">{format!("Nothing found for “{asked}”. Try other words, or fill in the form below.")}</p> })}
                    <ul class="book-list" data-testid="lookup-results">
                        {books.into_iter().map(|b| view! { <FoundItem club b suggest/> }).collect_view()}
                    </ul>
                }
            })}
        </section>
    }
}

/// One book a look-up found: its cover, title, authors and year, and a
/// button that suggests it with everything found (the shelf keeps it).
#[component]
fn FoundItem(club: Uuid, b: FoundBook, suggest: ServerAction<SuggestBook>) -> impl IntoView {
    let label = format!("Suggest “{}”", b.title);
    let facts = [
        (!b.authors.is_empty()).then(|| b.authors.clone()),
        b.year.map(|y| format!("first published {y}")),
        b.pages.map(|p| format!("{p} pages")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="book found-book">
            {match b.cover_url.clone() {
                Some(src) => view! { <img class="cover" src=src alt="" width="60" height="90" loading="lazy"/> }.into_any(),
                None => view! { <span class="cover cover-none" aria-hidden="true"></span> }.into_any(),
            }}
            <div>
                <strong>{b.title.clone()}</strong>
                <p class="muted">{facts}</p>
            </div>
            <ActionForm action=suggest attr:class="inline-form">
                <input type="hidden" name="club" value=club.to_string()/>
                <input type="hidden" name="title" value=b.title.clone()/>
                <input type="hidden" name="authors" value=b.authors.clone()/>
                <input type="hidden" name="isbn" value=b.isbn.clone().unwrap_or_default()/>
                <input type="hidden" name="cover_url" value=b.cover_url.clone().unwrap_or_default()/>
                <input type="hidden" name="pages" value=b.pages.map(|p| p.to_string()).unwrap_or_default()/>
                <input type="hidden" name="description" value=""/>
                <button type="submit" class="secondary" aria-label=label>"Suggest this"</button>
            </ActionForm>
        </li>
    }
}

#[component]
fn SuggestForm(
    club: Uuid,
    suggest: ServerAction<SuggestBook>,
    result: ActionResult,
    typed: Typed,
) -> impl IntoView {
    let typed = typed.for_form("club", club);
    let f = as_typed(BookInput::default(), &typed);
    view! {
        <section class="card narrow" aria-labelledby="suggest-heading">
            <h2 id="suggest-heading">"Suggest a book"</h2>
            <ActionForm action=suggest attr:novalidate="" attr:aria-label="Suggest a book">
                {typed.done().then(|| success_flash("Added to the suggestions."))}
                <FormError error=field_error(result, "form")/>
                <input type="hidden" name="club" value=club.to_string()/>
                <BookFields f result/>
                <button type="submit" aria-busy=move || suggest.pending().get().then_some("true")>"Suggest this book"</button>
            </ActionForm>
        </section>
    }
}

/// `/books/{id}`: a book's own page: its cover and details, where it is on
/// the shelf, who suggested it (for those who may see the members), the
/// meetings that discussed it and the polls it was in.
#[component]
pub fn BookDetailPage(#[prop(into)] section: BookSection) -> impl IntoView {
    let id = uuid_param("id");
    let page = Resource::new(id, |id| async move {
        match id {
            Some(id) => book_view(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        {page_view(move || async move { page.await }, move |p| view! { <BookDetail p/> }.into_any())}
        {section.run(Signal::derive(id))}
    }
}

/// A section the book's page shows below the book, made by a feature above
/// books (its reading schedule), for the book being shown. The application
/// wires it in (`app.rs`), so books never import what reads them.
pub type BookSection = Callback<Signal<Option<Uuid>>, AnyView>;

#[component]
fn BookDetail(p: BookPage) -> impl IntoView {
    let b = p.book;
    let facts = [
        (!b.authors.is_empty()).then(|| format!("by {}", b.authors)),
        b.pages.map(|n| format!("{n} pages")),
        b.isbn13.as_ref().map(|i| format!("ISBN {i}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let dates = match (&b.started_on, &b.finished_on) {
        (Some(start), Some(end)) => Some(format!("Read {start} – {end}")),
        (Some(start), None) => Some(format!("Started {start}")),
        (None, Some(end)) => Some(format!("Finished {end}")),
        _ => None,
    };
    let shelf = format!("On the shelf: {}", shelf_label(&b.shelf));
    view! {
        <Title text=b.title.clone()/>
        <p><a href=format!("/clubs/{}/books", p.club_id)>"← " {format!("{}'s bookshelf", p.club_name)}</a></p>
        <article class="card book-detail">
            {match b.cover_url.clone() {
                Some(src) => view! { <img class="cover" src=src alt=format!("The cover of {}", b.title) width="120" height="180"/> }.into_any(),
                None => view! { <span class="cover cover-none" aria-hidden="true"></span> }.into_any(),
            }}
            <div class="stack">
                <h1>{b.title.clone()}</h1>
                {(!facts.is_empty()).then(|| view! { <p class="lead" data-testid="book-facts">{facts}</p> })}
                <p><span class="badge" data-testid="book-shelf">{shelf}</span></p>
                {dates.map(|d| view! { <p class="muted">{d}</p> })}
                {(!b.description.is_empty()).then(|| view! { <p class="pre-wrap">{b.description.clone()}</p> })}
                {b.suggested_by.clone().map(|who| view! { <p class="muted" data-testid="suggested-by">{format!("Suggested by {who}")}</p> })}
                {(b.shelf != "suggested").then(|| view! { <p><a href=format!("/books/{}/reading", b.id)>"Reading schedule and discussion"</a></p> })}
                {b.can_edit.then(|| view! { <p><a class="button secondary" href=format!("/books/{}/edit", b.id)>"Edit the book"</a></p> })}
            </div>
        </article>
        <section class="card" aria-labelledby="discussed-heading">
            <h2 id="discussed-heading">"Meetings that discussed it"</h2>
            {if b.meetings.is_empty() {
                view! { <p class="muted">"None yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="event-list" data-testid="book-meetings">
                        {b.meetings.into_iter().map(|(id, title, date)| view! {
                            <li class="event-row"><a href=format!("/events/{id}")>{title}</a><span class="muted">{date}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="polls-heading">
            <h2 id="polls-heading">"Polls it was in"</h2>
            {if p.polls.is_empty() {
                view! { <p class="muted">"None yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="event-list" data-testid="book-polls">
                        {p.polls.into_iter().map(|(id, title, open)| view! {
                            <li class="event-row">
                                <a href=format!("/polls/{id}")>{title}</a>
                                <span class=if open { "badge success" } else { "badge" }>{if open { "open" } else { "closed" }}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn EditBookPage() -> impl IntoView {
    let id = uuid_param("id");
    let edit = ServerAction::<EditBook>::new();
    let remove = ServerAction::<RemoveBook>::new();
    let typed = remembered::<EditBook>();
    let form = Resource::new(id, |id| async move {
        match id {
            Some(id) => book_form(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let result: ActionResult = Signal::derive(move || edit.value().get());
    let removed: ActionResult = Signal::derive(move || remove.value().get());
    view! {
        {signed_in_page_view(
            move || async move {
                let typed = typed.await;
                Ok((typed, form.await?))
            },
            move |(typed, f)| view! { <BookPage f edit result remove removed typed/> }.into_any()
        )}
    }
}

/// A book's page for changing it: the edit form and the removal, each when
/// the viewer may.
#[component]
fn BookPage(
    f: EditableBook,
    edit: ServerAction<EditBook>,
    result: ActionResult,
    remove: ServerAction<RemoveBook>,
    removed: ActionResult,
    typed: Typed,
) -> impl IntoView {
    let book = f.book_id;
    let heading = if f.can_edit {
        "Edit book"
    } else {
        "Remove book"
    };
    let title = f.fields.title.clone();
    let confirm_label = format!(" Yes, remove “{title}” from the shelf");
    let fields = as_typed(f.fields, &typed.for_form("book", book));
    let editing = f.can_edit.then(|| {
        view! {
            <ActionForm action=edit attr:novalidate="" attr:aria-label="Edit book">
                <FormError error=field_error(result, "form")/>
                <input type="hidden" name="book" value=book.to_string()/>
                <BookFields f=fields result/>
                <button type="submit" aria-busy=move || edit.pending().get().then_some("true")>"Save book"</button>
            </ActionForm>
        }
    });
    let confirm_error = field_error(removed, "confirm");
    let removal = f.can_remove.then(|| {
        view! {
            <section id="remove" class="card narrow danger-zone" aria-labelledby="remove-heading">
                <h2 id="remove-heading">"Remove this book"</h2>
                <p>"It leaves the club's shelf and its reading history. It cannot be undone."</p>
                <ActionForm action=remove attr:novalidate="" attr:aria-label="Remove book">
                    <FormError error=field_error(removed, "form")/>
                    <input type="hidden" name="book" value=book.to_string()/>
                    <div class="field checkbox">
                        <label>
                            <input type="checkbox" name="confirm" value=CONFIRMED aria-describedby="confirm-error"
                                aria-invalid=move || confirm_error.get().map(|_| "true")/>
                            {confirm_label}
                        </label>
                        {move || confirm_error.get().map(|m| view! { <span id="confirm-error" class="field-error">{m}</span> })}
                    </div>
                    <button type="submit" class="danger" aria-busy=move || remove.pending().get().then_some("true")>"Remove book"</button>
                </ActionForm>
            </section>
        }
    });
    let kept = f
        .kept
        .map(|why| view! { <p class="muted" data-testid="kept">{why}</p> });
    view! {
        <Title text=heading/>
        <section class="card narrow">
            <p><a href=format!("/clubs/{}/books", f.club_id)>"← Bookshelf of " {f.club_name}</a></p>
            <h1>{heading}</h1>
            {(!f.can_edit).then(|| view! { <p><strong>{title}</strong></p> })}
            {editing}
            {kept}
        </section>
        {removal}
    }
}
