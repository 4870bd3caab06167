//! Users: a searchable, sortable table of every account; a user's page
//! with their profile, role (changed with a reason), status (disabled and
//! enabled with a reason), role history, login history and conversations.

use iced::widget::{
    Column, button, column, container, pick_list, row, scrollable, space, text, text_input,
};
use iced::{Element, Fill, Task};
use messenger_shared::admin::{
    AccountStatus, AdminConversation, AdminUser, LoginAttempt, LoginHistoryQuery, RoleChange,
    RoleInfo, SetRole, SetStatus, TemporaryPassword, UserQuery,
};
use messenger_shared::ids::AvatarVersion;
use messenger_shared::ids::UserId;
use messenger_shared::permission::Permission;
use messenger_shared::presence::Presence;
use messenger_shared::user::{AvatarSize, RoleRef, UpdateProfile};

use super::paged::{self, Paged};
use super::{person, table};
use crate::api::{Api, ApiError};
use crate::i18n::number;
use crate::tab::Context;
use crate::texts::{RoleChoice, date_time, error_text, presence_text};
use crate::theme;
use crate::tr;
use crate::widget::avatar::picture_of;

pub const SEARCH_INPUT: &str = "admin-user-search";
pub const REASON_INPUT: &str = "admin-user-reason";
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
struct Page {
    user: AdminUser,
    /// The profile as the form holds it (`user:write` may edit it).
    draft: UpdateProfile,
    role: Option<RoleChoice>,
    reason: String,
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
    Back,
    HistoryLoaded(UserId, Result<Vec<RoleChange>, ApiError>),
    LoginsLoaded(UserId, Result<Vec<LoginAttempt>, ApiError>),
    ConversationsLoaded(UserId, Result<Vec<AdminConversation>, ApiError>),
    RolePicked(RoleChoice),
    ReasonChanged(String),
    ChangeRole,
    Disable,
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

impl Users {
    /// Loads the first page (and the roles, for whoever may change them).
    pub fn load(&mut self, context: &Context<'_>) -> Task<Message> {
        let roles = if context.me.permissions.contains(&Permission::RoleManage) {
            let api = context.api.clone();
            Task::perform(async move { api.roles().await }, Message::RolesLoaded)
        } else {
            Task::none()
        };
        Task::batch([self.fetch(context.api, false), roles])
    }

    fn fetch(&self, api: &Api, more: bool) -> Task<Message> {
        let query = self.query(more);
        let api = api.clone();
        Task::perform(async move { api.admin_users(query).await }, move |answer| {
            Message::Loaded(more, answer)
        })
    }

    /// What the list asks the server for: the first page, or the next.
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
            Message::HistoryLoaded(id, answer) => {
                if let Some(page) = self.page_of(id) {
                    match answer {
                        Ok(history) => page.history = history,
                        Err(error) => page.error = Some(error),
                    }
                }
                Task::none()
            }
            Message::LoginsLoaded(id, answer) => {
                if let Some(page) = self.page_of(id) {
                    match answer {
                        Ok(logins) => page.logins = logins,
                        Err(error) => page.error = Some(error),
                    }
                }
                Task::none()
            }
            Message::ConversationsLoaded(id, answer) => {
                if let Some(page) = self.page_of(id) {
                    match answer {
                        Ok(conversations) => page.conversations = conversations,
                        Err(error) => page.error = Some(error),
                    }
                }
                Task::none()
            }
            Message::RolePicked(role) => {
                if let Some(page) = &mut self.page {
                    page.role = Some(role);
                }
                Task::none()
            }
            Message::ReasonChanged(reason) => {
                if let Some(page) = &mut self.page {
                    page.reason = reason;
                }
                Task::none()
            }
            Message::ChangeRole => self.change(api, Change::Role),
            Message::Disable => self.change(api, Change::Disable),
            Message::Enable => self.change(api, Change::Enable),
            Message::RemoveAvatar => self.change(api, Change::RemoveAvatar),
            Message::ResetPassword => {
                if let Some(page) = &mut self.page {
                    page.confirm_reset = true;
                    page.temporary_password = None;
                }
                Task::none()
            }
            Message::CancelReset => {
                if let Some(page) = &mut self.page {
                    page.confirm_reset = false;
                }
                Task::none()
            }
            Message::ConfirmReset => {
                let Some(page) = &mut self.page else {
                    return (Task::none(), None);
                };
                page.confirm_reset = false;
                page.busy = true;
                let id = page.user.id;
                let api = api.clone();
                Task::perform(async move { api.reset_password(id).await }, move |answer| {
                    Message::PasswordReset(id, answer)
                })
            }
            Message::PasswordReset(id, answer) => {
                if let Some(page) = self.page_of(id) {
                    page.busy = false;
                    match answer {
                        Ok(reset) => {
                            page.user.must_change_password = true;
                            page.temporary_password = Some(reset.password);
                            page.error = None;
                        }
                        Err(error) => page.error = Some(error),
                    }
                }
                Task::none()
            }
            Message::DraftName(value) => {
                if let Some(page) = &mut self.page {
                    page.draft.display_name = value;
                }
                Task::none()
            }
            Message::DraftEmail(value) => {
                if let Some(page) = &mut self.page {
                    page.draft.email = Some(value);
                }
                Task::none()
            }
            Message::DraftPhone(value) => {
                if let Some(page) = &mut self.page {
                    page.draft.phone = Some(value);
                }
                Task::none()
            }
            Message::SaveProfile => self.change(api, Change::Profile),
            Message::Changed(Ok(user)) => {
                if let Some(row) = self.list.rows.iter_mut().find(|r| r.id == user.id) {
                    *row = user.clone();
                }
                let id = user.id;
                if let Some(page) = self.page_of(id) {
                    page.busy = false;
                    page.reason.clear();
                    page.error = None;
                    page.draft = draft_of(&user);
                    page.role = None;
                    page.user = user;
                }
                let api = api.clone();
                Task::perform(async move { api.role_history(id).await }, move |answer| {
                    Message::HistoryLoaded(id, answer)
                })
            }
            Message::Changed(Err(error)) => {
                if let Some(page) = &mut self.page {
                    page.busy = false;
                    page.error = Some(error);
                }
                Task::none()
            }
            Message::OpenConversation(a, b) => {
                return (Task::none(), Some(Event::OpenConversation(a, b)));
            }
        };
        (task, None)
    }

    fn page_of(&mut self, id: UserId) -> Option<&mut Page> {
        self.page.as_mut().filter(|p| p.user.id == id)
    }

    fn open(&mut self, id: UserId, context: &Context<'_>) -> Task<Message> {
        let Some(user) = self.list.rows.iter().find(|u| u.id == id).cloned() else {
            return Task::none();
        };
        self.page = Some(Page {
            draft: draft_of(&user),
            user,
            role: None,
            reason: String::new(),
            history: Vec::new(),
            logins: Vec::new(),
            conversations: Vec::new(),
            error: None,
            busy: false,
            confirm_reset: false,
            temporary_password: None,
        });
        let can = |p| context.me.permissions.contains(&p);
        let api = context.api.clone();
        let history = {
            let api = api.clone();
            Task::perform(async move { api.role_history(id).await }, move |a| {
                Message::HistoryLoaded(id, a)
            })
        };
        let logins = if can(Permission::ReportView) {
            let api = api.clone();
            let query = LoginHistoryQuery {
                user: Some(id),
                limit: Some(20),
                ..LoginHistoryQuery::default()
            };
            Task::perform(async move { api.login_history(query).await }, move |a| {
                Message::LoginsLoaded(id, a)
            })
        } else {
            Task::none()
        };
        let conversations = if can(Permission::MessageReadAll) {
            Task::perform(async move { api.user_conversations(id).await }, move |a| {
                Message::ConversationsLoaded(id, a)
            })
        } else {
            Task::none()
        };
        Task::batch([history, logins, conversations])
    }

    fn change(&mut self, api: &Api, change: Change) -> Task<Message> {
        let Some(page) = &mut self.page else {
            return Task::none();
        };
        let id = page.user.id;
        let reason = page.reason.trim().to_owned();
        page.busy = true;
        let api = api.clone();
        match change {
            Change::Role => {
                let Some(role) = page.role.clone() else {
                    page.busy = false;
                    return Task::none();
                };
                let body = SetRole {
                    role: role.0.id,
                    reason,
                };
                Task::perform(
                    async move { api.set_role(id, body).await },
                    Message::Changed,
                )
            }
            Change::RemoveAvatar => Task::perform(
                async move { api.remove_avatar_of(id).await },
                Message::Changed,
            ),
            Change::Profile => {
                let profile = page.draft.clone();
                Task::perform(
                    async move { api.edit_profile(id, profile).await },
                    Message::Changed,
                )
            }
            Change::Disable | Change::Enable => {
                let body = SetStatus {
                    status: if change == Change::Disable {
                        AccountStatus::Disabled
                    } else {
                        AccountStatus::Active
                    },
                    reason: Some(reason).filter(|r| !r.is_empty()),
                };
                Task::perform(
                    async move { api.set_status(id, body).await },
                    Message::Changed,
                )
            }
        }
    }

    /// The rows in the order the user asked for.
    fn sorted(&self) -> Vec<&AdminUser> {
        let mut rows: Vec<&AdminUser> = self.list.rows.iter().collect();
        let fold = |s: &str| s.to_lowercase();
        match self.sort {
            Sort::Newest => {}
            Sort::Username => rows.sort_by_key(|u| fold(&u.username)),
            Sort::Name => rows.sort_by_key(|u| fold(&u.display_name)),
            Sort::Role => rows.sort_by_key(|u| fold(&u.role.name)),
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
            return self.page_view(page, context);
        }
        let status = match self.status {
            None => StatusFilter::Any,
            Some(AccountStatus::Active) => StatusFilter::Active,
            Some(AccountStatus::Disabled) => StatusFilter::Disabled,
        };
        let filters = row![
            text_input(&tr!("admin-user-search"), &self.search)
                .id(SEARCH_INPUT)
                .on_input(Message::SearchChanged)
                .on_submit(Message::Search)
                .style(theme::input)
                .width(Fill),
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
            button(text(tr!("admin-search"))).on_press(Message::Search),
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
                    (user.role.name.clone(), 2),
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

    fn page_view<'a>(&'a self, page: &'a Page, context: &Context<'a>) -> Element<'a, Message> {
        let user = &page.user;
        let can = |p| context.me.permissions.contains(&p);
        let field = |label: String, value: String| {
            row![
                text(label).size(13).color(theme::MUTED).width(200),
                text(value).size(13)
            ]
            .spacing(8)
        };
        let none = || tr!("admin-none");
        let picture = context.avatars.get(user.id, user.avatar, AvatarSize::Thumb);
        let mut profile = column![
            picture_of(user.id, &user.display_name, picture, 64.0),
            field(tr!("admin-column-username"), user.username.clone()),
            field(tr!("admin-column-name"), user.display_name.clone()),
            field(tr!("admin-email"), user.email.clone().unwrap_or_else(none)),
            field(tr!("admin-phone"), user.phone.clone().unwrap_or_else(none)),
            field(tr!("admin-column-role"), user.role.name.clone()),
            field(tr!("admin-column-status"), status_text(user.status)),
            field(tr!("admin-created"), date_time(user.created_at)),
            field(
                tr!("admin-column-last-login"),
                user.last_login.as_ref().map_or_else(
                    || tr!("admin-never"),
                    |l| tr!(
                        "admin-last-login-from",
                        at = date_time(l.at),
                        ip = l.ip.clone()
                    )
                )
            ),
            field(tr!("admin-messages-sent"), number(user.messages_sent)),
            field(
                tr!("admin-column-online"),
                presence_text(Some(user.presence), None)
            ),
        ]
        .spacing(4);
        if let Some(reason) = &user.disabled_reason {
            profile = profile.push(field(tr!("admin-disabled-reason"), reason.clone()));
        }
        if user.must_change_password {
            profile = profile.push(field(
                tr!("admin-password"),
                tr!("admin-password-temporary"),
            ));
        }

        let mut actions = Column::new().spacing(8);
        let reason_box = text_input(&tr!("admin-reason"), &page.reason)
            .id(REASON_INPUT)
            .on_input(Message::ReasonChanged)
            .style(theme::input)
            .width(Fill);
        let is_me = user.id == context.me.id;
        if can(Permission::RoleManage) || can(Permission::UserWrite) {
            actions = actions.push(reason_box);
        }
        if can(Permission::RoleManage) && !self.roles.is_empty() {
            let choices: Vec<RoleChoice> = self
                .roles
                .iter()
                .map(|r| {
                    RoleChoice(RoleRef {
                        id: r.id,
                        name: r.name.clone(),
                    })
                })
                .collect();
            let picked = page
                .role
                .clone()
                .or_else(|| Some(RoleChoice(user.role.clone())));
            let ready = !page.busy
                && !page.reason.trim().is_empty()
                && page.role.as_ref().is_some_and(|r| r.0.id != user.role.id);
            actions = actions.push(
                row![
                    pick_list(choices, picked, Message::RolePicked).text_size(14),
                    button(text(tr!("admin-change-role")))
                        .on_press_maybe(ready.then_some(Message::ChangeRole)),
                ]
                .spacing(8),
            );
        }
        if can(Permission::UserWrite) {
            let input = |placeholder: String, value: &str, on_input: fn(String) -> Message| {
                text_input(&placeholder, value)
                    .on_input(on_input)
                    .on_submit(Message::SaveProfile)
                    .style(theme::input)
                    .width(Fill)
            };
            let draft = &page.draft;
            let changed = *draft != draft_of(user);
            actions = actions.push(
                column![
                    input(
                        tr!("admin-column-name"),
                        &draft.display_name,
                        Message::DraftName
                    )
                    .id(PROFILE_NAME_INPUT),
                    row![
                        input(
                            tr!("admin-email"),
                            draft.email.as_deref().unwrap_or_default(),
                            Message::DraftEmail
                        ),
                        input(
                            tr!("admin-phone"),
                            draft.phone.as_deref().unwrap_or_default(),
                            Message::DraftPhone
                        ),
                    ]
                    .spacing(8),
                    button(text(tr!("admin-save-profile")))
                        .on_press_maybe((changed && !page.busy).then_some(Message::SaveProfile)),
                ]
                .spacing(8),
            );
        }
        if can(Permission::UserWrite) && user.avatar.is_some() {
            actions = actions.push(
                button(text(tr!("admin-remove-avatar")))
                    .style(iced::widget::button::secondary)
                    .on_press_maybe((!page.busy).then_some(Message::RemoveAvatar)),
            );
        }
        if can(Permission::UserWrite) && !is_me {
            actions = actions.push(reset_view(page));
        }
        if can(Permission::UserWrite) && !is_me {
            let action = match user.status {
                AccountStatus::Active => button(text(tr!("admin-disable")))
                    .style(iced::widget::button::danger)
                    .on_press_maybe(
                        (!page.busy && !page.reason.trim().is_empty()).then_some(Message::Disable),
                    ),
                AccountStatus::Disabled => button(text(tr!("admin-enable")))
                    .style(iced::widget::button::success)
                    .on_press_maybe((!page.busy).then_some(Message::Enable)),
            };
            actions = actions.push(action);
        }
        if let Some(error) = &page.error {
            actions = actions.push(text(error_text(error)).color(theme::ERROR));
        }

        let mut history = Column::new().spacing(2).push(table::header(vec![
            (tr!("admin-column-when"), 3),
            (tr!("admin-column-change"), 3),
            (tr!("admin-column-by"), 3),
            (tr!("admin-reason"), 4),
        ]));
        for change in &page.history {
            history = history.push(table::plain(
                vec![
                    (date_time(change.at), 3),
                    (format!("{} → {}", change.from.name, change.to.name), 3),
                    (
                        change
                            .actor
                            .as_ref()
                            .map_or_else(none, |a| person(&a.display_name, &a.username)),
                        3,
                    ),
                    (change.reason.clone(), 4),
                ],
                false,
            ));
        }
        if page.history.is_empty() {
            history = history.push(
                text(tr!("admin-no-role-changes"))
                    .size(13)
                    .color(theme::MUTED),
            );
        }

        let mut sections = column![
            row![
                button(text(tr!("admin-back")))
                    .style(theme::flat)
                    .on_press(Message::Back),
                text(person(&user.display_name, &user.username))
                    .size(20)
                    .font(theme::FONT_BOLD),
                space::horizontal(),
            ]
            .spacing(10)
            .align_y(iced::Center),
            container(profile)
                .padding(12)
                .width(Fill)
                .style(theme::card),
            container(actions)
                .padding(12)
                .width(Fill)
                .style(theme::card),
            text(tr!("admin-role-history"))
                .size(15)
                .font(theme::FONT_BOLD),
            history,
        ]
        .spacing(10);

        if can(Permission::ReportView) {
            let mut logins = Column::new().spacing(2).push(table::header(vec![
                (tr!("admin-column-when"), 3),
                (tr!("admin-column-result"), 3),
                (tr!("admin-column-ip"), 2),
                (tr!("admin-column-client"), 3),
            ]));
            for attempt in &page.logins {
                logins = logins.push(table::plain(
                    super::logins::cells(attempt),
                    !attempt.success,
                ));
            }
            sections = sections
                .push(text(tr!("admin-logins")).size(15).font(theme::FONT_BOLD))
                .push(logins);
        }
        if can(Permission::MessageReadAll) {
            let mut conversations = Column::new().spacing(2).push(table::header(vec![
                (tr!("admin-column-with"), 4),
                (tr!("admin-column-messages"), 2),
                (tr!("admin-column-last-message"), 3),
            ]));
            for conversation in &page.conversations {
                conversations = conversations.push(table::clickable(
                    vec![
                        (
                            person(&conversation.peer.display_name, &conversation.peer.username),
                            4,
                        ),
                        (number(conversation.messages), 2),
                        (conversation.last_at.map(date_time).unwrap_or_default(), 3),
                    ],
                    false,
                    Message::OpenConversation(user.id, conversation.peer.id),
                ));
            }
            if page.conversations.is_empty() {
                conversations = conversations.push(
                    text(tr!("admin-no-conversations"))
                        .size(13)
                        .color(theme::MUTED),
                );
            }
            sections = sections
                .push(
                    text(tr!("admin-conversations"))
                        .size(15)
                        .font(theme::FONT_BOLD),
                )
                .push(conversations);
        }
        scrollable(sections.padding([0, 8])).height(Fill).into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Role,
    Disable,
    Enable,
    Profile,
    RemoveAvatar,
}

/// "Reset password", its confirmation, and the temporary password once set.
fn reset_view(page: &Page) -> Element<'_, Message> {
    if let Some(password) = &page.temporary_password {
        return container(
            column![
                row![
                    text(tr!("admin-temporary-password")),
                    text(password.clone()).font(theme::FONT_BOLD).size(18),
                ]
                .spacing(8)
                .align_y(iced::Center),
                text(tr!("admin-temporary-password-how"))
                    .size(13)
                    .color(theme::MUTED),
            ]
            .spacing(6),
        )
        .padding(12)
        .width(Fill)
        .style(theme::banner)
        .into();
    }
    if page.confirm_reset {
        return column![
            text(tr!(
                "admin-reset-password-confirm",
                name = page.user.display_name.clone()
            ))
            .size(14),
            row![
                button(text(tr!("admin-reset-password")))
                    .style(iced::widget::button::danger)
                    .on_press_maybe((!page.busy).then_some(Message::ConfirmReset)),
                button(text(tr!("cancel")))
                    .style(iced::widget::button::secondary)
                    .on_press(Message::CancelReset),
            ]
            .spacing(8),
        ]
        .spacing(6)
        .into();
    }
    button(text(tr!("admin-reset-password")))
        .style(iced::widget::button::secondary)
        .on_press_maybe((!page.busy).then_some(Message::ResetPassword))
        .into()
}

/// The profile form, filled from the account.
fn draft_of(user: &AdminUser) -> UpdateProfile {
    UpdateProfile {
        display_name: user.display_name.clone(),
        email: Some(user.email.clone().unwrap_or_default()),
        phone: Some(user.phone.clone().unwrap_or_default()),
    }
}

fn status_text(status: AccountStatus) -> String {
    match status {
        AccountStatus::Active => tr!("admin-status-active"),
        AccountStatus::Disabled => tr!("admin-status-disabled"),
    }
}
