//! Every message of the school: the moderators' search and the export.
//! Both are audited, with the filters used: the auditors are audited.

use std::collections::HashMap;

use actix_web::web::Bytes;
use diesel::prelude::*;
use messenger_shared::admin::{
    AdminMessage, AuditAction, ExportFormat, GroupRef, MessageFilter, MessageVersion, UserRef,
};
use messenger_shared::chat::Attachment;
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::{AttachmentId, GroupId, MessageId, UserId};
use messenger_shared::spreadsheet;
use tokio::sync::mpsc;

use super::audit::{self, Details, details};
use super::{Admin, millis, page_size};
use crate::clock::from_millis;
use crate::db::Conn;
use crate::db::message_search::{self, Filter, Found};
use crate::db::message_versions;
use crate::db::{groups, users};
use crate::error::ApiError;
use crate::service::validate;
use crate::state::AppState;

/// Longest search text, in characters.
const MAX_QUERY_CHARS: usize = 200;

/// Rows read from the database per step of an export.
const EXPORT_PAGE: i64 = 500;

/// Chunks an export may run ahead of the client: what stays in memory.
const EXPORT_CHUNKS_AHEAD: usize = 2;

/// `GET /admin/messages`.
pub async fn search(
    state: &AppState,
    admin: &Admin,
    query: MessageFilter,
) -> Result<Vec<AdminMessage>, ApiError> {
    let limit = page_size(query.limit);
    let filter = checked(&query)?;
    let record = admin.clone();
    let particulars = filter_details(&query);
    state
        .db
        .run(move |conn| {
            let found = message_search::find(conn, &filter, limit)?;
            let mut names = HashMap::new();
            let messages = to_wire(conn, found, &mut names)?;
            audit::record(
                conn,
                &record,
                AuditAction::MessagesRead,
                query.user,
                &particulars,
            )?;
            Ok(messages)
        })
        .await
}

/// `GET /admin/messages/export`: every message that passes the filters,
/// newest first, written as it is read, one page at a time, so memory stays
/// flat however many there are. The export is audited before it starts.
pub async fn export(
    state: &AppState,
    admin: &Admin,
    query: MessageFilter,
    format: ExportFormat,
    language: spreadsheet::Language,
) -> Result<mpsc::Receiver<Result<Bytes, ApiError>>, ApiError> {
    let mut filter = checked(&query)?;
    let record = admin.clone();
    let mut particulars = filter_details(&query);
    particulars.insert(
        "format".to_owned(),
        match format {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
        .to_owned(),
    );
    let target = query.user;
    state
        .db
        .run(move |conn| {
            Ok(audit::record(
                conn,
                &record,
                AuditAction::MessagesExported,
                target,
                &particulars,
            )?)
        })
        .await?;

    let (chunks, receiver) = mpsc::channel(EXPORT_CHUNKS_AHEAD);
    let failed = chunks.clone();
    let db = state.db.clone();
    tokio::spawn(async move {
        let result = db
            .run(move |conn| {
                let mut file = ExportFile::new(format, language);
                let mut names = HashMap::new();
                let mut first_chunk = true;
                loop {
                    let found = message_search::find(conn, &filter, EXPORT_PAGE)?;
                    let done = (found.len() as i64) < EXPORT_PAGE;
                    if let Some(last) = found.last() {
                        if filter.after.is_some() {
                            filter.after = Some(last.id);
                        } else {
                            filter.before = Some(last.id);
                        }
                    }
                    let rows = to_wire(conn, found, &mut names)?;
                    let chunk = file.chunk(&rows, first_chunk, done)?;
                    first_chunk = false;
                    // The client went away: stop reading.
                    if chunks.blocking_send(Ok(chunk)).is_err() {
                        return Ok(());
                    }
                    if done {
                        return Ok(());
                    }
                }
            })
            .await;
        if let Err(err) = result {
            tracing::warn!(%err, "an export stopped early");
            // Said to the reader, which cuts the file off rather than end
            // it as if it were whole.
            let _ = failed.send(Err(err)).await;
        }
    });
    Ok(receiver)
}

/// The filters, checked and turned into the database's terms.
fn checked(query: &MessageFilter) -> Result<Filter, ApiError> {
    if query.with.is_some() && query.user.is_none() {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "`with` needs `user`: together they name a conversation",
        ));
    }
    let text = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_owned);
    if let Some(raw) = query.q.as_deref() {
        validate::search_text(raw)?;
    }
    if text
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS)
    {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "search for at most 200 characters",
        ));
    }
    Ok(Filter {
        participant: query.user.map(|u| u.0),
        peer: query.with.map(|u| u.0),
        text,
        from: millis(query.from),
        to: millis(query.to),
        has_image: query.has_image.unwrap_or(false),
        has_file: query.has_file.unwrap_or(false),
        before: query.before.map(|m| m.0),
        after: query.after.map(|m| m.0),
        only: None,
    })
}

/// What the audit log keeps of a search.
fn filter_details(query: &MessageFilter) -> Details {
    details([
        ("user", query.user.map(|u| u.to_string())),
        ("with", query.with.map(|u| u.to_string())),
        ("q", query.q.clone().filter(|q| !q.trim().is_empty())),
        ("from_time", query.from.map(|t| t.to_rfc3339())),
        ("to_time", query.to.map(|t| t.to_rfc3339())),
        (
            "has_image",
            query.has_image.filter(|h| *h).map(|_| "true".to_owned()),
        ),
        (
            "has_file",
            query.has_file.filter(|h| *h).map(|_| "true".to_owned()),
        ),
        ("before", query.before.map(|m| m.to_string())),
        ("after", query.after.map(|m| m.to_string())),
    ])
}

/// The wire form, with the participants' names (looked up once each).
fn to_wire(
    conn: &mut Conn,
    found: Vec<Found>,
    names: &mut HashMap<i64, UserRef>,
) -> QueryResult<Vec<AdminMessage>> {
    let missing: Vec<i64> = found
        .iter()
        .flat_map(|m| [m.sender_id, m.recipient_id])
        .filter(|id| !names.contains_key(id))
        .collect();
    if !missing.is_empty() {
        names.extend(users::refs(conn, &missing)?);
    }
    let mut titles: HashMap<i64, String> = HashMap::new();
    for group in found.iter().filter_map(|m| m.group_id) {
        if let std::collections::hash_map::Entry::Vacant(slot) = titles.entry(group) {
            slot.insert(groups::title(conn, GroupId(group))?.unwrap_or_default());
        }
    }
    let edited: Vec<i64> = found
        .iter()
        .filter(|m| m.edited_at.is_some())
        .map(|m| m.id)
        .collect();
    let mut versions = if edited.is_empty() {
        HashMap::new()
    } else {
        message_versions::of(conn, &edited)?
    };
    let name = |id: i64| {
        names.get(&id).cloned().unwrap_or(UserRef {
            id: UserId(id),
            username: String::new(),
            display_name: String::new(),
        })
    };
    Ok(found
        .into_iter()
        .map(|m| AdminMessage {
            id: MessageId(m.id),
            sender: name(m.sender_id),
            recipient: name(m.recipient_id),
            group: m.group_id.map(|id| GroupRef {
                id: GroupId(id),
                title: titles.get(&id).cloned().unwrap_or_default(),
            }),
            attachment: attachment(&m),
            file: file(&m),
            sent_at: from_millis(m.created_at),
            deleted_at: m.deleted_at.map(from_millis),
            edited_at: m.edited_at.map(from_millis),
            versions: versions
                .remove(&m.id)
                .unwrap_or_default()
                .into_iter()
                .map(|v| MessageVersion {
                    text: v.body,
                    written_at: from_millis(v.written_at),
                })
                .collect(),
            text: m.body,
        })
        .collect())
}

fn attachment(m: &Found) -> Option<Attachment> {
    let number = |n: Option<i32>| n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    Some(Attachment {
        id: AttachmentId(m.attachment_id?),
        mime: m.mime.clone()?,
        size: m.size.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
        width: number(m.width),
        height: number(m.height),
        thumb_width: number(m.thumb_width),
        thumb_height: number(m.thumb_height),
    })
}

fn file(m: &Found) -> Option<messenger_shared::file::FileInfo> {
    Some(messenger_shared::file::FileInfo {
        id: messenger_shared::ids::FileId(m.file_id?),
        name: m.file_name.clone()?,
        size: m.file_size.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
        mime: m.file_mime.clone()?,
    })
}

/// Writes an export chunk by chunk.
struct ExportFile {
    format: ExportFormat,
    /// Of a CSV file's column names and dates.
    language: spreadsheet::Language,
}

impl ExportFile {
    fn new(format: ExportFormat, language: spreadsheet::Language) -> ExportFile {
        ExportFile { format, language }
    }

    /// The bytes for these rows; the first chunk opens the file, the last
    /// one closes it.
    fn chunk(&mut self, rows: &[AdminMessage], first: bool, last: bool) -> Result<Bytes, ApiError> {
        let mut out = Vec::with_capacity(rows.len() * 160);
        match self.format {
            ExportFormat::Csv => {
                // As Excel opens it by a double click, in the language of
                // whoever asked (see `spreadsheet`).
                if first {
                    out.extend_from_slice(spreadsheet::BOM.as_bytes());
                }
                let mut writer = csv::WriterBuilder::new()
                    .delimiter(spreadsheet::SEPARATOR)
                    .from_writer(&mut out);
                if first {
                    writer
                        .write_record(csv_header(self.language))
                        .map_err(ApiError::internal)?;
                }
                for row in rows {
                    writer
                        .write_record(csv_record(row, self.language))
                        .map_err(ApiError::internal)?;
                }
                writer.flush().map_err(ApiError::internal)?;
            }
            ExportFormat::Json => {
                if first {
                    out.push(b'[');
                }
                for (n, row) in rows.iter().enumerate() {
                    if !(first && n == 0) {
                        out.push(b',');
                    }
                    out.push(b'\n');
                    serde_json::to_writer(&mut out, row).map_err(ApiError::internal)?;
                }
                if last {
                    out.extend_from_slice(b"\n]\n");
                }
            }
        }
        Ok(Bytes::from(out))
    }
}

/// The column names: in English as programs name them, in Russian as a
/// school's staff reads them.
fn csv_header(language: spreadsheet::Language) -> [&'static str; 15] {
    match language {
        spreadsheet::Language::English => [
            "id",
            "sent_at",
            "sender",
            "sender_name",
            "recipient",
            "recipient_name",
            "text",
            "picture",
            "deleted_at",
            "sent_at_utc",
            "group",
            "file",
            "file_bytes",
            "edited_at",
            "earlier_versions",
        ],
        spreadsheet::Language::Russian => [
            "Номер",
            "Отправлено",
            "Отправитель (логин)",
            "Отправитель",
            "Получатель (логин)",
            "Получатель",
            "Текст",
            "Изображение",
            "Удалено",
            "Отправлено (UTC)",
            "Группа",
            "Файл",
            "Размер файла (байт)",
            "Изменено",
            "Прежние версии",
        ],
    }
}

/// One row: times in the server's local time as that language's Excel
/// reads dates, and once more in UTC (RFC 3339) for programs; every cell
/// safe to open ([`spreadsheet::cell`]: names and texts people typed may
/// look like formulas).
fn csv_record(row: &AdminMessage, language: spreadsheet::Language) -> [String; 15] {
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&chrono::Local)
            .format(language.date_time_format())
            .to_string()
    };
    [
        row.id.to_string(),
        local(row.sent_at),
        row.sender.username.clone(),
        row.sender.display_name.clone(),
        row.recipient.username.clone(),
        row.recipient.display_name.clone(),
        row.text.clone(),
        row.attachment
            .as_ref()
            .map(|a| format!("{} {}", a.id, a.mime))
            .unwrap_or_default(),
        row.deleted_at.map(local).unwrap_or_default(),
        row.sent_at.to_rfc3339(),
        row.group
            .as_ref()
            .map(|g| g.title.clone())
            .unwrap_or_default(),
        row.file
            .as_ref()
            .map(|f| f.name.clone())
            .unwrap_or_default(),
        row.file
            .as_ref()
            .map(|f| f.size.to_string())
            .unwrap_or_default(),
        row.edited_at.map(local).unwrap_or_default(),
        // Each earlier wording after its time, one per paragraph.
        row.versions
            .iter()
            .map(|v| format!("{}: {}", local(v.written_at), v.text))
            .collect::<Vec<_>>()
            .join("\n\n"),
    ]
    .map(|cell| spreadsheet::cell(&cell).into_owned())
}
