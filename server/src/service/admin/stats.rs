//! `GET /admin/stats`: the school at a glance.

use chrono::{Duration, Local, NaiveDate, TimeZone};
use messenger_shared::admin::{DayCount, FileUser, RoleCount, Stats, UserRef};
use messenger_shared::ids::RoleId;
use messenger_shared::ids::UserId;
use messenger_shared::presence::Presence;
use messenger_shared::user::RoleRef;

use super::Admin;
use crate::clock::now_millis;
use crate::db::{Conn, files, messages, roles, search_index, users};
use crate::error::ApiError;
use crate::state::AppState;

/// Days in the chart of messages per day.
const CHART_DAYS: i64 = 14;

/// Days the busiest hours are counted over.
const HOURS_OVER_DAYS: i64 = 30;

pub async fn stats(state: &AppState, _admin: &Admin) -> Result<Stats, ApiError> {
    let online_now = state
        .hub
        .presence()
        .values()
        .filter(|p| **p != Presence::Offline)
        .count() as u64;
    let now = now_millis();
    // Days and hours as the school lives them: the server's local time.
    // (The offset of today is used for the whole month; a daylight-saving
    // change moves at most one hour of one day.)
    let offset = i64::from(Local::now().offset().local_minus_utc()) * 1000;
    let today = Local::now().date_naive();
    let midnight = |day: NaiveDate| {
        Local
            .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map_or(now, |t| t.timestamp_millis())
    };
    let since = midnight(today - Duration::days(HOURS_OVER_DAYS - 1));
    let chart_from = today - Duration::days(CHART_DAYS - 1);
    let week_from = today - Duration::days(6);
    let location = state.db.location().clone();
    state
        .db
        .run(move |conn| {
            // Reading file sizes is blocking I/O: here, on the blocking pool.
            let storage_bytes = crate::db::storage_bytes(conn, &location)?;
            let role_names = roles::list(conn)?;
            let counts = users::count_by_role(conn)?;
            let accounts = role_names
                .into_iter()
                .map(|role| {
                    let count = |active: bool| {
                        counts
                            .iter()
                            .find(|(r, a, _)| *r == role.id.0 && *a == active)
                            .map_or(0, |(_, _, n)| u64::try_from(*n).unwrap_or(0))
                    };
                    RoleCount {
                        active: count(true),
                        disabled: count(false),
                        role: RoleRef {
                            id: RoleId(role.id.0),
                            name: role.name,
                        },
                    }
                })
                .collect();
            let hours = match messages::first_id_since(conn, since)? {
                Some(first) => messages::per_hour_since(conn, first, offset)?,
                None => Vec::new(),
            };
            let mut per_day: Vec<DayCount> = (0..CHART_DAYS)
                .map(|n| DayCount {
                    day: chart_from + Duration::days(n),
                    messages: 0,
                })
                .collect();
            let mut busiest_hours = vec![0_u64; 24];
            let (mut messages_today, mut messages_week) = (0, 0);
            for (hour, count) in hours {
                let count = u64::try_from(count).unwrap_or(0);
                // `hour` counts local hours since the epoch: read as UTC, it
                // gives the local date.
                let day = chrono::DateTime::from_timestamp(hour * 3600, 0)
                    .map_or(today, |t| t.date_naive());
                busiest_hours[usize::try_from(hour.rem_euclid(24)).unwrap_or(0)] += count;
                if let Some(slot) = per_day.iter_mut().find(|d| d.day == day) {
                    slot.messages += count;
                }
                if day == today {
                    messages_today += count;
                }
                if day >= week_from {
                    messages_week += count;
                }
            }
            Ok(Stats {
                accounts,
                online_now,
                messages_today,
                messages_week,
                messages_total: u64::try_from(messages::count(conn)?).unwrap_or(0),
                per_day,
                busiest_hours,
                storage_bytes,
                files_bytes: files::contents(conn)?
                    .iter()
                    .map(|(_, size)| u64::try_from(*size).unwrap_or(0))
                    .sum(),
                biggest_file_users: biggest_file_users(conn)?,
                search_index_pending: search_index::pending(conn)?,
            })
        })
        .await
}

/// The ten users whose uploads take the most bytes, with their names.
fn biggest_file_users(conn: &mut Conn) -> diesel::QueryResult<Vec<FileUser>> {
    let biggest = files::biggest_users(conn, 10)?;
    let ids: Vec<i64> = biggest.iter().map(|(id, _, _)| *id).collect();
    let names = users::refs(conn, &ids)?;
    Ok(biggest
        .into_iter()
        .map(|(id, username, bytes)| FileUser {
            user: names.get(&id).cloned().unwrap_or(UserRef {
                id: UserId(id),
                display_name: username.clone(),
                username,
            }),
            bytes,
        })
        .collect())
}
