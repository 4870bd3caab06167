//! `GET /health`: for monitoring and for the client's "is the server there";
//! `GET /api/v1/server-info`: what the login screen needs to know.

use actix_web::{HttpResponse, web};
use messenger_shared::health::{Health, HealthStatus};
use messenger_shared::school::ServerInfo;

use crate::service::settings;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/health",
    tag = "ops",
    security(()),
    responses(
        (status = 200, description = "The server and its database answer", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
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
        limits: Some(state.limits()),
    };
    match database {
        HealthStatus::Ok => HttpResponse::Ok().json(body),
        HealthStatus::Degraded => HttpResponse::ServiceUnavailable().json(body),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/server-info",
    tag = "ops",
    security(()),
    responses(
        (status = 200, description = "Registration, messaging, version and limits", body = ServerInfo),
    )
)]
pub async fn server_info(state: web::Data<AppState>) -> web::Json<ServerInfo> {
    web::Json(settings::server_info(&state))
}
