//! Users: a searchable, sortable table of every account (here); a user's
//! page with their profile, role (changed with a reason), status (disabled
//! and enabled with a reason), role history, login history and
//! conversations (`page.rs`); blocking them, with a confirmation and a
//! reason of its own (`block.rs`); resetting their password (`reset.rs`).

mod block;
mod page;
mod reset;

use iced::widget::{Column, pick_list, row};
use iced::{Element, Fill, Task};
use messenger_shared::admin::{
    AccountStatus, AdminConversation, AdminUser, LoginAttempt, RoleChange, RoleInfo,
    TemporaryPassword, UserQuery,
};
use messenger_shared::ids::AvatarVersion;
use messenger_shared::ids::UserId;
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use messenger_shared::user::{AvatarSize, UpdateProfile};

use super::filters;
use super::paged::{self, Paged};
use super::table;
use crate::api::{Api, ApiError};
use crate::tab::Context;
use crate::texts::{RoleChoice, date_time, presence_text, role_name};
use crate::tr;
use crate::widget::avatar::picture_of;

pub const SEARCH_INPUT: &str = "admin-user-search";
/// The reason for a role change.
pub const REASON_INPUT: &str = "admin-user-reason";
/// The reason for blocking, in its confirmation.
pub const BLOCK_REASON_INPUT: &str = "admin-user-block-reason";
pub const PROFILE_NAME_INPUT: &str = "admin-user-profile-name";

#[derive(Default)]
pub struct Users {
    search: String,
    status: Option<AccountStatus>,
    list: Paged<AdminUser>,
    sort: Sort,
    roles: Vec<RoleInfo>,
    page: Option<Page>,
}

/// The column the table is sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Newest,
    Username,
    Name,
    Role,
    Status,
    LastLogin,
    Online,
}

/// One user's page.
pub(super) struct Page {
    user: AdminUser,
    /// The profile as the form holds it (`user:write` may edit it).
    draft: UpdateProfile,
    role: Option<RoleChoice>,
    /// Why the role changes.
    reason: String,
    /// "Block" was pressed: the confirmation is open with this reason.
    block_reason: Option<String>,
    history: Vec<RoleChange>,
    logins: Vec<LoginAttempt>,
    conversations: Vec<AdminConversation>,
    error: Option<ApiError>,
    busy: bool,
    /// "Reset password" was pressed and waits for a confirmation.
    confirm_reset: bool,
    /// The temporary password just set, shown this once.
    temporary_password: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    SearchChanged(String),
    StatusPicked(StatusFilter),
    Search,
    MoreWanted,
    Loaded(bool, Result<Vec<AdminUser>, ApiError>),
    RolesLoaded(Result<Vec<RoleInfo>, ApiError>),
    SortBy(Sort),
    Open(UserId),
    /// The open page's account, read again.
    UserLoaded(UserId, Result<AdminUser, ApiError>),
    Back,
    HistoryLoaded(UserId, Result<Vec<RoleChange>, ApiError>),
    LoginsLoaded(UserId, Result<Vec<LoginAttempt>, ApiError>),
    ConversationsLoaded(UserId, Result<Vec<AdminConversation>, ApiError>),
    RolePicked(RoleChoice),
    ReasonChanged(String),
    ChangeRole,
    /// Opens the confirmation.
    Disable,
    BlockReasonChanged(String),
    ConfirmDisable,
    CancelDisable,
    Enable,
    RemoveAvatar,
    ResetPassword,
    ConfirmReset,
    CancelReset,
    PasswordReset(UserId, Result<TemporaryPassword, ApiError>),
    DraftName(String),
    DraftEmail(String),
    DraftPhone(String),
    SaveProfile,
    Changed(Result<AdminUser, ApiError>),
    OpenConversation(UserId, UserId),
}

impl Message {
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::SearchChanged(_)
            | Message::StatusPicked(_)
            | Message::Search
            | Message::MoreWanted
            | Message::SortBy(_)
            | Message::Open(_)
            | Message::Back
            | Message::RolePicked(_)
            | Message::ReasonChanged(_)
            | Message::ChangeRole
            | Message::Disable
            | Message::BlockReasonChanged(_)
            | Message::ConfirmDisable
            | Message::CancelDisable
            | Message::Enable
            | Message::RemoveAvatar
            | Message::ResetPassword
            | Message::ConfirmReset
            | Message::CancelReset
            | Message::DraftName(_)
            | Message::DraftEmail(_)
            | Message::DraftPhone(_)
            | Message::SaveProfile
            | Message::OpenConversation(..) => true,
            Message::Loaded(..)
            | Message::UserLoaded(..)
            | Message::RolesLoaded(_)
            | Message::HistoryLoaded(..)
            | Message::LoginsLoaded(..)
            | Message::ConversationsLoaded(..)
            | Message::PasswordReset(..)
            | Message::Changed(_) => false,
        }
    }
}

pub enum Event {
    /// Show the conversation of these two in the Messages section.
    OpenConversation(UserId, UserId),
}

/// The status filter's choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Any,
    Active,
    Disabled,
}

impl std::fmt::Display for StatusFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            StatusFilter::Any => tr!("admin-status-any"),
            StatusFilter::Active => tr!("admin-status-active"),
            StatusFilter::Disabled => tr!("admin-status-disabled"),
        })
    }
}

const PAGE: u32 = 100;

/// Reads one account again for its page.
fn reload(api: &Api, id: UserId) -> Task<Message> {
    let api = api.clone();
    Task::perform(async move { api.admin_user(id).await }, move |answer| {
        Message::UserLoaded(id, answer)
    })
}

impl Users {
    /// Loads the first page (and the roles, for whoever may change them).
    /// A user page left open is read again: the account may have changed
    /// meanwhile, and a temporary password is shown only once.
    pub fn load(&mut self, context: &Context<'_>) -> Task<Message> {
        let roles = if context.me.permissions.contains(&Permission::RoleManage) {
            let api = context.api.clone();
            Task::perform(async move { api.roles().await }, Message::RolesLoaded)
        } else {
            Task::none()
        };
        let page = match &mut self.page {
            Some(page) => {
                page.temporary_password = None;
                reload(context.api, page.user.id)
            }
            None => Task::none(),
        };
        Task::batch([self.fetch(context.api, false), roles, page])
    }

    /// Someone's account changed (a frame said so): their open page is
    /// read again.
    pub fn account_changed(&mut self, id: UserId, api: &Api) -> Task<Message> {
        match self.page_of(id) {
            Some(_) => reload(api, id),
            None => Task::none(),
        }
    }

    fn fetch(&self, api: &Api, more: bool) -> Task<Message> {
        let query = self.query(more);
        let api = api.clone();
        Task::perform(async move { api.admin_users(query).await }, move |answer| {
            Message::Loaded(more, answer)
        })
    }

    /// The open page's profile form, as a save would send it.
    pub fn profile_draft(&self) -> Option<&UpdateProfile> {
        self.page.as_ref().map(|page| &page.draft)
    }

    /// The people on screen (the table's rows or the open page), for
    /// their avatars.
    pub fn people_shown(&self) -> Vec<(UserId, Option<AvatarVersion>)> {
        match &self.page {
            Some(page) => vec![(page.user.id, page.user.avatar)],
            None => self.list.rows.iter().map(|u| (u.id, u.avatar)).collect(),
        }
    }

    pub fn query(&self, more: bool) -> UserQuery {
        UserQuery {
            q: Some(self.search.trim().to_owned()).filter(|q| !q.is_empty()),
            role: None,
            status: self.status,
            before: if more {
                self.list.oldest(|u| u.id)
            } else {
                None
            },
            limit: Some(PAGE),
        }
    }

    pub fn update(
        &mut self,
        message: Message,
        context: &Context<'_>,
    ) -> (Task<Message>, Option<Event>) {
        let api = context.api;
        let task = match message {
            Message::SearchChanged(search) => {
                self.search = search;
                Task::none()
            }
            Message::StatusPicked(filter) => {
                self.status = match filter {
                    StatusFilter::Any => None,
                    StatusFilter::Active => Some(AccountStatus::Active),
                    StatusFilter::Disabled => Some(AccountStatus::Disabled),
                };
                self.fetch(api, false)
            }
            Message::Search => self.fetch(api, false),
            Message::MoreWanted => self.fetch(api, true),
            Message::Loaded(more, answer) => {
                self.list.loaded(more, PAGE, answer);
                Task::none()
            }
            Message::RolesLoaded(Ok(roles)) => {
                self.roles = roles;
                Task::none()
            }
            Message::RolesLoaded(Err(error)) => {
                self.list.error = Some(error);
                Task::none()
            }
            Message::SortBy(sort) => {
                self.sort = sort;
                Task::none()
            }
            Message::Open(id) => self.open(id, context),
            Message::Back => {
                self.page = None;
                Task::none()
            }
            Message::OpenConversation(a, b) => {
                return (Task::none(), Some(Event::OpenConversation(a, b)));
            }

            Message::ChangeRole
            | Message::Changed(..)
            | Message::ConversationsLoaded(..)
            | Message::UserLoaded(..)
            | Message::DraftEmail(..)
            | Message::DraftName(..)
            | Message::DraftPhone(..)
            | Message::HistoryLoaded(..)
            | Message::LoginsLoaded(..)
            | Message::ReasonChanged(..)
            | Message::RemoveAvatar
            | Message::RolePicked(..)
            | Message::SaveProfile => self.page_update(message, api),
            Message::Disable
            | Message::BlockReasonChanged(..)
            | Message::ConfirmDisable
            | Message::CancelDisable
            | Message::Enable => self.block_update(message, api),
            Message::CancelReset
            | Message::ConfirmReset
            | Message::PasswordReset(..)
            | Message::ResetPassword => self.reset_update(message, api),
        };
        (task, None)
    }

    /// The rows in the order the user asked for.
    fn sorted(&self) -> Vec<&AdminUser> {
        let mut rows: Vec<&AdminUser> = self.list.rows.iter().collect();
        let fold = |s: &str| s.to_lowercase();
        match self.sort {
            Sort::Newest => {}
            Sort::Username => rows.sort_by_key(|u| fold(&u.username)),
            Sort::Name => rows.sort_by_key(|u| fold(&u.display_name)),
            Sort::Role => rows.sort_by_key(|u| fold(&role_name(&u.role.name))),
            Sort::Status => rows.sort_by_key(|u| u.status == AccountStatus::Active),
            Sort::LastLogin => {
                rows.sort_by_key(|u| std::cmp::Reverse(u.last_login.as_ref().map(|l| l.at)));
            }
            Sort::Online => rows.sort_by_key(|u| u.presence == Presence::Offline),
        }
        rows
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        if let Some(page) = &self.page {
            return page::view(self, page, context);
        }
        let status = match self.status {
            None => StatusFilter::Any,
            Some(AccountStatus::Active) => StatusFilter::Active,
            Some(AccountStatus::Disabled) => StatusFilter::Disabled,
        };
        let filters = row![
            filters::field(
                tr!("admin-user-search"),
                &self.search,
                Message::SearchChanged,
                Message::Search,
                Fill
            )
            .id(SEARCH_INPUT),
            pick_list(
                [
                    StatusFilter::Any,
                    StatusFilter::Active,
                    StatusFilter::Disabled
                ],
                Some(status),
                Message::StatusPicked
            )
            .text_size(14),
            filters::search_button(Message::Search),
        ]
        .spacing(8)
        .align_y(iced::Center);
        // The header's first cell stands over the avatars.
        let mut list = Column::new().spacing(2).push(table::sortable_header(vec![
            (String::new(), 1, Message::SortBy(Sort::Newest)),
            (
                tr!("admin-column-username"),
                2,
                Message::SortBy(Sort::Username),
            ),
            (tr!("admin-column-name"), 3, Message::SortBy(Sort::Name)),
            (tr!("admin-column-role"), 2, Message::SortBy(Sort::Role)),
            (tr!("admin-column-status"), 3, Message::SortBy(Sort::Status)),
            (
                tr!("admin-column-last-login"),
                3,
                Message::SortBy(Sort::LastLogin),
            ),
            (tr!("admin-column-online"), 2, Message::SortBy(Sort::Online)),
        ]));
        for user in self.sorted() {
            let picture = context.avatars.get(user.id, user.avatar, AvatarSize::Thumb);
            list = list.push(table::clickable_with(
                picture_of(user.id, &user.display_name, picture, 24.0),
                vec![
                    (user.username.clone(), 2),
                    (user.display_name.clone(), 3),
                    (role_name(&user.role.name), 2),
                    (status_text(user.status), 3),
                    (
                        user.last_login
                            .as_ref()
                            .map_or_else(|| tr!("admin-never"), |l| date_time(l.at)),
                        3,
                    ),
                    (presence_text(Some(user.presence), None), 2),
                ],
                user.status == AccountStatus::Disabled,
                Message::Open(user.id),
            ));
        }
        paged::section(
            tr!("admin-users"),
            filters,
            &self.list,
            list,
            Message::MoreWanted,
        )
    }
}

fn status_text(status: AccountStatus) -> String {
    match status {
        AccountStatus::Active => tr!("admin-status-active"),
        AccountStatus::Disabled => tr!("admin-status-disabled"),
    }
}
