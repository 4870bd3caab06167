//! WebSocket frames, written out literally: one example of each.

mod common;

use common::assert_wire;

use chrono::{TimeZone, Utc};
use messenger_shared::chat::{
    Attachment, Event, EventKind, ImageUpload, Message, SendMessage, SyncPage,
};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::{AttachmentId, EventId, GroupId, MessageId, UserId};
use messenger_shared::presence::{ClientStatus, Presence};
use serde_json::{Value, json};

fn message() -> Message {
    Message {
        id: MessageId(42),
        client_id: "5f0c6a1e".into(),
        sender: UserId(7),
        recipient: UserId(9),
        group: None,
        text: "Hallo!".into(),
        attachment: Some(Attachment {
            id: AttachmentId(3),
            mime: "image/png".into(),
            size: 48213,
            width: 800,
            height: 600,
            thumb_width: 320,
            thumb_height: 240,
        }),
        file: None,
        sent_at: Utc
            .with_ymd_and_hms(2026, 9, 1, 8, 15, 0)
            .single()
            .expect("time"),
        reply_to: None,
        forwarded_from: None,
        edited_at: None,
    }
}

fn message_json() -> Value {
    json!({
        "id": 42, "client_id": "5f0c6a1e", "sender": 7, "recipient": 9, "text": "Hallo!",
        "attachment": { "id": 3, "mime": "image/png", "size": 48213, "width": 800, "height": 600,
                        "thumb_width": 320, "thumb_height": 240 },
        "sent_at": "2026-09-01T08:15:00Z"
    })
}

#[test]
fn client_frames() {
    assert_wire(
        &ClientFrame::Send {
            to: Some(UserId(9)),
            group: None,
            message: SendMessage {
                client_id: "5f0c6a1e".into(),
                text: "Hallo!".into(),
                image: Some(ImageUpload {
                    data: "iVBORw0KGgo=".into(),
                }),
                file_id: None,
                reply_to: None,
                forward_of: None,
            },
        },
        json!({ "type": "send", "to": 9, "client_id": "5f0c6a1e", "text": "Hallo!",
                "image": { "data": "iVBORw0KGgo=" } }),
    );
    assert_wire(
        &ClientFrame::Read {
            peer: Some(UserId(7)),
            group: None,
            up_to: MessageId(42),
        },
        json!({ "type": "read", "peer": 7, "up_to": 42 }),
    );
    assert_wire(
        &ClientFrame::Typing {
            to: Some(UserId(9)),
            group: None,
        },
        json!({ "type": "typing", "to": 9 }),
    );
    assert_wire(
        &ClientFrame::Send {
            to: None,
            group: Some(GroupId(3)),
            message: SendMessage {
                client_id: "g-1".into(),
                text: "всем".into(),
                image: None,
                file_id: None,
                reply_to: None,
                forward_of: None,
            },
        },
        json!({ "type": "send", "group": 3, "client_id": "g-1", "text": "всем" }),
    );
    assert_wire(
        &ClientFrame::Typing {
            to: None,
            group: Some(GroupId(3)),
        },
        json!({ "type": "typing", "group": 3 }),
    );
    assert_wire(
        &ClientFrame::Status {
            status: ClientStatus::Away,
        },
        json!({ "type": "status", "status": "away" }),
    );
    assert_wire(
        &ClientFrame::Sync {
            after: EventId(120),
        },
        json!({ "type": "sync", "after": 120 }),
    );
}

#[test]
fn a_text_only_send_may_leave_out_the_image() {
    let frame: ClientFrame =
        serde_json::from_value(json!({ "type": "send", "to": 9, "client_id": "x", "text": "hi" }))
            .expect("parses");
    assert!(matches!(
        frame,
        ClientFrame::Send {
            message: SendMessage { image: None, .. },
            ..
        }
    ));
}

#[test]
fn server_frames() {
    assert_wire(
        &ServerFrame::Ready {
            user: UserId(7),
            last_event_id: EventId(120),
            unread_notifications: 2,
            messaging: messenger_shared::school::Messaging::Staff,
        },
        json!({ "type": "ready", "user": 7, "last_event_id": 120, "unread_notifications": 2,
                "messaging": "staff" }),
    );
    assert_wire(
        &ServerFrame::SettingsChanged {
            settings: messenger_shared::school::SchoolSettings {
                messaging: messenger_shared::school::Messaging::Open,
                registration: messenger_shared::school::Registration::Closed,
            },
        },
        json!({ "type": "settings_changed",
                "settings": { "messaging": "open", "registration": "closed" } }),
    );
    let event = Event {
        id: EventId(121),
        kind: EventKind::Message { message: message() },
    };
    assert_wire(
        &ServerFrame::Ack {
            client_id: "5f0c6a1e".into(),
            event: event.clone(),
        },
        json!({ "type": "ack", "client_id": "5f0c6a1e",
                "event": { "id": 121, "kind": "message", "message": message_json() } }),
    );
    assert_wire(
        &ServerFrame::Event {
            event: Event {
                id: EventId(122),
                kind: EventKind::Deleted {
                    conversation: UserId(9),
                    message_id: MessageId(42),
                },
            },
        },
        json!({ "type": "event", "event": { "id": 122, "kind": "deleted", "conversation": 9, "message_id": 42 } }),
    );
    assert_wire(
        &ServerFrame::Event {
            event: Event {
                id: EventId(123),
                kind: EventKind::Read {
                    conversation: UserId(9),
                    reader: UserId(9),
                    up_to: MessageId(42),
                },
            },
        },
        json!({ "type": "event", "event": { "id": 123, "kind": "read", "conversation": 9, "reader": 9, "up_to": 42 } }),
    );
    assert_wire(
        &ServerFrame::Synced {
            page: SyncPage {
                events: vec![event],
                last_event_id: EventId(121),
                has_more: false,
            },
        },
        json!({ "type": "synced", "page": { "events": [{ "id": 121, "kind": "message", "message": message_json() }],
                                            "last_event_id": 121, "has_more": false } }),
    );
    assert_wire(
        &ServerFrame::Presence {
            user: UserId(9),
            presence: Presence::Offline,
            last_seen: Some(
                Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0)
                    .single()
                    .expect("time"),
            ),
        },
        json!({ "type": "presence", "user": 9, "presence": "offline", "last_seen": "2026-09-01T09:00:00Z" }),
    );
    assert_wire(
        &ServerFrame::Typing {
            from: UserId(7),
            group: None,
        },
        json!({ "type": "typing", "from": 7 }),
    );
    assert_wire(
        &ServerFrame::Error {
            code: ErrorCode::MessageTooLong,
            message: "too long".into(),
            client_id: Some("5f0c6a1e".into()),
            retry_after: None,
        },
        json!({ "type": "error", "code": "message_too_long", "message": "too long", "client_id": "5f0c6a1e" }),
    );
    assert_wire(
        &ServerFrame::Error {
            code: ErrorCode::RateLimited,
            message: "too many messages".into(),
            client_id: Some("5f0c6a1f".into()),
            retry_after: Some(2),
        },
        json!({ "type": "error", "code": "rate_limited", "message": "too many messages", "client_id": "5f0c6a1f", "retry_after": 2 }),
    );
}

#[test]
fn a_new_account_is_announced_to_everyone() {
    use messenger_shared::user::UserSummary;
    let created_at = Utc
        .with_ymd_and_hms(2026, 9, 1, 8, 0, 0)
        .single()
        .expect("time");
    assert_wire(
        &ServerFrame::UserAdded {
            user: UserSummary {
                id: UserId(12),
                username: "masha".into(),
                display_name: "Маша".into(),
                role: "User".into(),
                active: true,
                presence: Presence::Offline,
                last_seen: None,
                created_at,
                avatar: None,
                staff: false,
                can_message: None,
            },
        },
        json!({ "type": "user_added", "user": { "id": 12, "username": "masha", "display_name": "Маша",
                "role": "User", "active": true, "presence": "offline", "last_seen": null,
                "created_at": "2026-09-01T08:00:00Z", "staff": false } }),
    );
}

/// Events of everyone's stream and the notification events: the shapes
/// docs/en/api.md shows.
#[test]
fn profile_and_notification_events() {
    use messenger_shared::admin::UserRef;
    use messenger_shared::ids::{AvatarVersion, NotificationId};
    use messenger_shared::notification::{Audience, Importance, Notification};
    use messenger_shared::user::UserSummary;
    let at = Utc
        .with_ymd_and_hms(2026, 9, 1, 8, 0, 0)
        .single()
        .expect("time");
    assert_wire(
        &Event {
            id: EventId(124),
            kind: EventKind::UserUpdated {
                user: UserSummary {
                    id: UserId(12),
                    username: "masha".into(),
                    display_name: "Маша Ким".into(),
                    role: "User".into(),
                    active: true,
                    presence: Presence::Online,
                    last_seen: None,
                    created_at: at,
                    avatar: Some(AvatarVersion(1_790_000_000_000)),
                    staff: true,
                    can_message: None,
                },
            },
        },
        json!({ "id": 124, "kind": "user_updated", "user": { "id": 12, "username": "masha",
                "display_name": "Маша Ким", "role": "User", "active": true, "presence": "online",
                "last_seen": null, "created_at": "2026-09-01T08:00:00Z", "avatar": 1_790_000_000_000_i64,
                "staff": true } }),
    );
    assert_wire(
        &Event {
            id: EventId(125),
            kind: EventKind::Notification {
                notification: Notification {
                    id: NotificationId(5),
                    sender: Some(UserRef {
                        id: UserId(1),
                        username: "teacher".into(),
                        display_name: "Мария Ивановна".into(),
                    }),
                    audience: Audience::Role {
                        id: messenger_shared::ids::RoleId(2),
                        name: "Moderator".into(),
                    },
                    title: "Лабораторная".into(),
                    text: "В 204".into(),
                    importance: Importance::Important,
                    created_at: at,
                    read: false,
                },
            },
        },
        json!({ "id": 125, "kind": "notification", "notification": { "id": 5,
                "sender": { "id": 1, "username": "teacher", "display_name": "Мария Ивановна" },
                "audience": { "kind": "role", "id": 2, "name": "Moderator" },
                "title": "Лабораторная", "text": "В 204", "importance": "important",
                "created_at": "2026-09-01T08:00:00Z", "read": false } }),
    );
    assert_wire(
        &Event {
            id: EventId(126),
            kind: EventKind::NotificationsRead { notification: None },
        },
        json!({ "id": 126, "kind": "notifications_read" }),
    );
}

/// What a newer server may send: an older app reads what it knows and
/// skips the rest, instead of failing a whole page or frame.
#[test]
fn frames_from_a_newer_server_are_read_as_unknown_not_refused() {
    let frame: ServerFrame =
        serde_json::from_value(json!({ "type": "poll_started", "poll": 3 })).expect("read");
    assert_eq!(frame, ServerFrame::Unknown);

    let frame: ServerFrame = serde_json::from_value(json!({
        "type": "synced",
        "page": { "events": [
            { "id": 5, "kind": "reaction", "message_id": 4, "emoji": "+1" },
            { "id": 6, "kind": "read", "conversation": 7, "reader": 7, "up_to": 4 }
        ], "last_event_id": 6, "has_more": false }
    }))
    .expect("a page with an unknown event still reads");
    let ServerFrame::Synced { page } = frame else {
        panic!("not a page: {frame:?}");
    };
    assert_eq!(page.events[0].id, EventId(5));
    assert_eq!(page.events[0].kind, EventKind::Unknown);
    assert!(matches!(page.events[1].kind, EventKind::Read { .. }));

    let frame: ServerFrame = serde_json::from_value(
        json!({ "type": "error", "code": "homework_overdue", "message": "too late" }),
    )
    .expect("an unknown code still reads");
    assert!(matches!(
        frame,
        ServerFrame::Error {
            code: ErrorCode::Unknown,
            ..
        }
    ));
}
