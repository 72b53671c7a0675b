// A stand-in for Open Library's search (https://openlibrary.org/search.json)
// for the journeys: the machine is offline, and a journey must not depend on
// someone else's catalogue. It answers `/search.json?isbn=…` and
// `/search.json?q=…` with the fields Bookwork asks for, from the small
// catalogue below, as Open Library shapes them. Playwright starts it
// (playwright.config.ts); scripts/test.sh points OPEN_LIBRARY_URL here.
import { createServer } from "node:http";

const port = Number(process.env.OPEN_LIBRARY_STUB_PORT ?? 3190);

const catalogue = [
  {
    title: "Middlemarch",
    author_name: ["George Eliot"],
    cover_i: 8231856,
    number_of_pages_median: 880,
    isbn: ["0141439548", "9780141439549"],
    first_publish_year: 1871,
  },
  {
    title: "The Remains of the Day",
    author_name: ["Kazuo Ishiguro"],
    cover_i: 8474041,
    number_of_pages_median: 258,
    isbn: ["9780571258246"],
    first_publish_year: 1989,
  },
  {
    title: "Middlemarch Revisited",
    author_name: ["A. Critic"],
    isbn: [],
    first_publish_year: 2001,
  },
];

const words = (text) => text.toLowerCase().split(/\s+/).filter(Boolean);

createServer((request, response) => {
  const url = new URL(request.url, `http://127.0.0.1:${port}`);
  if (url.pathname === "/health") {
    response.end("ok");
    return;
  }
  if (url.pathname !== "/search.json") {
    response.writeHead(404).end();
    return;
  }
  const isbn = url.searchParams.get("isbn");
  const q = url.searchParams.get("q");
  const docs = catalogue.filter((book) =>
    isbn
      ? book.isbn.includes(isbn)
      : words(q ?? "").every((w) => `${book.title} ${book.author_name.join(" ")}`.toLowerCase().includes(w)),
  );
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ numFound: docs.length, start: 0, docs }));
}).listen(port, "127.0.0.1");
