//! Profiles: editing, seen by others live and by sync; changing the
//! password; avatars with their sizes, orientation, ETags and refusals.

use std::time::Duration;

use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage};
use messenger_shared::admin::{AdminUser, AuditAction};
use messenger_shared::chat::{EventKind, SyncPage};
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::UserId;
use messenger_shared::user::{Account, PasswordChanged, UserSummary};
use reqwest::StatusCode;
use serde_json::json;

use crate::admin::{audit_log, school};
use crate::common::{PASSWORD, TestServer, expect_error};
use crate::images::{encode, picture, png_claiming};
use crate::live::Live;

async fn put_avatar(server: &TestServer, token: &str, bytes: Vec<u8>) -> reqwest::Response {
    server
        .http
        .put(server.url("/users/me/avatar"))
        .bearer_auth(token)
        .header("content-type", "image/png")
        .body(bytes)
        .send()
        .await
        .expect("request sent")
}

/// The next `user_updated` event, skipping presence.
async fn next_user_update(live: &mut Live) -> UserSummary {
    match live.next_event().await.kind {
        EventKind::UserUpdated { user } => user,
        other => panic!("expected user_updated, got {other:?}"),
    }
}

async fn me(server: &TestServer, token: &str) -> Account {
    let response = server.get("/auth/me", Some(token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("account")
}

#[actix_web::test]
async fn a_profile_edit_is_seen_live_and_by_sync_after_a_reconnect() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let mut watching = server.connect(&boris.token).await;
    // Boris's other PC was connected until now; it will catch up by sync.
    let away = server.connect(&boris.token).await;
    let position = away.ready_at;
    drop(away);

    let response = server
        .put(
            "/users/me",
            &json!({ "display_name": "  Анна Петрова ", "email": "Anna.P@School.test",
                     "phone": "+7 900 123-45-67", "username": "someone_else" }),
            Some(&anna.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let account: Account = response.json().await.expect("account");
    assert_eq!(account.display_name, "Анна Петрова");
    assert_eq!(account.email.as_deref(), Some("anna.p@school.test"));
    assert_eq!(account.phone.as_deref(), Some("+79001234567"));
    assert_eq!(account.username, "anna", "the username stays fixed");

    let seen = next_user_update(&mut watching).await;
    assert_eq!(
        (seen.id, seen.display_name.as_str()),
        (anna.account.id, "Анна Петрова")
    );
    assert_eq!(seen.presence, messenger_shared::presence::Presence::Offline);

    let page: SyncPage = server
        .get(&format!("/sync?after={position}"), Some(&boris.token))
        .await
        .json()
        .await
        .expect("sync page");
    let updates: Vec<&UserSummary> = page
        .events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::UserUpdated { user } => Some(user),
            _ => None,
        })
        .collect();
    assert_eq!(updates.len(), 1, "{page:?}");
    assert_eq!(updates[0].display_name, "Анна Петрова");

    // Removing the e-mail and phone: empty fields.
    let account: Account = server
        .put(
            "/users/me",
            &json!({ "display_name": "Анна", "email": "", "phone": null }),
            Some(&anna.token),
        )
        .await
        .json()
        .await
        .expect("account");
    assert_eq!((account.email, account.phone), (None, None));
}

#[actix_web::test]
async fn taken_or_invalid_fields_are_refused_and_nothing_changes() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    server
        .put(
            "/users/me",
            &json!({ "display_name": "Boris", "email": "boris@school.test", "phone": "+79001112233" }),
            Some(&boris.token),
        )
        .await;
    let before = me(&server, &anna.token).await;
    let cases = [
        (
            json!({ "display_name": "A", "email": "BORIS@school.test" }),
            409,
            ErrorCode::EmailTaken,
        ),
        (
            json!({ "display_name": "A", "phone": "+7 900 111-22-33" }),
            409,
            ErrorCode::PhoneTaken,
        ),
        (
            json!({ "display_name": "A", "email": "not an address" }),
            400,
            ErrorCode::InvalidEmail,
        ),
        (
            json!({ "display_name": "A", "phone": "call me" }),
            400,
            ErrorCode::InvalidPhone,
        ),
        (
            json!({ "display_name": "   " }),
            400,
            ErrorCode::InvalidDisplayName,
        ),
        (
            json!({ "display_name": "x".repeat(65) }),
            400,
            ErrorCode::InvalidDisplayName,
        ),
        (json!({ "email": "a@b.c" }), 400, ErrorCode::InvalidBody),
    ];
    for (body, status, code) in cases {
        expect_error(
            server.put("/users/me", &body, Some(&anna.token)).await,
            status,
            code,
        )
        .await;
    }
    expect_error(
        server
            .put("/users/me", &json!({ "display_name": "A" }), None)
            .await,
        401,
        ErrorCode::MissingToken,
    )
    .await;
    assert_eq!(me(&server, &anna.token).await, before);
}

#[actix_web::test]
async fn a_password_change_logs_the_other_pcs_out_and_keeps_this_one() {
    let server = TestServer::start().await;
    server.register("anna").await;
    let here = server.login("anna", PASSWORD).await;
    let there = server.login("anna", PASSWORD).await;
    let mut there_live = server.connect(&there.token).await;
    let change = |current: &str, new: &str| json!({ "current": current, "new": new });

    let refusals = [
        (
            change("not the password", "a much better one"),
            403,
            ErrorCode::WrongPassword,
        ),
        (change(PASSWORD, "short"), 400, ErrorCode::InvalidPassword),
        (change(PASSWORD, "12345678"), 400, ErrorCode::WeakPassword),
        (change(PASSWORD, "qwerty123"), 400, ErrorCode::WeakPassword),
        (change(PASSWORD, "aaaaaaaaaa"), 400, ErrorCode::WeakPassword),
        (change(PASSWORD, PASSWORD), 400, ErrorCode::WeakPassword),
    ];
    for (body, status, code) in refusals {
        expect_error(
            server
                .put("/users/me/password", &body, Some(&here.token))
                .await,
            status,
            code,
        )
        .await;
    }
    // Nothing changed: the other PC is still logged in.
    assert_eq!(
        server.get("/auth/me", Some(&there.token)).await.status(),
        200
    );

    let response = server
        .put(
            "/users/me/password",
            &change(PASSWORD, "синий трамвай 204"),
            Some(&here.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let changed: PasswordChanged = response.json().await.expect("answer");
    // The registration's session and the other login.
    assert_eq!(changed.sessions_ended, 2);

    let close = there_live.closed().await.expect("a close frame");
    assert_eq!(close.reason.as_str(), "password_changed");
    expect_error(
        server.get("/auth/me", Some(&there.token)).await,
        401,
        ErrorCode::SessionExpired,
    )
    .await;
    assert_eq!(
        server.get("/auth/me", Some(&here.token)).await.status(),
        200
    );
    expect_error(
        server.try_login("anna", PASSWORD).await,
        401,
        ErrorCode::InvalidCredentials,
    )
    .await;
    server.login("anna", "синий трамвай 204").await;
}

#[actix_web::test]
async fn avatars_are_squared_in_two_sizes_and_served_with_etags() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let boris = server.register("boris").await;
    let mut watching = server.connect(&boris.token).await;

    let response = put_avatar(
        &server,
        &anna.token,
        encode(&picture(300, 200), ImageFormat::Png),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let account: Account = response.json().await.expect("account");
    let version = account.avatar.expect("a version");
    assert_eq!(next_user_update(&mut watching).await.avatar, Some(version));

    let path = format!("/users/{}/avatar", anna.account.id);
    for (query, side) in [("", 256), ("?size=thumb", 64), ("?size=full", 256)] {
        let response = server
            .get(&format!("{path}{query}"), Some(&boris.token))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let etag = response.headers()["etag"]
            .to_str()
            .expect("etag")
            .to_owned();
        // A download, never a page, as every picture.
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .expect("disposition")
            .to_owned();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let bytes = response.bytes().await.expect("bytes");
        let image = image::load_from_memory(&bytes).expect("an image");
        assert_eq!(image.dimensions(), (side, side));

        let again = server
            .http
            .get(server.url(&format!("{path}{query}")))
            .bearer_auth(&boris.token)
            .header("if-none-match", &etag)
            .send()
            .await
            .expect("sent");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{query}");
        assert!(again.bytes().await.expect("body").is_empty());
    }
    let old_etag = server.get(&path, Some(&boris.token)).await.headers()["etag"].clone();

    let account: Account = put_avatar(
        &server,
        &anna.token,
        encode(&picture(64, 90), ImageFormat::Jpeg),
    )
    .await
    .json()
    .await
    .expect("account");
    assert!(account.avatar.expect("a version") > version);
    let fresh = server
        .http
        .get(server.url(&path))
        .bearer_auth(&boris.token)
        .header("if-none-match", old_etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        fresh.status(),
        StatusCode::OK,
        "a new picture is a new ETag"
    );

    let response = server.delete("/users/me/avatar", Some(&anna.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let account: Account = response.json().await.expect("account");
    assert_eq!(account.avatar, None);
    expect_error(
        server.get(&path, Some(&boris.token)).await,
        404,
        ErrorCode::AvatarNotFound,
    )
    .await;
    expect_error(
        server.delete("/users/me/avatar", Some(&anna.token)).await,
        404,
        ErrorCode::AvatarNotFound,
    )
    .await;
    expect_error(server.get(&path, None).await, 401, ErrorCode::MissingToken).await;
    assert_eq!(server.count("avatars"), 0);
}

/// A 200×100 JPEG, red on the left and blue on the right, whose EXIF
/// says "rotate 90° clockwise to view" (as a phone held upright writes it).
fn rotated_photo() -> Vec<u8> {
    let image = DynamicImage::ImageRgb8(RgbImage::from_fn(200, 100, |x, _| {
        if x < 100 {
            Rgb([255, 0, 0])
        } else {
            Rgb([0, 0, 255])
        }
    }));
    let jpeg = encode(&image, ImageFormat::Jpeg);
    let mut exif = b"Exif\0\0II*\0\x08\0\0\0".to_vec();
    // One entry: Orientation (0x0112), SHORT, count 1, value 6.
    exif.extend_from_slice(&[1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
    let mut with_exif = jpeg[..2].to_vec();
    with_exif.extend_from_slice(&[0xFF, 0xE1]);
    with_exif.extend_from_slice(&u16::try_from(exif.len() + 2).expect("short").to_be_bytes());
    with_exif.extend_from_slice(&exif);
    with_exif.extend_from_slice(&jpeg[2..]);
    with_exif
}

#[actix_web::test]
async fn a_photo_is_turned_upright_and_its_metadata_dropped() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let response = put_avatar(&server, &anna.token, rotated_photo()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = server
        .get(
            &format!("/users/{}/avatar", anna.account.id),
            Some(&anna.token),
        )
        .await
        .bytes()
        .await
        .expect("bytes");
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "the stored avatar carries no EXIF"
    );
    let image = image::load_from_memory(&bytes).expect("image").to_rgb8();
    let red = |p: &Rgb<u8>| p.0[0] > 200 && p.0[2] < 60;
    let blue = |p: &Rgb<u8>| p.0[2] > 200 && p.0[0] < 60;
    // Upright, the left half became the top and the right half the bottom.
    assert!(
        red(image.get_pixel(200, 20)),
        "{:?}",
        image.get_pixel(200, 20)
    );
    assert!(
        blue(image.get_pixel(20, 236)),
        "{:?}",
        image.get_pixel(20, 236)
    );
}

#[actix_web::test]
async fn bad_avatars_are_refused_and_nothing_is_stored() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let twenty_mb = vec![0x89; 20 * 1024 * 1024];
    expect_error(
        put_avatar(&server, &anna.token, twenty_mb).await,
        413,
        ErrorCode::PayloadTooLarge,
    )
    .await;
    expect_error(
        put_avatar(&server, &anna.token, png_claiming(100_000, 100_000)).await,
        413,
        ErrorCode::ImageTooLarge,
    )
    .await;
    let page = b"<!DOCTYPE html><html><body>not a picture</body></html>".to_vec();
    expect_error(
        put_avatar(&server, &anna.token, page).await,
        400,
        ErrorCode::InvalidImage,
    )
    .await;
    expect_error(
        put_avatar(&server, &anna.token, Vec::new()).await,
        400,
        ErrorCode::InvalidImage,
    )
    .await;
    // A TIFF header: an image, but not a kind the server accepts.
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.resize(64, 0);
    expect_error(
        put_avatar(&server, &anna.token, tiff).await,
        415,
        ErrorCode::UnsupportedImageFormat,
    )
    .await;
    assert_eq!(server.count("avatars"), 0);
    assert_eq!(me(&server, &anna.token).await.avatar, None);
    // The server is unaffected.
    assert_eq!(
        put_avatar(
            &server,
            &anna.token,
            encode(&picture(50, 50), ImageFormat::Png)
        )
        .await
        .status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn an_administrator_edits_a_profile_and_removes_an_avatar_on_the_record() {
    let (server, admin) = school().await;
    let anna = server.register("anna").await;
    put_avatar(
        &server,
        &anna.token,
        encode(&picture(80, 80), ImageFormat::Png),
    )
    .await;
    let mut watching = server.connect(&anna.token).await;

    let response = server
        .put(
            &format!("/admin/users/{}/profile", anna.account.id),
            &json!({ "display_name": "Анна Смирнова (9Б)", "email": "anna@school.test" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let row: AdminUser = response.json().await.expect("user");
    assert_eq!(row.display_name, "Анна Смирнова (9Б)");
    assert!(row.avatar.is_some());
    assert_eq!(
        next_user_update(&mut watching).await.display_name,
        "Анна Смирнова (9Б)"
    );

    let response = server
        .delete(
            &format!("/admin/users/{}/avatar", anna.account.id),
            Some(&admin.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let row: AdminUser = response.json().await.expect("user");
    assert_eq!(row.avatar, None);
    assert_eq!(next_user_update(&mut watching).await.avatar, None);

    let log = audit_log(&server, &admin).await;
    let edited = log
        .iter()
        .find(|e| e.action == AuditAction::ProfileEdited)
        .expect("the edit is on the record");
    assert_eq!(edited.target.as_ref().map(|t| t.id), Some(anna.account.id));
    assert_eq!(edited.details["display_name"], "Анна Смирнова (9Б)");
    assert!(log.iter().any(|e| e.action == AuditAction::AvatarRemoved
        && e.target.as_ref().map(|t| t.id) == Some(anna.account.id)));
    expect_error(
        server
            .put(
                &format!("/admin/users/{}/profile", UserId(999)),
                &json!({ "display_name": "Nobody" }),
                Some(&admin.token),
            )
            .await,
        404,
        ErrorCode::UserNotFound,
    )
    .await;
    watching.expect_quiet(Duration::from_millis(200)).await;
}
