//! The names, places, books and phrases demo data is made from.

pub(super) const FIRST_NAMES: &[&str] = &[
    "Ada", "Amara", "Ananya", "Ben", "Camille", "Chen", "Chloe", "Dario", "Deepa", "Elena",
    "Emeka", "Farah", "Finn", "Grace", "Hana", "Hugo", "Ines", "Isaac", "Jonas", "Kai", "Kemi",
    "Laila", "Leo", "Lucia", "Maya", "Mateo", "Mei", "Nadia", "Niamh", "Noah", "Oliver", "Olu",
    "Priya", "Rafael", "Ravi", "Rosa", "Ruth", "Sam", "Sofia", "Tariq", "Theo", "Uma", "Victor",
    "Wen", "Yara", "Yusuf", "Zainab", "Zoe",
];

pub(super) const LAST_NAMES: &[&str] = &[
    "Abiodun",
    "Andersen",
    "Bauer",
    "Chowdhury",
    "Costa",
    "Dubois",
    "Eze",
    "Fischer",
    "Garcia",
    "Goldberg",
    "Haddad",
    "Hughes",
    "Ivanova",
    "Jensen",
    "Kaur",
    "Kim",
    "Kowalski",
    "Lindqvist",
    "Lovelace",
    "Martins",
    "Moreau",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "O'Brien",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Santos",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith-Jones",
    "Tanaka",
    "Thompson",
    "Usman",
    "Van der Berg",
    "Walsh",
    "Wong",
    "Yilmaz",
    "Zhang",
];

pub(super) const CLUB_WORDS: &[&str] = &[
    "Midnight",
    "Lantern",
    "Dog-Eared",
    "Riverside",
    "Paperback",
    "Marginalia",
    "Inkwell",
    "Bluestocking",
    "Hardback",
    "Sunday",
    "Quiet Corner",
    "Spine & Story",
    "Page Turners'",
    "Tea & Tomes",
    "Night Owl",
    "Long Shelf",
    "Chapter One",
    "Well-Thumbed",
    "Bookmark",
    "Second Edition",
];

pub(super) const CLUB_KINDS: &[&str] = &[
    "Readers",
    "Book Club",
    "Reading Circle",
    "Literary Society",
    "Bookworms",
    "Salon",
];

/// Tag, and how a description says it.
pub(super) const GENRES: &[(&str, &str)] = &[
    ("classics", "classics"),
    ("sci-fi", "science fiction"),
    ("fantasy", "fantasy"),
    ("mystery", "mysteries"),
    ("non-fiction", "non-fiction"),
    ("poetry", "poetry"),
    ("historical", "historical fiction"),
    ("translated", "fiction in translation"),
    ("short-stories", "short stories"),
    ("memoir", "memoirs"),
    ("thriller", "thrillers"),
    ("graphic-novels", "graphic novels"),
];

/// As the club's field shows it, and as a sentence says it.
pub(super) const FREQUENCIES: &[(&str, &str)] = &[
    ("Weekly", "weekly"),
    ("Every two weeks", "every two weeks"),
    ("Monthly", "monthly"),
    (
        "First Thursday of the month",
        "on the first Thursday of the month",
    ),
    (
        "Last Sunday of the month",
        "on the last Sunday of the month",
    ),
];

pub(super) const WELCOMES: &[&str] = &[
    "New members welcome: come whether or not you finished the book.",
    "Friendly, unhurried, and strictly no spoilers before the meeting.",
    "We take turns choosing, and there is always cake.",
    "Small group, long conversations. Say hello before your first visit.",
    "Everyone gets a say in what we read next.",
];

/// IANA zones with cities in them.
pub(super) const PLACES: &[(&str, &[&str])] = &[
    (
        "Europe/London",
        &["London", "Bristol", "Manchester", "Edinburgh", "Leeds"],
    ),
    (
        "America/New_York",
        &["Brooklyn", "Boston", "Philadelphia", "Pittsburgh"],
    ),
    ("Europe/Berlin", &["Berlin", "Hamburg", "Munich", "Leipzig"]),
    ("Asia/Tokyo", &["Tokyo", "Osaka", "Kyoto"]),
    ("Australia/Sydney", &["Sydney", "Newcastle", "Wollongong"]),
];

pub(super) const VENUES: &[&str] = &[
    "Central Library, Meeting Room 2",
    "The Crooked Spine Bookshop, 14 Mill Lane",
    "Cafe Marginalia, 3 Harbour Street",
    "The Red Lion (back room), 52 High Street",
    "Community Centre, Hall B, 9 Park Road",
    "Riverside Tea Rooms, 21 Quay Walk",
    "Members' home (address in the group chat)",
];

pub(super) const BOOKS: &[&str] = &[
    "Middlemarch",
    "Pride and Prejudice",
    "Jane Eyre",
    "Moby-Dick",
    "Frankenstein",
    "The Left Hand of Darkness",
    "A Wizard of Earthsea",
    "Beloved",
    "Things Fall Apart",
    "One Hundred Years of Solitude",
    "The Remains of the Day",
    "Never Let Me Go",
    "Wolf Hall",
    "The Master and Margarita",
    "Kindred",
    "The Name of the Rose",
    "Rebecca",
    "The Murder of Roger Ackroyd",
    "Piranesi",
    "Station Eleven",
    "The Dispossessed",
    "Giovanni's Room",
    "Mrs Dalloway",
    "Persuasion",
    "Convenience Store Woman",
    "Kitchen",
    "The Sympathizer",
    "Homegoing",
];

pub(super) const EVENT_KINDS: &[&str] = &[
    "discussion",
    "discussion",
    "discussion",
    "discussion",
    "discussion",
    "meeting",
    "meeting",
    "social",
    "social",
    "planning",
    "other",
];

/// Titles and descriptions; `{book}` is replaced with the event's book.
pub(super) const DISCUSSIONS: &[(&str, &str)] = &[
    (
        "{book}: first half",
        "Up to the middle of {book}. Bring a passage you want to talk about.",
    ),
    (
        "{book}: the ending",
        "Spoilers welcome: we finish {book} together.",
    ),
    (
        "Discussing {book}",
        "Our monthly discussion of {book}. Questions go round beforehand.",
    ),
    (
        "{book}, chapters 1-10",
        "A slow read of {book}, ten chapters at a time.",
    ),
];

pub(super) const MEETINGS: &[(&str, &str)] = &[
    (
        "Members' meeting",
        "Club business: next season, money for the room, anything you want to raise.",
    ),
    (
        "Annual general meeting",
        "Looking back at the year's books and choosing next year's organisers.",
    ),
];

pub(super) const SOCIALS: &[(&str, &str)] = &[
    (
        "Summer picnic",
        "Blankets, snacks and the books we loved this year.",
    ),
    (
        "Bookshop crawl",
        "Three second-hand shops and a long lunch.",
    ),
    (
        "Literary pub quiz",
        "Teams of four. Questions on everything we have read so far.",
    ),
];

pub(super) const PLANNING: &[(&str, &str)] = &[
    (
        "Choosing next season's books",
        "Bring up to three suggestions; we vote at the end.",
    ),
    (
        "Planning the reading list",
        "Shortlist and vote on what we read after {book}.",
    ),
];

pub(super) const OTHERS: &[(&str, &str)] = &[
    (
        "Author talk at the library",
        "A local author on writing their debut. Questions afterwards.",
    ),
    (
        "Book swap",
        "Bring books you have finished with, take home ones you have not.",
    ),
];

/// Item categories with names that fit them.
pub(super) const ITEMS: &[(&str, &[&str])] = &[
    (
        "agenda",
        &[
            "Opening thoughts",
            "Favourite passages",
            "Discussion questions",
            "Vote on the next book",
            "Any other business",
        ],
    ),
    (
        "task",
        &[
            "Book the room",
            "Bring snacks",
            "Send a reminder",
            "Bring the discussion questions",
            "Collect room money",
        ],
    ),
    (
        "material",
        &[
            "Printed discussion guide",
            "Author interview (link)",
            "Map of the novel's places",
            "Spare copies to lend",
        ],
    ),
    (
        "note",
        &[
            "Step-free entrance on the side street",
            "Meeting link opens ten minutes early",
            "Parking behind the building",
        ],
    ),
    ("other", &["Photos for the newsletter", "Lost and found"]),
];

pub(super) const TASK_NOTES: &[&str] = &[
    "Done it before, happy to again.",
    "Ask at the front desk for the key.",
    "Vegan options please.",
    "Will share in the group chat.",
];

/// Notes people leave with an answer of `status`.
pub(super) fn rsvp_notes(status: &str) -> &'static [&'static str] {
    match status {
        "available" => &[
            "Might be ten minutes late.",
            "Bringing a friend who wants to join.",
            "Only halfway through, but coming anyway!",
            "Will bring biscuits.",
        ],
        "maybe" => &["Depends on work, will confirm.", "Hoping to make it."],
        _ => &["Away that week, sorry.", "Clashes with a family thing."],
    }
}
