//! Notifications and announcements: stored once, delivered live to every
//! open session and by sync to the rest, read marks per recipient.

use std::time::Duration;

use messenger_shared::chat::{EventKind, SyncPage};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::{NotificationId, RoleId};
use messenger_shared::notification::{
    Audience, Importance, Notification, NotificationPage, Sent, Unread,
};
use messenger_shared::user::Account;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::admin::{audit_log, school};
use crate::common::{TestServer, expect_error};
use crate::live::Live;

async fn announce(server: &TestServer, token: &str, body: Value) -> Sent {
    let response = server
        .post("/notifications/broadcast", &body, Some(token))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("sent")
}

async fn notifications(server: &TestServer, token: &str, query: &str) -> NotificationPage {
    let response = server
        .get(&format!("/notifications{query}"), Some(token))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("page")
}

async fn next_notification(live: &mut Live) -> Notification {
    match live.next_event().await.kind {
        EventKind::Notification { notification } => notification,
        other => panic!("expected a notification, got {other:?}"),
    }
}

fn notifications_in(page: &SyncPage) -> Vec<&Notification> {
    page.events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::Notification { notification } => Some(notification),
            _ => None,
        })
        .collect()
}

async fn sync(server: &TestServer, token: &str, after: impl std::fmt::Display) -> SyncPage {
    server
        .get(&format!("/sync?after={after}"), Some(token))
        .await
        .json()
        .await
        .expect("sync page")
}

#[actix_web::test]
async fn an_announcement_reaches_every_open_session_once_and_the_offline_by_sync() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let anna_again = server.login("anna", crate::common::PASSWORD).await;
    let boris = server.register("boris").await;
    let mut anna_here = server.connect(&anna.token).await;
    let mut anna_there = server.connect(&anna_again.token).await;
    let boris_was = server.connect(&boris.token).await.ready_at;

    let sent = announce(
        &server,
        &admin.token,
        json!({ "title": "Лабораторная", "text": "Завтрашняя лабораторная — в кабинете 204.",
                "importance": "important" }),
    )
    .await;
    // Anna and Boris: the teacher who announced is not a recipient.
    assert_eq!(sent.recipients, 2);
    assert_eq!(sent.notification.audience, Audience::Everyone);
    for live in [&mut anna_here, &mut anna_there] {
        let got = next_notification(live).await;
        assert_eq!(got.id, sent.notification.id);
        assert_eq!(got.importance, Importance::Important);
        assert!(!got.read);
        assert_eq!(got.sender.as_ref().map(|s| s.id), Some(admin.account.id));
        live.expect_quiet(Duration::from_millis(300)).await;
    }

    // Boris was offline: his sync has it once, and only once.
    let page = sync(&server, &boris.token, boris_was).await;
    assert_eq!(notifications_in(&page).len(), 1);
    assert_eq!(notifications_in(&page)[0].title, "Лабораторная");
    let after = sync(&server, &boris.token, page.last_event_id).await;
    assert!(notifications_in(&after).is_empty());

    // Stored once, whatever the audience.
    assert_eq!(server.count("notifications"), 1);
    assert_eq!(server.count("notification_reads"), 0);

    // An account made afterwards does not find it waiting.
    let carl = server.register("carl").await;
    assert!(
        notifications(&server, &carl.token, "")
            .await
            .notifications
            .is_empty()
    );
    assert!(notifications_in(&sync(&server, &carl.token, 0).await).is_empty());
    assert_eq!(carl.account.unread_notifications, 0);
    let account: Account = server
        .get("/auth/me", Some(&boris.token))
        .await
        .json()
        .await
        .expect("me");
    assert_eq!(account.unread_notifications, 1);

    let log = audit_log(&server, &admin).await;
    let entry = log
        .iter()
        .find(|e| e.action == messenger_shared::admin::AuditAction::NotificationSent)
        .expect("on the record");
    assert_eq!(entry.details["audience"], "everyone");
    assert_eq!(entry.details["recipients"], "2");
    assert_eq!(
        notifications(&server, &admin.token, "").await.unread,
        0,
        "not unread for the one who wrote it"
    );
}

#[actix_web::test]
async fn read_marks_are_per_recipient_and_follow_the_user_to_other_pcs() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let first = announce(
        &server,
        &admin.token,
        json!({ "title": "Первое", "text": "1" }),
    )
    .await;
    announce(
        &server,
        &admin.token,
        json!({ "title": "Второе", "text": "2" }),
    )
    .await;
    let mut anna_there = server.connect(&anna.token).await;

    let response = server
        .post(
            &format!("/notifications/{}/read", first.notification.id),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let unread: Unread = response.json().await.expect("unread");
    assert_eq!(unread.unread, 1);
    match anna_there.next_event().await.kind {
        EventKind::NotificationsRead { notification } => {
            assert_eq!(notification, Some(first.notification.id));
        }
        other => panic!("expected notifications_read, got {other:?}"),
    }
    // Reading it again changes nothing and tells nobody.
    server
        .post(
            &format!("/notifications/{}/read", first.notification.id),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    anna_there.expect_quiet(Duration::from_millis(200)).await;

    assert_eq!(notifications(&server, &boris.token, "").await.unread, 2);
    let page = notifications(&server, &anna.token, "").await;
    assert_eq!(page.unread, 1);
    // Unread first.
    let titles: Vec<(&str, bool)> = page
        .notifications
        .iter()
        .map(|n| (n.title.as_str(), n.read))
        .collect();
    assert_eq!(titles, [("Второе", false), ("Первое", true)]);

    // The ready frame carries the count.
    let mut boris_live_request = server.connect(&boris.token).await;
    boris_live_request
        .expect_quiet(Duration::from_millis(50))
        .await;
    let ready = ready_count(&server, &boris.token).await;
    assert_eq!(ready, 2);

    let unread: Unread = server
        .post("/notifications/read-all", &json!({}), Some(&boris.token))
        .await
        .json()
        .await
        .expect("unread");
    assert_eq!(unread.unread, 0);
    match boris_live_request.next_event().await.kind {
        EventKind::NotificationsRead { notification } => assert_eq!(notification, None),
        other => panic!("expected notifications_read, got {other:?}"),
    }
    assert_eq!(ready_count(&server, &boris.token).await, 0);
    assert_eq!(notifications(&server, &anna.token, "").await.unread, 1);
    assert_eq!(server.count("notification_reads"), 3);
}

/// `unread_notifications` of a fresh connection's ready frame.
async fn ready_count(server: &TestServer, token: &str) -> u32 {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}/ws", server.url("").replacen("http", "ws", 1));
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "Authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("upgrade");
    let message = socket.next().await.expect("a frame").expect("a frame");
    match serde_json::from_str(message.to_text().expect("text")).expect("frame") {
        ServerFrame::Ready {
            unread_notifications,
            ..
        } => unread_notifications,
        other => panic!("expected ready, got {other:?}"),
    }
}

#[actix_web::test]
async fn a_notification_to_one_user_or_one_role_reaches_only_them() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let mut anna_live = server.connect(&anna.token).await;
    let mut boris_live = server.connect(&boris.token).await;

    let response = server
        .post(
            "/notifications",
            &json!({ "to": boris.account.id, "title": "Зайдите в 204", "text": "После урока." }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sent: Sent = response.json().await.expect("sent");
    assert_eq!(sent.recipients, 1);
    assert_eq!(
        next_notification(&mut boris_live).await.id,
        sent.notification.id
    );
    anna_live.expect_quiet(Duration::from_millis(200)).await;
    assert!(
        notifications(&server, &anna.token, "")
            .await
            .notifications
            .is_empty()
    );
    expect_error(
        server
            .post(
                &format!("/notifications/{}/read", sent.notification.id),
                &json!({}),
                Some(&anna.token),
            )
            .await,
        404,
        ErrorCode::NotificationNotFound,
    )
    .await;

    // To the moderators: Boris becomes one, Anna stays a user.
    server
        .put(
            &format!("/admin/users/{}/role", boris.account.id),
            &json!({ "role": 2, "reason": "дежурный" }),
            Some(&admin.token),
        )
        .await;
    // Anyone may list the roles an announcement can go to.
    let roles: Vec<messenger_shared::user::RoleRef> = server
        .get("/roles", Some(&anna.token))
        .await
        .json()
        .await
        .expect("roles");
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Admin", "Moderator", "User", "Teacher"]);
    let to_role = announce(
        &server,
        &admin.token,
        json!({ "role": 2, "title": "Модераторам", "text": "Проверьте жалобы." }),
    )
    .await;
    assert_eq!(to_role.recipients, 1);
    assert_eq!(
        to_role.notification.audience,
        Audience::Role {
            id: RoleId(2),
            name: "Moderator".into()
        }
    );
    // Boris hears of his new role first.
    loop {
        match boris_live.next_chat().await {
            ServerFrame::Event { event } => match event.kind {
                EventKind::Notification { notification } => {
                    assert_eq!(notification.id, to_role.notification.id);
                    break;
                }
                EventKind::UserUpdated { .. } => continue,
                other => panic!("unexpected {other:?}"),
            },
            ServerFrame::AccountUpdated { .. } => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
    let anna_page = sync(&server, &anna.token, anna_live.ready_at).await;
    assert!(notifications_in(&anna_page).is_empty(), "{anna_page:?}");
    assert_eq!(notifications(&server, &boris.token, "").await.unread, 2);
}

#[actix_web::test]
async fn bad_notifications_are_refused_and_nothing_is_stored() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let cases = [
        (
            "/notifications/broadcast",
            json!({ "title": "", "text": "x" }),
            400,
            ErrorCode::InvalidNotification,
        ),
        (
            "/notifications/broadcast",
            json!({ "title": "x", "text": "   " }),
            400,
            ErrorCode::InvalidNotification,
        ),
        (
            "/notifications/broadcast",
            json!({ "title": "x".repeat(121), "text": "x" }),
            400,
            ErrorCode::InvalidNotification,
        ),
        (
            "/notifications/broadcast",
            json!({ "title": "a\nb", "text": "x" }),
            400,
            ErrorCode::InvalidNotification,
        ),
        (
            "/notifications/broadcast",
            json!({ "title": "x", "text": "x".repeat(4001) }),
            400,
            ErrorCode::InvalidNotification,
        ),
        (
            "/notifications/broadcast",
            json!({ "title": "x" }),
            400,
            ErrorCode::InvalidBody,
        ),
        (
            "/notifications/broadcast",
            json!({ "role": 99, "title": "x", "text": "x" }),
            404,
            ErrorCode::RoleNotFound,
        ),
        (
            "/notifications/broadcast",
            json!({ "title": "x", "text": "x", "importance": "urgent" }),
            400,
            ErrorCode::InvalidBody,
        ),
        (
            "/notifications",
            json!({ "to": 99, "title": "x", "text": "x" }),
            404,
            ErrorCode::UserNotFound,
        ),
    ];
    for (path, body, status, code) in cases {
        expect_error(
            server.post(path, &body, Some(&admin.token)).await,
            status,
            code,
        )
        .await;
    }
    let fine = json!({ "title": "x", "text": "x", "to": admin.account.id });
    for path in ["/notifications/broadcast", "/notifications"] {
        expect_error(
            server.post(path, &fine, Some(&anna.token)).await,
            403,
            ErrorCode::Forbidden,
        )
        .await;
        expect_error(
            server.post(path, &fine, None).await,
            401,
            ErrorCode::MissingToken,
        )
        .await;
    }
    expect_error(
        server
            .post("/notifications/77/read", &json!({}), Some(&anna.token))
            .await,
        404,
        ErrorCode::NotificationNotFound,
    )
    .await;
    expect_error(
        server
            .post("/notifications/x/read", &json!({}), Some(&anna.token))
            .await,
        400,
        ErrorCode::InvalidPath,
    )
    .await;
    assert_eq!(server.count("notifications"), 0);
    assert_eq!(notifications(&server, &anna.token, "").await.unread, 0);
}

#[actix_web::test]
async fn pages_list_unread_first_then_read_each_newest_first() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let sent = announce(
            &server,
            &admin.token,
            json!({ "title": format!("№{n}"), "text": "…" }),
        )
        .await;
        ids.push(sent.notification.id);
    }
    for id in [ids[1], ids[3]] {
        server
            .post(
                &format!("/notifications/{id}/read"),
                &json!({}),
                Some(&anna.token),
            )
            .await;
    }
    let mut seen: Vec<(NotificationId, bool)> = Vec::new();
    let mut query = "?limit=2".to_owned();
    loop {
        let page = notifications(&server, &anna.token, &query).await;
        assert_eq!(page.unread, 3);
        seen.extend(page.notifications.iter().map(|n| (n.id, n.read)));
        let Some(last) = page.notifications.last() else {
            break;
        };
        if !page.has_more {
            break;
        }
        query = format!("?limit=2&after={}&after_read={}", last.id, last.read);
    }
    assert_eq!(
        seen,
        [
            (ids[4], false),
            (ids[2], false),
            (ids[0], false),
            (ids[3], true),
            (ids[1], true)
        ]
    );
}
