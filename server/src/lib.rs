//! Local Messenger server.
//!
//! A newcomer's map: `routes/` is the HTTP surface (`routes/admin/` one
//! file a section, `routes/refuse.rs` the refusals the API reference
//! names), `service/` what each action does, `db/` how it is stored (with
//! `db/schema.rs` mirroring `migrations/`; nothing outside `db/` names the
//! engine, SQLite or PostgreSQL), `cluster.rs` the bus between server
//! processes, `auth/` who is calling and what they may do, `hub/` who is
//! connected, `delivery.rs` who a live frame is for, `ws/` one live
//! connection, and `service/writer/` the thread that stores every message.
//! `reference.rs` is the API reference (OpenAPI, Swagger UI); `backup/` and
//! `discovery.rs` are the operations around it all: copies of the data,
//! and being found on the network.

pub mod auth;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod cluster;
pub mod config;
pub mod connections;
pub mod data_dir;
pub mod db;
pub mod delivery;
pub mod discovery;
pub mod error;
pub mod hub;
pub mod limits;
pub mod migrate_data;
pub mod reference;
pub mod routes;
pub mod service;
pub mod startup;
pub mod state;
pub mod ws;
