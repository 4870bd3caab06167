//! The JSON the two ends exchange. The fixtures are written out literally
//! so that a change of the wire format is a deliberate act.

mod common;

use common::assert_wire;

use chrono::{TimeZone, Utc};
use messenger_shared::auth::{LoginRequest, RegisterRequest, Session};
use messenger_shared::error::{ErrorBody, ErrorCode};
use messenger_shared::ids::{RoleId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::user::{Account, RoleRef};
use serde_json::json;

#[test]
fn error_body() {
    let body = ErrorBody {
        error: ErrorCode::TooManyAttempts,
        message: "too many failed logins; try again in 30 seconds".into(),
        retry_after: Some(30),
        rows: Vec::new(),
    };
    assert_wire(
        &body,
        json!({
            "error": "too_many_attempts",
            "message": "too many failed logins; try again in 30 seconds",
            "retry_after": 30
        }),
    );
    let plain = ErrorBody {
        error: ErrorCode::UsernameTaken,
        message: "taken".into(),
        retry_after: None,
        rows: Vec::new(),
    };
    assert_wire(
        &plain,
        json!({ "error": "username_taken", "message": "taken" }),
    );
    let refused_import = ErrorBody {
        error: ErrorCode::InvalidImport,
        message: "1 rows cannot be imported".into(),
        retry_after: None,
        rows: vec![messenger_shared::error::RowProblem {
            line: 3,
            column: Some("e-mail".into()),
            value: Some("anna@".into()),
            code: ErrorCode::InvalidEmail,
            message: "not an e-mail address".into(),
        }],
    };
    assert_wire(
        &refused_import,
        json!({
            "error": "invalid_import",
            "message": "1 rows cannot be imported",
            "rows": [{ "line": 3, "column": "e-mail", "value": "anna@",
                       "code": "invalid_email",
                       "message": "not an e-mail address" }]
        }),
    );
}

#[test]
fn every_error_code_is_written_as_its_as_str() {
    for code in ErrorCode::ALL {
        assert_eq!(
            serde_json::to_value(code).expect("serialise"),
            json!(code.as_str())
        );
        assert!((400..600).contains(&code.http_status()), "{code}");
    }
}

#[test]
fn permissions_are_written_as_their_codes() {
    for permission in Permission::ALL {
        assert_eq!(
            serde_json::to_value(permission).expect("serialise"),
            json!(permission.code())
        );
        assert_eq!(Permission::from_code(permission.code()), Some(permission));
    }
    assert_eq!(Permission::from_code("made:up"), None);
}

#[test]
fn register_and_login_requests() {
    let register = RegisterRequest {
        username: "anna".into(),
        password: "correct horse".into(),
        display_name: Some("Anna Schmidt".into()),
        email: None,
        phone: Some("+49301234567".into()),
    };
    assert_wire(
        &register,
        json!({
            "username": "anna",
            "password": "correct horse",
            "display_name": "Anna Schmidt",
            "phone": "+49301234567"
        }),
    );
    let login = LoginRequest {
        login: "anna@school.edu".into(),
        password: "pw".into(),
        new_password: None,
    };
    assert_wire(
        &login,
        json!({ "login": "anna@school.edu", "password": "pw" }),
    );
    let first_login = LoginRequest {
        login: "anna".into(),
        password: "k7mq-x3ta-9fwe".into(),
        new_password: Some("blue river 1987".into()),
    };
    assert_wire(
        &first_login,
        json!({ "login": "anna", "password": "k7mq-x3ta-9fwe", "new_password": "blue river 1987" }),
    );
}

#[test]
fn session() {
    let created = Utc
        .with_ymd_and_hms(2026, 9, 1, 8, 0, 0)
        .single()
        .expect("time");
    let session = Session {
        token: "eyJ.x.y".into(),
        expires_at: Utc
            .with_ymd_and_hms(2026, 9, 1, 20, 0, 0)
            .single()
            .expect("time"),
        account: Account {
            id: UserId(7),
            username: "anna".into(),
            display_name: "Anna".into(),
            email: Some("anna@school.edu".into()),
            phone: None,
            role: RoleRef {
                id: RoleId(3),
                name: "User".into(),
            },
            permissions: vec![Permission::ReportView],
            created_at: created,
            avatar: None,
            unread_notifications: 3,
        },
    };
    assert_wire(
        &session,
        json!({
            "token": "eyJ.x.y",
            "expires_at": "2026-09-01T20:00:00Z",
            "account": {
                "id": 7,
                "username": "anna",
                "display_name": "Anna",
                "email": "anna@school.edu",
                "phone": null,
                "role": { "id": 3, "name": "User" },
                "permissions": ["report:view"],
                "created_at": "2026-09-01T08:00:00Z",
                "unread_notifications": 3
            }
        }),
    );
}
