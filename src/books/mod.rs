//! The club bookshelf: books a club suggests, reads next, is reading and has
//! read. (So far: ISBNs as people type them.)
pub mod isbn;
