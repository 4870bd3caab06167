//! Accounts made by the staff: one at a time, a class list at once, and a
//! temporary password for someone who forgot theirs. Each starts with a
//! password the owner must replace at the next login (see
//! `accounts::login`).
//!
//! Nobody hands out more than they hold: an account may be given a role,
//! and a password may be reset, only when the caller holds every
//! permission of that role. Otherwise a holder of `user:write` could make
//! an administrator, or take over one by resetting their password.

use std::collections::HashMap;
use std::time::Instant;

use diesel::prelude::*;
use messenger_shared::admin::{
    AuditAction, CreatedAccount, FirstPassword, ImportPreview, ImportRow, Imported, NewAccount,
    TemporaryPassword,
};
use messenger_shared::error::{ErrorCode, RowProblem};
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{RoleId, UserId};
use messenger_shared::permission::{Permission, role};
use messenger_shared::presence::Presence;
use messenger_shared::user::RoleRef;

use super::Admin;
use super::audit::{self, details};
use super::class_list::{self, ClassList, Column};
use super::users::reread;
use crate::auth::password;
use crate::clock::now_millis;
use crate::db::casefold;
use crate::db::users::{self, NewUser, UserRow};
use crate::db::{self, Conn};
use crate::db::{roles, sessions};
use crate::error::ApiError;
use crate::service::validate;
use crate::state::AppState;

/// `POST /admin/users`.
pub async fn create(
    state: &AppState,
    admin: &Admin,
    new: NewAccount,
) -> Result<CreatedAccount, ApiError> {
    let username = validate::username(new.username.trim())?;
    let display_name = validate::optional(new.display_name.as_deref(), validate::display_name)?
        .unwrap_or_else(|| username.clone());
    let email = validate::optional(new.email.as_deref(), validate::email)?;
    let phone = validate::optional(new.phone.as_deref(), validate::phone)?;
    let password = match new.password {
        Some(given) => {
            validate::new_password(&given, &username)?;
            given
        }
        None => password::generate(),
    };
    let hash = state.passwords.hash(password.clone()).await?;
    let record = admin.clone();
    let (user, role_name) = state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let role = match new.role {
                    Some(id) => roles::find(conn, id)?.ok_or_else(|| no_role(id))?,
                    None => roles::find_by_name(conn, role::USER)?
                        .ok_or_else(|| ApiError::internal("the User role is missing"))?,
                };
                record.may_act_on_role(conn, RoleId(role.id))?;
                let taken = Taken::load(conn)?;
                if let Some(refused) = taken.refusal(&username, email.as_deref(), phone.as_deref())
                {
                    return Err(refused);
                }
                let user = insert(
                    conn,
                    NewFields {
                        username,
                        display_name,
                        email,
                        phone,
                    },
                    role.id,
                    hash,
                )?;
                audit::record(
                    conn,
                    &record,
                    AuditAction::AccountCreated,
                    Some(user.user_id()),
                    &details([
                        ("username", Some(user.username.clone())),
                        ("role", Some(role.name.clone())),
                    ]),
                )?;
                Ok((user, role.name))
            })
        })
        .await?;
    tracing::info!(user = user.id, by = %admin.caller.user_id, "account created");
    let id = user.user_id();
    announce_new(state, vec![(user, role_name)]).await?;
    Ok(CreatedAccount {
        user: reread(state, id).await?,
        password,
    })
}

/// `POST /admin/users/import?dry_run=true`: the rows as they would be
/// stored and every problem, nothing stored.
pub async fn preview(
    state: &AppState,
    admin: &Admin,
    file: Vec<u8>,
) -> Result<ImportPreview, ApiError> {
    let list = parse(state, file).await?;
    let record = admin.clone();
    state
        .db
        .run(move |conn| {
            let (list, resolved) = check(conn, &record, list)?;
            Ok(ImportPreview {
                rows: list
                    .rows
                    .into_iter()
                    .zip(resolved)
                    .map(|(row, role)| ImportRow {
                        line: row.line,
                        username: row.username,
                        display_name: row.display_name,
                        email: row.email,
                        phone: row.phone,
                        role,
                        class: row.class,
                    })
                    .collect(),
                problems: list.problems,
            })
        })
        .await
}

/// `POST /admin/users/import`: every account of the file, or none. The
/// first passwords are hashed one by one behind logins (most of the time
/// an import takes), then all rows are stored in one transaction.
pub async fn import(state: &AppState, admin: &Admin, file: Vec<u8>) -> Result<Imported, ApiError> {
    let list = parse(state, file).await?;
    let record = admin.clone();
    let (list, roles_of) = state
        .db
        .run(move |conn| {
            let (list, resolved) = check(conn, &record, list)?;
            refuse_problems(&list.problems)?;
            let roles_of: Vec<RoleRef> = resolved.into_iter().flatten().collect();
            Ok((list, roles_of))
        })
        .await?;
    if list.rows.is_empty() {
        return Err(ApiError::new(
            ErrorCode::InvalidImport,
            "the file holds no accounts",
        ));
    }
    let passwords: Vec<String> = list.rows.iter().map(|_| password::generate()).collect();
    let started = std::time::Instant::now();
    let hashes = state.passwords.hash_in_bulk(passwords.clone()).await?;
    let hashing = started.elapsed();

    let record = admin.clone();
    let rows = list.rows.clone();
    let created = state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                // Someone may have registered a name while the passwords
                // were hashed: check again, inside the transaction.
                let taken = Taken::load(conn)?;
                let late: Vec<RowProblem> = rows
                    .iter()
                    .filter_map(|row| {
                        taken
                            .refusal(&row.username, row.email.as_deref(), row.phone.as_deref())
                            .map(|refused| taken_problem(row, &refused))
                    })
                    .collect();
                refuse_problems(&late)?;
                let mut created = Vec::with_capacity(rows.len());
                for ((row, role), hash) in rows.iter().zip(&roles_of).zip(hashes) {
                    let user = insert(
                        conn,
                        NewFields {
                            username: row.username.clone(),
                            display_name: row.display_name.clone(),
                            email: row.email.clone(),
                            phone: row.phone.clone(),
                        },
                        role.id.0,
                        hash,
                    )?;
                    created.push((user, role.name.clone()));
                }
                audit::record(
                    conn,
                    &record,
                    AuditAction::AccountsImported,
                    None,
                    &details([("accounts", Some(created.len().to_string()))]),
                )?;
                Ok(created)
            })
        })
        .await?;
    let count = u32::try_from(created.len()).unwrap_or(u32::MAX);
    tracing::info!(
        accounts = count,
        hashing_ms = hashing.as_millis() as u64,
        by = %admin.caller.user_id,
        "class list imported"
    );
    let accounts = created
        .iter()
        .zip(passwords)
        .map(|((user, _), password)| FirstPassword {
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            password,
        })
        .collect();
    // Each class named gets its group, the new accounts in it.
    let mut classes: std::collections::BTreeMap<String, Vec<UserId>> = Default::default();
    for (row, (user, _)) in list.rows.iter().zip(&created) {
        if let Some(class) = &row.class {
            classes
                .entry(class.clone())
                .or_default()
                .push(UserId(user.id));
        }
    }
    announce_new(state, created).await?;
    crate::service::groups::add_to_classes(state, admin, classes.into_iter().collect()).await?;
    Ok(Imported {
        created: count,
        accounts,
    })
}

/// `POST /admin/users/{id}/password-reset`: a temporary password; every
/// session of the user ends at once.
pub async fn reset_password(
    state: &AppState,
    admin: &Admin,
    id: UserId,
) -> Result<TemporaryPassword, ApiError> {
    let password = password::generate();
    let hash = state.passwords.hash(password.clone()).await?;
    let record = admin.clone();
    let ended = state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let user = users::find(conn, id)?.ok_or_else(|| {
                    ApiError::new(ErrorCode::UserNotFound, format!("no user with id {id}"))
                })?;
                record.may_act_on_role(conn, user.role_id())?;
                let now = now_millis();
                users::set_temporary_password(conn, id, &hash, now)?;
                let ended = sessions::revoke_all_of(conn, id, now)?;
                audit::record(
                    conn,
                    &record,
                    AuditAction::PasswordReset,
                    Some(id),
                    &details([]),
                )?;
                Ok(ended)
            })
        })
        .await?;
    for session in ended {
        state.hub.close_session(session, ErrorCode::PasswordReset);
    }
    tracing::info!(user = %id, by = %admin.caller.user_id, "password reset");
    Ok(TemporaryPassword { password })
}

/// Reads a class list on the blocking pool, holding no database
/// connection meanwhile: a large file takes no one's place in the pool.
/// One file is read at a time, so that imports at once take one core at
/// most from everyone else.
async fn parse(state: &AppState, file: Vec<u8>) -> Result<ClassList, ApiError> {
    let _turn = state
        .class_list_reading
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    let deadline = Instant::now() + class_list::MAX_READING;
    tokio::task::spawn_blocking(move || class_list::read(&file, deadline))
        .await
        .map_err(ApiError::internal)?
}

/// The file's rows and problems, with each row's role (`None` where the
/// role is unknown or not the caller's to give).
fn check(
    conn: &mut Conn,
    admin: &Admin,
    mut list: ClassList,
) -> Result<(ClassList, Vec<Option<RoleRef>>), ApiError> {
    let roles = RoleNames::load(conn)?;
    let taken = Taken::load(conn)?;
    let mut seen = Taken::default();
    let mut resolved = Vec::with_capacity(list.rows.len());
    let mut problems = Vec::new();
    // Whether the caller may hand out each role, asked once per role.
    let mut allowed: HashMap<RoleId, Result<(), ApiError>> = HashMap::new();
    for row in &list.rows {
        let role = match roles.find(&row.role) {
            None => {
                problems.push(class_list::problem(
                    row.line,
                    Some(Column::Role),
                    Some(&row.role),
                    &no_role_named(&row.role),
                ));
                None
            }
            Some(role) => {
                let verdict = match allowed.get(&role.id) {
                    Some(verdict) => verdict.clone(),
                    None => {
                        let verdict = admin.may_act_on_role(conn, role.id);
                        allowed.insert(role.id, verdict.clone());
                        verdict
                    }
                };
                match verdict {
                    Ok(()) => Some(role),
                    Err(refused) => {
                        problems.push(class_list::problem(
                            row.line,
                            Some(Column::Role),
                            Some(&row.role),
                            &refused,
                        ));
                        None
                    }
                }
            }
        };
        resolved.push(role);
        let (email, phone) = (row.email.as_deref(), row.phone.as_deref());
        if let Some(refused) = taken.refusal(&row.username, email, phone) {
            problems.push(taken_problem(row, &refused));
        } else if let Some(first) = seen.repeated(&row.username, email, phone) {
            let again = ApiError::new(
                first.1,
                format!("line {} has the same {} already", first.0, first.2),
            );
            problems.push(taken_problem(row, &again));
        }
        seen.add(&row.username, email, phone, row.line);
    }
    list.problems.extend(problems);
    list.problems.sort_by_key(|p| p.line);
    Ok((list, resolved))
}

/// `invalid_import` with the rows at fault, when there are any.
fn refuse_problems(problems: &[RowProblem]) -> Result<(), ApiError> {
    if problems.is_empty() {
        return Ok(());
    }
    let mut lines: Vec<u32> = problems.iter().map(|p| p.line).collect();
    lines.dedup();
    Err(ApiError::new(
        ErrorCode::InvalidImport,
        format!(
            "{} rows cannot be imported, so none was; see rows",
            lines.len()
        ),
    )
    .with_rows(problems.to_vec()))
}

struct NewFields {
    username: String,
    display_name: String,
    email: Option<String>,
    phone: Option<String>,
}

fn insert(
    conn: &mut Conn,
    fields: NewFields,
    role_id: i64,
    password_hash: String,
) -> QueryResult<UserRow> {
    let now = now_millis();
    users::insert(
        conn,
        &NewUser {
            username: fields.username,
            display_name: fields.display_name,
            email: fields.email,
            phone: fields.phone,
            password_hash,
            role_id,
            active: true,
            created_at: now,
            updated_at: now,
            must_change_password: true,
        },
    )
}

/// Everyone's contact list gains the newcomers at once.
async fn announce_new(state: &AppState, created: Vec<(UserRow, String)>) -> Result<(), ApiError> {
    let staff_roles = state
        .db
        .run(|conn| Ok(roles::granting(conn, Permission::MessageStartAny)?))
        .await?;
    for (user, role_name) in created {
        let staff = staff_roles.contains(&user.role_id);
        state.hub.broadcast(ServerFrame::UserAdded {
            user: user.summary(role_name, staff, Presence::Offline),
        });
    }
    Ok(())
}

/// Roles by name in any letter case, and the built-in ones by their
/// Russian names too (a class list typed in Russian says «Ученик»).
struct RoleNames(Vec<RoleRef>);

impl RoleNames {
    fn load(conn: &mut Conn) -> QueryResult<RoleNames> {
        Ok(RoleNames(
            roles::names(conn)?
                .into_iter()
                .map(|(id, name)| RoleRef {
                    id: RoleId(id),
                    name,
                })
                .collect(),
        ))
    }

    fn find(&self, written: &str) -> Option<RoleRef> {
        let written = written.trim().to_lowercase();
        let name = match written.as_str() {
            "" | "пользователь" | "ученик" | "ученица" | "учащийся" | "студент" => {
                role::USER.to_lowercase()
            }
            "администратор" => role::ADMIN.to_lowercase(),
            "модератор" => role::MODERATOR.to_lowercase(),
            "преподаватель" | "учитель" => role::TEACHER.to_lowercase(),
            other => other.to_owned(),
        };
        self.0
            .iter()
            .find(|role| role.name.to_lowercase() == name)
            .cloned()
    }
}

/// Usernames (in any case), e-mails and phones in use, each with the line
/// that first used it in a file (0 for accounts already stored).
#[derive(Default)]
struct Taken {
    usernames: HashMap<String, u32>,
    emails: HashMap<String, u32>,
    phones: HashMap<String, u32>,
}

impl Taken {
    fn load(conn: &mut Conn) -> QueryResult<Taken> {
        let mut taken = Taken::default();
        for (username, email, phone) in users::taken_identifiers(conn)? {
            taken.add(&username, email.as_deref(), phone.as_deref(), 0);
        }
        Ok(taken)
    }

    fn add(&mut self, username: &str, email: Option<&str>, phone: Option<&str>, line: u32) {
        self.usernames
            .entry(casefold::fold(username))
            .or_insert(line);
        if let Some(email) = email {
            self.emails.entry(email.to_owned()).or_insert(line);
        }
        if let Some(phone) = phone {
            self.phones.entry(phone.to_owned()).or_insert(line);
        }
    }

    /// The first line holding one of these, the code, and which field.
    fn repeated(
        &self,
        username: &str,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Option<(u32, ErrorCode, &'static str)> {
        if let Some(line) = self.usernames.get(&casefold::fold(username)) {
            return Some((*line, ErrorCode::UsernameTaken, "username"));
        }
        if let Some(line) = email.and_then(|e| self.emails.get(e)) {
            return Some((*line, ErrorCode::EmailTaken, "e-mail address"));
        }
        if let Some(line) = phone.and_then(|p| self.phones.get(p)) {
            return Some((*line, ErrorCode::PhoneTaken, "phone number"));
        }
        None
    }

    /// The refusal a stored account's name, e-mail or phone causes.
    fn refusal(
        &self,
        username: &str,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Option<ApiError> {
        self.repeated(username, email, phone)
            .map(|(_, code, what)| {
                ApiError::new(code, format!("another account already has this {what}"))
            })
    }
}

/// A name, e-mail or phone that is another account's (or another row's):
/// the problem names the cell by the code.
fn taken_problem(row: &class_list::Row, refused: &ApiError) -> RowProblem {
    let (column, value) = match refused.code {
        ErrorCode::EmailTaken => (Column::Email, row.email.as_deref()),
        ErrorCode::PhoneTaken => (Column::Phone, row.phone.as_deref()),
        _ => (Column::Username, Some(row.username.as_str())),
    };
    class_list::problem(row.line, Some(column), value, refused)
}

fn no_role(id: RoleId) -> ApiError {
    ApiError::new(ErrorCode::RoleNotFound, format!("no role with id {id}"))
}

fn no_role_named(name: &str) -> ApiError {
    ApiError::new(ErrorCode::RoleNotFound, format!("no role named \"{name}\""))
}
