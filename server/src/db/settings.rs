//! The `settings` table: the school settings, one row per setting, each
//! stored as the same snake_case word the API uses. A missing row (or a
//! word this build does not know) means the default.

use diesel::prelude::*;
use messenger_shared::school::{Messaging, Registration, SchoolSettings};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::schema::settings;
use super::{Conn, on_each_engine};

const MESSAGING: &str = "messaging";
const REGISTRATION: &str = "registration";

pub fn load(conn: &mut Conn) -> QueryResult<SchoolSettings> {
    let rows: Vec<(String, String)> = settings::table
        .select((settings::name, settings::value))
        .load(conn)?;
    let value = |name: &str| {
        rows.iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    };
    Ok(SchoolSettings {
        messaging: word::<Messaging>(value(MESSAGING)),
        registration: word::<Registration>(value(REGISTRATION)),
    })
}

pub fn store(conn: &mut Conn, new: SchoolSettings) -> QueryResult<()> {
    for (name, value) in [
        (MESSAGING, to_word(new.messaging)),
        (REGISTRATION, to_word(new.registration)),
    ] {
        on_each_engine!(&mut *conn, |conn| {
            diesel::insert_into(settings::table)
                .values((settings::name.eq(name), settings::value.eq(&value)))
                .on_conflict(settings::name)
                .do_update()
                .set(settings::value.eq(&value))
                .execute(conn)
        })?;
    }
    Ok(())
}

fn word<T: DeserializeOwned + Default>(stored: Option<&str>) -> T {
    stored
        .and_then(|word| serde_json::from_value(serde_json::Value::String(word.to_owned())).ok())
        .unwrap_or_default()
}

/// The setting's word, e.g. `staff`.
pub fn to_word(value: impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(word)) => word,
        _ => String::new(),
    }
}
