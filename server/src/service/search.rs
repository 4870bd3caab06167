//! `GET /search`: a user finds what was said in their own conversations
//! (direct chats, and groups while they are a member), never anyone
//! else's. Fewer than three characters is refused (`query_too_short`): the
//! trigram index cannot answer it, and a two-letter search of a whole
//! history would be both slow and useless.

use messenger_shared::chat::{ConversationRef, SearchHit, SearchPage, SearchQuery};
use messenger_shared::error::ErrorCode;

use super::validate;
use crate::auth::AuthUser;
use crate::db::chat_search::{self, Scope};
use crate::db::groups;
use crate::error::ApiError;
use crate::state::AppState;

/// Shortest text searched for, in characters.
pub const MIN_QUERY_CHARS: usize = 3;
const DEFAULT_PAGE: u32 = 20;
const MAX_PAGE: u32 = 100;

pub async fn search(
    state: &AppState,
    caller: &AuthUser,
    query: SearchQuery,
) -> Result<SearchPage, ApiError> {
    validate::search_text(&query.q)?;
    let needle = query.q.trim().to_owned();
    if needle.chars().count() < MIN_QUERY_CHARS {
        return Err(ApiError::new(
            ErrorCode::QueryTooShort,
            format!("search for at least {MIN_QUERY_CHARS} characters"),
        ));
    }
    if query.with.is_some() && query.group.is_some() {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "search one conversation: with or group, not both",
        ));
    }
    let limit = query.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE) as usize;
    let me = caller.user_id;
    state
        .db
        .run(move |conn| {
            let scope = match (query.with, query.group) {
                (Some(peer), _) => Scope::Direct(me, peer),
                (None, Some(group)) => {
                    if groups::membership(conn, group, me)?.is_none() {
                        return Err(ApiError::new(
                            ErrorCode::GroupNotFound,
                            format!("no group with id {group} that you are in"),
                        ));
                    }
                    Scope::Group(group)
                }
                (None, None) => Scope::All {
                    user: me,
                    groups: groups::of_user(conn, me)?,
                },
            };
            let (found, has_more) = chat_search::find(conn, &scope, &needle, query.before, limit)?;
            let hits = found
                .into_iter()
                .map(|((row, attachment), ranges)| {
                    let message = row.to_wire(attachment.as_ref());
                    let conversation = match message.group {
                        Some(group) => ConversationRef::Group { group },
                        None if message.sender == me => ConversationRef::Direct {
                            peer: message.recipient,
                        },
                        None => ConversationRef::Direct {
                            peer: message.sender,
                        },
                    };
                    SearchHit {
                        conversation,
                        message,
                        ranges,
                    }
                })
                .collect();
            Ok(SearchPage { hits, has_more })
        })
        .await
}
