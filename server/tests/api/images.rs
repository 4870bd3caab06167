//! Images: every accepted format, every way an upload can be bad, and who
//! may fetch the bytes.

use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use messenger_shared::chat::Message;
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::UserId;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{PASSWORD, TestServer, expect_error, set_role};

pub fn picture(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    }))
}

pub fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

async fn send_image(
    server: &TestServer,
    token: &str,
    to: UserId,
    client_id: &str,
    bytes: &[u8],
) -> reqwest::Response {
    server
        .post(
            &format!("/conversations/{to}/messages"),
            &json!({ "client_id": client_id, "text": "look", "image": { "data": STANDARD.encode(bytes) } }),
            Some(token),
        )
        .await
}

async fn fetch(server: &TestServer, token: &str, path: &str) -> reqwest::Response {
    server.get(path, Some(token)).await
}

#[actix_web::test]
async fn each_accepted_format_is_stored_with_a_thumbnail() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let formats = [
        (ImageFormat::Png, "image/png"),
        (ImageFormat::Jpeg, "image/jpeg"),
        (ImageFormat::Gif, "image/gif"),
        (ImageFormat::Bmp, "image/bmp"),
        (ImageFormat::WebP, "image/webp"),
    ];
    for (format, mime) in formats {
        let bytes = encode(&picture(800, 400), format);
        let response = send_image(&server, &anna.token, bert.account.id, mime, &bytes).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{mime}");
        let message: Message = response.json().await.expect("message");
        let attachment = message.attachment.expect("attachment");
        assert_eq!(attachment.mime, mime);
        assert_eq!((attachment.width, attachment.height), (800, 400));
        assert_eq!(
            (attachment.thumb_width, attachment.thumb_height),
            (320, 160)
        );
        assert_eq!(attachment.size, bytes.len() as u64);

        let full = fetch(
            &server,
            &bert.token,
            &format!("/attachments/{}", attachment.id),
        )
        .await;
        assert_eq!(full.status(), StatusCode::OK);
        assert_eq!(full.headers()["content-type"], mime);
        assert_eq!(
            full.bytes().await.expect("bytes").as_ref(),
            bytes.as_slice()
        );

        let thumb = fetch(
            &server,
            &anna.token,
            &format!("/attachments/{}?size=thumb", attachment.id),
        )
        .await;
        assert_eq!(thumb.headers()["content-type"], "image/jpeg");
        let thumb = image::load_from_memory(&thumb.bytes().await.expect("bytes"))
            .expect("thumbnail decodes");
        assert_eq!((thumb.width(), thumb.height()), (320, 160));
    }
}

#[actix_web::test]
async fn bad_uploads_are_refused_and_nothing_is_stored() {
    let server = TestServer::start_with(|config| config.max_image_bytes = 200_000).await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;

    let document = b"%PDF-1.7 this is a document renamed to photo.png".to_vec();
    let png = encode(&picture(64, 64), ImageFormat::Png);
    let truncated = png[..png.len() / 2].to_vec();
    // Within the body limit, over the image limit.
    let oversized = vec![0u8; 210_000];
    let bomb = png_claiming(100_000, 100_000);
    let tiff_header = b"II*\x00\x08\x00\x00\x00\x00\x00".to_vec();
    let cases = [
        (document, 400, ErrorCode::InvalidImage),
        (truncated, 400, ErrorCode::InvalidImage),
        (oversized, 413, ErrorCode::ImageTooLarge),
        (bomb, 413, ErrorCode::ImageTooLarge),
        (tiff_header, 415, ErrorCode::UnsupportedImageFormat),
    ];
    for (i, (bytes, status, code)) in cases.into_iter().enumerate() {
        let response = send_image(
            &server,
            &anna.token,
            bert.account.id,
            &format!("bad-{i}"),
            &bytes,
        )
        .await;
        expect_error(response, status, code).await;
    }
    let response = server
        .post(
            &format!("/conversations/{}/messages", bert.account.id),
            &json!({ "client_id": "not-base64", "image": { "data": "@@@ not base64 @@@" } }),
            Some(&anna.token),
        )
        .await;
    expect_error(response, 400, ErrorCode::InvalidImage).await;
    assert_eq!(server.count("messages"), 0);
    assert_eq!(server.count("attachments"), 0);
}

/// A tiny valid PNG whose header claims `width` × `height` pixels: decoding
/// it for real would need tens of gigabytes.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = encode(&picture(1, 1), ImageFormat::Png);
    // Signature (8) + chunk length (4) + "IHDR" (4), then width and height.
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[actix_web::test]
async fn only_participants_and_readers_of_all_fetch_an_image() {
    let server = TestServer::start().await;
    server.register("teacher").await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let carl = server.register("carl").await;
    let response = send_image(
        &server,
        &anna.token,
        bert.account.id,
        "img",
        &encode(&picture(10, 10), ImageFormat::Png),
    )
    .await;
    let message: Message = response.json().await.expect("message");
    let path = format!(
        "/attachments/{}",
        message.attachment.expect("attachment").id
    );

    expect_error(
        fetch(&server, &carl.token, &path).await,
        404,
        ErrorCode::AttachmentNotFound,
    )
    .await;
    expect_error(server.get(&path, None).await, 401, ErrorCode::MissingToken).await;
    expect_error(
        fetch(&server, &anna.token, "/attachments/999").await,
        404,
        ErrorCode::AttachmentNotFound,
    )
    .await;
    set_role(&server, "carl", 2); // Moderator: message:read_all
    // A role written behind the server's back reaches a new session only.
    let carl = server.login("carl", PASSWORD).await;
    assert_eq!(
        fetch(&server, &carl.token, &path).await.status(),
        StatusCode::OK
    );

    // Deleting the message deletes the image.
    let response = server
        .http
        .delete(server.url(&format!("/messages/{}", message.id)))
        .bearer_auth(&anna.token)
        .send()
        .await
        .expect("delete");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    expect_error(
        fetch(&server, &bert.token, &path).await,
        404,
        ErrorCode::AttachmentNotFound,
    )
    .await;
    assert_eq!(server.count("attachments"), 0);
}

#[actix_web::test]
async fn an_image_sent_over_the_websocket_is_acknowledged_with_its_attachment() {
    use messenger_shared::chat::{EventKind, ImageUpload, SendMessage};
    use messenger_shared::frame::ClientFrame;

    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut anna_live = server.connect(&anna.token).await;
    let mut bert_live = server.connect(&bert.token).await;
    let bytes = encode(&picture(640, 480), ImageFormat::Jpeg);
    anna_live
        .send(&ClientFrame::Send {
            to: Some(bert.account.id),
            group: None,
            message: SendMessage {
                client_id: "ws-image".into(),
                text: String::new(),
                image: Some(ImageUpload {
                    data: STANDARD.encode(&bytes),
                }),
                file_id: None,
                reply_to: None,
                forward_of: None,
            },
        })
        .await;
    let (_, ack) = anna_live.next_ack().await;
    let EventKind::Message { message } = ack.kind else {
        panic!("message")
    };
    let attachment = message.attachment.expect("attachment");
    assert_eq!(
        (
            attachment.mime.as_str(),
            attachment.width,
            attachment.height
        ),
        ("image/jpeg", 640, 480)
    );
    assert_eq!(bert_live.next_message().await.attachment, Some(attachment));
}

#[actix_web::test]
async fn pictures_are_served_as_downloads_that_browsers_must_not_sniff() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let bytes = encode(&picture(64, 32), ImageFormat::Png);
    let message: Message = send_image(&server, &anna.token, bert.account.id, "p1", &bytes)
        .await
        .json()
        .await
        .expect("message");
    let id = message.attachment.expect("attachment").id;
    for path in [
        format!("/attachments/{id}"),
        format!("/attachments/{id}?size=thumb"),
    ] {
        let response = fetch(&server, &bert.token, &path).await;
        assert_eq!(response.status(), StatusCode::OK);
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
        let disposition = header("content-disposition").expect("content-disposition");
        assert!(
            disposition.starts_with("attachment; filename="),
            "{disposition}"
        );
    }
}

#[actix_web::test]
async fn a_picture_over_the_stored_limit_reaches_the_recipient_scaled_down() {
    // A small file that decodes to many pixels: the recipient gets a copy
    // within the stored limit, never the original's full size.
    let server = TestServer::start_with(|config| config.max_stored_pixels = 250_000).await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let bomb = DynamicImage::ImageRgb8(RgbImage::from_pixel(2000, 2000, Rgb([250, 250, 250])));
    let bytes = encode(&bomb, ImageFormat::Png);
    assert!(bytes.len() < 100_000, "{} bytes", bytes.len());
    let response = send_image(&server, &anna.token, bert.account.id, "b1", &bytes).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let attachment = response
        .json::<Message>()
        .await
        .expect("message")
        .attachment
        .expect("attachment");
    assert_eq!((attachment.width, attachment.height), (500, 500));
    let full = fetch(
        &server,
        &bert.token,
        &format!("/attachments/{}", attachment.id),
    )
    .await
    .bytes()
    .await
    .expect("bytes");
    let stored = image::load_from_memory(&full).expect("decodes");
    assert_eq!((stored.width(), stored.height()), (500, 500));
}

#[actix_web::test]
async fn a_png_carrying_something_else_and_a_cut_off_jpeg_are_refused() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut polyglot = encode(&picture(32, 32), ImageFormat::Png);
    polyglot.extend_from_slice(b"<html><script>alert(1)</script></html>");
    let jpeg = encode(&picture(400, 300), ImageFormat::Jpeg);
    let half = jpeg[..jpeg.len() / 2].to_vec();
    for (client_id, bytes) in [("poly", polyglot), ("half", half)] {
        expect_error(
            send_image(&server, &anna.token, bert.account.id, client_id, &bytes).await,
            400,
            ErrorCode::InvalidImage,
        )
        .await;
    }
    assert_eq!(server.count("attachments"), 0);
}

#[actix_web::test]
async fn a_moderator_looking_at_someones_picture_is_audited() {
    let (server, admin) = crate::admin::school().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let bytes = encode(&picture(80, 40), ImageFormat::Png);
    let message: Message = send_image(&server, &anna.token, bert.account.id, "image/png", &bytes)
        .await
        .json()
        .await
        .expect("message");
    let id = message.attachment.expect("attachment").id;
    let readings = |entries: Vec<messenger_shared::admin::AuditEntry>| -> Vec<_> {
        entries
            .into_iter()
            .filter(|e| e.details.get("picture") == Some(&id.to_string()))
            .collect()
    };

    // Its people see it without a word in the audit log.
    let own = fetch(&server, &bert.token, &format!("/attachments/{id}")).await;
    assert_eq!(own.status(), StatusCode::OK);
    assert!(readings(crate::admin::audit_log(&server, &admin).await).is_empty());

    // The administrator's thumbnail comes with an audited search; the
    // picture itself is a reading of its own.
    let thumb = fetch(
        &server,
        &admin.token,
        &format!("/attachments/{id}?size=thumb"),
    )
    .await;
    assert_eq!(thumb.status(), StatusCode::OK);
    assert!(readings(crate::admin::audit_log(&server, &admin).await).is_empty());
    let full = fetch(&server, &admin.token, &format!("/attachments/{id}")).await;
    assert_eq!(full.status(), StatusCode::OK);
    let logged = readings(crate::admin::audit_log(&server, &admin).await);
    assert_eq!(logged.len(), 1);
    assert_eq!(
        logged[0].action,
        messenger_shared::admin::AuditAction::MessagesRead
    );
    assert_eq!(
        logged[0].target.as_ref().map(|t| t.username.as_str()),
        Some("anna")
    );
}
