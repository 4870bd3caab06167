//! One user's page: loading it, editing the profile, changing the role or
//! status, and drawing it.

use iced::widget::{
    Column, button, column, container, pick_list, row, scrollable, space, text, text_input,
};
use iced::{Element, Fill, Task};
use messenger_shared::admin::{AdminUser, LoginHistoryQuery, SetRole};
use messenger_shared::ids::UserId;
use messenger_shared::permission::Permission;
use messenger_shared::user::{AvatarSize, RoleRef, UpdateProfile};

use super::{Message, PROFILE_NAME_INPUT, Page, REASON_INPUT, Users, block, reset, status_text};
use crate::api::Api;
use crate::i18n::number;
use crate::tab::Context;
use crate::tab::admin::{person, table};
use crate::texts::{RoleChoice, date_time, error_text, presence_text, role_name};
use crate::theme;
use crate::tr;
use crate::widget::avatar::picture_of;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Role,
    Profile,
    RemoveAvatar,
}

/// The profile form, filled from the account.
fn draft_of(user: &AdminUser) -> UpdateProfile {
    UpdateProfile {
        display_name: user.display_name.clone(),
        email: Some(user.email.clone().unwrap_or_default()),
        phone: Some(user.phone.clone().unwrap_or_default()),
    }
}

impl Page {
    /// The account as the server has it now. The profile form follows it
    /// in every field the administrator has not edited, so a save never
    /// writes back a name or address someone else has changed since.
    fn account_read_again(&mut self, fresh: AdminUser) {
        let (was, now) = (draft_of(&self.user), draft_of(&fresh));
        if self.draft.display_name == was.display_name {
            self.draft.display_name = now.display_name;
        }
        if self.draft.email == was.email {
            self.draft.email = now.email;
        }
        if self.draft.phone == was.phone {
            self.draft.phone = now.phone;
        }
        self.user = fresh;
    }
}

impl Users {
    pub(super) fn page_of(&mut self, id: UserId) -> Option<&mut Page> {
        self.page.as_mut().filter(|p| p.user.id == id)
    }

    pub(super) fn open(&mut self, id: UserId, context: &Context<'_>) -> Task<Message> {
        let Some(user) = self.list.rows.iter().find(|u| u.id == id).cloned() else {
            return Task::none();
        };
        self.page = Some(Page {
            draft: draft_of(&user),
            user,
            role: None,
            reason: String::new(),
            block_reason: None,
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
        let api_for_reload = api.clone();
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
        // The table's row may be old: the page shows the account as it is.
        Task::batch([
            super::reload(&api_for_reload, id),
            history,
            logins,
            conversations,
        ])
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
        }
    }

    /// A message about the open page (see `Message`).
    pub(super) fn page_update(&mut self, message: Message, api: &Api) -> Task<Message> {
        match message {
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
            Message::UserLoaded(id, answer) => {
                if let Some(page) = self.page_of(id) {
                    match answer {
                        Ok(fresh) => page.account_read_again(fresh),
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
            Message::RemoveAvatar => self.change(api, Change::RemoveAvatar),
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
                    page.block_reason = None;
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
            _ => Task::none(),
        }
    }
}

/// The page: who, what they may be changed in, their role history, and
/// (for those who may read them) their logins and conversations.
pub(super) fn view<'a>(
    users: &'a Users,
    page: &'a Page,
    context: &Context<'a>,
) -> Element<'a, Message> {
    let user = &page.user;
    let can = |p| context.me.permissions.contains(&p);
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
        container(profile(page, context))
            .padding(12)
            .width(Fill)
            .style(theme::card),
        container(actions(users, page, context))
            .padding(12)
            .width(Fill)
            .style(theme::card),
        heading(tr!("admin-role-history")),
        role_history(page),
    ]
    .spacing(10);
    if can(Permission::ReportView) {
        sections = sections
            .push(heading(tr!("admin-logins")))
            .push(logins(page));
    }
    if can(Permission::MessageReadAll) {
        sections = sections
            .push(heading(tr!("admin-conversations")))
            .push(conversations(page));
    }
    scrollable(sections.padding([0, 8])).height(Fill).into()
}

fn heading<'a>(title: String) -> Element<'a, Message> {
    text(title).size(15).font(theme::FONT_BOLD).into()
}

fn none() -> String {
    tr!("admin-none")
}

/// The account as it is: every field, read-only.
fn profile<'a>(page: &'a Page, context: &Context<'a>) -> Element<'a, Message> {
    let user = &page.user;
    let field = |label: String, value: String| {
        row![
            text(label).size(13).color(theme::MUTED).width(200),
            text(value).size(13)
        ]
        .spacing(8)
    };
    let picture = context.avatars.get(user.id, user.avatar, AvatarSize::Thumb);
    let last_login = user.last_login.as_ref().map_or_else(
        || tr!("admin-never"),
        |l| {
            tr!(
                "admin-last-login-from",
                at = date_time(l.at),
                ip = l.ip.clone()
            )
        },
    );
    let mut profile = column![
        picture_of(user.id, &user.display_name, picture, 64.0),
        field(tr!("admin-column-username"), user.username.clone()),
        field(tr!("admin-column-name"), user.display_name.clone()),
        field(tr!("admin-email"), user.email.clone().unwrap_or_else(none)),
        field(tr!("admin-phone"), user.phone.clone().unwrap_or_else(none)),
        field(tr!("admin-column-role"), role_name(&user.role.name)),
        field(tr!("admin-column-status"), status_text(user.status)),
        field(tr!("admin-created"), date_time(user.created_at)),
        field(tr!("admin-column-last-login"), last_login),
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
    profile.into()
}

/// What the caller may change: the reason, the role, the profile, the
/// avatar, the password and the status, each as their permissions allow.
fn actions<'a>(users: &'a Users, page: &'a Page, context: &Context<'a>) -> Element<'a, Message> {
    let user = &page.user;
    let can = |p| context.me.permissions.contains(&p);
    let is_me = user.id == context.me.id;
    let mut actions = Column::new().spacing(8);
    if can(Permission::RoleManage) && !users.roles.is_empty() {
        actions = actions.push(role_picker(users, page));
    }
    if can(Permission::UserWrite) {
        actions = actions.push(profile_form(page));
    }
    if can(Permission::UserWrite) && user.avatar.is_some() {
        actions = actions.push(
            button(text(tr!("admin-remove-avatar")))
                .style(iced::widget::button::secondary)
                .on_press_maybe((!page.busy).then_some(Message::RemoveAvatar)),
        );
    }
    if can(Permission::UserWrite) && !is_me {
        actions = actions.push(reset::reset_view(page));
        actions = actions.push(block::block_view(page));
    }
    if let Some(error) = &page.error {
        actions = actions.push(text(error_text(error)).color(theme::ERROR));
    }
    actions.into()
}

/// The role to give, the reason for the change, and the button that
/// gives it.
fn role_picker<'a>(users: &'a Users, page: &'a Page) -> Element<'a, Message> {
    let user = &page.user;
    let choices: Vec<RoleChoice> = users
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
    row![
        pick_list(choices, picked, Message::RolePicked).text_size(14),
        text_input(&tr!("admin-role-reason"), &page.reason)
            .id(REASON_INPUT)
            .on_input(Message::ReasonChanged)
            .style(theme::input)
            .width(Fill),
        button(text(tr!("admin-change-role"))).on_press_maybe(ready.then_some(Message::ChangeRole)),
    ]
    .spacing(8)
    .align_y(iced::Center)
    .into()
}

/// The name, e-mail and phone, editable.
fn profile_form(page: &Page) -> Element<'_, Message> {
    let input = |placeholder: String, value: &str, on_input: fn(String) -> Message| {
        text_input(&placeholder, value)
            .on_input(on_input)
            .on_submit(Message::SaveProfile)
            .style(theme::input)
            .width(Fill)
    };
    let draft = &page.draft;
    let changed = *draft != draft_of(&page.user);
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
    .spacing(8)
    .into()
}

fn role_history(page: &Page) -> Element<'_, Message> {
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
                (
                    format!(
                        "{} → {}",
                        role_name(&change.from.name),
                        role_name(&change.to.name)
                    ),
                    3,
                ),
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
    history.into()
}

fn logins(page: &Page) -> Element<'_, Message> {
    let mut logins = Column::new().spacing(2).push(table::header(vec![
        (tr!("admin-column-when"), 3),
        (tr!("admin-column-result"), 3),
        (tr!("admin-column-ip"), 2),
        (tr!("admin-column-client"), 3),
    ]));
    for attempt in &page.logins {
        logins = logins.push(table::plain(
            super::super::logins::cells(attempt),
            !attempt.success,
        ));
    }
    logins.into()
}

fn conversations(page: &Page) -> Element<'_, Message> {
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
            Message::OpenConversation(page.user.id, conversation.peer.id),
        ));
    }
    if page.conversations.is_empty() {
        conversations = conversations.push(
            text(tr!("admin-no-conversations"))
                .size(13)
                .color(theme::MUTED),
        );
    }
    conversations.into()
}
