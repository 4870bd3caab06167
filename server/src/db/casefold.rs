//! Letter case folded in Rust, for searches that must ignore case beyond
//! ASCII: SQLite's own `lower()` and `LIKE` know only A to Z, and a school's
//! names are Cyrillic. Every pooled connection registers `casefold(text)`.

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};

#[diesel::declare_sql_function]
extern "SQL" {
    /// The text with every letter lower-cased (`str::to_lowercase`).
    fn casefold(text: Nullable<Text>) -> Nullable<Text>;

    /// Where `needle` starts in `haystack` (1-based), 0 when it is not there.
    fn instr(haystack: Nullable<Text>, needle: Text) -> Nullable<diesel::sql_types::Integer>;
}

/// Makes `casefold` callable on this SQLite connection. PostgreSQL has it
/// from its migration (`lower` with Unicode rules).
pub fn register(conn: &mut SqliteConnection) -> QueryResult<()> {
    casefold_utils::register_impl(conn, |text: Option<String>| text.as_deref().map(fold))
}

/// How text is compared in searches: both sides folded the same way.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}
