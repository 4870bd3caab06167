//! `GET /health`: for monitoring and for the client's "is the server there".

use actix_web::{HttpResponse, web};
use messenger_shared::chat::MAX_TEXT_CHARS;
use messenger_shared::health::{Health, HealthStatus, Limits};

use crate::state::AppState;

pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let database = if state.db.ping().await {
        HealthStatus::Ok
    } else {
        HealthStatus::Degraded
    };
    let body = Health {
        status: database,
        database,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        limits: Some(Limits {
            max_text_chars: MAX_TEXT_CHARS as u32,
            max_image_bytes: state.config.max_image_bytes as u64,
        }),
    };
    match database {
        HealthStatus::Ok => HttpResponse::Ok().json(body),
        HealthStatus::Degraded => HttpResponse::ServiceUnavailable().json(body),
    }
}
